import assert from 'node:assert/strict'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import { MemoryLevel } from 'memory-level'
import { MAX_RATCHET_STATE_BYTES, MAX_SIGNED_PREKEY_BYTES, MAX_STORED_SECRET_BYTES, MAX_TEXT_BYTES } from '#shared/protocol/constants.ts'
import { ParleyStore, SCHEMA_VERSION, newMessageId } from '#shared/store/index.ts'
import * as pb from '#shared/store/pb/store.ts'
import type { Contact, Profile, StoredMessage } from '#shared/store/index.ts'

const ALICE = 'alice-account'
const BOB = 'bob-account'
const CAROL = 'carol-account'
const DAY = 24 * 60 * 60 * 1000
const STORAGE_KEY = new Uint8Array(32).fill(7)

function memoryDb (): MemoryLevel<string, Uint8Array> {
  return new MemoryLevel<string, Uint8Array>({ keyEncoding: 'utf8', valueEncoding: 'view' })
}

function profile (overrides: Partial<Profile> = {}): Profile {
  return { accountId: ALICE, name: 'Alice', peerId: '12D3KooWAlice', createdAt: 1_700_000_000_000, recordSeq: 0, ...overrides }
}

function contact (accountId: string, name: string, state: Contact['state']): Contact {
  return {
    accountId,
    publicKey: new Uint8Array(32).fill(accountId.length),
    name,
    state,
    devices: [new Uint8Array([1, 2, 3])],
    addrs: ['/ip4/127.0.0.1/tcp/4001'],
    addedAt: 1000,
    updatedAt: 2000
  }
}

function incoming (clock: number, overrides: Partial<{ id: string, conversation: string, sender: string, text: string, sentAt: number }> = {}): { id: string, conversation: string, sender: string, text: string, clock: number, sentAt: number } {
  return { id: newMessageId(), conversation: BOB, sender: BOB, text: `from bob at ${clock}`, clock, sentAt: Date.now(), ...overrides }
}

/** Every pending message of ours has its outbox entry, and every entry its pending message. */
async function assertOutboxMatchesHistory (store: ParleyStore, conversation: string): Promise<void> {
  const history = await store.history(conversation, { limit: 500 })
  const pending = history.filter(m => m.state === 'pending').map(m => m.id).sort()
  const queued = (await store.outbox(conversation)).map(e => e.messageId).sort()
  assert.deepEqual(queued, pending)
}

describe('ParleyStore', () => {
  let db: MemoryLevel<string, Uint8Array>
  let store: ParleyStore

  beforeEach(async () => {
    db = memoryDb()
    store = await ParleyStore.open(db)
    store.unlock(STORAGE_KEY)
  })

  afterEach(async () => {
    await store.close()
  })

  describe('identity', () => {
    it('starts without an identity, then stores profile and vault together', async () => {
      assert.equal(await store.getProfile(), undefined)
      assert.equal(await store.getVault(), undefined)

      const vault = new Uint8Array([9, 8, 7, 6])
      await store.createIdentity(profile({ invite: 'parley:invite' }), vault)

      assert.deepEqual(await store.getProfile(), profile({ invite: 'parley:invite' }))
      assert.deepEqual(await store.getVault(), vault)
    })

    it('refuses a second identity and keeps the first', async () => {
      await store.createIdentity(profile(), new Uint8Array([1]))

      await assert.rejects(store.createIdentity(profile({ accountId: BOB, name: 'Bob' }), new Uint8Array([2])), { name: 'AccountExistsError' })

      assert.equal((await store.getProfile())?.accountId, ALICE)
      assert.deepEqual(await store.getVault(), new Uint8Array([1]))
    })

    it('updates the profile of the existing identity only', async () => {
      await assert.rejects(store.putProfile(profile()), { name: 'NoAccountError' })
      await store.createIdentity(profile(), new Uint8Array([1]))

      await store.putProfile(profile({ name: 'Alice B.', recordSeq: 3 }))
      assert.deepEqual(await store.getProfile(), profile({ name: 'Alice B.', recordSeq: 3 }))

      await assert.rejects(store.putProfile(profile({ accountId: BOB })), { name: 'InvalidParametersError' })
    })
  })

  describe('contacts', () => {
    it('round-trips a contact with its keys and device certificates', async () => {
      const bob = contact(BOB, 'Bob', 'contact')
      await store.putContact(bob)
      // A contact written without the e2e fields reads back unverified, without a key change.
      assert.deepEqual(await store.getContact(BOB), { ...bob, verified: false, keyChange: false })
      assert.equal(await store.getContact(CAROL), undefined)
    })

    it('lists contacts by state, sorted by name then account id', async () => {
      await store.putContact(contact('id-3', 'carol', 'contact'))
      await store.putContact(contact('id-2', 'Bob', 'contact'))
      await store.putContact(contact('id-1', 'bob', 'contact'))
      await store.putContact(contact('id-4', 'Dave', 'request'))
      await store.putContact(contact('id-5', 'Eve', 'blocked'))

      assert.deepEqual((await store.listContacts()).map(c => c.accountId), ['id-1', 'id-2', 'id-3', 'id-4', 'id-5'])
      assert.deepEqual((await store.listContacts('contact')).map(c => c.accountId), ['id-1', 'id-2', 'id-3'])
      assert.deepEqual((await store.listContacts('request')).map(c => c.name), ['Dave'])
      assert.deepEqual((await store.listContacts('blocked')).map(c => c.name), ['Eve'])

      await store.putContact({ ...contact('id-4', 'Dave', 'contact'), updatedAt: 3000 })
      assert.deepEqual((await store.listContacts('request')), [])
      assert.equal((await store.getContact('id-4'))?.state, 'contact')
    })

    it('refuses a contact name over the limit', async () => {
      await assert.rejects(store.putContact(contact(BOB, 'x'.repeat(200), 'request')), { name: 'InvalidParametersError' })
      assert.equal(await store.getContact(BOB), undefined)
    })
  })

  describe('outgoing messages', () => {
    it('assigns consecutive clocks and queues each message in the outbox', async () => {
      const sent: StoredMessage[] = []

      for (const text of ['one', 'two', 'three']) {
        sent.push(await store.addOutgoing({ conversation: BOB, sender: ALICE, text }))
      }

      assert.deepEqual(sent.map(m => m.clock), [1, 2, 3])
      assert.ok(sent.every(m => m.state === 'pending' && m.direction === 'out' && m.sender === ALICE))

      const outbox = await store.outbox(BOB)
      assert.deepEqual(outbox.map(e => e.messageId), sent.map(m => m.id))
      assert.ok(outbox[0].seq < outbox[1].seq && outbox[1].seq < outbox[2].seq)

      const conversation = await store.getConversation(BOB)
      assert.equal(conversation?.clock, 3)
      assert.equal(conversation?.lastMessageId, sent[2].id)
      assert.equal(conversation?.lastText, 'three')
      assert.equal(conversation?.unread, 0)

      assert.deepEqual(await store.getMessage(BOB, sent[1].id), sent[1])
      assert.deepEqual(await store.outboxConversations(), [BOB])
    })

    it('writes nothing when the batch fails: never a message without its outbox entry', async () => {
      const failing = (op: { sublevel?: { prefix: string } }): void => {
        if (op.sublevel?.prefix === '!outbox!') {
          throw new Error('disk full')
        }
      }
      db.hooks.prewrite.add(failing)

      await assert.rejects(store.addOutgoing({ conversation: BOB, sender: ALICE, text: 'lost?' }))

      db.hooks.prewrite.delete(failing)
      assert.deepEqual(await store.history(BOB), [])
      assert.deepEqual(await store.outbox(), [])
      assert.equal(await store.getConversation(BOB), undefined)

      // The failed attempt consumed neither a clock nor the message.
      const message = await store.addOutgoing({ conversation: BOB, sender: ALICE, text: 'again' })
      assert.equal(message.clock, 1)
      await assertOutboxMatchesHistory(store, BOB)
      assert.equal((await store.outbox()).length, 1)
    })

    it('gives 100 concurrent sends 100 distinct consecutive clocks and outbox entries in order', async () => {
      const sent = await Promise.all(Array.from({ length: 100 }, async (_, i) =>
        store.addOutgoing({ conversation: BOB, sender: ALICE, text: `message ${i}` })
      ))

      assert.deepEqual(sent.map(m => m.clock).sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i + 1))

      const byClock = [...sent].sort((a, b) => a.clock - b.clock).map(m => m.id)
      const outbox = await store.outbox(BOB)
      assert.equal(outbox.length, 100)
      assert.deepEqual(outbox.map(e => e.messageId), byClock)
      assert.equal(new Set(outbox.map(e => e.seq)).size, 100)

      const history = await store.history(BOB, { limit: 100 })
      assert.deepEqual(history.map(m => m.id), byClock)
      assert.equal((await store.getConversation(BOB))?.clock, 100)
      await assertOutboxMatchesHistory(store, BOB)
    })

    it('refuses oversized text, malformed ids and a reused id', async () => {
      await assert.rejects(store.addOutgoing({ conversation: BOB, sender: ALICE, text: 'x'.repeat(MAX_TEXT_BYTES + 1) }), { name: 'InvalidParametersError' })
      // Multi-byte characters count in bytes, not characters.
      await assert.rejects(store.addOutgoing({ conversation: BOB, sender: ALICE, text: 'é'.repeat(MAX_TEXT_BYTES / 2 + 1) }), { name: 'InvalidParametersError' })
      await assert.rejects(store.addOutgoing({ conversation: BOB, sender: ALICE, text: 'hi', id: 'NOT-AN-ID' }), { name: 'InvalidParametersError' })
      await assert.rejects(store.addOutgoing({ conversation: 'has!bang', sender: ALICE, text: 'hi' }), { name: 'InvalidParametersError' })

      const exact = await store.addOutgoing({ conversation: BOB, sender: ALICE, text: 'x'.repeat(MAX_TEXT_BYTES) })
      await assert.rejects(store.addOutgoing({ conversation: BOB, sender: ALICE, text: 'again', id: exact.id }), { name: 'InvalidParametersError' })

      assert.deepEqual((await store.history(BOB)).map(m => m.id), [exact.id])
      assert.equal((await store.getConversation(BOB))?.lastText?.length, 256)
    })
  })

  describe('incoming messages', () => {
    it('stores new messages as received and counts them unread', async () => {
      const results = await store.addIncoming([incoming(1), incoming(2)])

      assert.deepEqual(results.map(r => r.duplicate), [false, false])
      assert.ok(results.every(r => r.message.state === 'received' && r.message.direction === 'in'))
      assert.equal((await store.getConversation(BOB))?.unread, 2)
      assert.equal((await store.getConversation(BOB))?.lastMessageId, results[1].message.id)

      await store.markRead(BOB)
      assert.equal((await store.getConversation(BOB))?.unread, 0)
    })

    it('dedupes the same id within one call', async () => {
      const message = incoming(5)
      const results = await store.addIncoming([message, { ...message, text: 'a replay with other text' }])

      assert.deepEqual(results.map(r => r.duplicate), [false, true])
      assert.deepEqual(results[1].message, results[0].message)
      assert.equal(results[1].message.text, message.text)
      assert.equal((await store.history(BOB)).length, 1)
      assert.equal((await store.getConversation(BOB))?.unread, 1)
    })

    it('dedupes the same id across calls and rewrites nothing', async () => {
      const message = incoming(5)
      const [first] = await store.addIncoming([message])
      const [again] = await store.addIncoming([{ ...message, text: 'changed', clock: 99 }])

      assert.equal(again.duplicate, true)
      assert.deepEqual(again.message, first.message)
      assert.deepEqual(await store.getMessage(BOB, message.id), first.message)
      assert.equal((await store.getConversation(BOB))?.clock, 5)
      assert.equal((await store.getConversation(BOB))?.unread, 1)
    })

    it('merges clocks: after incoming 1000 the next outgoing is 1001, whatever the wall clocks say', async () => {
      await store.addIncoming([incoming(1000, { sentAt: Date.now() + DAY })])
      const reply = await store.addOutgoing({ conversation: BOB, sender: ALICE, text: 'reply', sentAt: Date.now() - DAY })

      assert.equal(reply.clock, 1001)
      assert.deepEqual((await store.history(BOB)).map(m => m.clock), [1000, 1001])
      assert.equal((await store.getConversation(BOB))?.lastMessageId, reply.id)
    })

    it('orders messages with the same clock by id, whatever the arrival order', async () => {
      const ids = [newMessageId(), newMessageId(), newMessageId()]
      await store.addIncoming([incoming(7, { id: ids[2] }), incoming(7, { id: ids[0] })])
      await store.addIncoming([incoming(7, { id: ids[1] })])

      assert.deepEqual((await store.history(BOB)).map(m => m.id), [...ids].sort())
      assert.equal((await store.getConversation(BOB))?.lastMessageId, [...ids].sort()[2])
    })

    it('keeps the last message in history order when an older one arrives late', async () => {
      const [newer] = await store.addIncoming([incoming(10)])
      await store.addIncoming([incoming(3)])

      const conversation = await store.getConversation(BOB)
      assert.equal(conversation?.lastMessageId, newer.message.id)
      assert.equal(conversation?.clock, 10)
      assert.equal(conversation?.unread, 2)
      assert.deepEqual((await store.history(BOB)).map(m => m.clock), [3, 10])
    })

    it('refuses malformed input from the network and stores none of the call', async () => {
      const good = incoming(1)
      const bad = [
        { ...incoming(2), id: 'short' },
        { ...incoming(2), clock: -1 },
        { ...incoming(2), clock: 1.5 },
        { ...incoming(2), clock: Number.MAX_SAFE_INTEGER + 1 },
        { ...incoming(2), sentAt: -5 },
        { ...incoming(2), text: 'x'.repeat(MAX_TEXT_BYTES + 1) },
        { ...incoming(2), sender: '' }
      ]

      for (const message of bad) {
        await assert.rejects(store.addIncoming([good, message]), { name: 'InvalidParametersError' })
      }

      assert.deepEqual(await store.history(BOB), [])
      assert.equal(await store.getConversation(BOB), undefined)
    })
  })

  describe('durability and cancellation', () => {
    it('syncs the batches that store a message; a delivery mark is not synced (a lost one means a resend answered DUPLICATE)', async () => {
      const syncs: unknown[] = []
      const target = db as unknown as { _batch: (operations: unknown[], options: { sync?: boolean }) => Promise<void> }
      const original = target._batch.bind(db)
      target._batch = async (operations, options) => {
        syncs.push(options.sync)
        return original(operations, options)
      }

      const mine = await store.addOutgoing({ conversation: BOB, sender: ALICE, text: 'hi' })
      await store.addIncoming([incoming(5)])
      await store.markDelivered(BOB, [mine.id])

      assert.deepEqual(syncs, [true, true, undefined])
    })

    it('drops an aborted call without writing and without disturbing the queue behind it', async () => {
      const controller = new AbortController()
      const first = store.addOutgoing({ conversation: BOB, sender: ALICE, text: 'first' })
      const aborted = store.addOutgoing({ conversation: BOB, sender: ALICE, text: 'aborted' }, { signal: controller.signal })
      const third = store.addOutgoing({ conversation: BOB, sender: ALICE, text: 'third' })
      controller.abort()

      await assert.rejects(aborted, { name: 'AbortError' })
      assert.deepEqual([(await first).clock, (await third).clock], [1, 2])
      assert.deepEqual((await store.history(BOB)).map(m => m.text), ['first', 'third'])
      await assertOutboxMatchesHistory(store, BOB)
    })
  })

  describe('delivery', () => {
    it('marks pending messages delivered and removes them from the outbox; ignores the rest', async () => {
      const a = await store.addOutgoing({ conversation: BOB, sender: ALICE, text: 'a' })
      const b = await store.addOutgoing({ conversation: BOB, sender: ALICE, text: 'b' })
      const c = await store.addOutgoing({ conversation: BOB, sender: ALICE, text: 'c' })
      const [theirs] = await store.addIncoming([incoming(10)])

      const changed = await store.markDelivered(BOB, [a.id, c.id, newMessageId(), theirs.message.id, a.id])

      assert.deepEqual(changed.map(m => m.id).sort(), [a.id, c.id].sort())
      assert.ok(changed.every(m => m.state === 'delivered'))
      assert.deepEqual((await store.outbox(BOB)).map(e => e.messageId), [b.id])
      assert.equal((await store.getMessage(BOB, a.id))?.state, 'delivered')
      assert.equal((await store.getMessage(BOB, b.id))?.state, 'pending')
      assert.equal((await store.getMessage(BOB, theirs.message.id))?.state, 'received')

      assert.deepEqual(await store.markDelivered(BOB, [a.id, c.id]), [])
      await assertOutboxMatchesHistory(store, BOB)
    })

    it('lists queues per conversation and across them in enqueue order', async () => {
      const b1 = await store.addOutgoing({ conversation: BOB, sender: ALICE, text: 'b1' })
      const c1 = await store.addOutgoing({ conversation: CAROL, sender: ALICE, text: 'c1' })
      const b2 = await store.addOutgoing({ conversation: BOB, sender: ALICE, text: 'b2' })
      const c2 = await store.addOutgoing({ conversation: CAROL, sender: ALICE, text: 'c2' })

      assert.deepEqual((await store.outbox()).map(e => e.messageId), [b1.id, c1.id, b2.id, c2.id])
      assert.deepEqual((await store.outbox(CAROL)).map(e => e.messageId), [c1.id, c2.id])
      assert.deepEqual(await store.outboxConversations(), [BOB, CAROL])

      await store.markDelivered(BOB, [b1.id, b2.id])
      assert.deepEqual(await store.outboxConversations(), [CAROL])
      assert.deepEqual(await store.outbox(BOB), [])
    })
  })

  describe('history', () => {
    it('pages 120 messages 50 at a time, oldest to newest in a page, with no gaps or repeats', async () => {
      const all: StoredMessage[] = []

      for (let i = 0; i < 120; i++) {
        if (i % 3 === 0) {
          const clock = ((await store.getConversation(BOB))?.clock ?? 0) + 1
          const [result] = await store.addIncoming([incoming(clock)])
          all.push(result.message)
        } else {
          all.push(await store.addOutgoing({ conversation: BOB, sender: ALICE, text: `out ${i}` }))
        }
      }

      const pages: StoredMessage[][] = []
      let before: string | undefined

      for (;;) {
        const page = await store.history(BOB, { limit: 50, before })

        if (page.length === 0) {
          break
        }

        pages.push(page)
        before = page[0].id
      }

      assert.deepEqual(pages.map(p => p.length), [50, 50, 20])

      for (const page of pages) {
        for (let i = 1; i < page.length; i++) {
          assert.ok(page[i - 1].clock < page[i].clock)
        }
      }

      const seen = pages.reverse().flat().map(m => m.id)
      assert.deepEqual(seen, all.map(m => m.id))
      assert.equal(new Set(seen).size, 120)
    })

    it('defaults to the newest 50 and bounds the page size', async () => {
      for (let i = 0; i < 60; i++) {
        await store.addOutgoing({ conversation: BOB, sender: ALICE, text: `${i}` })
      }

      const page = await store.history(BOB)
      assert.deepEqual(page.map(m => m.clock), Array.from({ length: 50 }, (_, i) => i + 11))
      await assert.rejects(store.history(BOB, { limit: 501 }), { name: 'InvalidParametersError' })
      await assert.rejects(store.history(BOB, { limit: 0 }), { name: 'InvalidParametersError' })
      await assert.rejects(store.history(BOB, { before: newMessageId() }), { name: 'NotFoundError' })
    })

    it('keeps conversations apart even when one id prefixes another', async () => {
      await store.addOutgoing({ conversation: 'bob', sender: ALICE, text: 'to bob' })
      await store.addOutgoing({ conversation: 'bobby', sender: ALICE, text: 'to bobby' })

      assert.deepEqual((await store.history('bob')).map(m => m.text), ['to bob'])
      assert.deepEqual((await store.history('bobby')).map(m => m.text), ['to bobby'])
      assert.deepEqual((await store.outbox('bob')).length, 1)
    })
  })

  describe('conversations', () => {
    it('lists the most recent activity first', async () => {
      const realNow = Date.now
      let now = 1_000_000

      try {
        Date.now = () => now
        await store.addOutgoing({ conversation: BOB, sender: ALICE, text: 'to bob' })
        now += 1000
        await store.addOutgoing({ conversation: CAROL, sender: ALICE, text: 'to carol' })
        now += 1000
        await store.addIncoming([incoming(1, { conversation: 'dave-account', sender: 'dave-account' })])

        assert.deepEqual((await store.listConversations()).map(c => c.id), ['dave-account', CAROL, BOB])

        now += 1000
        await store.addIncoming([incoming(5)])
        assert.deepEqual((await store.listConversations()).map(c => c.id), [BOB, 'dave-account', CAROL])
        assert.equal((await store.getConversation(BOB))?.lastAt, now)
      } finally {
        Date.now = realNow
      }
    })
  })
})

describe('ParleyStore open', () => {
  it('writes the schema version into a fresh store and reopens it', async () => {
    const db = memoryDb()
    const store = await ParleyStore.open(db)
    await store.close()

    const meta = db.sublevel<string, Uint8Array>('meta', { keyEncoding: 'utf8', valueEncoding: 'view' })
    await db.open()
    const bytes = await meta.get('schemaVersion')
    assert.ok(bytes != null)
    assert.equal(pb.Counter.decode(bytes).value, BigInt(SCHEMA_VERSION))

    const again = await ParleyStore.open(db)
    await again.close()
  })

  it('refuses a store written by a newer schema and leaves it as it was', async () => {
    const db = memoryDb()
    const meta = db.sublevel<string, Uint8Array>('meta', { keyEncoding: 'utf8', valueEncoding: 'view' })
    await meta.put('schemaVersion', pb.Counter.encode({ value: BigInt(SCHEMA_VERSION + 1) }))

    await assert.rejects(ParleyStore.open(db), { name: 'SchemaVersionError' })

    const bytes = await meta.get('schemaVersion')
    assert.ok(bytes != null)
    assert.equal(pb.Counter.decode(bytes).value, BigInt(SCHEMA_VERSION + 1))
    await db.close()
  })

  it('does not read through history at start-up', async () => {
    const db = memoryDb()
    const store = await ParleyStore.open(db)
    store.unlock(STORAGE_KEY)

    for (let i = 0; i < 200; i++) {
      await store.addOutgoing({ conversation: i % 2 === 0 ? BOB : CAROL, sender: ALICE, text: `${i}` })
    }

    await store.close()

    // Count the range reads (of entries, keys or values) the database is asked for while the store opens.
    let iterators = 0
    const target = db as unknown as Record<string, (...args: unknown[]) => unknown>

    for (const method of ['_iterator', '_keys', '_values']) {
      const original = target[method].bind(db)
      target[method] = (...args: unknown[]) => {
        iterators++
        return original(...args)
      }
    }

    const reopened = await ParleyStore.open(db)
    reopened.unlock(STORAGE_KEY)
    assert.equal(iterators, 0)
    // The probe does see range reads.
    await reopened.history(BOB, { limit: 1 })
    assert.equal(iterators, 1)

    // …and the outbox counter survived without a scan.
    const next = await reopened.addOutgoing({ conversation: BOB, sender: ALICE, text: 'next' })
    const seqs = (await reopened.outbox()).map(e => e.seq)
    assert.equal(seqs.at(-1), 201)
    assert.equal(next.clock, 101)
    await reopened.close()
  })

  it('persists everything across a restart on classic-level', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-store-'))

    try {
      const first = await ParleyStore.open(new Level<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' }))
      first.unlock(STORAGE_KEY)
      await first.createIdentity(profile(), new Uint8Array([4, 2]))
      await first.putContact(contact(BOB, 'Bob', 'contact'))
      const a = await first.addOutgoing({ conversation: BOB, sender: ALICE, text: 'a' })
      const b = await first.addOutgoing({ conversation: BOB, sender: ALICE, text: 'b' })
      const [theirs] = await first.addIncoming([incoming(7)])
      await first.markDelivered(BOB, [a.id])
      await first.close()

      const second = await ParleyStore.open(new Level<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' }))
      second.unlock(STORAGE_KEY)

      try {
        assert.deepEqual(await second.getProfile(), profile())
        assert.deepEqual(await second.getVault(), new Uint8Array([4, 2]))
        assert.equal((await second.getContact(BOB))?.name, 'Bob')
        assert.deepEqual((await second.history(BOB)).map(m => [m.id, m.state]), [
          [a.id, 'delivered'], [b.id, 'pending'], [theirs.message.id, 'received']
        ])
        assert.deepEqual((await second.outbox()).map(e => e.messageId), [b.id])

        const c = await second.addOutgoing({ conversation: BOB, sender: ALICE, text: 'c' })
        assert.equal(c.clock, 8)
        const outbox = await second.outbox(BOB)
        assert.deepEqual(outbox.map(e => e.messageId), [b.id, c.id])
        assert.ok(outbox[1].seq > outbox[0].seq)
        assert.equal((await second.getConversation(BOB))?.unread, 1)
      } finally {
        await second.close()
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

/** The sublevel `name` of `db`, read raw (as the store's own sublevels, without its sealing). */
function rawSublevel (db: MemoryLevel<string, Uint8Array>, name: string) {
  return db.sublevel<string, Uint8Array>(name, { keyEncoding: 'utf8', valueEncoding: 'view' })
}

function includesBytes (haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).includes(Buffer.from(needle))
}

/** The files under `dir` (recursively) that contain `needle`. */
async function filesContaining (dir: string, needle: Uint8Array): Promise<string[]> {
  const found: string[] = []

  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name)

      if ((await readFile(path)).includes(Buffer.from(needle))) {
        found.push(path)
      }
    }
  }

  return found
}

describe('ParleyStore sealing', () => {
  let db: MemoryLevel<string, Uint8Array>
  let store: ParleyStore

  beforeEach(async () => {
    db = memoryDb()
    store = await ParleyStore.open(db)
  })

  afterEach(async () => {
    await store.close()
  })

  it('refuses every read and write of sealed data before unlock, and writes nothing', async () => {
    const locked = { name: 'VaultLockedError', message: 'The vault is locked: unlock the account first' }
    const id = newMessageId()

    await assert.rejects(store.addOutgoing({ conversation: BOB, sender: ALICE, text: 'hi' }), locked)
    await assert.rejects(store.addIncoming([incoming(1)]), locked)
    await assert.rejects(store.markDelivered(BOB, [id]), locked)
    await assert.rejects(store.markRead(BOB), locked)
    await assert.rejects(store.getMessage(BOB, id), locked)
    await assert.rejects(store.history(BOB), locked)
    await assert.rejects(store.getConversation(BOB), locked)
    await assert.rejects(store.listConversations(), locked)
    await assert.rejects(store.getSession(BOB), locked)
    await assert.rejects(store.putSession(BOB, new Uint8Array([1])), locked)
    await assert.rejects(store.getSecret('signed-prekeys'), locked)
    await assert.rejects(store.putSecret('signed-prekeys', new Uint8Array([1])), locked)

    // What stays in clear works without the key: the unlock screen and range reads need it.
    await store.createIdentity(profile(), new Uint8Array([1]))
    assert.equal((await store.getProfile())?.name, 'Alice')
    await store.putContact(contact(BOB, 'Bob', 'contact'))
    assert.equal((await store.getContact(BOB))?.name, 'Bob')
    assert.deepEqual(await store.outbox(), [])
    assert.deepEqual(await store.outboxConversations(), [])

    for (const name of ['messages', 'message-ids', 'outbox', 'conversations', 'sessions', 'secrets']) {
      assert.deepEqual(await rawSublevel(db, name).keys().all(), [], name)
    }
  })

  it('takes a 32-byte storage key only', () => {
    assert.throws(() => { store.unlock(new Uint8Array(31)) }, { name: 'InvalidParametersError' })
    assert.throws(() => { store.unlock('key' as unknown as Uint8Array) }, { name: 'InvalidParametersError' })
  })

  it('keeps message text and previews out of the stored values, and reads them back', async () => {
    store.unlock(STORAGE_KEY)
    const canary = 'canary-7f3a9c sealed text'
    const mine = await store.addOutgoing({ conversation: BOB, sender: ALICE, text: canary })
    const [theirs] = await store.addIncoming([incoming(5, { text: canary })])
    const needle = new TextEncoder().encode('canary-7f3a9c')

    for (const name of ['messages', 'conversations']) {
      const values = await rawSublevel(db, name).values().all()
      assert.ok(values.length > 0, name)
      assert.ok(values.every(value => !includesBytes(value, needle)), `${name} holds the text in clear`)
    }

    assert.deepEqual((await store.history(BOB)).map(m => m.text), [canary, canary])
    assert.deepEqual(await store.getMessage(BOB, mine.id), mine)
    assert.deepEqual(await store.getMessage(BOB, theirs.message.id), theirs.message)
    assert.equal((await store.getConversation(BOB))?.lastText, canary)
  })

  it('does not open a sealed value moved to another key, nor with another storage key', async () => {
    store.unlock(STORAGE_KEY)
    const first = await store.addOutgoing({ conversation: BOB, sender: ALICE, text: 'first' })
    const second = await store.addOutgoing({ conversation: BOB, sender: ALICE, text: 'second' })
    await store.addOutgoing({ conversation: CAROL, sender: ALICE, text: 'to carol' })

    // Copy the first message's value over the second's: the second must not read as "first".
    const messages = rawSublevel(db, 'messages')
    const entries = await messages.iterator().all()
    const firstEntry = entries.find(([key]) => key.endsWith(first.id))
    const secondEntry = entries.find(([key]) => key.endsWith(second.id))
    assert.ok(firstEntry != null && secondEntry != null)
    await messages.put(secondEntry[0], firstEntry[1])
    await assert.rejects(store.getMessage(BOB, second.id), { name: 'DecryptionError', reason: 'unauthenticated' })
    assert.equal((await store.getMessage(BOB, first.id))?.text, 'first')

    // The same across conversations.
    const conversations = rawSublevel(db, 'conversations')
    await conversations.put(BOB, (await conversations.get(CAROL)) as Uint8Array)
    await assert.rejects(store.getConversation(BOB), { name: 'DecryptionError' })

    // Another storage key opens nothing.
    store.unlock(new Uint8Array(32).fill(8))
    await assert.rejects(store.getMessage(BOB, first.id), { name: 'DecryptionError', reason: 'unauthenticated' })
    await assert.rejects(store.getConversation(CAROL), { name: 'DecryptionError' })
  })

  it('writes no plaintext message text to LevelDB files (classic-level); the probe finds clear text', async () => {
    const canary = 'CANARY-b7e2d1-plaintext-must-not-reach-disk'
    const needle = new TextEncoder().encode(canary)
    const sealedDir = await mkdtemp(join(tmpdir(), 'parley-store-sealed-'))
    const clearDir = await mkdtemp(join(tmpdir(), 'parley-store-clear-'))

    try {
      const sealed = await ParleyStore.open(new Level<string, Uint8Array>(sealedDir, { keyEncoding: 'utf8', valueEncoding: 'view' }))
      sealed.unlock(STORAGE_KEY)
      await sealed.putContact(contact(BOB, 'Bob', 'contact'))
      const mine = await sealed.addOutgoing({ conversation: BOB, sender: ALICE, text: `${canary} out` }, {
        prepare: () => ({ envelope: new Uint8Array([1, 2, 3]), session: new TextEncoder().encode(`${canary} session`) })
      })
      await sealed.addIncoming([incoming(9, { text: `${canary} in` })], {
        session: { conversation: BOB, state: new TextEncoder().encode(`${canary} session 2`) }
      })
      await sealed.putSecret('signed-prekeys', new TextEncoder().encode(`${canary} secret`))
      await sealed.markDelivered(BOB, [mine.id])
      await sealed.markRead(BOB)
      await sealed.close()

      assert.deepEqual(await filesContaining(sealedDir, needle), [])

      // The probe can fail: the same text put in clear is found in the files.
      const clear = new Level<string, Uint8Array>(clearDir, { keyEncoding: 'utf8', valueEncoding: 'view' })
      await clear.put('probe', new TextEncoder().encode(`${canary} raw`))
      await clear.close()
      assert.notDeepEqual(await filesContaining(clearDir, needle), [])

      // And the sealed store still reads back after the restart.
      const reopened = await ParleyStore.open(new Level<string, Uint8Array>(sealedDir, { keyEncoding: 'utf8', valueEncoding: 'view' }))
      reopened.unlock(STORAGE_KEY)

      try {
        assert.deepEqual((await reopened.history(BOB)).map(m => m.text), [`${canary} out`, `${canary} in`])
        assert.equal(new TextDecoder().decode(await reopened.getSession(BOB)), `${canary} session 2`)
      } finally {
        await reopened.close()
      }
    } finally {
      await rm(sealedDir, { recursive: true, force: true })
      await rm(clearDir, { recursive: true, force: true })
    }
  })
})

describe('ParleyStore sessions and secrets', () => {
  let db: MemoryLevel<string, Uint8Array>
  let store: ParleyStore

  beforeEach(async () => {
    db = memoryDb()
    store = await ParleyStore.open(db)
    store.unlock(STORAGE_KEY)
  })

  afterEach(async () => {
    await store.close()
  })

  it('stores, replaces and seals a session per conversation', async () => {
    assert.equal(await store.getSession(BOB), undefined)

    await store.putSession(BOB, new Uint8Array([1, 2, 3]))
    await store.putSession(CAROL, new Uint8Array([9]))
    await store.putSession(BOB, new Uint8Array([4, 5]))

    assert.deepEqual(await store.getSession(BOB), new Uint8Array([4, 5]))
    assert.deepEqual(await store.getSession(CAROL), new Uint8Array([9]))

    // Bob's state moved under Carol's key does not open there.
    const sessions = rawSublevel(db, 'sessions')
    const bobValue = await sessions.get(BOB)
    assert.ok(bobValue != null && bobValue.byteLength > 2)
    await sessions.put(CAROL, bobValue)
    await assert.rejects(store.getSession(CAROL), { name: 'DecryptionError' })

    await assert.rejects(store.putSession(BOB, new Uint8Array(MAX_RATCHET_STATE_BYTES + 1)), { name: 'InvalidParametersError' })
    await assert.rejects(store.putSession('has space', new Uint8Array(1)), { name: 'InvalidParametersError' })
    assert.deepEqual(await store.getSession(BOB), new Uint8Array([4, 5]))
  })

  it('stores, replaces, seals and deletes secrets by name', async () => {
    const prekeys = new Uint8Array(150).fill(0xb1)
    assert.equal(await store.getSecret('signed-prekeys'), undefined)

    await store.putSecret('signed-prekeys', new Uint8Array([1]))
    await store.putSecret('signed-prekeys', prekeys)
    await store.putSecret('other', new Uint8Array([2]))
    assert.deepEqual(await store.getSecret('signed-prekeys'), prekeys)

    const raw = await rawSublevel(db, 'secrets').get('signed-prekeys')
    assert.ok(raw != null && !includesBytes(raw, new Uint8Array(16).fill(0xb1)))

    await store.deleteSecret('signed-prekeys')
    assert.equal(await store.getSecret('signed-prekeys'), undefined)
    assert.deepEqual(await store.getSecret('other'), new Uint8Array([2]))

    await assert.rejects(store.putSecret('', new Uint8Array(1)), { name: 'InvalidParametersError' })
    await assert.rejects(store.putSecret('a b', new Uint8Array(1)), { name: 'InvalidParametersError' })
    await assert.rejects(store.putSecret('big', new Uint8Array(MAX_STORED_SECRET_BYTES + 1)), { name: 'InvalidParametersError' })
  })

  describe('addOutgoing with prepare', () => {
    it('hands prepare the message with its id and clock, and queues its envelope with the new session', async () => {
      await store.putSession(BOB, new Uint8Array([0]))
      const seen: Array<{ message: StoredMessage, session: Uint8Array | undefined }> = []
      const envelope = new Uint8Array([0xe0, 0xe1, 0xe2])

      const message = await store.addOutgoing({ conversation: BOB, sender: ALICE, text: 'sealed hello' }, {
        prepare: (message, session) => {
          seen.push({ message, session })
          return { envelope, session: new Uint8Array([1]) }
        }
      })

      assert.equal(seen.length, 1)
      assert.deepEqual(seen[0].message, message)
      assert.equal(message.clock, 1)
      assert.deepEqual(seen[0].session, new Uint8Array([0]))

      const [entry] = await store.outbox(BOB)
      assert.equal(entry.messageId, message.id)
      assert.deepEqual(entry.envelope, envelope)
      assert.deepEqual(await store.getSession(BOB), new Uint8Array([1]))

      // Without prepare, the entry has no envelope and the session is untouched.
      const plain = await store.addOutgoing({ conversation: BOB, sender: ALICE, text: 'no envelope' })
      assert.deepEqual((await store.outbox(BOB)).map(e => [e.messageId, e.envelope.byteLength]), [[message.id, 3], [plain.id, 0]])
      assert.deepEqual(await store.getSession(BOB), new Uint8Array([1]))
    })

    it('runs prepare inside the mutex: 20 concurrent sends each see the session the previous one wrote', async () => {
      await store.putSession(BOB, new Uint8Array([0]))
      const sessionsSeen: number[] = []

      const sent = await Promise.all(Array.from({ length: 20 }, async (_, i) =>
        store.addOutgoing({ conversation: BOB, sender: ALICE, text: `m${i}` }, {
          prepare: (message, session) => {
            const n = session?.[0] ?? -1
            sessionsSeen.push(n)
            return { envelope: new Uint8Array([message.clock, n]), session: new Uint8Array([n + 1]) }
          }
        })
      ))

      // Never two encryptions from the same state.
      assert.deepEqual(sessionsSeen, Array.from({ length: 20 }, (_, i) => i))
      assert.deepEqual(await store.getSession(BOB), new Uint8Array([20]))
      const outbox = await store.outbox(BOB)
      assert.deepEqual(outbox.map(e => e.envelope[0]), sent.map(m => m.clock).sort((a, b) => a - b))
    })

    it('writes nothing when prepare throws, and the error propagates', async () => {
      await store.putSession(BOB, new Uint8Array([0]))
      const refused = new Error('no prekey for this contact')

      await assert.rejects(store.addOutgoing({ conversation: BOB, sender: ALICE, text: 'x' }, {
        prepare: () => { throw refused }
      }), (err: unknown) => err === refused)

      // A prepare that is not synchronous is refused the same way.
      await assert.rejects(store.addOutgoing({ conversation: BOB, sender: ALICE, text: 'x' }, {
        prepare: (async () => ({ envelope: new Uint8Array([1]) })) as unknown as () => { envelope: Uint8Array }
      }), { name: 'InvalidParametersError', message: /synchronously/ })

      assert.deepEqual(await store.history(BOB), [])
      assert.deepEqual(await store.outbox(), [])
      assert.equal(await store.getConversation(BOB), undefined)
      assert.deepEqual(await store.getSession(BOB), new Uint8Array([0]))
      assert.equal((await store.addOutgoing({ conversation: BOB, sender: ALICE, text: 'again' })).clock, 1)
    })

    it('writes the session in the same batch as the message: a failed session write stores no message', async () => {
      const failing = (op: { sublevel?: { prefix: string } }): void => {
        if (op.sublevel?.prefix === '!sessions!') {
          throw new Error('disk full')
        }
      }
      db.hooks.prewrite.add(failing)

      await assert.rejects(store.addOutgoing({ conversation: BOB, sender: ALICE, text: 'x' }, {
        prepare: () => ({ envelope: new Uint8Array([1]), session: new Uint8Array([1]) })
      }))

      db.hooks.prewrite.delete(failing)
      assert.deepEqual(await store.history(BOB), [])
      assert.deepEqual(await store.outbox(), [])
      assert.equal(await store.getSession(BOB), undefined)
    })
  })

  describe('addIncoming with a session', () => {
    it('writes the session with new messages, and nothing when all are duplicates', async () => {
      const first = incoming(1)
      await store.addIncoming([first], { session: { conversation: BOB, state: new Uint8Array([1]) } })
      assert.deepEqual(await store.getSession(BOB), new Uint8Array([1]))

      const results = await store.addIncoming([first, first], { session: { conversation: BOB, state: new Uint8Array([2]) } })
      assert.deepEqual(results.map(r => r.duplicate), [true, true])
      assert.deepEqual(await store.getSession(BOB), new Uint8Array([1]))

      await store.addIncoming([first, incoming(2)], { session: { conversation: BOB, state: new Uint8Array([3]) } })
      assert.deepEqual(await store.getSession(BOB), new Uint8Array([3]))
      assert.equal((await store.history(BOB)).length, 2)
    })

    it('writes the session in the same synced batch: a failed session write stores no message', async () => {
      const syncs: unknown[] = []
      const target = db as unknown as { _batch: (operations: unknown[], options: { sync?: boolean }) => Promise<void> }
      const original = target._batch.bind(db)
      target._batch = async (operations, options) => {
        syncs.push(options.sync)
        return original(operations, options)
      }
      const failing = (op: { sublevel?: { prefix: string } }): void => {
        if (op.sublevel?.prefix === '!sessions!') {
          throw new Error('disk full')
        }
      }
      db.hooks.prewrite.add(failing)

      await assert.rejects(store.addIncoming([incoming(1)], { session: { conversation: BOB, state: new Uint8Array([1]) } }))
      db.hooks.prewrite.delete(failing)
      assert.deepEqual(await store.history(BOB), [])
      assert.equal(await store.getConversation(BOB), undefined)

      await store.addIncoming([incoming(1)], { session: { conversation: BOB, state: new Uint8Array([1]) } })
      assert.deepEqual(syncs, [true])
      assert.deepEqual(await store.getSession(BOB), new Uint8Array([1]))
    })

    it('refuses a malformed session and stores none of the call', async () => {
      await assert.rejects(store.addIncoming([incoming(1)], { session: { conversation: 'a b', state: new Uint8Array(1) } }), { name: 'InvalidParametersError' })
      await assert.rejects(store.addIncoming([incoming(1)], { session: { conversation: BOB, state: new Uint8Array(MAX_RATCHET_STATE_BYTES + 1) } }), { name: 'InvalidParametersError' })
      assert.deepEqual(await store.history(BOB), [])
    })
  })

  describe('contacts with e2e fields', () => {
    it('round-trips prekey, verified and keyChange', async () => {
      const bob: Contact = { ...contact(BOB, 'Bob', 'contact'), prekey: new Uint8Array(110).fill(3), verified: true, keyChange: true }
      await store.putContact(bob)
      assert.deepEqual(await store.getContact(BOB), bob)

      await store.putContact({ ...bob, verified: false, keyChange: false, prekey: undefined })
      const again = await store.getContact(BOB)
      assert.equal(again?.verified, false)
      assert.equal(again?.keyChange, false)
      assert.equal(again != null && 'prekey' in again, false)
    })

    it('refuses an empty or oversized prekey and non-boolean flags', async () => {
      const bob = contact(BOB, 'Bob', 'contact')
      await assert.rejects(store.putContact({ ...bob, prekey: new Uint8Array(0) }), { name: 'InvalidParametersError' })
      await assert.rejects(store.putContact({ ...bob, prekey: new Uint8Array(MAX_SIGNED_PREKEY_BYTES + 1) }), { name: 'InvalidParametersError' })
      await assert.rejects(store.putContact({ ...bob, verified: 'yes' as unknown as boolean }), { name: 'InvalidParametersError' })
      assert.equal(await store.getContact(BOB), undefined)
    })
  })
})
