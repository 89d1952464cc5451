/**
 * MailboxStore: what a mailbox holds for the accounts paired with it, on any
 * abstract-level database (classic-level on the daemon, memory-level in
 * tests), under its own sublevel `mailbox`. docs/protocols/mailbox.md
 * ("Storage") describes the keys.
 *
 * Crash safety: every change is one batch (LevelDB applies a batch whole or
 * not at all) and the ones a peer is told about are synced before the call
 * resolves — a deposit before it is acked OK, an ack's deletions before the
 * device is told they are done. Usage counters live in the same records the
 * batches rewrite, so quotas are exact after any crash. A delivered item
 * leaves a tombstone (its id, until the retention has passed), so a sender
 * re-depositing it after the device acked it stores nothing new and the
 * device never gets it again.
 *
 * All writes run one at a time (an async mutex); reads of pages use the
 * database's snapshot iterators and do not wait. The store never closes the
 * database it was given.
 */

import { InvalidParametersError } from '@libp2p/interface'
import { logger } from '@libp2p/logger'
import { sha256 } from '@noble/hashes/sha2.js'
import { toString as uint8ArrayToString } from 'uint8arrays/to-string'
import { SchemaVersionError } from '../errors.ts'
import { accountIdFromPublicKey } from '../identity/account.ts'
import {
  MAILBOX_ACCOUNT_QUOTA_BYTES, MAILBOX_ACCOUNT_QUOTA_ITEMS, MAILBOX_PAGE_BYTES, MAILBOX_PAGE_ITEMS, MAILBOX_RETENTION_MS,
  MAILBOX_SENDER_QUOTA_BYTES, MAILBOX_SENDER_QUOTA_ITEMS, MAILBOX_STRANGER_SHARE_DIVISOR, MAILBOX_TOTAL_QUOTA_BYTES, MAX_DM_FRAME_BYTES,
  MAX_RECORD_DEVICES
} from '../protocol/constants.ts'
import { SYNC_WRITE, counterHex, isMessageId, plainBytes } from '../store/keys.ts'
import * as pb from './pb/mailbox-store.ts'
import type { StoreDatabase } from '../store/keys.ts'
import type { AbstractBatchOperation, AbstractSublevel } from 'abstract-level'

const log = logger('parley:mailbox:store')

/** The mailbox's sublevel of the app's database. */
export const MAILBOX_SUBLEVEL = 'mailbox'

/** Schema version of the `mailbox` sublevel (meta/version). */
export const MAILBOX_SCHEMA_VERSION = 1

/**
 * Expired pairing codes are kept this long after they expire, so that a late
 * attempt is told "expired" rather than "invalid"; then they are deleted.
 */
export const EXPIRED_CODE_KEEP_MS = 24 * 60 * 60 * 1000

/** Writes of one expiry step: each step is one synced batch. */
const EXPIRY_BATCH = 500

type Sub = AbstractSublevel<any, any, string, Uint8Array>
type Operation = AbstractBatchOperation<Sub, string, Uint8Array>

const SEPARATOR = '!'
/** The character after SEPARATOR: the exclusive end of a `<prefix>!` range. */
const SEPARATOR_END = '"'

/** Quotas and retention; every field defaults to the constant of the same meaning. */
export interface MailboxLimits {
  /** How long an undrained envelope is held. @default MAILBOX_RETENTION_MS (30 days) */
  retentionMs: number
  /** Envelope bytes held for one account. @default MAILBOX_ACCOUNT_QUOTA_BYTES (128 MiB) */
  accountBytes: number
  /** Envelopes held for one account. @default MAILBOX_ACCOUNT_QUOTA_ITEMS (50,000) */
  accountItems: number
  /** Envelope bytes held from one sender, across accounts. @default MAILBOX_SENDER_QUOTA_BYTES (32 MiB) */
  senderBytes: number
  /** Envelopes held from one sender, across accounts. @default MAILBOX_SENDER_QUOTA_ITEMS (20,000) */
  senderItems: number
  /**
   * Envelope bytes held for one account from senders not on its contact list
   * (only for accounts that sent one). @default accountBytes / MAILBOX_STRANGER_SHARE_DIVISOR (16 MiB)
   */
  strangerBytes: number
  /** Envelopes held for one account from senders not on its contact list. @default accountItems / MAILBOX_STRANGER_SHARE_DIVISOR (6,250) */
  strangerItems: number
  /** Envelope bytes held in all. @default MAILBOX_TOTAL_QUOTA_BYTES (1 GiB) */
  totalBytes: number
  /** Largest envelope. @default MAX_DM_FRAME_BYTES (64 KiB) */
  envelopeBytes: number
}

export interface MailboxStoreInit extends Partial<MailboxLimits> {
  /** The clock (ms since the epoch). @default Date.now */
  now?: () => number
}

export type DepositOutcome = 'ok' | 'duplicate' | 'not-paired' | 'mailbox-full' | 'quota-exceeded' | 'too-large'

export interface DepositInput {
  recipientPublicKey: Uint8Array
  messageId: string
  envelope: Uint8Array
  /** The quota key of the sender (`account:<id>` or `peer:<id>`). */
  sender: string
}

export interface DepositReceipt {
  outcome: DepositOutcome
  /** With 'ok': the item's seq. */
  seq?: number
  /** Items held for the recipient after the call. */
  held: number
}

export interface HeldItem {
  seq: number
  messageId: string
  envelope: Uint8Array
  depositedAt: number
}

export interface Page {
  items: HeldItem[]
  /** More items are held after the last one. */
  more: boolean
}

export interface PageOptions {
  /** Only items with a greater seq. @default 0 */
  after?: number
  /** @default MAILBOX_PAGE_ITEMS */
  limit?: number
  /** Envelope bytes at most; a page always has at least one item if any is held. @default MAILBOX_PAGE_BYTES */
  maxBytes?: number
}

export interface DeviceInfo {
  peerId: string
  lastDrainAt: number
  lastAckAt: number
  acked: number
}

export interface AccountInfo {
  accountId: string
  publicKey: Uint8Array
  pairedAt: number
  items: number
  bytes: number
  lastDepositAt: number
  /** What the strangers' pool holds (deposits from senders not on the contact list). */
  strangers: { items: number, bytes: number }
  /** How many contacts the account listed; undefined if it never sent a list. */
  contacts?: number
  devices: DeviceInfo[]
}

export interface MailboxUsage {
  accounts: number
  items: number
  bytes: number
  senders: number
}

export type CodeOutcome = 'paired' | 'unknown' | 'expired' | 'used'

export interface ExpiryResult {
  /** Undrained envelopes deleted because the retention passed. */
  expired: number
  /** Tombstones of delivered envelopes forgotten. */
  forgotten: number
  /** Pairing codes deleted. */
  codes: number
}

interface AccountState {
  publicKey: Uint8Array
  pairedAt: number
  items: number
  bytes: number
  lastDepositAt: number
  strangerItems: number
  strangerBytes: number
  devices: Map<string, pb.DeviceRecord>
}

/**
 * Rows of the first read of a page; later reads are sized by the envelopes
 * seen so far (a page of 64 KiB envelopes holds 16).
 */
const PAGE_FIRST_CHUNK = 64

/** An id an ack found held, with what its ack needs (from HeldId, or from the envelope for older records). */
interface LiveId {
  messageId: string
  seq: number
  sender?: string
  size?: number
  stranger: boolean
  /** Its envelope was not found (only for older records). */
  gone?: boolean
}

/** Serialises async sections. */
class Mutex {
  #tail: Promise<void> = Promise.resolve()

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.#tail
    let release!: () => void
    this.#tail = new Promise<void>(resolve => { release = resolve })
    try {
      await previous
      return await fn()
    } finally {
      release()
    }
  }
}

function heldKey (accountId: string, seq: number): string {
  return accountId + SEPARATOR + counterHex(seq)
}

function idKey (accountId: string, messageId: string): string {
  return accountId + SEPARATOR + messageId
}

function deviceKey (accountId: string, peerId: string): string {
  return accountId + SEPARATOR + peerId
}

function range (prefix: string): { gte: string, lt: string } {
  return { gte: prefix + SEPARATOR, lt: prefix + SEPARATOR_END }
}

function codeKey (secret: Uint8Array): string {
  return uint8ArrayToString(sha256(secret), 'base16')
}

export class MailboxStore {
  readonly limits: Readonly<MailboxLimits>
  readonly #now: () => number
  readonly #root: Sub
  readonly #meta: Sub
  readonly #accountsDb: Sub
  readonly #held: Sub
  readonly #ids: Sub
  readonly #order: Sub
  readonly #sendersDb: Sub
  readonly #devices: Sub
  readonly #codes: Sub
  readonly #contactsDb: Sub
  readonly #mutex = new Mutex()
  readonly #accounts = new Map<string, AccountState>()
  readonly #senders = new Map<string, { items: number, bytes: number }>()
  /** Per account that sent a contact list: the sender quota keys (`account:<id>`) of its contacts. */
  readonly #contacts = new Map<string, Set<string>>()
  #seq = 0
  #items = 0
  #bytes = 0
  #closed = false

  private constructor (db: StoreDatabase, init: MailboxStoreInit) {
    const accountBytes = init.accountBytes ?? MAILBOX_ACCOUNT_QUOTA_BYTES
    const accountItems = init.accountItems ?? MAILBOX_ACCOUNT_QUOTA_ITEMS
    this.limits = Object.freeze({
      retentionMs: init.retentionMs ?? MAILBOX_RETENTION_MS,
      accountBytes,
      accountItems,
      senderBytes: init.senderBytes ?? MAILBOX_SENDER_QUOTA_BYTES,
      senderItems: init.senderItems ?? MAILBOX_SENDER_QUOTA_ITEMS,
      strangerBytes: init.strangerBytes ?? Math.max(1, Math.floor(accountBytes / MAILBOX_STRANGER_SHARE_DIVISOR)),
      strangerItems: init.strangerItems ?? Math.max(1, Math.floor(accountItems / MAILBOX_STRANGER_SHARE_DIVISOR)),
      totalBytes: init.totalBytes ?? MAILBOX_TOTAL_QUOTA_BYTES,
      envelopeBytes: init.envelopeBytes ?? MAX_DM_FRAME_BYTES
    })
    for (const [name, value] of Object.entries(this.limits)) {
      if (!Number.isSafeInteger(value) || value <= 0) {
        throw new InvalidParametersError(`Mailbox limit ${name} must be a positive integer, got ${String(value)}`)
      }
    }
    this.#now = init.now ?? Date.now
    const options = { keyEncoding: 'utf8', valueEncoding: 'view' } as const
    this.#root = db.sublevel<string, Uint8Array>(MAILBOX_SUBLEVEL, options) as Sub
    const sub = (name: string): Sub => this.#root.sublevel<string, Uint8Array>(name, options) as Sub
    this.#meta = sub('meta')
    this.#accountsDb = sub('accounts')
    this.#held = sub('held')
    this.#ids = sub('ids')
    this.#order = sub('order')
    this.#sendersDb = sub('senders')
    this.#devices = sub('devices')
    this.#codes = sub('codes')
    this.#contactsDb = sub('contacts')
  }

  /**
   * Opens the mailbox part of `db` (opening `db` if needed). Reads the paired
   * accounts, their contact lists, per-sender usage and device records: start-up grows with
   * accounts and senders, never with the envelopes held.
   *
   * @throws SchemaVersionError if a newer Parley wrote it
   */
  static async open (db: StoreDatabase, init: MailboxStoreInit = {}): Promise<MailboxStore> {
    await db.open()
    const store = new MailboxStore(db, init)
    await store.#load()
    return store
  }

  async #load (): Promise<void> {
    const version = await this.#readCounter('version')
    if (version > MAILBOX_SCHEMA_VERSION) {
      throw new SchemaVersionError(`The mailbox data was written by a newer Parley (version ${version}; this one knows ${MAILBOX_SCHEMA_VERSION}). Nothing was changed; update Parley.`)
    }
    if (version === 0) {
      await this.#meta.put('version', pb.MailboxCounter.encode({ value: MAILBOX_SCHEMA_VERSION }), SYNC_WRITE)
    }
    this.#seq = await this.#readCounter('seq')

    for await (const [accountId, value] of this.#accountsDb.iterator()) {
      const record = pb.PairedAccount.decode(plainBytes(value))
      this.#accounts.set(accountId, {
        publicKey: record.publicKey,
        pairedAt: record.pairedAt,
        items: record.items,
        bytes: record.bytes,
        lastDepositAt: record.lastDepositAt,
        strangerItems: record.strangerItems,
        strangerBytes: record.strangerBytes,
        devices: new Map()
      })
      this.#items += record.items
      this.#bytes += record.bytes
    }
    for await (const [key, value] of this.#sendersDb.iterator()) {
      this.#senders.set(key, pb.SenderUsage.decode(plainBytes(value)))
    }
    for await (const [accountId, value] of this.#contactsDb.iterator()) {
      this.#contacts.set(accountId, contactKeys(pb.ContactList.decode(plainBytes(value)).accounts))
    }
    for await (const [key, value] of this.#devices.iterator()) {
      const at = key.indexOf(SEPARATOR)
      this.#accounts.get(key.slice(0, at))?.devices.set(key.slice(at + 1), pb.DeviceRecord.decode(plainBytes(value)))
    }
    log('opened: %d account(s), %d item(s), %d byte(s) held', this.#accounts.size, this.#items, this.#bytes)
  }

  async #readCounter (key: string): Promise<number> {
    const bytes = await this.#meta.get(key)
    return bytes == null ? 0 : pb.MailboxCounter.decode(plainBytes(bytes)).value
  }

  /** Waits for writes under way; later calls fail. The database stays open (it is the app's). */
  async close (): Promise<void> {
    await this.#mutex.run(async () => { this.#closed = true })
  }

  async #write<T>(fn: () => Promise<T>): Promise<T> {
    return this.#mutex.run(async () => {
      if (this.#closed) {
        throw new Error('The mailbox store is closed')
      }
      return fn()
    })
  }

  // --- accounts and pairing ---------------------------------------------------

  isPaired (accountId: string): boolean {
    return this.#accounts.has(accountId)
  }

  /** Remembers a pairing code (only a hash of its secret), durably. */
  async addCode (secret: Uint8Array, expiresAt: number): Promise<void> {
    await this.#write(async () => {
      await this.#codes.put(codeKey(secret), pb.CodeRecord.encode({
        createdAt: this.#now(),
        expiresAt,
        usedAt: 0,
        usedBy: ''
      }), SYNC_WRITE)
    })
  }

  /**
   * Uses a pairing code: if its secret is known, unused and not expired, the
   * account is paired and the code used up, in one synced batch.
   */
  async pairWithCode (secret: Uint8Array, publicKey: Uint8Array): Promise<CodeOutcome> {
    return this.#write(async () => {
      const key = codeKey(secret)
      const bytes = await this.#codes.get(key)
      if (bytes == null) {
        return 'unknown'
      }
      const code = pb.CodeRecord.decode(plainBytes(bytes))
      if (code.usedAt !== 0) {
        return 'used'
      }
      const now = this.#now()
      if (code.expiresAt <= now) {
        return 'expired'
      }
      const accountId = accountIdFromPublicKey(publicKey)
      const ops: Operation[] = [
        { type: 'put', sublevel: this.#codes, key, value: pb.CodeRecord.encode({ ...code, usedAt: now, usedBy: accountId }) }
      ]
      const account = this.#accounts.get(accountId) ?? this.#newAccount(publicKey, now)
      ops.push(this.#putAccount(accountId, account))
      await this.#root.batch(ops, SYNC_WRITE)
      this.#accounts.set(accountId, account)
      log('paired %s', accountId)
      return 'paired'
    })
  }

  /** Pairs an account without a code (the mailbox's owner pairing its own account). */
  async pairAccount (publicKey: Uint8Array): Promise<void> {
    await this.#write(async () => {
      const accountId = accountIdFromPublicKey(publicKey)
      if (this.#accounts.has(accountId)) {
        return
      }
      const account = this.#newAccount(publicKey, this.#now())
      await this.#root.batch([this.#putAccount(accountId, account)], SYNC_WRITE)
      this.#accounts.set(accountId, account)
    })
  }

  /**
   * Unpairs an account and deletes everything held for it, in one synced
   * batch. Resolves with how much was deleted; false if it was not paired.
   */
  async unpair (accountId: string): Promise<{ items: number, bytes: number } | false> {
    return this.#write(async () => {
      const account = this.#accounts.get(accountId)
      if (account == null) {
        return false
      }
      const ops: Operation[] = []
      const senderDelta = new Map<string, { items: number, bytes: number }>()
      for await (const [key, value] of this.#held.iterator(range(accountId))) {
        const item = pb.HeldEnvelope.decode(plainBytes(value))
        ops.push({ type: 'del', sublevel: this.#held, key })
        addDelta(senderDelta, item.sender, item.envelope.byteLength)
      }
      for await (const [key, value] of this.#ids.iterator(range(accountId))) {
        ops.push({ type: 'del', sublevel: this.#ids, key })
        ops.push({ type: 'del', sublevel: this.#order, key: counterHex(pb.HeldId.decode(plainBytes(value)).seq) })
      }
      for (const peerId of account.devices.keys()) {
        ops.push({ type: 'del', sublevel: this.#devices, key: deviceKey(accountId, peerId) })
      }
      ops.push({ type: 'del', sublevel: this.#accountsDb, key: accountId })
      ops.push({ type: 'del', sublevel: this.#contactsDb, key: accountId })
      const senders = this.#applySenderDelta(senderDelta, ops)
      await this.#root.batch(ops, SYNC_WRITE)
      this.#commitSenders(senders)
      this.#accounts.delete(accountId)
      this.#contacts.delete(accountId)
      this.#items -= account.items
      this.#bytes -= account.bytes
      log('unpaired %s, deleted %d item(s)', accountId, account.items)
      return { items: account.items, bytes: account.bytes }
    })
  }

  /** The paired accounts, with what is held for each and their devices' drains. */
  accounts (): AccountInfo[] {
    return [...this.#accounts.keys()].map(id => this.account(id)).filter(a => a != null)
  }

  account (accountId: string): AccountInfo | undefined {
    const a = this.#accounts.get(accountId)
    if (a == null) {
      return undefined
    }
    return {
      accountId,
      publicKey: a.publicKey,
      pairedAt: a.pairedAt,
      items: a.items,
      bytes: a.bytes,
      lastDepositAt: a.lastDepositAt,
      strangers: { items: a.strangerItems, bytes: a.strangerBytes },
      ...(this.#contacts.has(accountId) ? { contacts: this.#contacts.get(accountId)?.size } : {}),
      devices: [...a.devices].map(([peerId, d]) => ({ peerId, lastDrainAt: d.lastDrainAt, lastAckAt: d.lastAckAt, acked: d.acked }))
    }
  }

  /** Totals over everything held. */
  usage (): MailboxUsage {
    return { accounts: this.#accounts.size, items: this.#items, bytes: this.#bytes, senders: this.#senders.size }
  }

  /** What one sender (quota key) has held here. */
  senderUsage (sender: string): { items: number, bytes: number } {
    const usage = this.#senders.get(sender)
    return { items: usage?.items ?? 0, bytes: usage?.bytes ?? 0 }
  }

  // --- contacts ---------------------------------------------------------------

  /**
   * Replaces the account's contact list (account ids), in one synced write.
   * From then on a deposit whose sender is neither on it nor the account
   * itself counts against the account's strangers' pool. Items held already
   * keep the classification they had at deposit. Resolves false if the
   * account is not paired.
   */
  async setContacts (accountId: string, contactIds: string[]): Promise<boolean> {
    return this.#write(async () => {
      if (!this.#accounts.has(accountId)) {
        return false
      }
      const accounts = [...new Set(contactIds)].sort()
      await this.#contactsDb.put(accountId, pb.ContactList.encode({ accounts, updatedAt: this.#now() }), SYNC_WRITE)
      this.#contacts.set(accountId, contactKeys(accounts))
      log('%s listed %d contact(s)', accountId, accounts.length)
      return true
    })
  }

  /** The account ids the account listed as contacts; undefined if it never sent a list. */
  contactsOf (accountId: string): string[] | undefined {
    const keys = this.#contacts.get(accountId)
    return keys == null ? undefined : [...keys].map(k => k.slice(ACCOUNT_SENDER.length))
  }

  /** Whether a deposit from `sender` (quota key) for `accountId` counts against its strangers' pool. */
  #isStranger (accountId: string, sender: string): boolean {
    const contacts = this.#contacts.get(accountId)
    return contacts != null && !contacts.has(sender) && sender !== ACCOUNT_SENDER + accountId
  }

  // --- deposits ---------------------------------------------------------------

  /**
   * Stores one envelope for a paired account, durably (synced) before it
   * resolves 'ok'. A message id the account already has, or had delivered
   * within the retention, is 'duplicate' and stores nothing. Quotas are
   * checked after that, so a retry of a stored deposit is never refused.
   */
  async deposit (input: DepositInput): Promise<DepositReceipt> {
    if (!isMessageId(input.messageId)) {
      throw new InvalidParametersError('Invalid message id')
    }
    if (input.sender === '') {
      throw new InvalidParametersError('A deposit needs a sender quota key')
    }
    return this.#write(async () => {
      const accountId = accountIdFromPublicKey(input.recipientPublicKey)
      const account = this.#accounts.get(accountId)
      if (account == null) {
        return { outcome: 'not-paired', held: 0 }
      }
      const size = input.envelope.byteLength
      if (size === 0 || size > this.limits.envelopeBytes) {
        return { outcome: 'too-large', held: account.items }
      }
      if (await this.#ids.get(idKey(accountId, input.messageId)) != null) {
        return { outcome: 'duplicate', held: account.items }
      }
      if (account.bytes + size > this.limits.accountBytes || account.items + 1 > this.limits.accountItems ||
        this.#bytes + size > this.limits.totalBytes) {
        return { outcome: 'mailbox-full', held: account.items }
      }
      // a sender not on the account's contact list shares the strangers' pool, whatever identity it uses
      const stranger = this.#isStranger(accountId, input.sender)
      if (stranger && (account.strangerBytes + size > this.limits.strangerBytes || account.strangerItems + 1 > this.limits.strangerItems)) {
        return { outcome: 'quota-exceeded', held: account.items }
      }
      const sender = this.senderUsage(input.sender)
      if (sender.bytes + size > this.limits.senderBytes || sender.items + 1 > this.limits.senderItems) {
        return { outcome: 'quota-exceeded', held: account.items }
      }

      const now = this.#now()
      const seq = this.#seq + 1
      const updated: AccountState = {
        ...account,
        items: account.items + 1,
        bytes: account.bytes + size,
        strangerItems: account.strangerItems + (stranger ? 1 : 0),
        strangerBytes: account.strangerBytes + (stranger ? size : 0),
        lastDepositAt: now
      }
      const usage = { items: sender.items + 1, bytes: sender.bytes + size }
      await this.#root.batch([
        {
          type: 'put',
          sublevel: this.#held,
          key: heldKey(accountId, seq),
          value: pb.HeldEnvelope.encode({ messageId: input.messageId, envelope: input.envelope as Uint8Array<ArrayBuffer>, sender: input.sender, depositedAt: now, stranger })
        },
        { type: 'put', sublevel: this.#ids, key: idKey(accountId, input.messageId), value: pb.HeldId.encode({ seq, ackedAt: 0, sender: input.sender, size, stranger }) },
        { type: 'put', sublevel: this.#order, key: counterHex(seq), value: pb.OrderEntry.encode({ accountId, messageId: input.messageId, depositedAt: now, acked: false }) },
        this.#putAccount(accountId, updated),
        { type: 'put', sublevel: this.#sendersDb, key: input.sender, value: pb.SenderUsage.encode(usage) },
        { type: 'put', sublevel: this.#meta, key: 'seq', value: pb.MailboxCounter.encode({ value: seq }) }
      ], SYNC_WRITE)
      this.#seq = seq
      this.#accounts.set(accountId, updated)
      this.#senders.set(input.sender, usage)
      this.#items++
      this.#bytes += size
      return { outcome: 'ok', seq, held: updated.items }
    })
  }

  // --- drains -----------------------------------------------------------------

  /** The next page of what is held for `accountId`, in deposit order. */
  async page (accountId: string, options: PageOptions = {}): Promise<Page> {
    const after = options.after ?? 0
    const limit = Math.max(1, Math.min(options.limit ?? MAILBOX_PAGE_ITEMS, MAILBOX_PAGE_ITEMS))
    const maxBytes = Math.max(1, options.maxBytes ?? MAILBOX_PAGE_BYTES)
    const items: HeldItem[] = []
    let bytes = 0
    let more = false
    if (!this.#accounts.has(accountId)) {
      return { items, more }
    }
    // nextv in chunks: one native call per chunk instead of per row; the first
    // chunk is small and the next ones sized by the envelopes seen so far, so
    // a page of large envelopes does not read far past its byte limit.
    const iterator = this.#held.iterator({ gt: heldKey(accountId, after), lt: accountId + SEPARATOR_END })
    try {
      let chunk = Math.min(limit + 1, PAGE_FIRST_CHUNK)
      fill: while (true) {
        const rows = await iterator.nextv(chunk)
        if (rows.length === 0) {
          break
        }
        for (const [key, value] of rows) {
          const record = pb.HeldEnvelope.decode(plainBytes(value))
          const size = record.envelope.byteLength
          if (items.length >= limit || (items.length > 0 && bytes + size > maxBytes)) {
            more = true
            break fill
          }
          items.push({
            seq: parseInt(key.slice(key.indexOf(SEPARATOR) + 1), 16),
            messageId: record.messageId,
            envelope: record.envelope,
            depositedAt: record.depositedAt
          })
          bytes += size
        }
        const fit = Math.ceil(Math.max(0, maxBytes - bytes) / (bytes / items.length))
        chunk = Math.max(1, Math.min(limit - items.length, fit)) + 1
      }
    } finally {
      await iterator.close()
    }
    return { items, more }
  }

  /**
   * A device stored these messages: delete them (tombstones stay), in one
   * synced batch. Ids not held (already acked, expired, unknown) are skipped.
   * Resolves with how many were deleted.
   */
  async ack (accountId: string, devicePeerId: string, messageIds: string[]): Promise<number> {
    return this.#write(async () => {
      const account = this.#accounts.get(accountId)
      if (account == null) {
        return 0
      }
      const unique = [...new Set(messageIds)].filter(isMessageId)
      const entries = await this.#ids.getMany(unique.map(id => idKey(accountId, id)))
      const live: LiveId[] = []
      unique.forEach((messageId, i) => {
        const bytes = entries[i]
        if (bytes != null) {
          const entry = pb.HeldId.decode(plainBytes(bytes))
          if (entry.ackedAt === 0) {
            live.push({ messageId, seq: entry.seq, sender: entry.sender, size: entry.size, stranger: entry.stranger })
          }
        }
      })
      if (live.length === 0) {
        return 0
      }
      // A HeldId not yet acked always has its held record (deposit writes the
      // two in one batch; ack, expiry and unpair remove them in one), so its
      // sender and size are all an ack needs. Records written before HeldId
      // carried them: read the envelope.
      const old = live.filter(l => l.sender == null || l.size == null)
      const oldValues = old.length > 0 ? await this.#held.getMany(old.map(l => heldKey(accountId, l.seq))) : []
      old.forEach((l, i) => {
        const value = oldValues[i]
        if (value == null) {
          l.gone = true
          return
        }
        const item = pb.HeldEnvelope.decode(plainBytes(value))
        l.sender = item.sender
        l.size = item.envelope.byteLength
        l.stranger = item.stranger
      })
      const now = this.#now()
      const ops: Operation[] = []
      const senderDelta = new Map<string, { items: number, bytes: number }>()
      let items = 0
      let bytes = 0
      let strangerItems = 0
      let strangerBytes = 0
      for (const l of live) {
        if (l.gone !== true && l.sender != null && l.size != null) {
          addDelta(senderDelta, l.sender, l.size)
          items++
          bytes += l.size
          if (l.stranger) {
            strangerItems++
            strangerBytes += l.size
          }
          ops.push({ type: 'del', sublevel: this.#held, key: heldKey(accountId, l.seq) })
        }
        // The order entry stays as deposited: expiry goes by the held record
        // (gone once acked), so rewriting it with `acked` would only cost a write.
        ops.push({ type: 'put', sublevel: this.#ids, key: idKey(accountId, l.messageId), value: pb.HeldId.encode({ seq: l.seq, ackedAt: now, stranger: false }) })
      }
      const updated: AccountState = {
        ...account,
        items: account.items - items,
        bytes: account.bytes - bytes,
        strangerItems: account.strangerItems - strangerItems,
        strangerBytes: account.strangerBytes - strangerBytes
      }
      ops.push(this.#putAccount(accountId, updated))
      const previous = account.devices.get(devicePeerId)
      const device = { lastDrainAt: now, lastAckAt: now, acked: (previous?.acked ?? 0) + items }
      ops.push({ type: 'put', sublevel: this.#devices, key: deviceKey(accountId, devicePeerId), value: pb.DeviceRecord.encode(device) })
      const senders = this.#applySenderDelta(senderDelta, ops)
      await this.#root.batch(ops, SYNC_WRITE)
      updated.devices.set(devicePeerId, device)
      this.#accounts.set(accountId, updated)
      this.#commitSenders(senders)
      this.#items -= items
      this.#bytes -= bytes
      return items
    })
  }

  /**
   * Records that a device drained (for status). Not synced: losing the last
   * one in a crash costs only a stale "last drain" time.
   */
  async noteDrain (accountId: string, devicePeerId: string): Promise<void> {
    await this.#write(async () => {
      const account = this.#accounts.get(accountId)
      if (account == null) {
        return
      }
      const previous = account.devices.get(devicePeerId)
      const device = { lastDrainAt: this.#now(), lastAckAt: previous?.lastAckAt ?? 0, acked: previous?.acked ?? 0 }
      const ops: Operation[] = [{ type: 'put', sublevel: this.#devices, key: deviceKey(accountId, devicePeerId), value: pb.DeviceRecord.encode(device) }]
      // device certificates cost an account nothing: remember its MAX_RECORD_DEVICES most recent drainers
      let forgotten: string | undefined
      if (previous == null && account.devices.size >= MAX_RECORD_DEVICES) {
        forgotten = [...account.devices].sort(([, a], [, b]) => a.lastDrainAt - b.lastDrainAt)[0][0]
        ops.push({ type: 'del', sublevel: this.#devices, key: deviceKey(accountId, forgotten) })
      }
      await this.#root.batch(ops)
      if (forgotten != null) {
        account.devices.delete(forgotten)
      }
      account.devices.set(devicePeerId, device)
    })
  }

  // --- expiry -----------------------------------------------------------------

  /**
   * Deletes, oldest deposit first, every envelope held longer than the
   * retention and the tombstones of delivered ones as old; and pairing codes
   * that expired more than EXPIRED_CODE_KEEP_MS ago. Runs in synced steps of
   * EXPIRY_BATCH writes, each complete in itself.
   */
  async expire (): Promise<ExpiryResult> {
    const result: ExpiryResult = { expired: 0, forgotten: 0, codes: 0 }
    while (true) {
      const step = await this.#write(async () => this.#expireStep())
      result.expired += step.expired
      result.forgotten += step.forgotten
      if (step.done) {
        break
      }
    }
    result.codes = await this.#write(async () => {
      const cutoff = this.#now() - EXPIRED_CODE_KEEP_MS
      const ops: Operation[] = []
      for await (const [key, value] of this.#codes.iterator()) {
        if (pb.CodeRecord.decode(plainBytes(value)).expiresAt < cutoff) {
          ops.push({ type: 'del', sublevel: this.#codes, key })
        }
      }
      if (ops.length > 0) {
        await this.#root.batch(ops, SYNC_WRITE)
      }
      return ops.length
    })
    if (result.expired > 0 || result.forgotten > 0) {
      log('expired %d item(s), forgot %d delivered id(s)', result.expired, result.forgotten)
    }
    return result
  }

  async #expireStep (): Promise<{ expired: number, forgotten: number, done: boolean }> {
    const cutoff = this.#now() - this.limits.retentionMs
    const entries: Array<{ key: string, entry: pb.OrderEntry }> = []
    let done = true
    for await (const [key, value] of this.#order.iterator({ limit: EXPIRY_BATCH + 1 })) {
      const entry = pb.OrderEntry.decode(plainBytes(value))
      if (entry.depositedAt > cutoff) {
        break
      }
      if (entries.length === EXPIRY_BATCH) {
        done = false
        break
      }
      entries.push({ key, entry })
    }
    if (entries.length === 0) {
      return { expired: 0, forgotten: 0, done: true }
    }

    // `acked` is set only in entries that acks rewrote before they stopped
    // doing so; for the others the held record tells (an ack deleted it).
    const live = entries.filter(e => !e.entry.acked)
    const heldValues = live.length > 0
      ? await this.#held.getMany(live.map(e => heldKey(e.entry.accountId, parseInt(e.key, 16))))
      : []
    const ops: Operation[] = []
    const senderDelta = new Map<string, { items: number, bytes: number }>()
    const accountDelta = new Map<string, { items: number, bytes: number }>()
    const strangerDelta = new Map<string, { items: number, bytes: number }>()
    for (const { key, entry } of entries) {
      ops.push({ type: 'del', sublevel: this.#order, key })
      ops.push({ type: 'del', sublevel: this.#ids, key: idKey(entry.accountId, entry.messageId) })
    }
    let deleted = 0
    live.forEach((e, i) => {
      const value = heldValues[i]
      if (value == null) {
        return
      }
      deleted++
      const item = pb.HeldEnvelope.decode(plainBytes(value))
      ops.push({ type: 'del', sublevel: this.#held, key: heldKey(e.entry.accountId, parseInt(e.key, 16)) })
      addDelta(senderDelta, item.sender, item.envelope.byteLength)
      addDelta(accountDelta, e.entry.accountId, item.envelope.byteLength)
      if (item.stranger) {
        addDelta(strangerDelta, e.entry.accountId, item.envelope.byteLength)
      }
    })
    const accounts: Array<[string, AccountState]> = []
    for (const [accountId, delta] of accountDelta) {
      const account = this.#accounts.get(accountId)
      if (account != null) {
        const strangers = strangerDelta.get(accountId) ?? { items: 0, bytes: 0 }
        const updated = {
          ...account,
          items: account.items - delta.items,
          bytes: account.bytes - delta.bytes,
          strangerItems: account.strangerItems - strangers.items,
          strangerBytes: account.strangerBytes - strangers.bytes
        }
        ops.push(this.#putAccount(accountId, updated))
        accounts.push([accountId, updated])
      }
    }
    const senders = this.#applySenderDelta(senderDelta, ops)
    await this.#root.batch(ops, SYNC_WRITE)
    let expired = 0
    for (const [accountId, updated] of accounts) {
      const before = this.#accounts.get(accountId)
      if (before != null) {
        expired += before.items - updated.items
        this.#items -= before.items - updated.items
        this.#bytes -= before.bytes - updated.bytes
      }
      this.#accounts.set(accountId, updated)
    }
    this.#commitSenders(senders)
    return { expired, forgotten: entries.length - deleted, done }
  }

  // --- helpers ----------------------------------------------------------------

  #newAccount (publicKey: Uint8Array, now: number): AccountState {
    return { publicKey: Uint8Array.from(publicKey), pairedAt: now, items: 0, bytes: 0, lastDepositAt: 0, strangerItems: 0, strangerBytes: 0, devices: new Map() }
  }

  #putAccount (accountId: string, account: AccountState): Operation {
    return {
      type: 'put',
      sublevel: this.#accountsDb,
      key: accountId,
      value: pb.PairedAccount.encode({
        publicKey: account.publicKey as Uint8Array<ArrayBuffer>,
        pairedAt: account.pairedAt,
        items: account.items,
        bytes: account.bytes,
        lastDepositAt: account.lastDepositAt,
        strangerItems: account.strangerItems,
        strangerBytes: account.strangerBytes
      })
    }
  }

  /** Adds the writes of new sender usages to `ops`; returns them for `#commitSenders` after the batch. */
  #applySenderDelta (delta: Map<string, { items: number, bytes: number }>, ops: Operation[]): Array<[string, { items: number, bytes: number }]> {
    const result: Array<[string, { items: number, bytes: number }]> = []
    for (const [sender, d] of delta) {
      const usage = this.senderUsage(sender)
      const next = { items: Math.max(0, usage.items - d.items), bytes: Math.max(0, usage.bytes - d.bytes) }
      ops.push(next.items === 0
        ? { type: 'del', sublevel: this.#sendersDb, key: sender }
        : { type: 'put', sublevel: this.#sendersDb, key: sender, value: pb.SenderUsage.encode(next) })
      result.push([sender, next])
    }
    return result
  }

  #commitSenders (senders: Array<[string, { items: number, bytes: number }]>): void {
    for (const [sender, usage] of senders) {
      if (usage.items === 0) {
        this.#senders.delete(sender)
      } else {
        this.#senders.set(sender, usage)
      }
    }
  }
}

/** The sender quota key of a deposit whose sender certificate named the depositing peer (see DepositCall.sender). */
const ACCOUNT_SENDER = 'account:'

function contactKeys (accountIds: string[]): Set<string> {
  return new Set(accountIds.map(id => ACCOUNT_SENDER + id))
}

function addDelta (map: Map<string, { items: number, bytes: number }>, key: string, bytes: number): void {
  const d = map.get(key) ?? { items: 0, bytes: 0 }
  d.items++
  d.bytes += bytes
  map.set(key, d)
}
