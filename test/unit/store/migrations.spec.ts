import assert from 'node:assert/strict'
import { MemoryLevel } from 'memory-level'
import { sublevels } from '#shared/store/keys.ts'
import { FIRST_SCHEMA_VERSION, SCHEMA_VERSION, migrate, readCounter } from '#shared/store/migrations.ts'
import type { BatchOperation, StoreDatabase } from '#shared/store/keys.ts'
import type { Migration } from '#shared/store/migrations.ts'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

function memoryDb (): MemoryLevel<string, Uint8Array> {
  return new MemoryLevel<string, Uint8Array>({ keyEncoding: 'utf8', valueEncoding: 'view' })
}

/** Records the operations of every batch the database commits. */
function recordBatches (db: StoreDatabase): string[][] {
  const batches: string[][] = []
  db.on('write', (operations: Array<{ key: string, sublevel?: { prefix: string } }>) => {
    batches.push(operations.map(op => `${op.sublevel?.prefix ?? ''}${op.key}`))
  })
  return batches
}

describe('store migrations', () => {
  it('starts a fresh store at the first version', async () => {
    const db = memoryDb()
    const subs = sublevels(db)

    assert.equal(await migrate(db, subs, []), FIRST_SCHEMA_VERSION)
    assert.equal(await readCounter(subs.meta, 'schemaVersion'), FIRST_SCHEMA_VERSION)
    assert.equal(SCHEMA_VERSION, FIRST_SCHEMA_VERSION + 1)
    await db.close()
  })

  it('applies each migration in order, each in one batch with its version bump', async () => {
    const db = memoryDb()
    const subs = sublevels(db)
    await migrate(db, subs, [])
    await subs.contacts.put('old', encoder.encode('v1'))

    const seen: string[] = []
    const toV2: Migration = async ({ sublevels: s }) => {
      seen.push(decoder.decode(await s.contacts.get('old')))
      return [{ type: 'put', sublevel: s.contacts, key: 'old', value: encoder.encode('v2') }]
    }
    const toV3: Migration = async ({ sublevels: s }) => {
      seen.push(decoder.decode(await s.contacts.get('old')))
      const ops: BatchOperation[] = [
        { type: 'put', sublevel: s.contacts, key: 'old', value: encoder.encode('v3') },
        { type: 'put', sublevel: s.contacts, key: 'new', value: encoder.encode('v3') }
      ]
      return ops
    }

    const batches = recordBatches(db)
    assert.equal(await migrate(db, subs, [toV2, toV3]), 3)

    assert.deepEqual(seen, ['v1', 'v2'])
    assert.deepEqual(batches, [
      ['!contacts!old', '!meta!schemaVersion'],
      ['!contacts!old', '!contacts!new', '!meta!schemaVersion']
    ])
    assert.equal(await readCounter(subs.meta, 'schemaVersion'), 3)

    // Nothing left to do: a second run writes nothing.
    assert.equal(await migrate(db, subs, [toV2, toV3]), 3)
    assert.equal(batches.length, 2)
    await db.close()
  })

  it('leaves the store at the last whole version when a migration fails', async () => {
    const db = memoryDb()
    const subs = sublevels(db)
    await migrate(db, subs, [])

    const toV2: Migration = async ({ sublevels: s }) => [{ type: 'put', sublevel: s.contacts, key: 'x', value: encoder.encode('2') }]
    const toV3: Migration = async () => { throw new Error('cannot convert') }

    await assert.rejects(migrate(db, subs, [toV2, toV3]), /cannot convert/)
    assert.equal(await readCounter(subs.meta, 'schemaVersion'), 2)

    // A fixed migration picks up from version 2.
    const fixed: Migration = async ({ sublevels: s }) => [{ type: 'put', sublevel: s.contacts, key: 'x', value: encoder.encode('3') }]
    assert.equal(await migrate(db, subs, [toV2, fixed]), 3)
    assert.equal(decoder.decode(await subs.contacts.get('x')), '3')
    await db.close()
  })

  it('refuses a store newer than the migrations know', async () => {
    const db = memoryDb()
    const subs = sublevels(db)
    const noop: Migration = async () => []
    await migrate(db, subs, [noop, noop])

    await assert.rejects(migrate(db, subs, [noop]), { name: 'SchemaVersionError' })
    assert.equal(await readCounter(subs.meta, 'schemaVersion'), 3)
    await db.close()
  })

  it('refuses an unreadable version instead of treating the store as new', async () => {
    const db = memoryDb()
    const subs = sublevels(db)
    await subs.meta.put('schemaVersion', new Uint8Array([0xff]))

    await assert.rejects(migrate(db, subs, []), { name: 'SchemaVersionError' })
    await db.close()
  })
})
