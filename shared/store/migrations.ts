/**
 * Schema versions of the local store, and the migrations between them.
 *
 * The `meta/schemaVersion` counter says which schema the store was last
 * written with. A fresh store starts at version 1. `MIGRATIONS[n - 1]` turns a
 * version-n store into a version-(n + 1) one; at open, every migration from the
 * store's version up to SCHEMA_VERSION runs in order, each one committed with
 * its version bump in a single batch, so a crash leaves the store at a whole
 * version. Migrations may scan what they rewrite: they run once, not at every
 * start-up.
 */

import { InvalidMessageError } from '@libp2p/interface'
import { SchemaVersionError } from '../errors.ts'
import { META_KEYS, SYNC_WRITE, uint64ToNumber } from './keys.ts'
import * as pb from './pb/store.ts'
import type { BatchOperation, StoreDatabase, StoreSublevel, Sublevels } from './keys.ts'
import type { AbortOptions } from '@libp2p/interface'

/** What a migration works on. */
export interface MigrationContext {
  db: StoreDatabase
  sublevels: Sublevels
  signal?: AbortSignal
}

/**
 * Turns a version-n store into a version-(n + 1) one. It reads what it needs
 * and returns the writes; the runner adds the version bump and commits them
 * all in one synced batch. It must not write by itself.
 */
export type Migration = (context: MigrationContext) => Promise<BatchOperation[]>

/** The first schema version: what a fresh store is created with. */
export const FIRST_SCHEMA_VERSION = 1

/** Version 1 → 2 is MIGRATIONS[0], and so on. Append only. */
export const MIGRATIONS: readonly Migration[] = [
  // 1 → 2: the message state MESSAGE_STATE_AT_MAILBOX. Nothing to rewrite; the
  // bump makes older code refuse the store rather than fail on one record.
  async () => []
]

/** The schema version this code reads and writes. */
export const SCHEMA_VERSION = FIRST_SCHEMA_VERSION + MIGRATIONS.length

/** Reads a Counter from `sublevel`; 0 when absent. */
export async function readCounter (sublevel: StoreSublevel, key: string): Promise<number> {
  const bytes = await sublevel.get(key)

  if (bytes == null) {
    return 0
  }

  let counter: pb.Counter

  try {
    counter = pb.Counter.decode(bytes)
  } catch {
    throw new InvalidMessageError(`Stored meta/${key} is not a counter`)
  }

  return uint64ToNumber(counter.value, `meta/${key}`)
}

/** The put of a Counter into `sublevel`, for a batch. */
export function putCounter (sublevel: StoreSublevel, key: string, value: number): BatchOperation {
  return { type: 'put', sublevel, key, value: pb.Counter.encode({ value: BigInt(value) }) }
}

/**
 * Brings the store to the newest version `migrations` lead to and returns it.
 * Reads one key when there is nothing to do.
 *
 * @throws SchemaVersionError when the store is newer than `migrations` know.
 */
export async function migrate (db: StoreDatabase, subs: Sublevels, migrations: readonly Migration[] = MIGRATIONS, options: AbortOptions = {}): Promise<number> {
  const target = FIRST_SCHEMA_VERSION + migrations.length
  let version: number

  try {
    version = await readCounter(subs.meta, META_KEYS.schemaVersion)
  } catch (err: any) {
    if (err.name === InvalidMessageError.name) {
      throw new SchemaVersionError('The store\'s schema version is unreadable. Nothing was changed; restore the data directory from a backup or move it aside.')
    }

    throw err
  }

  if (version === 0) {
    // A fresh store (no version written yet) starts at the first version and
    // migrates from there like any other.
    options.signal?.throwIfAborted()
    await db.batch([putCounter(subs.meta, META_KEYS.schemaVersion, FIRST_SCHEMA_VERSION)], SYNC_WRITE)
    version = FIRST_SCHEMA_VERSION
  }

  if (version > target) {
    throw new SchemaVersionError(`This store was written by a newer Parley (schema version ${version}; this one knows up to ${target}). Nothing was changed; update Parley to open it.`)
  }

  while (version < target) {
    options.signal?.throwIfAborted()
    const operations = await migrations[version - FIRST_SCHEMA_VERSION]({ db, sublevels: subs, signal: options.signal })
    operations.push(putCounter(subs.meta, META_KEYS.schemaVersion, version + 1))
    await db.batch(operations, SYNC_WRITE)
    version++
  }

  return version
}
