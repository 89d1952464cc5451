/**
 * The per-sender quota is meant to stop one hostile sender from filling a
 * recipient's share of the mailbox (shared/protocol/constants.ts, "one noisy
 * or hostile contact cannot fill a recipient's mailbox"). A sender's quota key
 * is its depositing peer id or its (free to make) account: a stranger who
 * makes a few of them would fill the share, and the recipient's contacts would
 * then be refused. Once the recipient told its mailbox who its contacts are,
 * everyone else shares one small strangers' pool (1/8 of the share).
 */

import assert from 'node:assert/strict'
import { MailboxStatus } from '#shared/protocol/mailbox/index.ts'
import { newMessageId } from '#shared/store/index.ts'
import { envelopeBytes, newDevice, newPeerId, pair, startMailbox } from './harness.ts'
import type { Device } from './harness.ts'

describe('mailbox quotas: a stranger with fresh identities', () => {
  it('cannot fill a recipient\'s share so that a contact\'s deposit is refused', async () => {
    // the default ratio: a sender may hold a quarter of an account's share, strangers together an eighth
    const h = await startMailbox({ store: { accountItems: 8, senderItems: 2 } })
    const bob = await newDevice()
    const alice = await newDevice()
    await pair(h, bob)
    // Bob's device tells the mailbox that Alice is his contact
    assert.equal(await h.client(bob.peerId).setContacts(h.mailboxPeer, bob, [alice.keys.publicKey]), MailboxStatus.OK)
    const deposit = async (as: Device, peer = as.peerId): Promise<MailboxStatus> => {
      const id = newMessageId()
      return (await h.client(peer).deposit(h.mailboxPeer, { recipient: bob.keys.publicKey, messageId: id, envelope: envelopeBytes(as, bob.keys.publicKey, id) })).status
    }
    // Mallory: one person, four fresh peer ids and four fresh accounts (they cost nothing), each depositing up to its quota
    const mallory = await newDevice()
    const statuses: MailboxStatus[] = []
    for (let i = 0; i < 4; i++) {
      const peer = await newPeerId()
      statuses.push(await deposit(mallory, peer), await deposit(mallory, peer))
      const fresh = await newDevice()
      statuses.push(await deposit(fresh), await deposit(fresh))
    }
    assert.equal(statuses.filter(s => s === MailboxStatus.OK).length, 1, 'strangers together hold one item (1/8 of 8)')
    assert.ok(statuses.slice(1).every(s => s === MailboxStatus.QUOTA_EXCEEDED), 'the rest of the flood is refused QUOTA_EXCEEDED')
    // Alice, Bob's contact, depositing from her own certified device
    assert.equal(await deposit(alice), MailboxStatus.OK, 'Alice\'s message is refused: Mallory filled Bob\'s share')
    assert.equal(await deposit(alice), MailboxStatus.OK, 'Alice may use her whole sender quota')
    assert.deepEqual(h.store.account(bob.accountId)?.strangers, { items: 1, bytes: h.store.account(bob.accountId)!.bytes / 3 })
  })
})
