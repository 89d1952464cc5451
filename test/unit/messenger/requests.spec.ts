/**
 * Message requests are bounded: accounts cost nothing to make, so strangers
 * must not be able to fill a device's store. Their envelopes reach Bob through
 * his mailbox here, whose ack (REFUSED is final, so it is acked too) is the
 * point where Bob has decided on each.
 */

import assert from 'node:assert/strict'
import { MailboxStatus } from '#shared/protocol/mailbox/index.ts'
import { befriend, mailboxWorld, nextEvents, pairWith } from './fixtures.ts'
import type { Messenger } from '#shared/messenger/index.ts'

type Acked = { accountId: string, device: string, deleted: number }

describe('messenger: message requests are bounded', function () {
  this.timeout(30_000)

  const world = mailboxWorld()
  const { messenger, queuedEnvelope, depositFor } = world

  /** Deposits these texts from `stranger` (not started) for Bob, and resolves once Bob drained and acked them all. */
  async function arrive (stranger: Messenger, bob: Messenger, texts: string[]): Promise<void> {
    let left = texts.length
    const acked = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`${left} of ${texts.length} deposits not acked`)) }, 10_000)
      const onAcked = (evt: CustomEvent<Acked>): void => {
        if (evt.detail.accountId === bob.accountId) {
          left -= evt.detail.deleted
          if (left <= 0) {
            clearTimeout(timer)
            world.mailbox.service.removeEventListener('mailbox:acked', onAcked)
            resolve()
          }
        }
      }
      world.mailbox.service.addEventListener('mailbox:acked', onAcked)
    })
    for (const text of texts) {
      const { entry } = await queuedEnvelope(stranger, bob, text)
      assert.equal(await depositFor(bob, entry), MailboxStatus.OK)
    }
    await acked
  }

  it('keeps at most `requests` waiting and `requestUnread` unread messages of one; accepting makes room', async () => {
    const bob = await messenger('Bob', { limits: { requests: 2, requestUnread: 3 } })
    await bob.start()
    await pairWith(bob, world.mailbox)
    const [s1, s2, s3, s4] = await Promise.all(['Sam', 'Sue', 'Sid', 'Sal'].map(async name => messenger(name)))
    // strangers to Bob: they know his invite, he knows nothing of them
    for (const s of [s1, s2, s3, s4]) {
      await s.addContact(await bob.invite())
    }

    await arrive(s1, bob, ['one', 'two', 'three', 'four'])
    assert.deepEqual((await bob.history(s1.accountId)).map(m => m.text), ['one', 'two', 'three'], 'three unread messages of a request, the fourth refused')
    await arrive(s2, bob, ['hello'])
    await arrive(s3, bob, ['me too'])
    assert.deepEqual((await bob.requests()).map(r => r.accountId).sort(), [s1.accountId, s2.accountId].sort(), 'a third request is refused')
    await assert.rejects(bob.history(s3.accountId), { name: 'UnknownContactError' })

    // Bob accepts one: a new stranger gets through again
    await bob.accept(s1.accountId)
    await arrive(s4, bob, ['hi Bob'])
    assert.deepEqual((await bob.requests()).map(r => r.accountId).sort(), [s2.accountId, s4.accountId].sort())
    // and a contact is not bounded as a request is
    await arrive(s1, bob, ['five', 'six'])
    assert.deepEqual((await bob.history(s1.accountId)).map(m => m.text), ['one', 'two', 'three', 'five', 'six'])
  })

  it('bounds nothing from contacts', async () => {
    const bob = await messenger('Bob', { limits: { requests: 0, requestUnread: 0 } })
    const alice = await messenger('Alice')
    await bob.start()
    await befriend(alice, bob)
    await pairWith(bob, world.mailbox)
    const received = nextEvents(bob, 'message:received', () => true, 3)
    await arrive(alice, bob, ['a', 'b', 'c'])
    await received
    assert.deepEqual((await bob.history(alice.accountId)).map(m => m.text), ['a', 'b', 'c'])
  })
})
