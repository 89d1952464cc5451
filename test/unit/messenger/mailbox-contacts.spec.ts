/**
 * The messenger tells its mailboxes who its contacts are (after a drain, and
 * when a contact is added or accepted): a stranger flooding the mailbox from
 * fresh identities then fills only the small strangers' pool, and a contact's
 * messages still get through.
 */

import assert from 'node:assert/strict'
import { MailboxStatus } from '#shared/protocol/mailbox/index.ts'
import { newMessageId } from '#shared/store/index.ts'
import { envelopeBytes, newDevice } from '#test/unit/mailbox/harness.ts'
import { befriend, mailboxWorld, nextEvents, pairWith } from './fixtures.ts'
import type { StoredMessage } from '#shared/store/index.ts'

type ContactsTold = { accountId: string, contacts: number }

describe('messenger: contact lists at the mailbox', function () {
  this.timeout(20_000)

  // strangers' pool: 2 of 16 items; one sender may hold 4
  const world = mailboxWorld({ accountItems: 16, senderItems: 4 })
  const { messenger } = world

  it('keeps room for a contact while strangers with fresh identities flood the mailbox', async () => {
    const alice = await messenger('Alice')
    const bob = await messenger('Bob')
    await Promise.all([alice.start(), bob.start()])
    await befriend(alice, bob)
    const told = nextEvents<ContactsTold>(world.mailbox.service, 'mailbox:contacts', d => d.accountId === bob.accountId, 1)
    await pairWith(bob, world.mailbox)
    assert.equal((await told)[0].contacts, 1, 'after its first drain Bob told the mailbox his one contact')
    assert.deepEqual(world.mailbox.store.contactsOf(bob.accountId), [alice.accountId])
    await bob.stop()

    // Mallory: three fresh peers (free to make), each depositing up to its sender quota and more
    const statuses: MailboxStatus[] = []
    const mallory = await newDevice()
    for (let c = 0; c < 3; c++) {
      const client = await world.client()
      for (let i = 0; i < 6; i++) {
        const id = newMessageId()
        const result = await client.services.mailbox.deposit(world.mailbox.peerId, {
          recipient: bob.account.keys.publicKey, messageId: id, envelope: envelopeBytes(mallory, bob.account.keys.publicKey, id)
        }, { signal: AbortSignal.timeout(5_000) })
        statuses.push(result.status)
      }
    }
    assert.equal(statuses.filter(s => s === MailboxStatus.OK).length, 2, 'the flood got the strangers\' pool only')
    assert.equal(statuses.filter(s => s === MailboxStatus.QUOTA_EXCEEDED).length, 16)

    const held = nextEvents<StoredMessage>(alice, 'message:at-mailbox', m => m.conversation === bob.accountId, 3)
    const sent: StoredMessage[] = []
    for (let i = 0; i < 3; i++) {
      sent.push(await alice.send(bob.accountId, `still here ${i}`))
    }
    await held
    assert.equal(world.mailbox.store.account(bob.accountId)?.items, 5)

    const ids = sent.map(m => m.id)
    const arrived = nextEvents<StoredMessage>(bob, 'message:received', m => ids.includes(m.id), 3)
    await bob.start()
    assert.deepEqual((await arrived).map(m => m.text), ['still here 0', 'still here 1', 'still here 2'])
  })

  it('tells the mailbox again when a contact is added, once for changes in a row', async () => {
    const bob = await messenger('Bob')
    await bob.start()
    const first = nextEvents<ContactsTold>(world.mailbox.service, 'mailbox:contacts', d => d.accountId === bob.accountId, 1)
    await pairWith(bob, world.mailbox)
    assert.equal((await first)[0].contacts, 0)

    const carol = await messenger('Carol')
    const dave = await messenger('Dave')
    const pushes: ContactsTold[] = []
    world.mailbox.service.addEventListener('mailbox:contacts', (evt) => { pushes.push(evt.detail) })
    const again = nextEvents<ContactsTold>(world.mailbox.service, 'mailbox:contacts', d => d.accountId === bob.accountId, 1)
    await bob.addContact(await carol.invite())
    await bob.addContact(await dave.invite())
    assert.equal((await again)[0].contacts, 2, 'one list with both, after the debounce')
    assert.deepEqual(world.mailbox.store.contactsOf(bob.accountId)?.sort(), [carol.accountId, dave.accountId].sort())
    assert.equal(pushes.length, 1)
  })
})
