/**
 * The background drain of a device's own mailbox under a failing or
 * misbehaving mailbox: it must neither spin (drain again and again without
 * waiting) nor give up on a mailbox that answered "retry later".
 */

import assert from 'node:assert/strict'
import { MAILBOX_PROTOCOL } from '#shared/protocol/constants.ts'
import { MailboxStatus } from '#shared/protocol/mailbox/index.ts'
import { befriend, drainsOf, mailboxWorld, nextEvents, pairWith } from './fixtures.ts'
import type { StoredMessage } from '#shared/store/index.ts'
import type { PeerId } from '@libp2p/interface'

/** Drains of one mailbox that a device may issue in SPIN_WINDOW_MS without spinning (the retry starts at 2 s, doubling). */
const SPIN_DRAINS = 20
const SPIN_WINDOW_MS = 3_000

describe('messenger: the drain loop of a failing mailbox', function () {
  this.timeout(30_000)

  const world = mailboxWorld()
  const { messenger, queuedEnvelope, depositFor } = world

  /** Whether `count` events of `type` on `target` passing `filter` come within SPIN_WINDOW_MS (a spin), or not. */
  async function spins<T> (target: EventTarget, type: string, filter: (detail: T) => boolean): Promise<boolean> {
    return nextEvents(target, type, filter, SPIN_DRAINS, SPIN_WINDOW_MS).then(() => true, () => false)
  }

  it('an item the device cannot store (the store fails on it) is not drained again in a tight loop', async () => {
    const alice = await messenger('Alice')
    const bob = await messenger('Bob')
    await bob.start()
    await befriend(alice, bob)
    await pairWith(bob, world.mailbox)

    const { message, entry } = await queuedEnvelope(alice, bob, 'poison')
    // a local failure on this one message (a disk error, a store bug): it stays at the mailbox
    const addIncoming = bob.store.addIncoming.bind(bob.store)
    bob.store.addIncoming = async (...args: Parameters<typeof addIncoming>) => {
      if (args[0].some(m => m.id === message.id)) {
        throw new Error('simulated store failure')
      }
      return addIncoming(...args)
    }
    const firstTry = nextEvents(bob, 'mailbox:drained', (d: { received: number }) => d.received > 0, 1)
    assert.equal(await depositFor(bob, entry), MailboxStatus.OK)
    await firstTry

    // every drain that hands the item out again is a mailbox:drained event with received > 0
    const spun = await spins(bob, 'mailbox:drained', (d: { received: number }) => d.received > 0)
    assert.equal(spun, false, `Bob drained his mailbox ${SPIN_DRAINS} times within ${SPIN_WINDOW_MS} ms for one item he cannot store`)
  })

  it('a mailbox that drops the connection on every drain is not redialled in a tight loop', async () => {
    const bob = await messenger('Bob')
    await bob.start()
    await pairWith(bob, world.mailbox)

    // the mailbox goes bad: it takes the connection, then drops it (as a daemon at its connection limit does)
    await world.mailbox.node.unhandle(MAILBOX_PROTOCOL)
    await world.mailbox.node.handle(MAILBOX_PROTOCOL, (stream, connection) => {
      connection.abort(new Error('go away'))
    })
    const node = bob.libp2p
    assert.ok(node != null)
    // every drain dials the mailbox anew: a peer:connect each
    const spinning = spins(node, 'peer:connect', (p: PeerId) => p.equals(world.mailbox.peerId))
    // Bob's connection drops; its long-poll fails and the drain retries
    for (const c of node.getConnections(world.mailbox.peerId)) {
      c.abort(new Error('test: cut the line'))
    }
    assert.equal(await spinning, false, `Bob redialled his mailbox ${SPIN_DRAINS} times within ${SPIN_WINDOW_MS} ms`)
    assert.ok(drainsOf(bob).length > 0)
  })

  it('a drain answered ERROR ("retry later") is retried: mail deposited then still arrives while Bob stays online', async () => {
    const alice = await messenger('Alice')
    const bob = await messenger('Bob')
    await bob.start()
    await befriend(alice, bob)
    await pairWith(bob, world.mailbox)

    // the mailbox's store fails once (a transient disk error): it answers that drain ERROR
    const page = world.mailbox.store.page.bind(world.mailbox.store)
    let failures = 1
    world.mailbox.store.page = async (...args: Parameters<typeof page>) => {
      if (failures > 0) {
        failures--
        throw new Error('simulated transient store failure')
      }
      return page(...args)
    }
    const { message, entry } = await queuedEnvelope(alice, bob, 'after a transient mailbox error')
    const arrived = nextEvents<StoredMessage>(bob, 'message:received', m => m.id === message.id, 1, 15_000)
    assert.equal(await depositFor(bob, entry), MailboxStatus.OK)
    const [got] = await arrived
    assert.equal(got.text, 'after a transient mailbox error')
  })

  it('a mailbox that ignores acks (hands the same item out again and again) does not make Bob re-drain and re-send receipts in a tight loop', async () => {
    const alice = await messenger('Alice')
    const bob = await messenger('Bob')
    await bob.start()
    await befriend(alice, bob)
    await pairWith(bob, world.mailbox)
    const node = bob.libp2p
    assert.ok(node != null)
    const receipts: string[][] = []
    const send = node.services.dm.send.bind(node.services.dm)
    node.services.dm.send = async (peer, envelope, options) => {
      if (envelope.receipt != null) {
        receipts.push(envelope.receipt.ids)
      }
      return send(peer, envelope, options)
    }
    // a broken (or hostile) mailbox: its acks delete nothing, every drain hands the item out again
    world.mailbox.store.ack = async () => 0

    const { message, entry } = await queuedEnvelope(alice, bob, 'once')
    // Alice comes online: Bob's receipts can go to her directly
    await alice.start()
    const stored = nextEvents<StoredMessage>(bob, 'message:received', m => m.id === message.id, 1)
    assert.equal(await depositFor(bob, entry), MailboxStatus.OK)
    await stored

    const spun = await spins(bob, 'mailbox:drained', (d: { received: number }) => d.received > 0)
    assert.equal(spun, false, `Bob drained the same item ${SPIN_DRAINS} times within ${SPIN_WINDOW_MS} ms (and sent ${receipts.length} receipts for it)`)
  })

  it('a drain cut off after its first page was acked still sends receipts for that page: Alice, back while Bob is offline, sees both delivered', async () => {
    const alice = await messenger('Alice')
    const bob = await messenger('Bob')
    await Promise.all([alice.start(), bob.start()])
    await befriend(alice, bob)
    await pairWith(alice, world.mailbox)
    await pairWith(bob, world.mailbox)
    await bob.stop()

    const held = nextEvents<StoredMessage>(alice, 'message:at-mailbox', m => m.conversation === bob.accountId, 2)
    const ids = [(await alice.send(bob.accountId, 'first')).id, (await alice.send(bob.accountId, 'second')).id]
    await held
    await alice.stop()

    // pages of one item; the connection is lost right after the first page's ack is written
    const page = world.mailbox.store.page.bind(world.mailbox.store)
    world.mailbox.store.page = async (accountId, options) => page(accountId, { ...options, limit: 1 })
    const ack = world.mailbox.store.ack.bind(world.mailbox.store)
    let cut = false
    world.mailbox.store.ack = async (accountId, device, messageIds) => {
      const deleted = await ack(accountId, device, messageIds)
      if (!cut && accountId === bob.accountId) {
        cut = true
        for (const c of world.mailbox.node.getConnections()) {
          c.abort(new Error('test: the line drops'))
        }
      }
      return deleted
    }
    const arrived = nextEvents<StoredMessage>(bob, 'message:received', m => ids.includes(m.id), 2, 20_000)
    // the retry's drain takes the second message, and sends its receipts before it says so
    const retried = nextEvents(bob, 'mailbox:drained', (d: { received: number }) => d.received > 0, 1, 20_000)
    await bob.start()
    await arrived
    await retried
    assert.equal(world.mailbox.store.account(bob.accountId)?.items, 0, 'Bob acked both')
    await bob.stop()

    const drained = nextEvents(alice, 'mailbox:drained', () => true, 1)
    await alice.start()
    await drained
    assert.deepEqual((await alice.history(bob.accountId)).map(m => [m.text, m.state]), [['first', 'delivered'], ['second', 'delivered']])
  })

  it('a mailbox restarted just after it delivered something is drained again once it is back (its shutdown ends the long-poll early)', async function () {
    this.timeout(40_000)
    const alice = await messenger('Alice')
    const bob = await messenger('Bob')
    await bob.start()
    await befriend(alice, bob)
    await pairWith(bob, world.mailbox)

    const first = await queuedEnvelope(alice, bob, 'just before the restart')
    const second = await queuedEnvelope(alice, bob, 'after the restart')
    const arrived = nextEvents<StoredMessage>(bob, 'message:received', m => m.id === first.message.id, 1)
    assert.equal(await depositFor(bob, first.entry), MailboxStatus.OK)
    await arrived
    // Bob's next long-poll is waiting now (or about to): the daemon restarts within a second of it
    const next = nextEvents(bob, 'mailbox:drained', () => true, 1).catch(() => undefined)
    await world.mailbox.down()
    await world.mailbox.up()
    await next
    const again = nextEvents<StoredMessage>(bob, 'message:received', m => m.id === second.message.id, 1, 30_000)
    assert.equal(await depositFor(bob, second.entry), MailboxStatus.OK)
    const [got] = await again
    assert.equal(got.text, 'after the restart')
  })

  it('receipts go to a mailbox the sender paired after the recipient last looked her up (no stale "she has no mailbox")', async function () {
    this.timeout(60_000)
    const alice = await messenger('Alice')
    const bob = await messenger('Bob')
    await Promise.all([alice.start(), bob.start()])
    await befriend(alice, bob)
    await pairWith(bob, world.mailbox)
    await bob.stop()

    // Alice has no mailbox yet: Bob's receipt for her first message has nowhere to go
    const firstHeld = nextEvents<StoredMessage>(alice, 'message:at-mailbox', m => m.conversation === bob.accountId, 1)
    await alice.send(bob.accountId, 'before Alice had a mailbox')
    await firstHeld
    await alice.stop()
    const firstDrain = nextEvents(bob, 'mailbox:drained', (d: { received: number }) => d.received > 0, 1)
    await bob.start()
    await firstDrain
    await bob.stop()

    // Alice pairs a mailbox (her account record lists it now), then writes again while Bob is away
    await alice.start()
    await pairWith(alice, world.mailbox)
    const secondHeld = nextEvents<StoredMessage>(alice, 'message:at-mailbox', m => m.conversation === bob.accountId, 1)
    const second = await alice.send(bob.accountId, 'after Alice paired a mailbox')
    await secondHeld
    await alice.stop()

    const receipt = nextEvents<{ accountId: string }>(world.mailbox.service, 'mailbox:deposited', d => d.accountId === alice.accountId, 1, 20_000)
    const secondDrain = nextEvents(bob, 'mailbox:drained', (d: { received: number }) => d.received > 0, 1)
    await bob.start()
    await secondDrain
    // the receipt follows the drain: Bob stays online until it is deposited
    await receipt
    await bob.stop()

    const drained = nextEvents(alice, 'mailbox:drained', () => true, 1)
    await alice.start()
    await drained
    assert.equal((await alice.history(bob.accountId)).find(m => m.id === second.id)?.state, 'delivered',
      'Bob\'s receipt went to Alice\'s new mailbox')
  })
})
