/**
 * ParleyStore: identity, contacts, conversations, messages, the outbox,
 * ratchet sessions and secrets on any abstract-level database (classic-level
 * in Node, browser-level in the browser, memory-level in tests).
 * docs/storage.md describes the layout.
 *
 * Every read-modify-write runs under one async mutex, so concurrent callers
 * never see or write a stale conversation clock, unread count or outbox
 * sequence number. Writes that belong together are one batch.
 *
 * Messages, conversations, sessions and secrets are sealed under the vault's
 * storage key (`unlock`), each value bound to its place in the store; until
 * the store is unlocked, the methods that read or write them throw
 * VaultLockedError.
 */

import { InvalidMessageError, InvalidParametersError, NotFoundError } from '@libp2p/interface'
import { logger } from '@libp2p/logger'
import { openAtRest, sealAtRest } from '../crypto/seal.ts'
import { AccountExistsError, NoAccountError, VaultLockedError } from '../errors.ts'
import {
  MAX_ADDRS_PER_DEVICE, MAX_DM_FRAME_BYTES, MAX_NAME_BYTES, MAX_RATCHET_STATE_BYTES, MAX_RECORD_DEVICES,
  MAX_SIGNED_PREKEY_BYTES, MAX_STORED_SECRET_BYTES, MAX_TEXT_BYTES
} from '../protocol/constants.ts'
import {
  IDENTITY_KEYS, META_KEYS, SYNC_WRITE,
  afterConversation, assertAccountId, assertMessageId, assertSecretName, conversationOfKey, messageIdKey, messageKey,
  messageRange, newMessageId, outboxKey, outboxRange, plainBytes, sealContext, sublevels, uint64ToNumber
} from './keys.ts'
import { MIGRATIONS, migrate, putCounter, readCounter } from './migrations.ts'
import * as pb from './pb/store.ts'
import type { BatchOperation, SealedSublevel, StoreDatabase, Sublevels } from './keys.ts'
import type { AbortOptions } from '@libp2p/interface'

const log = logger('parley:store')

export type Direction = 'in' | 'out'

/**
 * Where a message is: ours `pending` (queued), `at-mailbox` (a mailbox of the
 * recipient holds it; still queued until a device acks) or `delivered`
 * (acked by a device), or theirs `received`.
 */
export type MessageState = 'pending' | 'at-mailbox' | 'delivered' | 'received'

/** One message of a conversation's history. */
export interface StoredMessage {
  /** Chosen by the author: 16 random bytes as lowercase base32 (see `newMessageId()`). */
  id: string
  /** The other party's account id (1:1). */
  conversation: string
  direction: Direction
  /** The author's account id. */
  sender: string
  text: string
  state: MessageState
  /** Lamport time within the conversation: the order of the history (not wall clocks). */
  clock: number
  /** The author's wall clock (ms), for display only. */
  sentAt: number
  /** The local wall clock (ms) when this store wrote the message. */
  receivedAt: number
}

export type ContactState = 'contact' | 'request' | 'blocked'

export interface Contact {
  accountId: string
  publicKey: Uint8Array
  name: string
  state: ContactState
  /** Encoded device certificates. */
  devices: Uint8Array[]
  /** Multiaddr hints. */
  addrs: string[]
  addedAt: number
  updatedAt: number
  /** The contact's encoded SignedPrekey (shared/crypto/prekeys.ts), as last received and verified. */
  prekey?: Uint8Array
  /** The owner compared safety numbers and marked the contact verified. Read back as `false` when never set. */
  verified?: boolean
  /** The contact's identity key changed since it was added: show a warning. Read back as `false` when never set. */
  keyChange?: boolean
}

export interface Conversation {
  /** The other party's account id (1:1). */
  id: string
  /** The highest Lamport time seen or used here; the next outgoing message gets `clock + 1`. */
  clock: number
  unread: number
  /** The message that sorts last in the history. */
  lastMessageId?: string
  /** Its text, cut to LAST_TEXT_PREVIEW_CHARS characters. */
  lastText?: string
  /** When it was stored here (local wall clock, ms): the conversation's last activity. */
  lastAt?: number
}

export interface OutboxEntry {
  conversation: string
  messageId: string
  /** Global enqueue order across conversations. */
  seq: number
  queuedAt: number
  /**
   * The encrypted envelope made for this message when it was queued
   * (`addOutgoing`'s `prepare`); retries resend these bytes. Empty when the
   * message was queued without `prepare`.
   */
  envelope: Uint8Array
}

export interface Profile {
  accountId: string
  name: string
  peerId: string
  createdAt: number
  /** Sequence number of the last published account record. */
  recordSeq: number
  invite?: string
}

/** A message as it arrives from the network, before the store stamps it. */
export interface IncomingMessage {
  id: string
  conversation: string
  sender: string
  text: string
  clock: number
  sentAt: number
}

export interface OutgoingMessageInit {
  conversation: string
  sender: string
  text: string
  /** Default: a new random id. */
  id?: string
  /** Default: now. */
  sentAt?: number
}

/** What `addOutgoing`'s `prepare` returns: the message, encrypted, and the session state after it. */
export interface PreparedOutgoing {
  /** The encoded, encrypted envelope to queue (non-empty, at most MAX_DM_FRAME_BYTES). */
  envelope: Uint8Array
  /** The new ratchet state of the conversation, written to `sessions/<conversation>` in the same batch. */
  session?: Uint8Array
}

export interface AddOutgoingOptions extends AbortOptions {
  /**
   * Called synchronously inside the store's mutex, once the message has its
   * id and clock and before anything is written; what it returns is written
   * in the same batch as the message. `session` is the conversation's stored
   * session (`sessions/<conversation>`), read inside the same mutex: encrypt
   * from it, never from a copy read earlier. If it throws, nothing is written
   * and the error propagates. Default: none (the outbox entry's envelope is
   * empty).
   */
  prepare?: (message: StoredMessage, session: Uint8Array | undefined) => PreparedOutgoing
}

export interface AddIncomingOptions extends AbortOptions {
  /**
   * A ratchet state to write to `sessions/<conversation>` in the same synced
   * batch as the messages: the state after decrypting them. Not written when
   * every message is a duplicate. Default: none.
   */
  session?: { conversation: string, state: Uint8Array }
}

export interface AddIncomingResult {
  /** The stored message: the one just written, or the earlier copy for a duplicate. */
  message: StoredMessage
  /** True if the message was already stored (or came earlier in the same call); nothing was rewritten. */
  duplicate: boolean
}

export interface HistoryOptions extends AbortOptions {
  /** Messages to return, 1 to MAX_HISTORY_LIMIT. Default: DEFAULT_HISTORY_LIMIT. */
  limit?: number
  /** Return only messages that sort before this message id (exclusive). Default: from the newest. */
  before?: string
}

export const DEFAULT_HISTORY_LIMIT = 50
export const MAX_HISTORY_LIMIT = 500

/** `Conversation.lastText` is a preview for the conversation list, not a copy of the message. */
export const LAST_TEXT_PREVIEW_CHARS = 256

const DIRECTION_TO_PB: Record<Direction, pb.Direction> = {
  in: pb.Direction.DIRECTION_IN,
  out: pb.Direction.DIRECTION_OUT
}

const MESSAGE_STATE_TO_PB: Record<MessageState, pb.MessageState> = {
  pending: pb.MessageState.MESSAGE_STATE_PENDING,
  'at-mailbox': pb.MessageState.MESSAGE_STATE_AT_MAILBOX,
  delivered: pb.MessageState.MESSAGE_STATE_DELIVERED,
  received: pb.MessageState.MESSAGE_STATE_RECEIVED
}

const CONTACT_STATE_TO_PB: Record<ContactState, pb.ContactState> = {
  contact: pb.ContactState.CONTACT_STATE_CONTACT,
  request: pb.ContactState.CONTACT_STATE_REQUEST,
  blocked: pb.ContactState.CONTACT_STATE_BLOCKED
}

/** The vault's storage key (docs/identity.md). */
const STORAGE_KEY_BYTES = 32

const textEncoder = new TextEncoder()
const nameCollator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true })

/** Serialises async sections; a waiter whose signal aborts leaves the queue without running. */
class Mutex {
  #tail: Promise<void> = Promise.resolve()

  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted()
    const previous = this.#tail
    let release!: () => void
    const mine = new Promise<void>(resolve => { release = resolve })
    // The next waiter waits for both, so an aborted waiter that releases early
    // does not let the next one overtake a section still running.
    this.#tail = previous.then(async () => mine)

    try {
      await waitFor(previous, signal)
      return await fn()
    } finally {
      release()
    }
  }
}

async function waitFor (promise: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (signal == null) {
    return promise
  }

  signal.throwIfAborted()

  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => { reject(signal.reason) }
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, reject)
  })
}

function assertSafeCount (value: unknown, what: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidParametersError(`Invalid ${what}: expected a non-negative safe integer`)
  }
}

function assertText (text: unknown): asserts text is string {
  if (typeof text !== 'string') {
    throw new InvalidParametersError('Invalid message text: expected a string')
  }

  // UTF-8 is at most 3 bytes per UTF-16 code unit: skip encoding short texts.
  if (text.length * 3 > MAX_TEXT_BYTES && textEncoder.encode(text).byteLength > MAX_TEXT_BYTES) {
    throw new InvalidParametersError(`Message text is longer than ${MAX_TEXT_BYTES} bytes; split it or shorten it`)
  }
}

function assertName (name: unknown, what: string): asserts name is string {
  if (typeof name !== 'string' || textEncoder.encode(name).byteLength > MAX_NAME_BYTES) {
    throw new InvalidParametersError(`Invalid ${what}: expected a string of at most ${MAX_NAME_BYTES} bytes`)
  }
}

function preview (text: string): string {
  if (text.length <= LAST_TEXT_PREVIEW_CHARS) {
    return text
  }

  // Cut at a code point boundary, never inside a surrogate pair.
  return Array.from(text).slice(0, LAST_TEXT_PREVIEW_CHARS).join('')
}

function fromPbEnum<T extends string> (map: Record<T, string>, value: string, what: string): T {
  for (const [key, pbValue] of Object.entries(map) as Array<[T, string]>) {
    if (pbValue === value) {
      return key
    }
  }

  throw new InvalidMessageError(`Stored ${what} has no valid value`)
}

function decodeMessage (bytes: Uint8Array): { message: StoredMessage, outboxSeq?: number } {
  const record = pb.StoredMessage.decode(bytes)

  return {
    message: {
      id: record.id,
      conversation: record.conversation,
      direction: fromPbEnum(DIRECTION_TO_PB, record.direction, 'message direction'),
      sender: record.sender,
      text: record.text,
      state: fromPbEnum(MESSAGE_STATE_TO_PB, record.state, 'message state'),
      clock: uint64ToNumber(record.clock, 'message clock'),
      sentAt: uint64ToNumber(record.sentAt, 'message sentAt'),
      receivedAt: uint64ToNumber(record.receivedAt, 'message receivedAt')
    },
    outboxSeq: record.outboxSeq == null ? undefined : uint64ToNumber(record.outboxSeq, 'message outboxSeq')
  }
}

function encodeMessage (message: StoredMessage, outboxSeq?: number): Uint8Array {
  return pb.StoredMessage.encode({
    id: message.id,
    conversation: message.conversation,
    direction: DIRECTION_TO_PB[message.direction],
    sender: message.sender,
    text: message.text,
    state: MESSAGE_STATE_TO_PB[message.state],
    clock: BigInt(message.clock),
    sentAt: BigInt(message.sentAt),
    receivedAt: BigInt(message.receivedAt),
    outboxSeq: outboxSeq == null ? undefined : BigInt(outboxSeq)
  })
}

function decodeConversation (bytes: Uint8Array): Conversation {
  const record = pb.Conversation.decode(bytes)
  const conversation: Conversation = {
    id: record.id,
    clock: uint64ToNumber(record.clock, 'conversation clock'),
    unread: record.unread
  }

  if (record.lastMessageId != null) conversation.lastMessageId = record.lastMessageId
  if (record.lastText != null) conversation.lastText = record.lastText
  if (record.lastAt != null) conversation.lastAt = uint64ToNumber(record.lastAt, 'conversation lastAt')

  return conversation
}

function encodeConversation (conversation: Conversation): Uint8Array {
  return pb.Conversation.encode({
    id: conversation.id,
    clock: BigInt(conversation.clock),
    unread: conversation.unread,
    lastMessageId: conversation.lastMessageId,
    lastText: conversation.lastText,
    lastAt: conversation.lastAt == null ? undefined : BigInt(conversation.lastAt)
  })
}

function decodeContact (bytes: Uint8Array): Contact {
  const record = pb.Contact.decode(plainBytes(bytes))

  return {
    accountId: record.accountId,
    publicKey: record.publicKey,
    name: record.name,
    state: fromPbEnum(CONTACT_STATE_TO_PB, record.state, 'contact state'),
    devices: record.devices,
    addrs: record.addrs,
    addedAt: uint64ToNumber(record.addedAt, 'contact addedAt'),
    updatedAt: uint64ToNumber(record.updatedAt, 'contact updatedAt'),
    ...(record.prekey != null && record.prekey.byteLength > 0 ? { prekey: record.prekey } : {}),
    verified: record.verified,
    keyChange: record.keyChange
  }
}

function encodeContact (contact: Contact): Uint8Array {
  return pb.Contact.encode({
    accountId: contact.accountId,
    // The encoder only reads the bytes; protons types them over ArrayBuffer.
    publicKey: contact.publicKey as Uint8Array<ArrayBuffer>,
    name: contact.name,
    state: CONTACT_STATE_TO_PB[contact.state],
    devices: contact.devices as Array<Uint8Array<ArrayBuffer>>,
    addrs: contact.addrs,
    addedAt: BigInt(contact.addedAt),
    updatedAt: BigInt(contact.updatedAt),
    prekey: contact.prekey as Uint8Array<ArrayBuffer> | undefined,
    verified: contact.verified ?? false,
    keyChange: contact.keyChange ?? false
  })
}

function decodeOutboxEntry (bytes: Uint8Array): OutboxEntry {
  const record = pb.OutboxEntry.decode(plainBytes(bytes))

  return {
    conversation: record.conversation,
    messageId: record.messageId,
    seq: uint64ToNumber(record.seq, 'outbox seq'),
    queuedAt: uint64ToNumber(record.queuedAt, 'outbox queuedAt'),
    envelope: record.envelope
  }
}

function encodeOutboxEntry (entry: OutboxEntry): Uint8Array {
  return pb.OutboxEntry.encode({
    conversation: entry.conversation,
    messageId: entry.messageId,
    seq: BigInt(entry.seq),
    queuedAt: BigInt(entry.queuedAt),
    envelope: entry.envelope as Uint8Array<ArrayBuffer>
  })
}

function decodeProfile (bytes: Uint8Array): Profile {
  const record = pb.Profile.decode(bytes)
  const profile: Profile = {
    accountId: record.accountId,
    name: record.name,
    peerId: record.peerId,
    createdAt: uint64ToNumber(record.createdAt, 'profile createdAt'),
    recordSeq: uint64ToNumber(record.recordSeq, 'profile recordSeq')
  }

  if (record.invite != null) profile.invite = record.invite

  return profile
}

function encodeProfile (profile: Profile): Uint8Array {
  return pb.Profile.encode({
    accountId: profile.accountId,
    name: profile.name,
    peerId: profile.peerId,
    createdAt: BigInt(profile.createdAt),
    recordSeq: BigInt(profile.recordSeq),
    invite: profile.invite
  })
}

function encodeRef (clock: number): Uint8Array {
  return pb.MessageRef.encode({ clock: BigInt(clock) })
}

function decodeRef (bytes: Uint8Array): number {
  return uint64ToNumber(pb.MessageRef.decode(bytes).clock, 'message ref clock')
}

function validateProfile (profile: Profile): void {
  assertAccountId(profile?.accountId)
  assertName(profile.name, 'profile name')

  if (typeof profile.peerId !== 'string' || profile.peerId === '') {
    throw new InvalidParametersError('Invalid profile peer id: expected a non-empty string')
  }

  assertSafeCount(profile.createdAt, 'profile createdAt')
  assertSafeCount(profile.recordSeq, 'profile recordSeq')

  if (profile.invite != null && typeof profile.invite !== 'string') {
    throw new InvalidParametersError('Invalid profile invite: expected a string')
  }
}

function validateContact (contact: Contact): void {
  assertAccountId(contact?.accountId, 'contact account id')

  if (!(contact.publicKey instanceof Uint8Array)) {
    throw new InvalidParametersError('Invalid contact public key: expected bytes')
  }

  assertName(contact.name, 'contact name')

  if (!Object.hasOwn(CONTACT_STATE_TO_PB, contact.state)) {
    throw new InvalidParametersError('Invalid contact state: expected "contact", "request" or "blocked"')
  }

  if (!Array.isArray(contact.devices) || contact.devices.length > MAX_RECORD_DEVICES || !contact.devices.every(d => d instanceof Uint8Array)) {
    throw new InvalidParametersError(`Invalid contact devices: expected at most ${MAX_RECORD_DEVICES} device certificates`)
  }

  const maxAddrs = MAX_RECORD_DEVICES * MAX_ADDRS_PER_DEVICE

  if (!Array.isArray(contact.addrs) || contact.addrs.length > maxAddrs || !contact.addrs.every(a => typeof a === 'string')) {
    throw new InvalidParametersError(`Invalid contact addrs: expected at most ${maxAddrs} multiaddr strings`)
  }

  assertSafeCount(contact.addedAt, 'contact addedAt')
  assertSafeCount(contact.updatedAt, 'contact updatedAt')

  if (contact.prekey != null && (!(contact.prekey instanceof Uint8Array) || contact.prekey.byteLength === 0 || contact.prekey.byteLength > MAX_SIGNED_PREKEY_BYTES)) {
    throw new InvalidParametersError(`Invalid contact prekey: expected an encoded signed prekey of 1 to ${MAX_SIGNED_PREKEY_BYTES} bytes`)
  }

  if (contact.verified != null && typeof contact.verified !== 'boolean') {
    throw new InvalidParametersError('Invalid contact "verified": expected a boolean')
  }

  if (contact.keyChange != null && typeof contact.keyChange !== 'boolean') {
    throw new InvalidParametersError('Invalid contact "keyChange": expected a boolean')
  }
}

function assertSessionState (state: unknown): asserts state is Uint8Array {
  if (!(state instanceof Uint8Array) || state.byteLength > MAX_RATCHET_STATE_BYTES) {
    throw new InvalidParametersError(`Invalid session state: expected at most ${MAX_RATCHET_STATE_BYTES} bytes`)
  }
}

function assertPrepared (prepared: unknown): asserts prepared is PreparedOutgoing {
  const envelope = (prepared as PreparedOutgoing | undefined)?.envelope

  if (!(envelope instanceof Uint8Array) || envelope.byteLength === 0 || envelope.byteLength > MAX_DM_FRAME_BYTES) {
    throw new InvalidParametersError(`addOutgoing's prepare must return synchronously { envelope } with 1 to ${MAX_DM_FRAME_BYTES} bytes of envelope`)
  }

  const session = (prepared as PreparedOutgoing).session

  if (session != null) {
    assertSessionState(session)
  }
}

function validateIncoming (message: IncomingMessage): void {
  assertMessageId(message?.id)
  assertAccountId(message.conversation, 'conversation id')
  assertAccountId(message.sender, 'sender account id')
  assertText(message.text)
  assertSafeCount(message.clock, 'message clock')
  assertSafeCount(message.sentAt, 'message sentAt')
}

/** True if (clock, id) sorts after the conversation's current last message. */
function sortsLast (conversation: Conversation, clock: number, id: string): boolean {
  if (conversation.lastMessageId == null) {
    return true
  }

  return clock > conversation.clock || (clock === conversation.clock && id > conversation.lastMessageId)
}

function emptyConversation (id: string): Conversation {
  return { id, clock: 0, unread: 0 }
}

export class ParleyStore {
  readonly #db: StoreDatabase
  readonly #sub: Sublevels
  readonly #mutex = new Mutex()
  /** The last outbox seq handed out; mirrors meta/outboxSeq, read once at open. */
  #outboxSeq: number
  /** The vault's storage key, once `unlock` gave it. Never logged. */
  #storageKey?: Uint8Array

  private constructor (db: StoreDatabase, subs: Sublevels, outboxSeq: number) {
    this.#db = db
    this.#sub = subs
    this.#outboxSeq = outboxSeq
  }

  /**
   * Opens `db` if it is not open yet and brings its schema up to date. Reads a
   * fixed number of keys: start-up does not grow with the history.
   *
   * @throws SchemaVersionError if the store was written by a newer schema.
   */
  static async open (db: StoreDatabase, options: AbortOptions = {}): Promise<ParleyStore> {
    options.signal?.throwIfAborted()
    await db.open()
    const subs = sublevels(db)
    const version = await migrate(db, subs, MIGRATIONS, options)
    const outboxSeq = await readCounter(subs.meta, META_KEYS.outboxSeq)
    log('opened store, schema version %d', version)

    return new ParleyStore(db, subs, outboxSeq)
  }

  /** Waits for writes under way, then closes the database and forgets the storage key. */
  async close (): Promise<void> {
    await this.#mutex.run(async () => {
      await this.#db.close()
    })
    this.#storageKey?.fill(0)
    this.#storageKey = undefined
  }

  /**
   * Gives the store the vault's storage key (`VaultSecrets.storageKey`, 32
   * bytes; the store keeps a copy). From now on messages, conversations,
   * sessions and secrets are sealed when written and opened when read;
   * before it, those methods throw VaultLockedError. Reads nothing: a wrong
   * key shows as DecryptionError on the first sealed value read.
   */
  unlock (storageKey: Uint8Array): void {
    if (!(storageKey instanceof Uint8Array) || storageKey.byteLength !== STORAGE_KEY_BYTES) {
      throw new InvalidParametersError(`Invalid storage key: expected ${STORAGE_KEY_BYTES} bytes`)
    }

    this.#storageKey?.fill(0)
    this.#storageKey = Uint8Array.from(storageKey)
  }

  /** @throws VaultLockedError before `unlock` */
  #assertUnlocked (): Uint8Array {
    if (this.#storageKey == null) {
      throw new VaultLockedError()
    }

    return this.#storageKey
  }

  /** `bytes` sealed for `key` of `sublevel`. */
  #seal (sublevel: SealedSublevel, key: string, bytes: Uint8Array): Uint8Array {
    return sealAtRest(this.#assertUnlocked(), bytes, sealContext(sublevel, key))
  }

  /** The plaintext of the sealed value at `key` of `sublevel`. @throws DecryptionError if it was altered or moved */
  #open (sublevel: SealedSublevel, key: string, sealed: Uint8Array): Uint8Array {
    return openAtRest(this.#assertUnlocked(), plainBytes(sealed), sealContext(sublevel, key))
  }

  #readMessage (key: string, sealed: Uint8Array): { message: StoredMessage, outboxSeq?: number } {
    return decodeMessage(this.#open('messages', key, sealed))
  }

  #messagePut (message: StoredMessage, outboxSeq?: number): BatchOperation {
    const key = messageKey(message.conversation, message.clock, message.id)
    return { type: 'put', sublevel: this.#sub.messages, key, value: this.#seal('messages', key, encodeMessage(message, outboxSeq)) }
  }

  #readConversation (id: string, sealed: Uint8Array): Conversation {
    return decodeConversation(this.#open('conversations', id, sealed))
  }

  #conversationPut (conversation: Conversation): BatchOperation {
    return { type: 'put', sublevel: this.#sub.conversations, key: conversation.id, value: this.#seal('conversations', conversation.id, encodeConversation(conversation)) }
  }

  #sessionPut (conversation: string, state: Uint8Array): BatchOperation {
    return { type: 'put', sublevel: this.#sub.sessions, key: conversation, value: this.#seal('sessions', conversation, state) }
  }

  // identity

  /** The passphrase-sealed vault, if an identity exists. */
  async getVault (options: AbortOptions = {}): Promise<Uint8Array | undefined> {
    options.signal?.throwIfAborted()
    return plainBytes(await this.#sub.identity.get(IDENTITY_KEYS.vault))
  }

  async getProfile (options: AbortOptions = {}): Promise<Profile | undefined> {
    options.signal?.throwIfAborted()
    const bytes = await this.#sub.identity.get(IDENTITY_KEYS.profile)
    return bytes == null ? undefined : decodeProfile(bytes)
  }

  /**
   * Writes a new identity: its profile and sealed vault, in one synced batch.
   *
   * @throws AccountExistsError if the store already holds an identity.
   */
  async createIdentity (profile: Profile, sealedVault: Uint8Array, options: AbortOptions = {}): Promise<void> {
    validateProfile(profile)

    if (!(sealedVault instanceof Uint8Array) || sealedVault.byteLength === 0) {
      throw new InvalidParametersError('Invalid vault: expected non-empty bytes')
    }

    await this.#mutex.run(async () => {
      const [existingProfile, existingVault] = await this.#sub.identity.getMany([IDENTITY_KEYS.profile, IDENTITY_KEYS.vault])

      if (existingProfile != null || existingVault != null) {
        throw new AccountExistsError('This store already holds an account. Nothing was changed; unlock it instead, or use another data directory.')
      }

      options.signal?.throwIfAborted()
      await this.#db.batch([
        { type: 'put', sublevel: this.#sub.identity, key: IDENTITY_KEYS.profile, value: encodeProfile(profile) },
        { type: 'put', sublevel: this.#sub.identity, key: IDENTITY_KEYS.vault, value: sealedVault }
      ], SYNC_WRITE)
    }, options.signal)
  }

  /**
   * Replaces the profile of the existing identity (name, record seq, invite…).
   *
   * @throws NoAccountError if there is no identity yet
   */
  async putProfile (profile: Profile, options: AbortOptions = {}): Promise<void> {
    validateProfile(profile)

    await this.#mutex.run(async () => {
      const existing = await this.getProfile()

      if (existing == null) {
        throw new NoAccountError('There is no account in this store yet; create one first.')
      }

      if (existing.accountId !== profile.accountId) {
        throw new InvalidParametersError('A profile cannot change the account id; create a new store for another account.')
      }

      options.signal?.throwIfAborted()
      await this.#db.batch([
        { type: 'put', sublevel: this.#sub.identity, key: IDENTITY_KEYS.profile, value: encodeProfile(profile) }
      ], SYNC_WRITE)
    }, options.signal)
  }

  // contacts

  async getContact (accountId: string, options: AbortOptions = {}): Promise<Contact | undefined> {
    assertAccountId(accountId, 'contact account id')
    options.signal?.throwIfAborted()
    const bytes = await this.#sub.contacts.get(accountId)
    return bytes == null ? undefined : decodeContact(bytes)
  }

  /** Adds or replaces a contact. */
  async putContact (contact: Contact, options: AbortOptions = {}): Promise<void> {
    validateContact(contact)

    await this.#mutex.run(async () => {
      await this.#sub.contacts.put(contact.accountId, encodeContact(contact))
    }, options.signal)
  }

  /** Contacts (only those in `state` when given), sorted by name, then account id. */
  async listContacts (state?: ContactState, options: AbortOptions = {}): Promise<Contact[]> {
    const values = await this.#sub.contacts.values({ signal: options.signal }).all()

    return values
      .map(decodeContact)
      .filter(contact => state == null || contact.state === state)
      .sort((a, b) => nameCollator.compare(a.name, b.name) || compareStrings(a.accountId, b.accountId))
  }

  // conversations

  /** @throws VaultLockedError before `unlock` */
  async getConversation (id: string, options: AbortOptions = {}): Promise<Conversation | undefined> {
    this.#assertUnlocked()
    assertAccountId(id, 'conversation id')
    options.signal?.throwIfAborted()
    const bytes = await this.#sub.conversations.get(id)
    return bytes == null ? undefined : this.#readConversation(id, bytes)
  }

  /**
   * All conversations, the most recent activity (`lastAt`) first.
   *
   * @throws VaultLockedError before `unlock`
   */
  async listConversations (options: AbortOptions = {}): Promise<Conversation[]> {
    this.#assertUnlocked()
    const entries = await this.#sub.conversations.iterator({ signal: options.signal }).all()

    return entries
      .map(([id, bytes]) => this.#readConversation(id, bytes))
      .sort((a, b) => (b.lastAt ?? -1) - (a.lastAt ?? -1) || compareStrings(a.id, b.id))
  }

  /**
   * Sets the conversation's unread count to 0.
   *
   * @throws VaultLockedError before `unlock`
   */
  async markRead (conversation: string, options: AbortOptions = {}): Promise<void> {
    this.#assertUnlocked()
    assertAccountId(conversation, 'conversation id')

    await this.#mutex.run(async () => {
      const current = await this.getConversation(conversation)

      if (current == null || current.unread === 0) {
        return
      }

      await this.#db.batch([this.#conversationPut({ ...current, unread: 0 })])
    }, options.signal)
  }

  // messages

  /**
   * Stores a message of ours as `pending` and queues it in the outbox. One
   * synced batch writes the message, its id index entry, its outbox entry
   * (with the envelope `options.prepare` made), the conversation (clock + 1,
   * last message), the outbox counter and the session `prepare` returned:
   * after a crash either all of it is there or none.
   *
   * @throws VaultLockedError before `unlock`; whatever `prepare` throws (nothing written)
   */
  async addOutgoing (init: OutgoingMessageInit, options: AddOutgoingOptions = {}): Promise<StoredMessage> {
    this.#assertUnlocked()
    assertAccountId(init?.conversation, 'conversation id')
    assertAccountId(init.sender, 'sender account id')
    assertText(init.text)

    if (init.id != null) {
      assertMessageId(init.id)
    }

    if (init.sentAt != null) {
      assertSafeCount(init.sentAt, 'message sentAt')
    }

    const prepare = options.prepare

    if (prepare != null && typeof prepare !== 'function') {
      throw new InvalidParametersError('Invalid prepare: expected a function')
    }

    return this.#mutex.run(async () => {
      const id = init.id ?? newMessageId()
      const [conversationBytes, refBytes, sessionBytes] = await Promise.all([
        this.#sub.conversations.get(init.conversation),
        this.#sub.messageIds.get(messageIdKey(init.conversation, id)),
        prepare == null ? undefined : this.#sub.sessions.get(init.conversation)
      ])

      if (refBytes != null) {
        throw new InvalidParametersError('A message with this id is already stored in this conversation; use a new id.')
      }

      const conversation = conversationBytes == null ? emptyConversation(init.conversation) : this.#readConversation(init.conversation, conversationBytes)
      const clock = conversation.clock + 1

      if (!Number.isSafeInteger(clock)) {
        throw new InvalidParametersError('This conversation\'s clock is exhausted; no more messages can be ordered in it.')
      }

      const now = Date.now()
      const seq = this.#outboxSeq + 1
      const message: StoredMessage = {
        id,
        conversation: init.conversation,
        direction: 'out',
        sender: init.sender,
        text: init.text,
        state: 'pending',
        clock,
        sentAt: init.sentAt ?? now,
        receivedAt: now
      }
      const updated: Conversation = {
        ...conversation,
        clock,
        lastMessageId: id,
        lastText: preview(message.text),
        lastAt: now
      }
      let prepared: PreparedOutgoing | undefined

      if (prepare != null) {
        const session = sessionBytes == null ? undefined : this.#open('sessions', init.conversation, sessionBytes)
        // A copy: what prepare does to its argument does not change what is stored.
        prepared = prepare({ ...message }, session)
        assertPrepared(prepared)
      }

      const entry: OutboxEntry = { conversation: init.conversation, messageId: id, seq, queuedAt: now, envelope: prepared?.envelope ?? new Uint8Array(0) }
      const operations: BatchOperation[] = [
        this.#messagePut(message, seq),
        { type: 'put', sublevel: this.#sub.messageIds, key: messageIdKey(message.conversation, id), value: encodeRef(clock) },
        { type: 'put', sublevel: this.#sub.outbox, key: outboxKey(message.conversation, seq), value: encodeOutboxEntry(entry) },
        this.#conversationPut(updated),
        putCounter(this.#sub.meta, META_KEYS.outboxSeq, seq)
      ]

      if (prepared?.session != null) {
        operations.push(this.#sessionPut(message.conversation, prepared.session))
      }

      options.signal?.throwIfAborted()
      await this.#db.batch(operations, SYNC_WRITE)
      // Only once it is on disk: a failed batch must not burn a sequence number.
      this.#outboxSeq = seq

      return message
    }, options.signal)
  }

  /**
   * Stores messages from the network as `received`, in one synced batch for
   * the whole call. A message whose (conversation, id) is already stored, or
   * came earlier in the same call, is a duplicate: its result is the stored
   * copy and nothing is rewritten. Each conversation's clock becomes the
   * highest of its own and the new messages', its unread count grows by the
   * new messages and its last message follows the history order.
   * `options.session` (the ratchet state after decrypting them) is written in
   * the same batch — unless every message is a duplicate: then nothing is
   * written. Every message is validated before anything is written.
   *
   * @throws VaultLockedError before `unlock`
   */
  async addIncoming (messages: IncomingMessage[], options: AddIncomingOptions = {}): Promise<AddIncomingResult[]> {
    this.#assertUnlocked()

    if (!Array.isArray(messages)) {
      throw new InvalidParametersError('Invalid incoming messages: expected an array')
    }

    messages.forEach(validateIncoming)
    const session = options.session

    if (session != null) {
      assertAccountId(session.conversation, 'session conversation id')
      assertSessionState(session.state)
    }

    if (messages.length === 0) {
      return []
    }

    return this.#mutex.run(async () => {
      // One entry per distinct (conversation, id) of the call.
      const distinct = new Map<string, IncomingMessage>()

      for (const message of messages) {
        const idKey = messageIdKey(message.conversation, message.id)

        if (!distinct.has(idKey)) {
          distinct.set(idKey, message)
        }
      }

      const idKeys = [...distinct.keys()]
      const conversationIds = [...new Set(messages.map(m => m.conversation))]
      const [refs, conversationValues] = await Promise.all([
        this.#sub.messageIds.getMany(idKeys),
        this.#sub.conversations.getMany(conversationIds)
      ])

      // Those already in the store, read in one go.
      const storedIdKeys: string[] = []
      const storedKeys: string[] = []

      idKeys.forEach((idKey, i) => {
        const ref = refs[i]
        const message = distinct.get(idKey)

        if (ref != null && message != null) {
          storedIdKeys.push(idKey)
          storedKeys.push(messageKey(message.conversation, decodeRef(ref), message.id))
        }
      })

      const known = new Map<string, StoredMessage>()
      const storedValues = storedKeys.length === 0 ? [] : await this.#sub.messages.getMany(storedKeys)

      storedValues.forEach((bytes, i) => {
        if (bytes == null) {
          throw new InvalidMessageError('The message id index points at a missing message; the store is damaged')
        }

        known.set(storedIdKeys[i], this.#readMessage(storedKeys[i], bytes).message)
      })

      const conversations = new Map<string, Conversation>()

      conversationIds.forEach((id, i) => {
        const bytes = conversationValues[i]
        conversations.set(id, bytes == null ? emptyConversation(id) : this.#readConversation(id, bytes))
      })

      const now = Date.now()
      const operations: BatchOperation[] = []
      const changed = new Set<string>()
      const results: AddIncomingResult[] = []

      for (const incoming of messages) {
        const idKey = messageIdKey(incoming.conversation, incoming.id)
        const stored = known.get(idKey)

        if (stored != null) {
          results.push({ message: stored, duplicate: true })
          continue
        }

        const message: StoredMessage = {
          id: incoming.id,
          conversation: incoming.conversation,
          direction: 'in',
          sender: incoming.sender,
          text: incoming.text,
          state: 'received',
          clock: incoming.clock,
          sentAt: incoming.sentAt,
          receivedAt: now
        }
        known.set(idKey, message)
        results.push({ message, duplicate: false })

        operations.push(
          this.#messagePut(message),
          { type: 'put', sublevel: this.#sub.messageIds, key: idKey, value: encodeRef(message.clock) }
        )

        const conversation = conversations.get(message.conversation) ?? emptyConversation(message.conversation)
        const last = sortsLast(conversation, message.clock, message.id)
        conversations.set(message.conversation, {
          ...conversation,
          clock: Math.max(conversation.clock, message.clock),
          unread: conversation.unread + 1,
          ...(last ? { lastMessageId: message.id, lastText: preview(message.text), lastAt: now } : {})
        })
        changed.add(message.conversation)
      }

      if (operations.length === 0) {
        return results
      }

      for (const id of changed) {
        const conversation = conversations.get(id)

        if (conversation != null) {
          operations.push(this.#conversationPut(conversation))
        }
      }

      if (session != null) {
        operations.push(this.#sessionPut(session.conversation, session.state))
      }

      options.signal?.throwIfAborted()
      await this.#db.batch(operations, SYNC_WRITE)

      return results
    }, options.signal)
  }

  /**
   * Marks our pending (or at-mailbox) messages `delivered` and removes them
   * from the outbox, in one batch. Unknown ids, ids of received messages and
   * messages already delivered are ignored. Returns the messages that changed.
   *
   * Not synced: a delivery lost in a crash only means the message is sent
   * again, and the recipient answers DUPLICATE — the fsync is not worth it.
   *
   * @throws VaultLockedError before `unlock`
   */
  async markDelivered (conversation: string, ids: string[], options: AbortOptions = {}): Promise<StoredMessage[]> {
    return this.#transitionOutgoing(conversation, ids, options, (message, outboxSeq) => {
      if (message.state !== 'pending' && message.state !== 'at-mailbox') {
        return undefined
      }
      const delivered: StoredMessage = { ...message, state: 'delivered' }
      const operations: BatchOperation[] = [this.#messagePut(delivered)]
      if (outboxSeq != null) {
        operations.push({ type: 'del', sublevel: this.#sub.outbox, key: outboxKey(conversation, outboxSeq) })
      }
      return { message: delivered, operations }
    })
  }

  /**
   * Marks our pending messages `at-mailbox` (a mailbox of the recipient holds
   * them). They stay in the outbox: only a device's ack delivers them. Ids not
   * pending (unknown, received, delivered, at a mailbox already) are ignored.
   * Returns the messages that changed.
   *
   * Not synced: lost in a crash, the message is deposited again and the
   * mailbox answers duplicate.
   *
   * @throws VaultLockedError before `unlock`
   */
  async markAtMailbox (conversation: string, ids: string[], options: AbortOptions = {}): Promise<StoredMessage[]> {
    return this.#transitionOutgoing(conversation, ids, options, (message, outboxSeq) => {
      if (message.state !== 'pending') {
        return undefined
      }
      const held: StoredMessage = { ...message, state: 'at-mailbox' }
      return { message: held, operations: [this.#messagePut(held, outboxSeq)] }
    })
  }

  /**
   * Reads our outgoing messages with these ids and applies `transition` to
   * each under the mutex, writing what it returns in one (unsynced) batch.
   */
  async #transitionOutgoing (
    conversation: string,
    ids: string[],
    options: AbortOptions,
    transition: (message: StoredMessage, outboxSeq: number | undefined) => { message: StoredMessage, operations: BatchOperation[] } | undefined
  ): Promise<StoredMessage[]> {
    this.#assertUnlocked()
    assertAccountId(conversation, 'conversation id')
    if (!Array.isArray(ids)) {
      throw new InvalidParametersError('Invalid message ids: expected an array')
    }
    ids.forEach(id => { assertMessageId(id) })
    const unique = [...new Set(ids)]
    if (unique.length === 0) {
      return []
    }

    return this.#mutex.run(async () => {
      const refs = await this.#sub.messageIds.getMany(unique.map(id => messageIdKey(conversation, id)))
      const keys: string[] = []
      unique.forEach((id, i) => {
        const ref = refs[i]
        if (ref != null) {
          keys.push(messageKey(conversation, decodeRef(ref), id))
        }
      })
      if (keys.length === 0) {
        return []
      }

      const values = await this.#sub.messages.getMany(keys)
      const operations: BatchOperation[] = []
      const changed: StoredMessage[] = []
      values.forEach((bytes, i) => {
        if (bytes == null) {
          throw new InvalidMessageError('The message id index points at a missing message; the store is damaged')
        }
        const { message, outboxSeq } = this.#readMessage(keys[i], bytes)
        const next = message.direction === 'out' ? transition(message, outboxSeq) : undefined
        if (next != null) {
          operations.push(...next.operations)
          changed.push(next.message)
        }
      })
      if (operations.length === 0) {
        return []
      }

      options.signal?.throwIfAborted()
      await this.#db.batch(operations)
      return changed
    }, options.signal)
  }

  /** @throws VaultLockedError before `unlock` */
  async getMessage (conversation: string, id: string, options: AbortOptions = {}): Promise<StoredMessage | undefined> {
    this.#assertUnlocked()
    assertAccountId(conversation, 'conversation id')
    assertMessageId(id)
    options.signal?.throwIfAborted()
    const ref = await this.#sub.messageIds.get(messageIdKey(conversation, id))

    if (ref == null) {
      return undefined
    }

    const key = messageKey(conversation, decodeRef(ref), id)
    const bytes = await this.#sub.messages.get(key)
    return bytes == null ? undefined : this.#readMessage(key, bytes).message
  }

  /**
   * A page of history: the newest `limit` messages that sort before `before`
   * (or the newest of all), returned oldest → newest. One reverse range read,
   * plus one get to find `before`.
   *
   * @throws NotFoundError if `before` is not a message of this conversation
   * @throws VaultLockedError before `unlock`
   */
  async history (conversation: string, options: HistoryOptions = {}): Promise<StoredMessage[]> {
    this.#assertUnlocked()
    assertAccountId(conversation, 'conversation id')
    const limit = options.limit ?? DEFAULT_HISTORY_LIMIT

    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_HISTORY_LIMIT) {
      throw new InvalidParametersError(`Invalid history limit: expected 1 to ${MAX_HISTORY_LIMIT}`)
    }

    const range = messageRange(conversation)
    let lt = range.lt

    if (options.before != null) {
      assertMessageId(options.before, 'history "before" id')
      options.signal?.throwIfAborted()
      const ref = await this.#sub.messageIds.get(messageIdKey(conversation, options.before))

      if (ref == null) {
        throw new NotFoundError('The "before" message is not in this conversation')
      }

      lt = messageKey(conversation, decodeRef(ref), options.before)
    }

    const entries = await this.#sub.messages.iterator({ gte: range.gte, lt, reverse: true, limit, signal: options.signal }).all()

    return entries.reverse().map(([key, bytes]) => this.#readMessage(key, bytes).message)
  }

  /** Queued messages in enqueue order: all of them, or one conversation's. */
  async outbox (conversation?: string, options: AbortOptions = {}): Promise<OutboxEntry[]> {
    if (conversation != null) {
      assertAccountId(conversation, 'conversation id')
      const values = await this.#sub.outbox.values({ ...outboxRange(conversation), signal: options.signal }).all()
      return values.map(decodeOutboxEntry)
    }

    const values = await this.#sub.outbox.values({ signal: options.signal }).all()
    return values.map(decodeOutboxEntry).sort((a, b) => a.seq - b.seq)
  }

  /**
   * Conversations with anything queued, by id. Reads one key per such
   * conversation: after each, the iterator seeks past the rest of its queue.
   */
  async outboxConversations (options: AbortOptions = {}): Promise<string[]> {
    const iterator = this.#sub.outbox.keys({ signal: options.signal })
    const conversations: string[] = []

    try {
      for (let key = await iterator.next(); key !== undefined; key = await iterator.next()) {
        const conversation = conversationOfKey(key)
        conversations.push(conversation)
        iterator.seek(afterConversation(conversation))
      }
    } finally {
      await iterator.close()
    }

    return conversations
  }

  // sessions

  /**
   * The conversation's ratchet state (`sessions/<conversation>`), opened.
   *
   * @throws VaultLockedError before `unlock`
   */
  async getSession (conversation: string, options: AbortOptions = {}): Promise<Uint8Array | undefined> {
    this.#assertUnlocked()
    assertAccountId(conversation, 'session conversation id')
    options.signal?.throwIfAborted()
    const bytes = await this.#sub.sessions.get(conversation)
    return bytes == null ? undefined : this.#open('sessions', conversation, bytes)
  }

  /**
   * Replaces the conversation's ratchet state, sealed, in a synced write. To
   * write it with the message it belongs to, use `addOutgoing`'s `prepare` or
   * `addIncoming`'s `session` instead.
   *
   * @throws VaultLockedError before `unlock`
   */
  async putSession (conversation: string, state: Uint8Array, options: AbortOptions = {}): Promise<void> {
    this.#assertUnlocked()
    assertAccountId(conversation, 'session conversation id')
    assertSessionState(state)

    await this.#mutex.run(async () => {
      options.signal?.throwIfAborted()
      await this.#db.batch([this.#sessionPut(conversation, state)], SYNC_WRITE)
    }, options.signal)
  }

  // secrets

  /**
   * The secret stored under `name` (e.g. one's own signed prekeys), opened.
   *
   * @throws VaultLockedError before `unlock`
   */
  async getSecret (name: string, options: AbortOptions = {}): Promise<Uint8Array | undefined> {
    this.#assertUnlocked()
    assertSecretName(name)
    options.signal?.throwIfAborted()
    const bytes = await this.#sub.secrets.get(name)
    return bytes == null ? undefined : this.#open('secrets', name, bytes)
  }

  /**
   * Stores `value` under `name`, sealed, in a synced write (replacing what was there).
   *
   * @throws VaultLockedError before `unlock`
   */
  async putSecret (name: string, value: Uint8Array, options: AbortOptions = {}): Promise<void> {
    this.#assertUnlocked()
    assertSecretName(name)

    if (!(value instanceof Uint8Array) || value.byteLength > MAX_STORED_SECRET_BYTES) {
      throw new InvalidParametersError(`Invalid secret: expected at most ${MAX_STORED_SECRET_BYTES} bytes`)
    }

    await this.#mutex.run(async () => {
      options.signal?.throwIfAborted()
      await this.#db.batch([
        { type: 'put', sublevel: this.#sub.secrets, key: name, value: this.#seal('secrets', name, value) }
      ], SYNC_WRITE)
    }, options.signal)
  }

  /**
   * Deletes the secret stored under `name` (e.g. a prekey past its grace
   * period), in a synced write. Needs no storage key. Absent names are ignored.
   */
  async deleteSecret (name: string, options: AbortOptions = {}): Promise<void> {
    assertSecretName(name)

    await this.#mutex.run(async () => {
      options.signal?.throwIfAborted()
      await this.#db.batch([{ type: 'del', sublevel: this.#sub.secrets, key: name }], SYNC_WRITE)
    }, options.signal)
  }
}

function compareStrings (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
