/**
 * Key layout of Parley's local store: sublevel names and the keys inside
 * them. docs/storage.md is the description; this file is the one place that
 * builds keys, so the two stay in step.
 *
 * Keys are UTF-8 strings. Inside a sublevel, key parts are joined with `!`,
 * which sorts below every character an id part may contain, so a
 * conversation's keys form one contiguous range: `<conversation>!` up to (not
 * including) `<conversation>"` (`"` is the character after `!`).
 */

import { InvalidMessageError, InvalidParametersError } from '@libp2p/interface'
import { toString as uint8ArrayToString } from 'uint8arrays/to-string'
import type { AbstractBatchOperation, AbstractBatchOptions, AbstractLevel, AbstractSublevel } from 'abstract-level'

/** The database the app hands to the store (keyEncoding 'utf8', valueEncoding 'view'). */
export type StoreDatabase = AbstractLevel<any, string, Uint8Array>

/** One of the store's sublevels. */
export type StoreSublevel = AbstractSublevel<StoreDatabase, any, string, Uint8Array>

/** One write of a multi-sublevel batch (`db.batch([...])` with `sublevel` set). */
export type BatchOperation = AbstractBatchOperation<StoreDatabase, string, Uint8Array>

/**
 * Options of every batch that writes messages or identity: classic-level
 * fsyncs before resolving; memory-level and browser-level ignore it (IndexedDB's
 * own transaction durability applies). abstract-level's types do not list `sync`.
 */
export const SYNC_WRITE: AbstractBatchOptions<string, Uint8Array> & { sync: boolean } = { sync: true }

/**
 * Sublevel names. Reserved for later (ARCHITECTURE.md): `groups`, `mailbox`
 * (deposits held for others).
 */
export const SUBLEVEL_NAMES = {
  meta: 'meta',
  identity: 'identity',
  contacts: 'contacts',
  conversations: 'conversations',
  messages: 'messages',
  messageIds: 'message-ids',
  outbox: 'outbox',
  sessions: 'sessions',
  secrets: 'secrets'
} as const

export type Sublevels = { [K in keyof typeof SUBLEVEL_NAMES]: StoreSublevel }

/** The store's sublevels of `db`. Creating them reads nothing. */
export function sublevels (db: StoreDatabase): Sublevels {
  const sub = (name: string): StoreSublevel =>
    db.sublevel<string, Uint8Array>(name, { keyEncoding: 'utf8', valueEncoding: 'view' })

  return {
    meta: sub(SUBLEVEL_NAMES.meta),
    identity: sub(SUBLEVEL_NAMES.identity),
    contacts: sub(SUBLEVEL_NAMES.contacts),
    conversations: sub(SUBLEVEL_NAMES.conversations),
    messages: sub(SUBLEVEL_NAMES.messages),
    messageIds: sub(SUBLEVEL_NAMES.messageIds),
    outbox: sub(SUBLEVEL_NAMES.outbox),
    sessions: sub(SUBLEVEL_NAMES.sessions),
    secrets: sub(SUBLEVEL_NAMES.secrets)
  }
}

/** Sublevels whose values are sealed under the storage key (docs/storage.md, "Sealed values"). */
export type SealedSublevel = 'messages' | 'conversations' | 'sessions' | 'secrets'

/**
 * The sealing context of the value at `key` in `sublevel`:
 * `parley/store/<sublevel name>/<key>`. It is the associated data of the
 * seal, so a sealed value copied to another key (or sublevel) does not open.
 */
export function sealContext (sublevel: SealedSublevel, key: string): string {
  return `parley/store/${SUBLEVEL_NAMES[sublevel]}/${key}`
}

/** Keys of the `meta` sublevel. */
export const META_KEYS = {
  /** Counter: the schema version the store was last written with. */
  schemaVersion: 'schemaVersion',
  /** Counter: the last outbox sequence number handed out. */
  outboxSeq: 'outboxSeq'
} as const

/** Keys of the `identity` sublevel. */
export const IDENTITY_KEYS = {
  /** Raw bytes: the passphrase-sealed vault (shared/identity). */
  vault: 'vault',
  /** Profile record. */
  profile: 'profile'
} as const

const SEPARATOR = '!'
/** The character right after SEPARATOR: the exclusive end of a prefix range. */
const SEPARATOR_END = '"'

/**
 * Clocks and outbox sequence numbers are written as fixed-width lowercase hex,
 * so that string order is numeric order. 16 digits hold any uint64; ours stay
 * below Number.MAX_SAFE_INTEGER (14 digits).
 */
export const COUNTER_HEX_DIGITS = 16

/** Bytes of randomness in a message id. */
export const MESSAGE_ID_BYTES = 16

/**
 * A message id: 16 bytes in lowercase RFC 4648 base32 without padding, 26
 * characters. 128 bits fill 25 characters and 3 bits of the 26th, whose low
 * two bits are zero, so only the canonical spelling of each id is accepted.
 */
export const MESSAGE_ID_PATTERN = /^[a-z2-7]{25}[aeimquy4]$/

/**
 * An account id as the key layout needs it: 1–128 printable ASCII characters
 * other than space and the separator `!`. The identity module defines the real
 * format; the store checks only what keeps its keys unambiguous.
 */
export const ACCOUNT_ID_PATTERN = /^[\x22-\x7e]{1,128}$/

/**
 * A secret's name (`putSecret`): 1–128 printable ASCII characters other than
 * space, e.g. `signed-prekeys`. Names are chosen by the code, never by the network.
 */
export const SECRET_NAME_PATTERN = /^[\x21-\x7e]{1,128}$/

/** A new random message id (see MESSAGE_ID_PATTERN). */
export function newMessageId (): string {
  return uint8ArrayToString(crypto.getRandomValues(new Uint8Array(MESSAGE_ID_BYTES)), 'base32')
}

export function isMessageId (id: unknown): id is string {
  return typeof id === 'string' && MESSAGE_ID_PATTERN.test(id)
}

export function isAccountId (id: unknown): id is string {
  return typeof id === 'string' && ACCOUNT_ID_PATTERN.test(id)
}

export function assertMessageId (id: unknown, what = 'message id'): asserts id is string {
  if (!isMessageId(id)) {
    throw new InvalidParametersError(`Invalid ${what}: expected 26 lowercase base32 characters (16 bytes)`)
  }
}

export function assertAccountId (id: unknown, what = 'account id'): asserts id is string {
  if (!isAccountId(id)) {
    throw new InvalidParametersError(`Invalid ${what}: expected 1-128 printable ASCII characters without spaces or "!"`)
  }
}

export function assertSecretName (name: unknown): asserts name is string {
  if (typeof name !== 'string' || !SECRET_NAME_PATTERN.test(name)) {
    throw new InvalidParametersError('Invalid secret name: expected 1-128 printable ASCII characters without spaces')
  }
}

/** Fixed-width hex of a non-negative safe integer. */
export function counterHex (value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidParametersError('Counter must be a non-negative safe integer')
  }

  return value.toString(16).padStart(COUNTER_HEX_DIGITS, '0')
}

/**
 * A value as read from the database, as a plain Uint8Array over the same
 * memory. classic-level and memory-level hand out Node Buffers, and protons
 * slices bytes fields from its input: without this, records would hold
 * Buffers in Node and Uint8Arrays in the browser.
 */
export function plainBytes (bytes: Uint8Array): Uint8Array
export function plainBytes (bytes: Uint8Array | undefined): Uint8Array | undefined
export function plainBytes (bytes: Uint8Array | undefined): Uint8Array | undefined {
  if (bytes == null || Object.getPrototypeOf(bytes) === Uint8Array.prototype) {
    return bytes
  }

  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/**
 * A stored uint64 (protons gives bigint) as a number. Everything Parley counts
 * (clocks, times, sequence numbers) stays below Number.MAX_SAFE_INTEGER; a
 * larger value means a damaged record.
 */
export function uint64ToNumber (value: bigint, what: string): number {
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new InvalidMessageError(`Stored ${what} is out of range`)
  }

  return Number(value)
}

/** A key range covering every key that starts with `<part>!`. */
export interface PrefixRange {
  gte: string
  lt: string
}

function prefixRange (part: string): PrefixRange {
  return { gte: part + SEPARATOR, lt: part + SEPARATOR_END }
}

/** `messages`: `<conversation>!<clock hex>!<id>`, so history sorts by (conversation, clock, id). */
export function messageKey (conversation: string, clock: number, id: string): string {
  return conversation + SEPARATOR + counterHex(clock) + SEPARATOR + id
}

/** All of one conversation's messages in the `messages` sublevel. */
export function messageRange (conversation: string): PrefixRange {
  return prefixRange(conversation)
}

/** `message-ids`: `<conversation>!<id>` → MessageRef (the clock, to rebuild messageKey). */
export function messageIdKey (conversation: string, id: string): string {
  return conversation + SEPARATOR + id
}

/** `outbox`: `<conversation>!<seq hex>` → OutboxEntry; a conversation's queue is one range. */
export function outboxKey (conversation: string, seq: number): string {
  return conversation + SEPARATOR + counterHex(seq)
}

/** One conversation's queue in the `outbox` sublevel. */
export function outboxRange (conversation: string): PrefixRange {
  return prefixRange(conversation)
}

/** The conversation part of an `outbox` (or `messages`, `message-ids`) key. */
export function conversationOfKey (key: string): string {
  const at = key.indexOf(SEPARATOR)
  return at === -1 ? key : key.slice(0, at)
}

/** The smallest key after every key of `conversation`: where to seek to skip it. */
export function afterConversation (conversation: string): string {
  return conversation + SEPARATOR_END
}
