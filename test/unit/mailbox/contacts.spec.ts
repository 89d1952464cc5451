/**
 * The CONTACTS request and the strangers' pool: a device of a paired account
 * names its account's contacts; deposits from anyone else share 1/8 of the
 * account's share and are refused QUOTA_EXCEEDED beyond it, while contacts
 * still deposit. The pool's usage stays exact across acks, expiry, unpairing
 * and a reopen of the store.
 */

import assert from 'node:assert/strict'
import { MemoryLevel } from 'memory-level'
import { accountIdFromPublicKey, encodeDeviceCertificate, generateAccountKeys } from '#shared/identity/index.ts'
import { MailboxStore } from '#shared/mailbox/index.ts'
import { MAILBOX_MAX_CONTACTS } from '#shared/protocol/constants.ts'
import { MailboxStatus, Response } from '#shared/protocol/mailbox/index.ts'
import { Request } from '#shared/protocol/mailbox/pb/mailbox.ts'
import { newMessageId } from '#shared/store/index.ts'
import { drainAll, envelopeBytes, newDevice, newPeerId, pair, startMailbox } from './harness.ts'
import type { Device, Harness } from './harness.ts'

const DAY = 24 * 60 * 60 * 1000

function memoryDb (): MemoryLevel<string, Uint8Array> {
  return new MemoryLevel<string, Uint8Array>({ keyEncoding: 'utf8', valueEncoding: 'view' })
}

async function depositAs (h: Harness, recipient: Device, as: Device, peer = as.peerId): Promise<MailboxStatus> {
  const id = newMessageId()
  return (await h.client(peer).deposit(h.mailboxPeer, { recipient: recipient.keys.publicKey, messageId: id, envelope: envelopeBytes(as, recipient.keys.publicKey, id) })).status
}

describe('mailbox: contact lists and the strangers\' pool', () => {
  describe('the CONTACTS request', () => {
    it('stores the list of a device of a paired account, replacing the one before', async () => {
      const h = await startMailbox()
      const bob = await newDevice()
      const alice = generateAccountKeys()
      const carol = generateAccountKeys()
      await pair(h, bob)
      assert.equal(h.store.contactsOf(bob.accountId), undefined, 'no list until one is sent')
      const client = h.client(bob.peerId)
      assert.equal(await client.setContacts(h.mailboxPeer, bob, [alice.publicKey, carol.publicKey, alice.publicKey]), MailboxStatus.OK)
      assert.deepEqual(h.store.contactsOf(bob.accountId)?.sort(), [accountIdFromPublicKey(alice.publicKey), accountIdFromPublicKey(carol.publicKey)].sort())
      assert.equal(await client.setContacts(h.mailboxPeer, bob, [carol.publicKey]), MailboxStatus.OK)
      assert.deepEqual(h.store.contactsOf(bob.accountId), [accountIdFromPublicKey(carol.publicKey)])
      assert.equal(h.service.status().accounts[0].contacts, 1)
    })

    it('answers NOT_PAIRED to an unpaired account and INVALID to a certificate of another peer', async () => {
      const h = await startMailbox()
      const bob = await newDevice()
      const stranger = await newDevice()
      assert.equal(await h.client(stranger.peerId).setContacts(h.mailboxPeer, stranger, []), MailboxStatus.NOT_PAIRED)
      await pair(h, bob)
      const other = await newPeerId()
      assert.equal(await h.client(other).setContacts(h.mailboxPeer, bob, []), MailboxStatus.INVALID, 'Bob\'s certificate presented by another peer')
      assert.equal(h.store.contactsOf(bob.accountId), undefined)
    })

    it('refuses more than MAILBOX_MAX_CONTACTS keys and a key that is not an account key (INVALID), keeping the list', async () => {
      const h = await startMailbox()
      const bob = await newDevice()
      await pair(h, bob)
      const client = h.client(bob.peerId)
      const alice = generateAccountKeys()
      assert.equal(await client.setContacts(h.mailboxPeer, bob, [alice.publicKey]), MailboxStatus.OK)
      const many = Array.from({ length: MAILBOX_MAX_CONTACTS + 1 }, () => crypto.getRandomValues(new Uint8Array(32)))
      assert.equal(await client.setContacts(h.mailboxPeer, bob, many), MailboxStatus.INVALID, 'one too many still fits a frame and is answered')
      assert.equal(await client.setContacts(h.mailboxPeer, bob, many.slice(0, MAILBOX_MAX_CONTACTS)), MailboxStatus.OK, 'the maximum fits a request frame')
      assert.equal(h.store.contactsOf(bob.accountId)?.length, MAILBOX_MAX_CONTACTS)
      assert.equal(await client.setContacts(h.mailboxPeer, bob, [alice.publicKey, new Uint8Array(31)]), MailboxStatus.INVALID)
      assert.equal(await client.setContacts(h.mailboxPeer, bob, [new Uint8Array(0)]), MailboxStatus.INVALID)
      assert.equal(h.store.contactsOf(bob.accountId)?.length, MAILBOX_MAX_CONTACTS, 'a refused request changes nothing')
    })

    it('answers a request that sets contacts and another field INVALID', async () => {
      const h = await startMailbox()
      const bob = await newDevice()
      await pair(h, bob)
      const { lp } = await h.raw(bob.peerId)
      const deviceCertificate = encodeDeviceCertificate(bob.certificate) as Uint8Array<ArrayBuffer>
      await lp.write(Request.encode({ contacts: { deviceCertificate, contacts: [] }, status: { deviceCertificate } }))
      assert.equal(Response.decode(await lp.read()).status, MailboxStatus.INVALID)
      assert.equal(h.store.contactsOf(bob.accountId), undefined)
    })
  })

  describe('the strangers\' pool', () => {
    it('refuses strangers QUOTA_EXCEEDED once the pool is full while a contact still deposits; without a list nothing changes', async () => {
      const h = await startMailbox({ store: { accountItems: 16, senderItems: 16 } })
      const bob = await newDevice()
      const alice = await newDevice()
      const mallory = await newDevice()
      await pair(h, bob)
      assert.equal(h.store.limits.strangerItems, 2, '1/8 of the share by default')
      // no list: strangers are not pooled
      for (let i = 0; i < 3; i++) {
        assert.equal(await depositAs(h, bob, mallory), MailboxStatus.OK)
      }
      assert.deepEqual(h.store.account(bob.accountId)?.strangers, { items: 0, bytes: 0 })
      assert.equal(await h.client(bob.peerId).setContacts(h.mailboxPeer, bob, [alice.keys.publicKey]), MailboxStatus.OK)
      assert.equal(await depositAs(h, bob, mallory), MailboxStatus.OK)
      assert.equal(await depositAs(h, bob, mallory, await newPeerId()), MailboxStatus.OK)
      assert.equal(await depositAs(h, bob, mallory), MailboxStatus.QUOTA_EXCEEDED)
      assert.equal(await depositAs(h, bob, await newDevice()), MailboxStatus.QUOTA_EXCEEDED, 'a fresh account is a stranger too')
      assert.equal(await depositAs(h, bob, alice, await newPeerId()), MailboxStatus.QUOTA_EXCEEDED, 'Alice\'s envelope relayed by another peer speaks for that peer only')
      assert.equal(await depositAs(h, bob, alice), MailboxStatus.OK)
      assert.equal(await depositAs(h, bob, bob), MailboxStatus.OK, 'the account\'s own devices are no strangers')
      assert.equal(h.store.account(bob.accountId)?.strangers.items, 2)
      assert.equal(h.service.status().stats.refusedDeposits[MailboxStatus.QUOTA_EXCEEDED], 3)
    })

    it('keeps the pool\'s usage exact across acks, expiry, reopening and unpairing', async () => {
      const db = memoryDb()
      let t = 1_700_000_000_000
      const now = (): number => t
      let store = await MailboxStore.open(db, { accountItems: 16, senderItems: 16, now })
      const bob = generateAccountKeys()
      const bobId = accountIdFromPublicKey(bob.publicKey)
      const alice = generateAccountKeys()
      const aliceId = accountIdFromPublicKey(alice.publicKey)
      await store.pairAccount(bob.publicKey)
      assert.equal(await store.setContacts(bobId, [aliceId]), true)
      const deposit = async (sender: string, size = 10): Promise<{ outcome: string, id: string }> => {
        const id = newMessageId()
        const receipt = await store.deposit({ recipientPublicKey: bob.publicKey, messageId: id, envelope: new Uint8Array(size).fill(1), sender })
        return { outcome: receipt.outcome, id }
      }
      const s1 = await deposit('peer:a', 10)
      t += 10 * DAY
      const s2 = await deposit('account:zzz', 20)
      const c1 = await deposit(`account:${aliceId}`, 30)
      assert.equal((await deposit('peer:b')).outcome, 'quota-exceeded')
      assert.deepEqual(store.account(bobId)?.strangers, { items: 2, bytes: 30 })

      // Mallory becomes a contact while her item is held: it stays counted as it was deposited
      assert.equal(await store.setContacts(bobId, [aliceId, 'zzz']), true)
      assert.deepEqual(store.account(bobId)?.strangers, { items: 2, bytes: 30 })

      assert.equal(await store.ack(bobId, 'device', [s2.id, c1.id]), 2)
      assert.deepEqual(store.account(bobId)?.strangers, { items: 1, bytes: 10 })

      await store.close()
      store = await MailboxStore.open(db, { accountItems: 16, senderItems: 16, now })
      assert.deepEqual(store.account(bobId)?.strangers, { items: 1, bytes: 10 }, 'the pool survives a reopen')
      assert.deepEqual(store.contactsOf(bobId)?.sort(), [aliceId, 'zzz'].sort(), 'so does the list')
      assert.equal(store.account(bobId)?.contacts, 2)

      t += 21 * DAY // s1 is 31 days old
      const expired = await store.expire()
      assert.equal(expired.expired, 1)
      assert.equal(s1.outcome, 'ok')
      assert.deepEqual(store.account(bobId)?.strangers, { items: 0, bytes: 0 })
      assert.equal((await deposit('peer:c')).outcome, 'ok')
      assert.equal((await deposit('peer:d')).outcome, 'ok')
      assert.equal((await deposit('peer:e')).outcome, 'quota-exceeded', 'the pool freed by ack and expiry is 2 again, not more')

      assert.deepEqual(await store.unpair(bobId), { items: 2, bytes: 20 })
      await store.pairAccount(bob.publicKey)
      assert.equal(store.contactsOf(bobId), undefined, 'unpairing forgets the list')
      assert.deepEqual(store.account(bobId)?.strangers, { items: 0, bytes: 0 })
      await store.close()
      store = await MailboxStore.open(db, { accountItems: 16, senderItems: 16, now })
      assert.equal(store.contactsOf(bobId), undefined)
      assert.deepEqual(store.usage(), { accounts: 1, items: 0, bytes: 0, senders: 0 })
      await store.close()
    })

    it('frees the pool when a device drains what strangers deposited', async () => {
      const h = await startMailbox({ store: { accountItems: 8, senderItems: 8 } })
      const bob = await newDevice()
      await pair(h, bob)
      assert.equal(await h.client(bob.peerId).setContacts(h.mailboxPeer, bob, []), MailboxStatus.OK)
      const mallory = await newDevice()
      assert.equal(await depositAs(h, bob, mallory), MailboxStatus.OK)
      assert.equal(await depositAs(h, bob, mallory), MailboxStatus.QUOTA_EXCEEDED)
      await drainAll(h, bob)
      assert.deepEqual(h.store.account(bob.accountId)?.strangers, { items: 0, bytes: 0 })
      assert.equal(await depositAs(h, bob, mallory), MailboxStatus.OK)
    })
  })
})
