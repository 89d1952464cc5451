/** Forged, misdirected and unwanted receipts sent straight over /parley/dm/1.0.0 to a running Messenger. */

import assert from 'node:assert/strict'
import { createReceipts } from '#shared/messenger/receipts.ts'
import { Ack } from '#shared/protocol/dm/index.ts'
import { befriend, mailboxWorld } from './fixtures.ts'
import type { Messenger } from '#shared/messenger/index.ts'

const ENVELOPE_VERSION = 2

describe('delivery receipts over dm: forged and unwanted', function () {
  this.timeout(30_000)

  const world = mailboxWorld()

  it('mark nothing delivered: a stranger\'s, one relayed by another device, one replayed to another recipient, a blocked contact\'s', async () => {
    const [alice, bob, carol, mallory] = await Promise.all(['Alice', 'Bob', 'Carol', 'Mallory'].map(async n => world.messenger(n)))
    await befriend(alice, bob)
    await befriend(carol, bob)
    // Bob stays offline: what Alice sends him stays pending
    await alice.start()
    await mallory.start()
    await carol.start()
    const pending = await alice.send(bob.accountId, 'for Bob')
    const aliceNode = alice.libp2p
    const malloryNode = mallory.libp2p
    const carolNode = carol.libp2p
    assert.ok(aliceNode != null && malloryNode != null && carolNode != null)
    await malloryNode.dial(aliceNode.getMultiaddrs()[0], { signal: AbortSignal.timeout(5_000) })
    await carolNode.dial(aliceNode.getMultiaddrs()[0], { signal: AbortSignal.timeout(5_000) })
    const send = async (from: typeof malloryNode, envelope: Parameters<typeof malloryNode.services.dm.send>[1]): Promise<Ack.Status> =>
      from.services.dm.send(aliceNode.peerId, envelope, { signal: AbortSignal.timeout(5_000) })
    const state = async (): Promise<string | undefined> => (await alice.history(bob.accountId)).find(m => m.id === pending.id)?.state

    // a stranger's own (validly signed) receipt naming Alice's message to Bob
    const [stranger] = createReceipts(mallory.account, ENVELOPE_VERSION, alice.account.keys.publicKey, [pending.id])
    assert.equal(await send(malloryNode, stranger), Ack.Status.REFUSED)
    // Bob's genuine receipt, relayed by Mallory's device over dm (not Bob's device)
    const [genuine] = createReceipts(bob.account, ENVELOPE_VERSION, alice.account.keys.publicKey, [pending.id])
    assert.equal(await send(malloryNode, genuine), Ack.Status.INVALID)
    // Bob's receipt to Carol, replayed to Alice
    const [toCarol] = createReceipts(bob.account, ENVELOPE_VERSION, carol.account.keys.publicKey, [pending.id])
    assert.equal(await send(carolNode, toCarol), Ack.Status.INVALID, 'certificate of Bob\'s device on Carol\'s connection')
    assert.equal(await state(), 'pending')

    // Alice blocks Bob (her courier stops sending to him); Bob comes online and sends receipts anyway
    await alice.block(bob.accountId)
    await bob.start()
    const bobNode = bob.libp2p
    assert.ok(bobNode != null)
    await bobNode.dial(aliceNode.getMultiaddrs()[0], { signal: AbortSignal.timeout(5_000) })
    // Bob's receipt to Carol with its recipient rewritten to Alice: the signature no longer covers it
    const rewritten = { ...toCarol, recipient: new Uint8Array(alice.account.keys.publicKey) }
    assert.equal(await send(bobNode, rewritten), Ack.Status.REFUSED, 'blocked before anything else')
    assert.equal(await send(bobNode, toCarol), Ack.Status.WRONG_RECIPIENT)
    assert.equal(await send(bobNode, genuine), Ack.Status.REFUSED)
    assert.equal(await state(), 'pending', 'a blocked contact\'s receipt changes nothing')
  })
})
