/**
 * MailboxStore on memory-level: pairing codes, idempotent deposits, quotas
 * with their outcomes, pages in deposit order, acks (and only acks) deleting,
 * tombstones, oldest-first expiry, unpairing, and state surviving a reopen.
 */

import assert from 'node:assert/strict'
import { MemoryLevel } from 'memory-level'
import { accountIdFromPublicKey, generateAccountKeys } from '#shared/identity/index.ts'
import { MailboxStore } from '#shared/mailbox/index.ts'
import { HeldId } from '#shared/mailbox/pb/mailbox-store.ts'
import { newPairingSecret } from '#shared/protocol/mailbox/index.ts'
import { newMessageId } from '#shared/store/index.ts'
import type { MailboxStoreInit } from '#shared/mailbox/index.ts'

const DAY = 24 * 60 * 60 * 1000

function memoryDb (): MemoryLevel<string, Uint8Array> {
  return new MemoryLevel<string, Uint8Array>({ keyEncoding: 'utf8', valueEncoding: 'view' })
}

/** A clock the test moves. */
function clock (start = 1_700_000_000_000): { now: () => number, advance: (ms: number) => void } {
  let t = start
  return { now: () => t, advance: (ms) => { t += ms } }
}

function bytes (size: number, fill = 1): Uint8Array {
  return new Uint8Array(size).fill(fill)
}

async function openStore (init: MailboxStoreInit = {}, db = memoryDb()): Promise<{ store: MailboxStore, db: MemoryLevel<string, Uint8Array> }> {
  return { store: await MailboxStore.open(db, init), db }
}

describe('mailbox store', () => {
  const bob = generateAccountKeys()
  const bobId = accountIdFromPublicKey(bob.publicKey)
  const carol = generateAccountKeys()
  const carolId = accountIdFromPublicKey(carol.publicKey)

  describe('pairing codes', () => {
    it('pairs once with a fresh code, then answers "used"; never stores the secret', async () => {
      const t = clock()
      const { store, db } = await openStore({ now: t.now })
      const secret = newPairingSecret()
      await store.addCode(secret, t.now() + 60_000)

      assert.equal(store.isPaired(bobId), false)
      assert.equal(await store.pairWithCode(secret, bob.publicKey), 'paired')
      assert.equal(store.isPaired(bobId), true)
      assert.equal(await store.pairWithCode(secret, carol.publicKey), 'used')
      assert.equal(store.isPaired(carolId), false)

      const hex = Buffer.from(secret).toString('hex')
      for await (const [key, value] of db.iterator()) {
        assert.ok(!key.includes(hex), 'no key holds the secret')
        assert.ok(!Buffer.from(value).includes(Buffer.from(secret)), 'no value holds the secret')
      }
    })

    it('answers "expired" after the code\'s time and "unknown" for a guess', async () => {
      const t = clock()
      const { store } = await openStore({ now: t.now })
      const secret = newPairingSecret()
      await store.addCode(secret, t.now() + 1000)
      assert.equal(await store.pairWithCode(newPairingSecret(), bob.publicKey), 'unknown')
      t.advance(1000)
      assert.equal(await store.pairWithCode(secret, bob.publicKey), 'expired')
      assert.equal(store.isPaired(bobId), false)
    })
  })

  describe('deposits', () => {
    it('refuses an unpaired recipient and stores nothing', async () => {
      const { store } = await openStore()
      const receipt = await store.deposit({ recipientPublicKey: bob.publicKey, messageId: newMessageId(), envelope: bytes(10), sender: 'peer:x' })
      assert.equal(receipt.outcome, 'not-paired')
      assert.deepEqual(store.usage(), { accounts: 0, items: 0, bytes: 0, senders: 0 })
    })

    it('is idempotent on (recipient, message id): a re-deposit stores nothing new', async () => {
      const { store } = await openStore()
      await store.pairAccount(bob.publicKey)
      const id = newMessageId()
      const first = await store.deposit({ recipientPublicKey: bob.publicKey, messageId: id, envelope: bytes(100), sender: 'account:alice' })
      const again = await store.deposit({ recipientPublicKey: bob.publicKey, messageId: id, envelope: bytes(200, 2), sender: 'account:alice' })
      assert.equal(first.outcome, 'ok')
      assert.equal(again.outcome, 'duplicate')
      assert.deepEqual(store.usage(), { accounts: 1, items: 1, bytes: 100, senders: 1 })
      const page = await store.page(bobId)
      assert.equal(page.items.length, 1)
      assert.deepEqual(page.items[0].envelope, bytes(100), 'the first copy is the one kept')
    })

    it('enforces the account, sender, total and size limits with their outcomes', async () => {
      const { store } = await openStore({ accountItems: 3, accountBytes: 1000, senderItems: 2, senderBytes: 500, totalBytes: 1500, envelopeBytes: 400 })
      await store.pairAccount(bob.publicKey)
      await store.pairAccount(carol.publicKey)
      const put = async (to: Uint8Array, size: number, sender: string): Promise<string> =>
        (await store.deposit({ recipientPublicKey: to, messageId: newMessageId(), envelope: bytes(size), sender })).outcome

      assert.equal(await put(bob.publicKey, 401, 'account:a'), 'too-large')
      assert.equal(await put(bob.publicKey, 300, 'account:a'), 'ok')
      assert.equal(await put(bob.publicKey, 300, 'account:a'), 'quota-exceeded', 'sender bytes')
      assert.equal(await put(bob.publicKey, 100, 'account:a'), 'ok')
      assert.equal(await put(bob.publicKey, 10, 'account:a'), 'quota-exceeded', 'sender items')
      assert.equal(await put(bob.publicKey, 10, 'account:b'), 'ok')
      assert.equal(await put(bob.publicKey, 10, 'account:c'), 'mailbox-full', 'account items')
      assert.equal(await put(carol.publicKey, 400, 'account:c'), 'ok')
      assert.equal(await put(carol.publicKey, 400, 'account:d'), 'ok')
      assert.equal(await put(carol.publicKey, 400, 'account:e'), 'mailbox-full', 'total bytes (1,510 held)')
      assert.deepEqual(store.usage(), { accounts: 2, items: 5, bytes: 1210, senders: 4 })
      assert.deepEqual(store.senderUsage('account:a'), { items: 2, bytes: 400 })
    })

    it('answers a retry of a stored deposit "duplicate" even when full', async () => {
      const { store } = await openStore({ accountItems: 1 })
      await store.pairAccount(bob.publicKey)
      const id = newMessageId()
      assert.equal((await store.deposit({ recipientPublicKey: bob.publicKey, messageId: id, envelope: bytes(5), sender: 'peer:a' })).outcome, 'ok')
      assert.equal((await store.deposit({ recipientPublicKey: bob.publicKey, messageId: newMessageId(), envelope: bytes(5), sender: 'peer:a' })).outcome, 'mailbox-full')
      assert.equal((await store.deposit({ recipientPublicKey: bob.publicKey, messageId: id, envelope: bytes(5), sender: 'peer:a' })).outcome, 'duplicate')
    })
  })

  describe('drains and acks', () => {
    it('pages in deposit order by items, bytes and cursor, with `more`', async () => {
      const { store } = await openStore()
      await store.pairAccount(bob.publicKey)
      await store.pairAccount(carol.publicKey)
      const ids: string[] = []
      for (let i = 0; i < 5; i++) {
        ids.push(newMessageId())
        await store.deposit({ recipientPublicKey: bob.publicKey, messageId: ids[i], envelope: bytes(100, i + 1), sender: 'peer:a' })
        await store.deposit({ recipientPublicKey: carol.publicKey, messageId: newMessageId(), envelope: bytes(10), sender: 'peer:a' })
      }

      const first = await store.page(bobId, { limit: 2 })
      assert.deepEqual(first.items.map(i => i.messageId), ids.slice(0, 2))
      assert.equal(first.more, true)
      const second = await store.page(bobId, { after: first.items[1].seq, maxBytes: 250 })
      assert.deepEqual(second.items.map(i => i.messageId), ids.slice(2, 4))
      assert.equal(second.more, true)
      const last = await store.page(bobId, { after: second.items[1].seq })
      assert.deepEqual(last.items.map(i => i.messageId), ids.slice(4))
      assert.equal(last.more, false)
      assert.deepEqual(last.items[0].envelope, bytes(100, 5))

      const tiny = await store.page(bobId, { maxBytes: 1 })
      assert.equal(tiny.items.length, 1, 'a page holds at least one item whatever its size')
      assert.equal((await store.page(bobId, { after: last.items[0].seq })).items.length, 0)
    })

    it('deletes only what was acked; a re-deposit of an acked id is a duplicate and never drained again', async () => {
      const t = clock()
      const { store } = await openStore({ now: t.now })
      await store.pairAccount(bob.publicKey)
      const ids = [newMessageId(), newMessageId(), newMessageId()]
      for (const id of ids) {
        await store.deposit({ recipientPublicKey: bob.publicKey, messageId: id, envelope: bytes(50), sender: 'account:alice' })
      }
      assert.equal((await store.page(bobId)).items.length, 3, 'paging deletes nothing')
      assert.equal((await store.page(bobId)).items.length, 3)

      t.advance(5)
      assert.equal(await store.ack(bobId, 'device-1', [ids[0], ids[2], ids[2], newMessageId()]), 2)
      assert.deepEqual((await store.page(bobId)).items.map(i => i.messageId), [ids[1]])
      assert.deepEqual(store.senderUsage('account:alice'), { items: 1, bytes: 50 })
      assert.equal(await store.ack(bobId, 'device-1', [ids[0]]), 0, 'an ack repeated deletes nothing more')

      const redeposit = await store.deposit({ recipientPublicKey: bob.publicKey, messageId: ids[0], envelope: bytes(50), sender: 'account:alice' })
      assert.equal(redeposit.outcome, 'duplicate')
      assert.deepEqual((await store.page(bobId)).items.map(i => i.messageId), [ids[1]])

      const device = store.account(bobId)?.devices.find(d => d.peerId === 'device-1')
      assert.deepEqual(device, { peerId: 'device-1', lastDrainAt: t.now(), lastAckAt: t.now(), acked: 2 })
      assert.equal(store.account(bobId)?.items, 1)
    })

    it('pages of many rows stop at the item and byte limits, sized envelopes read in chunks', async () => {
      const { store } = await openStore()
      await store.pairAccount(bob.publicKey)
      const ids: string[] = []
      for (let i = 0; i < 300; i++) {
        ids.push(newMessageId())
        await store.deposit({ recipientPublicKey: bob.publicKey, messageId: ids[i], envelope: bytes(i < 100 ? 10 : 1000, i % 250 + 1), sender: 'peer:a' })
      }

      const byItems = await store.page(bobId, { limit: 130 })
      assert.deepEqual(byItems.items.map(i => i.messageId), ids.slice(0, 130))
      assert.equal(byItems.more, true)
      // 100 × 10 bytes, then 1000-byte envelopes: 20,000 bytes hold 100 + 19 of them
      const byBytes = await store.page(bobId, { maxBytes: 20_000 })
      assert.deepEqual(byBytes.items.map(i => i.messageId), ids.slice(0, 119))
      assert.equal(byBytes.more, true)
      const rest = await store.page(bobId, { after: byBytes.items.at(-1)?.seq })
      assert.deepEqual(rest.items.map(i => i.messageId), ids.slice(119))
      assert.equal(rest.more, false)
      assert.deepEqual(rest.items.at(-1)?.envelope, bytes(1000, 299 % 250 + 1))
    })

    it('acks items deposited before the per-id record carried sender and size, with exact usage', async () => {
      const db = memoryDb()
      const { store } = await openStore({}, db)
      await store.pairAccount(bob.publicKey)
      const ids = [newMessageId(), newMessageId(), newMessageId(), newMessageId()]
      await store.deposit({ recipientPublicKey: bob.publicKey, messageId: ids[0], envelope: bytes(30), sender: 'peer:a' })
      await store.deposit({ recipientPublicKey: bob.publicKey, messageId: ids[1], envelope: bytes(70), sender: 'peer:b' })
      await store.deposit({ recipientPublicKey: bob.publicKey, messageId: ids[2], envelope: bytes(50), sender: 'peer:a' })
      await store.deposit({ recipientPublicKey: bob.publicKey, messageId: ids[3], envelope: bytes(20), sender: 'peer:b' })
      await store.close()

      // rewrite the first three per-id records as the earlier layout wrote them: seq only
      const idsDb = db.sublevel<string, Uint8Array>('mailbox', { keyEncoding: 'utf8', valueEncoding: 'view' })
        .sublevel<string, Uint8Array>('ids', { keyEncoding: 'utf8', valueEncoding: 'view' })
      for (const id of ids.slice(0, 3)) {
        const current = HeldId.decode(await idsDb.get(`${bobId}!${id}`) ?? new Uint8Array(0))
        assert.equal(current.sender != null && current.size != null, true, 'the current layout stores sender and size')
        await idsDb.put(`${bobId}!${id}`, HeldId.encode({ seq: current.seq, ackedAt: 0 }))
      }

      const reopened = await MailboxStore.open(db)
      assert.equal(await reopened.ack(bobId, 'device-1', [ids[0], ids[1], ids[3]]), 3, 'old and new records are acked alike')
      assert.deepEqual(reopened.senderUsage('peer:a'), { items: 1, bytes: 50 })
      assert.deepEqual(reopened.senderUsage('peer:b'), { items: 0, bytes: 0 })
      assert.deepEqual(reopened.usage(), { accounts: 1, items: 1, bytes: 50, senders: 1 })
      assert.equal(reopened.account(bobId)?.devices[0].acked, 3)
      assert.deepEqual((await reopened.page(bobId)).items.map(i => i.messageId), [ids[2]])
      assert.equal((await reopened.deposit({ recipientPublicKey: bob.publicKey, messageId: ids[0], envelope: bytes(30), sender: 'peer:a' })).outcome, 'duplicate')
      await reopened.close()

      const again = await MailboxStore.open(db)
      assert.deepEqual(again.usage(), { accounts: 1, items: 1, bytes: 50, senders: 1 }, 'the counters written by the ack agree after a reopen')
      assert.equal(await again.ack(bobId, 'device-1', [ids[2]]), 1)
      assert.deepEqual(again.usage(), { accounts: 1, items: 0, bytes: 0, senders: 0 })
    })
  })

  it('expires oldest first after the retention, then forgets tombstones', async () => {
    const t = clock()
    const { store } = await openStore({ now: t.now, retentionMs: 10 * DAY })
    await store.pairAccount(bob.publicKey)
    const old = [newMessageId(), newMessageId()]
    for (const id of old) {
      await store.deposit({ recipientPublicKey: bob.publicKey, messageId: id, envelope: bytes(40), sender: 'peer:a' })
    }
    await store.ack(bobId, 'device-1', [old[1]])
    t.advance(3 * DAY)
    const fresh = newMessageId()
    await store.deposit({ recipientPublicKey: bob.publicKey, messageId: fresh, envelope: bytes(60), sender: 'peer:b' })

    t.advance(7 * DAY - 1)
    assert.deepEqual(await store.expire(), { expired: 0, forgotten: 0, codes: 0 }, 'nothing is older than the retention yet')
    t.advance(1)
    assert.deepEqual(await store.expire(), { expired: 1, forgotten: 1, codes: 0 })
    assert.deepEqual((await store.page(bobId)).items.map(i => i.messageId), [fresh])
    assert.deepEqual(store.usage(), { accounts: 1, items: 1, bytes: 60, senders: 1 })
    assert.deepEqual(store.senderUsage('peer:a'), { items: 0, bytes: 0 })
    // the forgotten tombstone no longer dedupes: past the retention, the id may be held again
    assert.equal((await store.deposit({ recipientPublicKey: bob.publicKey, messageId: old[1], envelope: bytes(40), sender: 'peer:a' })).outcome, 'ok')

    t.advance(3 * DAY)
    assert.deepEqual(await store.expire(), { expired: 1, forgotten: 0, codes: 0 })
    assert.deepEqual((await store.page(bobId)).items.map(i => i.messageId), [old[1]])
  })

  it('expires many items in steps', async () => {
    const t = clock()
    const { store } = await openStore({ now: t.now, retentionMs: DAY })
    await store.pairAccount(bob.publicKey)
    for (let i = 0; i < 1203; i++) {
      await store.deposit({ recipientPublicKey: bob.publicKey, messageId: newMessageId(), envelope: bytes(3), sender: 'peer:a' })
    }
    t.advance(DAY)
    assert.deepEqual(await store.expire(), { expired: 1203, forgotten: 0, codes: 0 })
    assert.deepEqual(store.usage(), { accounts: 1, items: 0, bytes: 0, senders: 0 })
  })

  it('unpairs an account and deletes everything held for it', async () => {
    const { store, db } = await openStore()
    await store.pairAccount(bob.publicKey)
    await store.pairAccount(carol.publicKey)
    const kept = newMessageId()
    await store.deposit({ recipientPublicKey: carol.publicKey, messageId: kept, envelope: bytes(7), sender: 'peer:a' })
    const bobIds = [newMessageId(), newMessageId(), newMessageId(), newMessageId()]
    for (const id of bobIds) {
      await store.deposit({ recipientPublicKey: bob.publicKey, messageId: id, envelope: bytes(9), sender: 'peer:a' })
    }
    assert.equal(await store.ack(bobId, 'device-1', [bobIds[0]]), 1)
    assert.deepEqual(await store.unpair(bobId), { items: 3, bytes: 27 })
    assert.equal(await store.unpair(bobId), false)
    assert.equal(store.isPaired(bobId), false)
    assert.deepEqual(store.usage(), { accounts: 1, items: 1, bytes: 7, senders: 1 })
    for await (const key of db.keys()) {
      assert.ok(!key.includes(bobId), `nothing of the unpaired account is left (${key})`)
    }
    assert.deepEqual((await store.page(carolId)).items.map(i => i.messageId), [kept])
  })

  it('reloads accounts, usage, devices and the sequence after a reopen', async () => {
    const db = memoryDb()
    const { store } = await openStore({}, db)
    await store.pairAccount(bob.publicKey)
    const ids = [newMessageId(), newMessageId()]
    for (const id of ids) {
      await store.deposit({ recipientPublicKey: bob.publicKey, messageId: id, envelope: bytes(11), sender: 'peer:a' })
    }
    await store.ack(bobId, 'device-1', [ids[0]])
    await store.close()

    const reopened = await MailboxStore.open(db)
    assert.deepEqual(reopened.usage(), { accounts: 1, items: 1, bytes: 11, senders: 1 })
    assert.equal(reopened.account(bobId)?.devices[0].acked, 1)
    const next = newMessageId()
    await reopened.deposit({ recipientPublicKey: bob.publicKey, messageId: next, envelope: bytes(11), sender: 'peer:a' })
    assert.deepEqual((await reopened.page(bobId)).items.map(i => i.messageId), [ids[1], next], 'new seqs continue after the old ones')
    assert.equal((await reopened.deposit({ recipientPublicKey: bob.publicKey, messageId: ids[0], envelope: bytes(11), sender: 'peer:a' })).outcome, 'duplicate')
  })
})
