import { InvalidParametersError, NotFoundError } from '@libp2p/interface'
import { logger } from '@libp2p/logger'
import { peerIdFromMultihash, peerIdFromString } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { multiaddr } from '@multiformats/multiaddr'
import { TypedEventEmitter } from 'main-event'
import { equals as uint8ArrayEquals } from 'uint8arrays/equals'
import { delay } from '../delay.ts'
import { MailboxRefusedError, UnknownContactError } from '../errors.ts'
import { isAccountId } from '../identity/account.ts'
import { CertificateCache, encodeDeviceCertificate } from '../identity/device.ts'
import { createInvite, parseInvite } from '../identity/invite.ts'
import { Ack, Content, Envelope, directMessaging } from '../protocol/dm/index.ts'
import {
  DHT_PROTOCOL, MAILBOX_MAX_CONTACTS, MAILBOX_MAX_WAIT_MS, MAX_ADDRS_PER_DEVICE, MAX_CLOCK_JUMP, MAX_PENDING_REQUESTS, MAX_RECORD_DEVICES,
  MAX_REQUEST_UNREAD, MAX_TEXT_BYTES
} from '../protocol/constants.ts'
import { createAccountRecord, parseAccountRecord, recordKey } from '../protocol/record/index.ts'
import { MailboxStatus, mailboxProtocol, parsePairingCode } from '../protocol/mailbox/index.ts'
import { isRelayedAddr, relayPeerIdOf } from '../net/addrs.ts'
import { isMessageId } from '../store/index.ts'
import { sanitizeName, validateName } from './account.ts'
import { Courier } from './courier.ts'
import { createReceipts, verifyReceipt } from './receipts.ts'
import { KeyedLock } from './lock.ts'
import { Sessions } from './sessions.ts'
import { decodeSignedPrekey, encodeSignedPrekey, verifySignedPrekey } from '../crypto/prekeys.ts'
import { safetyNumber } from '../crypto/safety-number.ts'
import type { UnlockedAccount } from './account.ts'
import type { CertifiedDevice } from '../identity/device.ts'
import type { DirectMessaging, DirectMessagingInit, InboundContext } from '../protocol/dm/index.ts'
import type { DepositResult, DrainedItem, MailboxProtocol, MailboxProtocolInit } from '../protocol/mailbox/index.ts'
import type { AccountRecordInfo } from '../protocol/record/index.ts'
import type { Contact, Conversation, OutboxEntry, ParleyStore, StoredMessage } from '../store/index.ts'
import type { ParleyNode } from '../net/index.ts'
import type { AbortOptions, PeerId, PrivateKey } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

const log = logger('parley:messenger')

/** Envelope version this peer writes and accepts: end-to-end encrypted (docs/protocols/e2e.md). */
const ENVELOPE_VERSION = 2

/** Verified device certificates remembered (a few per contact). */
const CERTIFICATE_CACHE_SIZE = 1024

/** The store secret that lists this account's mailboxes (JSON of MailboxEntry[]). */
const MAILBOXES_SECRET = 'mailboxes'

/** Mailboxes this account lists at most (the account record's limit is larger; one or two are plenty). */
const MAX_OWN_MAILBOXES = 4

/**
 * A long-poll drain that comes back empty sooner than this did not wait: the
 * mailbox is not watched further (until the next reconnect), rather than
 * asked again in a tight loop.
 */
const MIN_WATCH_MS = 1000

/**
 * A drain that failed (the mailbox is down, or unreachable for now) is tried
 * again after this, doubling up to DRAIN_RETRY_MAX_MS while we are online: a
 * mailbox that comes back is drained (and watched) again without waiting for
 * a reconnect that nobody else would dial.
 */
const DRAIN_RETRY_MS = 2000
const DRAIN_RETRY_MAX_MS = 60_000

/**
 * How long a contact's mailboxes, read from their account record, are used
 * before the record is read again (they may pair another one meanwhile).
 */
const CONTACT_MAILBOXES_TTL_MS = 10 * 60_000

/**
 * Contact changes within this long are told to our mailboxes in one CONTACTS
 * request (adding several contacts in a row sends one list, not several).
 */
const CONTACTS_PUSH_DELAY_MS = 1000

/** The services a messaging peer adds to its Parley node. */
export interface MessengerServices extends Record<string, unknown> {
  dm: DirectMessaging
  /** Client side everywhere (deposit, drain); a daemon also serves it (node/src/mailbox-service.ts). */
  mailbox: MailboxProtocol
}

/** A Parley node that can message: what `MessengerInit.createNode` builds. */
export type PeerNode = ParleyNode<MessengerServices>

/** The service factories for `createParleyNode({ services })` on a messaging peer. */
export function messengerServices (init: { dm?: DirectMessagingInit, mailbox?: MailboxProtocolInit } = {}): { dm: ReturnType<typeof directMessaging>, mailbox: ReturnType<typeof mailboxProtocol> } {
  return { dm: directMessaging(init.dm), mailbox: mailboxProtocol(init.mailbox) }
}

/** A mailbox this account is paired with (docs/protocols/mailbox.md): listed in its account record. */
export interface MailboxEntry {
  peerId: string
  /** Where to dial it, from the pairing code. */
  addrs: string[]
}

/** A mailbox would not take a message: it stays queued (docs/protocols/mailbox.md, "Statuses"). */
export interface MailboxRefusal {
  conversation: string
  id: string
  /** 'MAILBOX_FULL', 'QUOTA_EXCEEDED', 'NOT_ACCEPTING', … */
  status: string
  mailbox: string
}

/** What this device's own mailboxes say about its account. */
export interface OwnMailboxStatus extends MailboxEntry {
  reachable: boolean
  /** The mailbox's answer ('OK', 'NOT_PAIRED', …) when it was reached. */
  status?: string
  held?: { items: number, bytes: number }
  quota?: { items: number, bytes: number }
  retentionMs?: number
  devices?: Array<{ peerId: string, lastDrainAt: number, lastAckAt: number, acked: number }>
  error?: string
}

export interface MessengerInit {
  store: ParleyStore
  account: UnlockedAccount

  /**
   * Builds this device's libp2p node: the app chooses transports and listen
   * addresses for its platform. Called once, by `start()`.
   */
  createNode(privateKey: PrivateKey): Promise<PeerNode>

  /** Relay multiaddrs (with `/p2p/<id>`); invites made offline point through them. */
  bootstrap?: string[]

  /** Delivery retry timing while a contact is unreachable. */
  retry?: RetryInit

  /**
   * The wall clock stamped on sent messages (display only: history is
   * ordered by Lamport clocks). @default Date.now
   */
  now?: () => number

  /** Bounds on what strangers may make this device store. */
  limits?: {
    /** Message requests waiting at once. @default MAX_PENDING_REQUESTS */
    requests?: number
    /** Unread messages stored from one request. @default MAX_REQUEST_UNREAD */
    requestUnread?: number
  }
}

export interface RetryInit {
  /** @default 1000 */
  initialDelay?: number
  /** @default 30_000 */
  maxDelay?: number
}

/** What `whoami` shows: public, safe to print. */
export interface Whoami {
  accountId: string
  peerId: string
  name: string
  invite: string
}

export interface ContactSummary extends Contact {
  /** Messages stored in this contact's conversation that were not read yet. */
  unread: number
  lastText?: string
  lastAt?: number
}

/**
 * How this device is linked to a contact right now: `direct` (e.g. WebRTC,
 * TCP, WebSocket), `relayed` through a relay's circuit (limited in time and
 * data by the relay), or `none` (no open connection to any of its devices).
 */
export type ContactPath =
  | { kind: 'direct', transport: string }
  | { kind: 'relayed', relay?: string }
  | { kind: 'none' }

export interface MessengerStatus {
  started: boolean
  /** Peers with an open connection. */
  connections: number
  /** Bootstrap relays with an open connection. */
  relays: string[]
  /** This device's current multiaddrs. */
  addresses: string[]
}

/**
 * Events, named `noun:verb` like libp2p's. Delivery states follow the message:
 * `message:sent` (stored and queued, pending) → `message:delivered` (the
 * recipient's device stored it and acked).
 */
export interface MessengerEvents {
  'message:sent': CustomEvent<StoredMessage>
  'message:received': CustomEvent<StoredMessage>
  'message:delivered': CustomEvent<StoredMessage>
  /** A mailbox of the recipient holds it (no device was reachable); still queued until a device acks. */
  'message:at-mailbox': CustomEvent<StoredMessage>
  /** A mailbox refused a deposit (full, over quota, not accepting): the message stays queued. */
  'mailbox:refused': CustomEvent<MailboxRefusal>
  /** A drain of one of our mailboxes ended. */
  'mailbox:drained': CustomEvent<{ mailbox: string, status: string, received: number, acked: number }>
  'contact:added': CustomEvent<Contact>
  'contact:updated': CustomEvent<Contact>
  'request:received': CustomEvent<Contact>
  'status:changed': CustomEvent<MessengerStatus>
}

/**
 * The one client API that every Parley app is a shell around. It works on the
 * store alone while stopped (add contacts, queue messages, read history); once
 * started it receives, delivers the outbox and keeps the account record in the
 * DHT up to date.
 */
export class Messenger extends TypedEventEmitter<MessengerEvents> {
  readonly store: ParleyStore
  readonly account: UnlockedAccount
  private readonly init: MessengerInit
  private readonly couriers = new Map<string, Courier>()
  /** device peer id → account id, for every known contact's devices */
  private readonly devices = new Map<string, string>()
  /** verified device certificates (base64 of the bytes) → who they certify; oldest dropped first */
  private readonly certificates = new CertificateCache(CERTIFICATE_CACHE_SIZE)
  private node?: PeerNode
  private publishTimer?: ReturnType<typeof setTimeout>
  private publishing?: Promise<void>
  /** Aborts a record publish in flight when stopping: a DHT put can take its full timeout while peers go away. */
  private publishController = new AbortController()
  private stopping = false
  private readonly sessions: Sessions
  private readonly locks = new KeyedLock()
  /** This account's mailboxes (read at start, changed by `useMailbox`). */
  private ownMailboxes: MailboxEntry[] = []
  /** Drains running (then watching for new mail), per mailbox; `again` when the mailbox reconnected meanwhile. */
  private readonly drains = new Map<string, { again: boolean, done: Promise<void>, controller: AbortController }>()
  /** Contacts' mailboxes, from their account records (account id → peer ids). */
  private readonly contactMailboxes = new Map<string, { mailboxes: PeerId[], at: number }>()
  /** The debounced push of our contact list to our mailboxes (after a contact change). */
  private contactsTimer?: ReturnType<typeof setTimeout>
  /** Contact list pushes under way (awaited at stop). */
  private readonly contactPushes = new Set<Promise<void>>()
  /** Envelopes that did not decrypt or verify (refused, nothing stored). */
  readonly stats = { refusedEnvelopes: 0 }

  constructor (init: MessengerInit) {
    super()
    this.init = init
    this.store = init.store
    this.account = init.account
    // message text, ratchet sessions and our prekeys are sealed under the vault's storage key
    this.store.unlock(init.account.secrets.storageKey)
    this.sessions = new Sessions(this.store, this.account.keys)
  }

  get accountId (): string {
    return this.account.profile.accountId
  }

  get peerId (): PeerId {
    return this.account.peerId
  }

  get name (): string {
    return this.account.profile.name
  }

  /** The running libp2p node, if started. */
  get libp2p (): PeerNode | undefined {
    return this.node
  }

  async start (): Promise<void> {
    if (this.node != null) {
      return
    }
    this.stopping = false
    this.publishController = new AbortController()
    for (const contact of await this.store.listContacts()) {
      this.indexDevices(contact)
    }

    const node = await this.init.createNode(this.account.deviceKey)
    node.services.dm.setReceiver(async (envelope, from) => this.receive(envelope, from))
    node.addEventListener('peer:connect', (evt) => { this.onPeerOnline(evt.detail) })
    node.addEventListener('peer:identify', (evt) => {
      if (evt.detail.protocols.includes(DHT_PROTOCOL)) {
        this.schedulePublish()
      }
    })
    node.addEventListener('self:peer:update', () => {
      this.schedulePublish()
      this.emitStatus()
    })
    node.addEventListener('connection:open', () => { this.emitStatus() })
    node.addEventListener('connection:close', () => { this.emitStatus() })
    this.node = node
    await node.start()
    log('started as %s, device %p', this.accountId, this.peerId)
    this.ownMailboxes = await this.readOwnMailboxes()
    for (const mailbox of this.ownMailboxes) {
      await this.rememberMailboxAddrs(mailbox)
    }
    this.drainMailboxes()

    for (const conversation of await this.store.outboxConversations()) {
      this.courier(conversation).wake()
    }
    void this.greetRecentContacts()
    this.emitStatus()
  }

  async stop (): Promise<void> {
    this.stopping = true
    clearTimeout(this.publishTimer)
    clearTimeout(this.contactsTimer)
    this.publishController.abort()
    for (const courier of this.couriers.values()) {
      courier.stop()
    }
    await Promise.all([...this.couriers.values()].map(async c => c.idle()))
    this.couriers.clear()
    await Promise.all([...this.drains.values()].map(async d => d.done))
    await Promise.all([...this.contactPushes])
    await this.publishing?.catch(() => {})
    await this.node?.stop()
    this.node = undefined
  }

  status (): MessengerStatus {
    const node = this.node
    if (node == null) {
      return { started: false, connections: 0, relays: [], addresses: [] }
    }
    const connected = new Set(node.getConnections().map(c => c.remotePeer.toString()))
    return {
      started: true,
      connections: connected.size,
      relays: this.bootstrapPeers().filter(id => connected.has(id)),
      addresses: node.getMultiaddrs().map(ma => ma.toString())
    }
  }

  /** This account's invite: what a contact needs to reach it. */
  async invite (): Promise<string> {
    const signedPrekey = await this.sessions.currentPrekey()
    const addrs = new Map<string, Multiaddr>()
    for (const ma of this.node?.getMultiaddrs() ?? []) {
      addrs.set(ma.toString(), ma)
    }
    for (const relay of this.init.bootstrap ?? []) {
      const ma = multiaddr(`${relay}/p2p-circuit/p2p/${this.peerId.toString()}`)
      addrs.set(ma.toString(), ma)
    }
    // relayed addresses first: they work from anywhere, direct ones only nearby
    const ordered = [...addrs.values()].sort((a, b) => Number(isRelayedAddr(b)) - Number(isRelayedAddr(a)))
    return createInvite(this.account.keys, {
      name: this.name,
      devices: [this.account.certificate],
      addrs: ordered.slice(0, MAX_ADDRS_PER_DEVICE),
      signedPrekey
    })
  }

  async whoami (): Promise<Whoami> {
    return { accountId: this.accountId, peerId: this.peerId.toString(), name: this.name, invite: await this.invite() }
  }

  /**
   * The safety number of our conversation with a contact: both sides compute
   * the same 60 digits from both account keys; compare them in person (or scan
   * the QR) and mark the contact verified.
   */
  async safetyNumber (ref: string): Promise<{ contact: Contact, safetyNumber: string }> {
    const contact = await this.resolveContact(ref, { includeRequests: true, includeBlocked: true })
    return {
      contact,
      safetyNumber: safetyNumber(this.account.keys.publicKey, this.accountId, contact.publicKey, contact.accountId)
    }
  }

  /** Records that the user compared the safety number with the contact; clears a key-change warning. */
  async markVerified (ref: string): Promise<Contact> {
    const contact = await this.resolveContact(ref, { includeRequests: true, includeBlocked: true })
    const updated: Contact = { ...contact, verified: true, keyChange: false, updatedAt: Date.now() }
    await this.store.putContact(updated)
    this.safeDispatch('contact:updated', updated)
    return updated
  }

  /** Adds (or refreshes) a contact from their invite. An earlier request or block becomes a contact. */
  async addContact (inviteText: string, options: { name?: string } = {}): Promise<Contact> {
    const invite = parseInvite(inviteText)
    if (invite.accountId === this.accountId) {
      throw new InvalidParametersError('That is your own invite: share it with others, and add theirs.')
    }
    const existing = await this.store.getContact(invite.accountId)
    const now = Date.now()
    const name = options.name != null ? validateName(options.name) : (existing?.state === 'contact' ? existing.name : invite.name)
    let contact: Contact = {
      accountId: invite.accountId,
      publicKey: invite.publicKey,
      name,
      state: 'contact',
      devices: mergeDevices(existing?.devices ?? [], invite.devices.map(d => encodeDeviceCertificate(d.certificate))),
      addrs: mergeAddrs(existing?.addrs ?? [], invite.addrs.map(ma => ma.toString())),
      prekey: invite.signedPrekey != null ? encodeSignedPrekey(invite.signedPrekey) : existing?.prekey,
      verified: existing?.verified ?? false,
      keyChange: existing?.keyChange ?? false,
      addedAt: existing?.addedAt ?? now,
      updatedAt: now
    }
    if (existing == null) {
      contact = await this.checkKeyChange(contact)
    }
    await this.store.putContact(contact)
    this.indexDevices(contact)
    this.safeDispatch('contact:added', contact)
    this.courier(contact.accountId).wake()
    this.scheduleContactsPush()
    return contact
  }

  async contacts (): Promise<ContactSummary[]> {
    return this.summaries(await this.store.listContacts('contact'))
  }

  /** Accounts that wrote to us without being contacts. */
  async requests (): Promise<ContactSummary[]> {
    return this.summaries(await this.store.listContacts('request'))
  }

  async accept (ref: string): Promise<Contact> {
    return this.setContactState(await this.resolveContact(ref, { includeRequests: true, includeBlocked: true }), 'contact')
  }

  async block (ref: string): Promise<Contact> {
    return this.setContactState(await this.resolveContact(ref, { includeRequests: true, includeBlocked: true }), 'blocked')
  }

  /**
   * Finds a contact by account id, or by name (case-insensitive). Requests and
   * blocked accounts are found only when asked for.
   */
  async resolveContact (ref: string, options: { includeRequests?: boolean, includeBlocked?: boolean } = {}): Promise<Contact> {
    const wanted = (c: Contact): boolean =>
      c.state === 'contact' || (c.state === 'request' && options.includeRequests === true) || (c.state === 'blocked' && options.includeBlocked === true)
    const text = ref.trim()
    if (isAccountId(text)) {
      const contact = await this.store.getContact(text)
      if (contact != null && wanted(contact)) {
        return contact
      }
    }
    const lower = text.toLowerCase()
    const matches = (await this.store.listContacts()).filter(c => wanted(c) && c.name.toLowerCase() === lower)
    if (matches.length === 1) {
      return matches[0]
    }
    if (matches.length > 1) {
      throw new UnknownContactError(`More than one contact is called "${text}": use the account id (see \`parley contacts list\`).`)
    }
    throw new UnknownContactError(`No contact "${text}": add them with \`parley contacts add <invite>\`, or check \`parley contacts list\`.`)
  }

  /**
   * Stores the message and queues it (one batch) before any network work;
   * delivery follows whenever the contact is reachable. Replying to a request
   * accepts it.
   */
  async send (ref: string, text: string): Promise<StoredMessage> {
    if (text.trim() === '') {
      throw new InvalidParametersError('A message cannot be empty.')
    }
    if (new TextEncoder().encode(text).byteLength > MAX_TEXT_BYTES) {
      throw new InvalidParametersError(`A message can be at most ${MAX_TEXT_BYTES} bytes.`)
    }
    let contact = await this.resolveContact(ref, { includeRequests: true })
    if (contact.state === 'request') {
      contact = await this.setContactState(contact, 'contact')
    }
    const to = contact
    // encrypted once, when queued: retries resend the same bytes (a ratchet
    // state must never encrypt twice), and the outbox holds only ciphertext
    const message = await this.locks.run(to.accountId, async () => {
      const seal = await this.sessions.sealer(to)
      return this.store.addOutgoing({ conversation: to.accountId, sender: this.accountId, text, sentAt: (this.init.now ?? Date.now)() }, {
        prepare: (m) => {
          const sealed = seal(Content.encode({ text: m.text, clock: BigInt(m.clock), sentAt: BigInt(m.sentAt), senderName: this.name, id: m.id }))
          const envelope = Envelope.encode({
            version: ENVELOPE_VERSION,
            // copies: protons' types want ArrayBuffer-backed arrays
            sender: new Uint8Array(encodeDeviceCertificate(this.account.certificate)),
            recipient: new Uint8Array(to.publicKey),
            id: m.id,
            ratchetHeader: new Uint8Array(sealed.ratchetHeader),
            ciphertext: new Uint8Array(sealed.ciphertext),
            prekey: sealed.prekey != null ? { ephemeral: new Uint8Array(sealed.prekey.ephemeral), prekeyId: sealed.prekey.prekeyId } : undefined
          })
          return { envelope, session: sealed.session }
        }
      })
    })
    this.safeDispatch('message:sent', message)
    if (this.node != null) {
      this.courier(contact.accountId).wake()
    }
    return message
  }

  async history (ref: string, options: { limit?: number, before?: string } = {}): Promise<StoredMessage[]> {
    const contact = await this.resolveContact(ref, { includeRequests: true, includeBlocked: true })
    return this.store.history(contact.accountId, options)
  }

  async conversations (): Promise<Conversation[]> {
    return this.store.listConversations()
  }

  async markRead (ref: string): Promise<void> {
    const contact = await this.resolveContact(ref, { includeRequests: true, includeBlocked: true })
    await this.store.markRead(contact.accountId)
  }

  /** Resolves once the message is delivered (at once if it already is). */
  async waitForDelivery (conversation: string, id: string, options: AbortOptions = {}): Promise<StoredMessage> {
    const delivered = Promise.withResolvers<StoredMessage>()
    const onDelivered = (evt: CustomEvent<StoredMessage>): void => {
      if (evt.detail.conversation === conversation && evt.detail.id === id) {
        delivered.resolve(evt.detail)
      }
    }
    const onAbort = (): void => { delivered.reject(options.signal?.reason) }
    this.addEventListener('message:delivered', onDelivered)
    options.signal?.addEventListener('abort', onAbort)
    try {
      options.signal?.throwIfAborted()
      const stored = await this.store.getMessage(conversation, id)
      if (stored == null) {
        throw new NotFoundError(`No message ${id} in this conversation`)
      }
      if (stored.state === 'delivered') {
        return stored
      }
      return await delivered.promise
    } finally {
      this.removeEventListener('message:delivered', onDelivered)
      options.signal?.removeEventListener('abort', onAbort)
    }
  }

  /**
   * The best open connection to any of the contact's devices, as a path for
   * the UI: direct before relayed. A connection is relayed when the relay
   * limits it or it runs through a `/p2p-circuit` (WebRTC, which the circuit
   * only signalled, is direct).
   */
  async contactPath (ref: string): Promise<ContactPath> {
    const contact = await this.resolveContact(ref, { includeRequests: true, includeBlocked: true })
    const node = this.node
    if (node == null) {
      return { kind: 'none' }
    }
    let relayed: ContactPath | undefined
    for (const device of this.contactDevices(contact)) {
      for (const connection of node.getConnections(device)) {
        if (connection.status !== 'open') {
          continue
        }
        // libp2p's `direct` is false for circuit addresses only: a WebRTC link is
        // direct even though its dialler's address names the circuit that
        // carried the signalling (`…/p2p-circuit/webrtc/p2p/<peer>`)
        if (connection.limits != null || !connection.direct) {
          relayed ??= { kind: 'relayed', relay: relayPeerIdOf(connection.remoteAddr) }
          continue
        }
        return { kind: 'direct', transport: transportName(connection.remoteAddr) }
      }
    }
    return relayed ?? { kind: 'none' }
  }

  // --- receiving ---------------------------------------------------------

  /** Handles one inbound envelope; resolves with the ack status once it is stored (or refused). */
  private async receive (envelope: Envelope, from: InboundContext | 'mailbox'): Promise<Ack.Status> {
    const status = await this.receiveEnvelope(envelope, from)
    if (status === Ack.Status.INVALID || status === Ack.Status.WRONG_RECIPIENT) {
      this.stats.refusedEnvelopes++
    }
    return status
  }

  /**
   * The receive rules of docs/protocols/dm.md and e2e.md, in order: envelope
   * version, certificate, recipient, id; duplicate → DUPLICATE without
   * decrypting; blocked → REFUSED; decrypt; check the content; then store the
   * message and the new session state in one batch, and only then ack.
   */
  private async receiveEnvelope (envelope: Envelope, from: InboundContext | 'mailbox'): Promise<Ack.Status> {
    let sender: CertifiedDevice
    try {
      if (envelope.version !== ENVELOPE_VERSION) {
        return Ack.Status.INVALID
      }
      // the certificate must verify: it names the sending device and its account
      // (the conversation), which the sealed content is then checked against
      sender = this.verifyCertificate(envelope.sender)
      // a device speaks only for itself: the connection authenticated its peer id.
      // A mailbox relays envelopes of others, so there only the certificate counts
      // (the ratchet proves the content came from that account's session).
      if (from !== 'mailbox' && !sender.peerId.equals(from.peerId)) {
        log('envelope from %p carries the certificate of %p', from.peerId, sender.peerId)
        return Ack.Status.INVALID
      }
      if (!uint8ArrayEquals(envelope.recipient, this.account.keys.publicKey)) {
        return Ack.Status.WRONG_RECIPIENT
      }
      if (!isMessageId(envelope.id)) {
        return Ack.Status.INVALID
      }
    } catch (err) {
      log('invalid envelope from %s - %e', from === 'mailbox' ? 'a mailbox' : from.peerId.toString(), err)
      return Ack.Status.INVALID
    }
    const conversationId = sender.accountId
    if (envelope.receipt != null) {
      return this.receiveReceipt(conversationId, sender.accountPublicKey, envelope)
    }
    if (await this.store.getMessage(conversationId, envelope.id) != null) {
      return Ack.Status.DUPLICATE
    }
    const known = await this.store.getContact(conversationId)
    if (known?.state === 'blocked') {
      return Ack.Status.REFUSED
    }
    if ((known == null || known.state === 'request') && await this.requestIsFull(known, conversationId)) {
      return Ack.Status.REFUSED
    }

    return this.locks.run(conversationId, async () => {
      let opened
      try {
        opened = await this.sessions.open(conversationId, sender.accountPublicKey, envelope)
      } catch (err: any) {
        if (err.name !== 'DecryptionError') {
          throw err
        }
        log('envelope %s from %s does not decrypt (%s)', envelope.id, conversationId, err.reason)
        return Ack.Status.INVALID
      }

      let content: Content
      try {
        content = Content.decode(opened.plaintext)
      } catch {
        return Ack.Status.INVALID
      }
      const clock = Number(content.clock)
      const sentAt = Number(content.sentAt)
      if (content.id !== envelope.id || content.text === '' || new TextEncoder().encode(content.text).byteLength > MAX_TEXT_BYTES ||
        !Number.isSafeInteger(clock) || !Number.isSafeInteger(sentAt)) {
        return Ack.Status.INVALID
      }
      const conversation = await this.store.getConversation(conversationId)
      if (clock > (conversation?.clock ?? 0) + MAX_CLOCK_JUMP) {
        log('clock %d from %s jumps too far ahead', clock, conversationId)
        return Ack.Status.INVALID
      }

      await this.rememberSender(known, sender, envelope.sender, content.senderName)

      let result
      try {
        [result] = await this.store.addIncoming([{
          id: envelope.id,
          conversation: conversationId,
          sender: conversationId,
          text: content.text,
          clock,
          sentAt
        }], { session: { conversation: conversationId, state: opened.session } })
      } catch (err: any) {
        if (err.name === 'InvalidParametersError') {
          return Ack.Status.INVALID
        }
        throw err
      }
      if (result.duplicate) {
        return Ack.Status.DUPLICATE
      }
      this.safeDispatch('message:received', result.message)
      // they are online: anything queued for them can go now
      this.courier(conversationId).wake()
      return Ack.Status.OK
    })
  }

  /**
   * Whether a stranger's message must wait (REFUSED, queued at its sender):
   * too many requests wait already, or this request has too many unread.
   */
  private async requestIsFull (known: Contact | undefined, accountId: string): Promise<boolean> {
    if (known == null) {
      const waiting = (await this.store.listContacts('request')).length
      if (waiting >= (this.init.limits?.requests ?? MAX_PENDING_REQUESTS)) {
        log('refusing a first message from %s: %d message requests wait already', accountId, waiting)
        return true
      }
      return false
    }
    const unread = (await this.store.getConversation(accountId))?.unread ?? 0
    if (unread >= (this.init.limits?.requestUnread ?? MAX_REQUEST_UNREAD)) {
      log('refusing a message from %s: its request has %d unread messages', accountId, unread)
      return true
    }
    return false
  }

  /**
   * A contact says it stored these messages of ours (it drained them from a
   * mailbox while we were away): they are delivered.
   */
  private async receiveReceipt (accountId: string, signerPublicKey: Uint8Array, envelope: Envelope): Promise<Ack.Status> {
    const known = await this.store.getContact(accountId)
    if (known == null || known.state === 'blocked') {
      return Ack.Status.REFUSED
    }
    let ids: string[]
    try {
      ids = verifyReceipt(envelope, signerPublicKey)
    } catch (err) {
      log('receipt %s from %s refused - %e', envelope.id, accountId, err)
      return Ack.Status.INVALID
    }
    const delivered = await this.store.markDelivered(accountId, ids)
    log('receipt %s from %s: %d of %d message(s) newly delivered', envelope.id, accountId, delivered.length, ids.length)
    for (const message of delivered) {
      this.safeDispatch('message:delivered', message)
    }
    return Ack.Status.OK
  }

  /**
   * A first message from a stranger makes them a message request (never a
   * contact); a known contact's new device certificate is added.
   */
  private async rememberSender (known: Contact | undefined, sender: CertifiedDevice, certificate: Uint8Array, senderName: string): Promise<void> {
    const accountId = sender.accountId
    if (known == null) {
      const now = Date.now()
      let contact: Contact = {
        accountId,
        publicKey: sender.accountPublicKey,
        name: sanitizeName(senderName, 'Unknown'),
        state: 'request',
        devices: [certificate],
        addrs: [],
        verified: false,
        keyChange: false,
        addedAt: now,
        updatedAt: now
      }
      contact = await this.checkKeyChange(contact)
      await this.store.putContact(contact)
      this.indexDevices(contact)
      this.safeDispatch('request:received', contact)
    } else if (!known.devices.some(d => uint8ArrayEquals(d, certificate)) && known.devices.length < MAX_RECORD_DEVICES) {
      const contact = { ...known, devices: [...known.devices, certificate], updatedAt: Date.now() }
      await this.store.putContact(contact)
      this.indexDevices(contact)
    }
  }

  /**
   * The account id is the key, so a "changed key" shows up as a new account
   * introducing itself with the name of a contact we already have — a
   * re-created account, or someone impersonating them. Never merged silently:
   * both are flagged, and the known one loses its verified mark, until the
   * user compares safety numbers.
   */
  private async checkKeyChange (contact: Contact): Promise<Contact> {
    const lower = contact.name.toLowerCase()
    const namesakes = (await this.store.listContacts()).filter(c =>
      c.accountId !== contact.accountId && c.state !== 'blocked' && c.name.toLowerCase() === lower)
    if (namesakes.length === 0) {
      return contact
    }
    for (const namesake of namesakes) {
      const flagged: Contact = { ...namesake, verified: false, keyChange: true, updatedAt: Date.now() }
      await this.store.putContact(flagged)
      this.safeDispatch('contact:updated', flagged)
    }
    log('%s introduces itself as "%s", the name of a known contact with another key', contact.accountId, contact.name)
    return { ...contact, keyChange: true }
  }

  // --- delivering --------------------------------------------------------

  private courier (conversation: string): Courier {
    let courier = this.couriers.get(conversation)
    if (courier == null) {
      courier = new Courier({
        conversation,
        store: this.store,
        retry: this.init.retry,
        isOnline: () => this.node != null && !this.stopping,
        reach: async (contact, options) => this.reach(contact, options),
        send: async (peer, envelope, options) => {
          if (this.node == null) {
            throw new Error('not started')
          }
          return this.node.services.dm.send(peer, envelope, options)
        },
        onDelivered: (message) => { this.safeDispatch('message:delivered', message) },
        deposit: async (contact, entries, options) => this.depositAtMailboxes(contact, entries, options)
      })
      this.couriers.set(conversation, courier)
    }
    return courier
  }

  /**
   * Finds a device of the contact to talk to: one already connected, then the
   * addresses we know (invite hints, the peer store), then the contact's
   * account record in the DHT.
   */
  private async reach (contact: Contact, options: AbortOptions): Promise<PeerId> {
    const node = this.node
    if (node == null) {
      throw new Error('not started')
    }
    const devices = this.contactDevices(contact)
    const connected = devices.find(d => node.getConnections(d).some(c => c.status === 'open'))
    if (connected != null) {
      return connected
    }
    await this.rememberAddrs(contact.addrs)
    const direct = await this.dialAny(devices, options)
    if (direct != null) {
      return direct
    }

    const record = await this.lookupRecord(contact, options)
    if (record != null) {
      this.contactMailboxes.set(contact.accountId, { mailboxes: record.mailboxes, at: Date.now() })
      const updated = await this.updateFromRecord(contact, record)
      const viaRecord = await this.dialAny(this.contactDevices(updated), options)
      if (viaRecord != null) {
        return viaRecord
      }
    }
    throw new NotFoundError(`No device of ${contact.name} is reachable right now`)
  }

  private async dialAny (devices: PeerId[], options: AbortOptions): Promise<PeerId | undefined> {
    const node = this.node
    if (node == null) {
      return undefined
    }
    for (const device of devices) {
      try {
        await node.dial(device, { signal: options.signal })
        return device
      } catch (err) {
        log('could not dial %p - %e', device, err)
      }
    }
    return undefined
  }

  private async rememberAddrs (addrs: string[]): Promise<void> {
    const node = this.node
    if (node == null) {
      return
    }
    const byPeer = new Map<string, Multiaddr[]>()
    for (const text of addrs) {
      try {
        const ma = multiaddr(text)
        const peer = ma.getComponents().findLast(c => c.name === 'p2p')?.value
        if (peer == null || peer === this.peerId.toString()) {
          continue
        }
        byPeer.set(peer, [...(byPeer.get(peer) ?? []), ma])
      } catch {}
    }
    for (const [peer, multiaddrs] of byPeer) {
      const device = this.peerIdOf(peer)
      if (device != null) {
        await node.peerStore.merge(device, { multiaddrs }).catch(err => { log('peer store merge failed - %e', err) })
      }
    }
  }

  private async lookupRecord (contact: Contact, options: AbortOptions): Promise<AccountRecordInfo | undefined> {
    const node = this.node
    if (node == null) {
      return undefined
    }
    try {
      const key = recordKey(contact.publicKey)
      const value = await node.contentRouting.get(key, { signal: options.signal })
      return parseAccountRecord(value, key)
    } catch (err) {
      log('no account record found for %s - %e', contact.accountId, err)
      return undefined
    }
  }

  private async updateFromRecord (contact: Contact, record: AccountRecordInfo): Promise<Contact> {
    const addrs = record.devices.flatMap(d => d.addrs.map(ma => {
      const text = ma.toString()
      return text.includes('/p2p/' + d.peerId.toString()) && text.endsWith(d.peerId.toString()) ? text : `${text}/p2p/${d.peerId.toString()}`
    }))
    const current = await this.store.getContact(contact.accountId) ?? contact
    const updated: Contact = {
      ...current,
      devices: mergeDevices(current.devices, record.devices.map(d => encodeDeviceCertificate(d.certificate))),
      addrs: mergeAddrs(addrs, current.addrs),
      // a newer prekey for sessions started from now on (existing ones go on)
      prekey: record.signedPrekey != null ? encodeSignedPrekey(record.signedPrekey) : current.prekey,
      updatedAt: Date.now()
    }
    await this.store.putContact(updated)
    this.indexDevices(updated)
    await this.rememberAddrs(updated.addrs)
    return updated
  }

  private onPeerOnline (peer: PeerId): void {
    if (this.ownMailboxes.some(m => m.peerId === peer.toString())) {
      this.drainMailbox(peer)
    }
    const accountId = this.devices.get(peer.toString())
    if (accountId != null) {
      this.couriers.get(accountId)?.wake()
    }
  }

  /**
   * At start, tell the most recent contacts we are back by connecting to them:
   * their couriers wake on the new connection and deliver what they queued for
   * us while we were away.
   */
  private async greetRecentContacts (): Promise<void> {
    const recent = (await this.store.listConversations()).slice(0, 8)
    await Promise.all(recent.map(async (conversation) => {
      const contact = await this.store.getContact(conversation.id)
      if (contact == null || contact.state !== 'contact' || this.node == null) {
        return
      }
      await this.rememberAddrs(contact.addrs)
      await this.dialAny(this.contactDevices(contact), { signal: AbortSignal.timeout(15_000) })
    })).catch(err => { log('greeting contacts failed - %e', err) })
  }

  // --- mailboxes ---------------------------------------------------------

  /** The mailboxes this account is paired with (listed in its account record). */
  async mailboxes (): Promise<MailboxEntry[]> {
    return this.node != null ? structuredClone(this.ownMailboxes) : this.readOwnMailboxes()
  }

  /**
   * Pairs this account with the mailbox a one-time code names (`parley mailbox
   * pair` on its daemon), remembers it, republishes the account record with it
   * (so senders find it) and drains it. Needs the node started.
   *
   * @throws MailboxRefusedError when the mailbox answers anything but OK
   */
  async useMailbox (code: string, options: AbortOptions = {}): Promise<MailboxEntry & { retentionMs?: number, quota?: { items: number, bytes: number } }> {
    const node = this.node
    if (node == null) {
      throw new Error('not started')
    }
    const info = parsePairingCode(code)
    const result = await node.services.mailbox.pair(info, this.account, { signal: options.signal ?? AbortSignal.timeout(30_000) })
    if (result.status !== MailboxStatus.OK) {
      const fresh = result.status === MailboxStatus.INVALID || result.status === MailboxStatus.EXPIRED_CODE
        ? ' Ask for a new code (`parley mailbox pair` on the mailbox\'s home); each code works once, for 10 minutes.'
        : ''
      throw new MailboxRefusedError(`The mailbox refused the pairing: ${String(result.status)}${result.detail !== '' ? ` (${result.detail})` : ''}.${fresh}`, String(result.status))
    }
    const entry: MailboxEntry = { peerId: info.peerId.toString(), addrs: info.addrs.map(a => a.toString()) }
    await this.writeOwnMailboxes([entry, ...(await this.mailboxes()).filter(m => m.peerId !== entry.peerId)].slice(0, MAX_OWN_MAILBOXES))
    await this.rememberMailboxAddrs(entry)
    await this.publishNow()
    this.drainMailbox(info.peerId)
    return { ...entry, retentionMs: result.retentionMs, quota: result.quota }
  }

  /**
   * Stops using a mailbox: drains what it still holds, unpairs there (it
   * deletes what is left for this account), and republishes the account
   * record without it. Resolves with whether the mailbox confirmed the
   * unpairing; it is forgotten here either way (messages it held for us stay
   * queued at their senders until a device of ours acks them, so none is lost).
   */
  async removeMailbox (peerId: string, options: AbortOptions = {}): Promise<boolean> {
    const listed = await this.mailboxes()
    if (!listed.some(m => m.peerId === peerId)) {
      throw new NotFoundError(`This account does not use mailbox ${peerId}`)
    }
    const peer = parsePeerId(peerId)
    const node = this.node
    let unpaired = false
    if (node != null && peer != null) {
      const signal = options.signal ?? AbortSignal.timeout(30_000)
      await this.stopDrain(peer)
      const tally = newDrainTally()
      try {
        await node.services.mailbox.drain(peer, this.account, async (items) => this.receiveFromMailbox(items, tally), { signal })
        unpaired = await node.services.mailbox.unpair(peer, this.account, { signal }) === MailboxStatus.OK
      } catch (err) {
        log('could not unpair at mailbox %s - %e', peerId, err)
      } finally {
        await this.sendAllReceipts(tally.stored)
      }
    }
    await this.writeOwnMailboxes(listed.filter(m => m.peerId !== peerId))
    if (node != null) {
      await this.publishNow()
    }
    return unpaired
  }

  /** What each of our mailboxes holds for this account (asked over the network). */
  async ownMailboxStatus (options: AbortOptions = {}): Promise<OwnMailboxStatus[]> {
    const node = this.node
    const mailboxes = await this.mailboxes()
    return Promise.all(mailboxes.map(async (entry): Promise<OwnMailboxStatus> => {
      const peer = parsePeerId(entry.peerId)
      if (node == null || peer == null) {
        return { ...entry, reachable: false }
      }
      try {
        const result = await node.services.mailbox.accountStatus(peer, this.account, { signal: options.signal ?? AbortSignal.timeout(10_000) })
        const account = result.account
        return {
          ...entry,
          reachable: true,
          status: String(result.status),
          ...(account != null
            ? {
                held: { items: account.held?.items ?? 0, bytes: account.held?.bytes ?? 0 },
                quota: { items: account.quota?.items ?? 0, bytes: account.quota?.bytes ?? 0 },
                retentionMs: account.retentionMs,
                devices: account.devices.map(d => ({
                  peerId: peerIdText(d.peerId), lastDrainAt: d.lastDrainAt, lastAckAt: d.lastAckAt, acked: d.acked
                }))
              }
            : {})
        }
      } catch (err: any) {
        return { ...entry, reachable: false, error: err.message }
      }
    }))
  }

  private async writeOwnMailboxes (mailboxes: MailboxEntry[]): Promise<void> {
    await this.store.putSecret(MAILBOXES_SECRET, new TextEncoder().encode(JSON.stringify(mailboxes)))
    this.ownMailboxes = mailboxes
  }

  private async readOwnMailboxes (): Promise<MailboxEntry[]> {
    const bytes = await this.store.getSecret(MAILBOXES_SECRET)
    if (bytes == null) {
      return []
    }
    try {
      const parsed = JSON.parse(new TextDecoder().decode(bytes))
      return Array.isArray(parsed)
        ? parsed.filter((m: any) => typeof m?.peerId === 'string' && Array.isArray(m.addrs)).map((m: any) => ({ peerId: m.peerId, addrs: m.addrs.filter((a: unknown) => typeof a === 'string') }))
        : []
    } catch {
      log.error('the stored list of mailboxes does not read; ignoring it')
      return []
    }
  }

  private async rememberMailboxAddrs (entry: MailboxEntry): Promise<void> {
    const node = this.node
    const peer = parsePeerId(entry.peerId)
    if (node == null || peer == null) {
      return
    }
    const multiaddrs = entry.addrs.flatMap(text => { try { return [multiaddr(text)] } catch { return [] } })
    if (multiaddrs.length > 0) {
      await node.peerStore.merge(peer, { multiaddrs }).catch(err => { log('peer store merge failed - %e', err) })
    }
  }

  /** Drains every mailbox of ours (at start). */
  private drainMailboxes (): void {
    for (const entry of this.ownMailboxes) {
      const peer = parsePeerId(entry.peerId)
      if (peer != null) {
        this.drainMailbox(peer)
      }
    }
  }

  /**
   * Drains one of our mailboxes in the background: each item goes through the
   * receive rules, is stored, then acked (OK, DUPLICATE and permanent refusals;
   * an item whose handling failed stays for a later drain). Then, while the
   * mailbox answers, keeps a long-poll drain open, so mail a sender deposits
   * while we are online (it could not reach us) comes at once. A failed
   * drain is retried with backoff while we are online. One drain per mailbox
   * at a time; a reconnect during one runs another after it.
   */
  private drainMailbox (mailbox: PeerId): void {
    const key = mailbox.toString()
    const running = this.drains.get(key)
    if (running != null) {
      running.again = true
      return
    }
    const controller = new AbortController()
    const state = { again: false, done: Promise.resolve(), controller }
    this.drains.set(key, state)
    state.done = (async () => {
      let watching = false
      let retryMs = DRAIN_RETRY_MS
      let retry = false
      do {
        state.again = false
        const node = this.node
        if (node == null || this.stopping || controller.signal.aborted) {
          break
        }
        const waitMs = watching ? MAILBOX_MAX_WAIT_MS : 0
        const started = Date.now()
        const tally = newDrainTally()
        // the drain went well and may go on at once (else: back off, then try again)
        let progressed = false
        try {
          const signal = AbortSignal.any([this.publishController.signal, controller.signal, AbortSignal.timeout(120_000 + waitMs)])
          const result = await node.services.mailbox.drain(mailbox, this.account, async (items) => this.receiveFromMailbox(items, tally), { signal, waitMs })
          if (!watching || result.received > 0) {
            log('drained %d item(s) from mailbox %p (%s, %d acked)', result.received, mailbox, String(result.status), result.acked)
            this.safeDispatch('mailbox:drained', { mailbox: key, status: String(result.status), received: result.received, acked: result.acked })
          }
          if (!watching && result.status === MailboxStatus.OK) {
            // connected (or started) and drained: tell it who our contacts are
            this.pushContacts(mailbox)
          }
          if (result.status === MailboxStatus.NOT_PAIRED) {
            log('mailbox %p no longer holds mail for this account', mailbox)
            watching = false
            retry = false
            continue
          }
          // Handed out again at once, an item that could not be stored, or only
          // ones stored before (a mailbox that ignores acks), would make a tight
          // loop: only new mail, or a wait that really waited, goes on at once.
          const waited = result.received === 0 && Date.now() - started >= MIN_WATCH_MS
          progressed = result.status === MailboxStatus.OK && tally.unacked === 0 &&
            (tally.fresh > 0 || waited || (!watching && result.received === 0))
        } catch (err) {
          log('draining mailbox %p failed - %e', mailbox, err)
        } finally {
          // what was stored is acked at the mailbox, even if the drain failed later: tell its senders
          await this.sendAllReceipts(tally.stored)
        }
        const ours = this.ownMailboxes.some(m => m.peerId === key)
        watching = progressed && ours
        if (progressed) {
          retry = false
          retryMs = DRAIN_RETRY_MS
        } else {
          retry = ours && !state.again &&
            await delay(retryMs + Math.floor(Math.random() * retryMs * 0.2), AbortSignal.any([this.publishController.signal, controller.signal]))
          retryMs = Math.min(retryMs * 2, DRAIN_RETRY_MAX_MS)
        }
      } while ((state.again || watching || retry) && !this.stopping && !controller.signal.aborted)
      this.drains.delete(key)
    })()
  }

  /** Pushes the contact list to every mailbox of ours, CONTACTS_PUSH_DELAY_MS after the last change. */
  private scheduleContactsPush (): void {
    if (this.node == null || this.stopping) {
      return
    }
    clearTimeout(this.contactsTimer)
    this.contactsTimer = setTimeout(() => {
      this.contactsTimer = undefined
      for (const entry of this.ownMailboxes) {
        const peer = parsePeerId(entry.peerId)
        if (peer != null) {
          this.pushContacts(peer)
        }
      }
    }, CONTACTS_PUSH_DELAY_MS)
  }

  /**
   * Tells one of our mailboxes who our contacts are (state 'contact'), so that
   * deposits from anyone else share its small strangers' pool
   * (docs/protocols/mailbox.md, "Deposit"). Best effort, in the background: a
   * failure is logged and the next drain or contact change sends it again;
   * it never holds up delivery.
   */
  private pushContacts (mailbox: PeerId): void {
    const node = this.node
    if (node == null || this.stopping) {
      return
    }
    const push = (async () => {
      try {
        const contacts = await this.store.listContacts('contact')
        if (contacts.length > MAILBOX_MAX_CONTACTS) {
          log('telling mailbox %p only %d of %d contacts (the most recently changed)', mailbox, MAILBOX_MAX_CONTACTS, contacts.length)
          contacts.sort((a, b) => b.updatedAt - a.updatedAt)
        }
        const keys = contacts.slice(0, MAILBOX_MAX_CONTACTS).map(c => c.publicKey)
        const signal = AbortSignal.any([this.publishController.signal, AbortSignal.timeout(15_000)])
        const status = await node.services.mailbox.setContacts(mailbox, this.account, keys, { signal })
        log('told mailbox %p our %d contact(s): %s', mailbox, keys.length, String(status))
      } catch (err) {
        log('could not tell mailbox %p our contacts - %e', mailbox, err)
      }
    })()
    this.contactPushes.add(push)
    void push.finally(() => { this.contactPushes.delete(push) })
  }

  /** Ends the drain (or long-poll) of a mailbox, if one runs. */
  private async stopDrain (mailbox: PeerId): Promise<void> {
    const running = this.drains.get(mailbox.toString())
    if (running != null) {
      running.controller.abort()
      await running.done
    }
  }

  /**
   * One drained page, in deposit order: the ids to ack. Counts in `tally`
   * what was new, what could not be stored, and the ids of the messages
   * stored (per sender), who get a receipt once the drain is done.
   */
  private async receiveFromMailbox (items: DrainedItem[], tally: DrainTally): Promise<string[]> {
    const ack: string[] = []
    for (const item of items) {
      let envelope: Envelope
      try {
        envelope = Envelope.decode(item.envelope)
      } catch {
        // it will never decode: ack so the mailbox forgets it
        this.stats.refusedEnvelopes++
        ack.push(item.messageId)
        continue
      }
      try {
        // OK, DUPLICATE and the permanent refusals are all final
        const status = await this.receive(envelope, 'mailbox')
        ack.push(item.messageId)
        if (status === Ack.Status.OK) {
          tally.fresh++
        }
        if (envelope.receipt == null && (status === Ack.Status.OK || status === Ack.Status.DUPLICATE)) {
          const sender = this.verifyCertificate(envelope.sender).accountId
          let ids = tally.stored.get(sender)
          if (ids == null) {
            ids = []
            tally.stored.set(sender, ids)
          }
          ids.push(envelope.id)
        }
      } catch (err) {
        tally.unacked++
        log('could not store %s from a mailbox; it stays there - %e', item.messageId, err)
      }
    }
    return ack
  }

  /** Receipts for what a drain stored: its senders may be offline by now (docs/protocols/dm.md, "Receipts"). */
  private async sendAllReceipts (stored: Map<string, string[]>): Promise<void> {
    await Promise.all([...stored].map(async ([accountId, ids]) => this.sendReceipts(accountId, ids).catch(err => {
      log('sending receipts to %s failed - %e', accountId, err)
    })))
  }

  /**
   * Tells a contact we stored these messages of theirs: to a device of theirs
   * that is connected, else to their mailboxes. Best effort: without it, the
   * contact's courier still learns it the next time both are online (its
   * retry is answered DUPLICATE).
   */
  private async sendReceipts (accountId: string, ids: string[]): Promise<void> {
    const node = this.node
    const contact = await this.store.getContact(accountId)
    if (node == null || contact == null || contact.state !== 'contact') {
      return
    }
    const signal = AbortSignal.any([this.publishController.signal, AbortSignal.timeout(30_000)])
    let envelopes = createReceipts(this.account, ENVELOPE_VERSION, contact.publicKey, ids)
    const connected = this.contactDevices(contact).find(d => node.getConnections(d).some(c => c.status === 'open'))
    if (connected != null) {
      const statuses = await Promise.all(envelopes.map(async (envelope) => node.services.dm.send(connected, envelope, { signal }).catch(() => Ack.Status.ERROR)))
      envelopes = envelopes.filter((_, i) => statuses[i] !== Ack.Status.OK)
    }
    if (envelopes.length === 0) {
      return
    }
    const held = await this.depositAt(contact, envelopes.map(e => ({ messageId: e.id, envelope: Envelope.encode(e) })), { signal })
    log('%d of %d receipt(s) for %s deposited at their mailbox (the rest they learn on their next retry)', held.length, envelopes.length, accountId)
  }

  /**
   * No device of the contact is reachable: deposit these queued envelopes at
   * the contact's mailboxes (from their account record). Resolves with the ids
   * a mailbox now holds; those become `at-mailbox` and stay queued until a
   * device acks. Refusals (full, over quota, not accepting) are told as
   * `mailbox:refused`, and the message stays queued.
   */
  private async depositAtMailboxes (contact: Contact, entries: OutboxEntry[], options: AbortOptions): Promise<string[]> {
    const held = await this.depositAt(contact, entries.filter(e => e.envelope.byteLength > 0), options, (entry, mailbox, result) => {
      if (result.status === MailboxStatus.MAILBOX_FULL || result.status === MailboxStatus.QUOTA_EXCEEDED || result.status === MailboxStatus.NOT_ACCEPTING) {
        this.safeDispatch('mailbox:refused', { conversation: contact.accountId, id: entry.messageId, status: String(result.status), mailbox: mailbox.toString() })
      } else {
        log('mailbox %p refused %s: %s %s', mailbox, entry.messageId, String(result.status), result.detail)
      }
    })
    if (held.length > 0) {
      for (const message of await this.store.markAtMailbox(contact.accountId, held)) {
        this.safeDispatch('message:at-mailbox', message)
      }
    }
    return held
  }

  /**
   * Deposits encoded envelopes at the contact's mailboxes (from their account
   * record), trying each mailbox in turn with what the ones before did not
   * take; `onRefused` hears every answer but OK. Resolves with the ids a
   * mailbox now holds.
   */
  private async depositAt (contact: Contact, items: Array<{ messageId: string, envelope: Uint8Array }>, options: AbortOptions,
    onRefused?: (item: { messageId: string }, mailbox: PeerId, result: DepositResult) => void): Promise<string[]> {
    const node = this.node
    if (node == null || items.length === 0) {
      return []
    }
    let remaining = items
    const held: string[] = []
    for (const mailbox of await this.mailboxesOf(contact, options)) {
      if (remaining.length === 0) {
        break
      }
      // issued together: the mailbox protocol pipelines them on one stream, in order
      const results = await Promise.all(remaining.map(async (item) => {
        try {
          return await node.services.mailbox.deposit(mailbox, { recipient: contact.publicKey, messageId: item.messageId, envelope: item.envelope }, options)
        } catch (err: any) {
          log('deposit of %s at %p failed - %e', item.messageId, mailbox, err)
          return undefined
        }
      }))
      remaining = remaining.filter((item, i) => {
        const result = results[i]
        if (result?.status === MailboxStatus.OK) {
          held.push(item.messageId)
          return false
        }
        if (result != null) {
          onRefused?.(item, mailbox, result)
        }
        return true
      })
    }
    return held
  }

  /**
   * A contact's mailboxes, from their account record: read again after
   * CONTACT_MAILBOXES_TTL_MS, and whenever the last read found none (the
   * record may not have been reachable, or they paired one since).
   */
  private async mailboxesOf (contact: Contact, options: AbortOptions): Promise<PeerId[]> {
    const known = this.contactMailboxes.get(contact.accountId)
    if (known != null && known.mailboxes.length > 0 && Date.now() - known.at < CONTACT_MAILBOXES_TTL_MS) {
      return known.mailboxes
    }
    const record = await this.lookupRecord(contact, options)
    if (record == null) {
      return known?.mailboxes ?? []
    }
    this.contactMailboxes.set(contact.accountId, { mailboxes: record.mailboxes, at: Date.now() })
    return record.mailboxes
  }

  // --- the account record ------------------------------------------------

  private schedulePublish (): void {
    if (this.node == null || this.stopping) {
      return
    }
    clearTimeout(this.publishTimer)
    this.publishTimer = setTimeout(() => { void this.publishNow() }, 500)
  }

  /** Publishes the account record now (after any publish under way); a failure is logged, not thrown. */
  private async publishNow (): Promise<void> {
    clearTimeout(this.publishTimer)
    const previous = this.publishing ?? Promise.resolve()
    const publishing = previous.then(async () => this.publishRecord()).catch(err => {
      log('publishing the account record failed - %e', err)
    })
    this.publishing = publishing
    await publishing
  }

  private async publishRecord (): Promise<void> {
    const node = this.node
    if (node == null || this.stopping) {
      return
    }
    const profile = await this.store.getProfile() ?? this.account.profile
    const seq = Math.max(profile.recordSeq + 1, Date.now())
    const value = createAccountRecord(this.account.keys, {
      seq: BigInt(seq),
      devices: [{ certificate: this.account.certificate, addrs: node.getMultiaddrs().slice(0, MAX_ADDRS_PER_DEVICE) }],
      mailboxes: this.ownMailboxes.flatMap(m => { const id = parsePeerId(m.peerId); return id == null ? [] : [id] }),
      signedPrekey: await this.sessions.currentPrekey()
    })
    const signal = AbortSignal.any([this.publishController.signal, AbortSignal.timeout(30_000)])
    await node.contentRouting.put(recordKey(this.account.keys.publicKey), value, { signal })
    await this.store.putProfile({ ...profile, recordSeq: seq })
    log('published account record seq %d', seq)
  }

  // --- helpers -----------------------------------------------------------

  private async setContactState (contact: Contact, state: Contact['state']): Promise<Contact> {
    const updated = { ...contact, state, updatedAt: Date.now() }
    await this.store.putContact(updated)
    this.safeDispatch('contact:updated', updated)
    if (state === 'contact') {
      this.courier(updated.accountId).wake()
    }
    if (state !== contact.state) {
      this.scheduleContactsPush()
    }
    return updated
  }

  private async summaries (contacts: Contact[]): Promise<ContactSummary[]> {
    return Promise.all(contacts.map(async (contact) => {
      const conversation = await this.store.getConversation(contact.accountId)
      return { ...contact, unread: conversation?.unread ?? 0, lastText: conversation?.lastText, lastAt: conversation?.lastAt }
    }))
  }

  private contactDevices (contact: Contact): PeerId[] {
    const peers: PeerId[] = []
    for (const bytes of contact.devices) {
      try {
        const { accountId, peerId } = this.verifyCertificate(bytes)
        if (accountId === contact.accountId) {
          peers.push(peerId)
        }
      } catch (err) {
        log('ignoring a bad device certificate of %s - %e', contact.accountId, err)
      }
    }
    return peers
  }

  /**
   * Verifies an encoded device certificate, remembering the answer: every
   * envelope carries one, and an Ed25519 verification in JS costs more than
   * the rest of receiving a message.
   */
  private verifyCertificate (bytes: Uint8Array): CertifiedDevice {
    return this.certificates.verify(bytes)
  }

  private indexDevices (contact: Contact): void {
    for (const peerId of this.contactDevices(contact)) {
      this.devices.set(peerId.toString(), contact.accountId)
    }
  }

  private peerIdOf (text: string): PeerId | undefined {
    if (!this.devices.has(text)) {
      return undefined
    }
    try {
      return peerIdFromString(text)
    } catch {
      return undefined
    }
  }

  private bootstrapPeers (): string[] {
    return (this.init.bootstrap ?? []).flatMap(text => {
      try {
        const id = multiaddr(text).getComponents().findLast(c => c.name === 'p2p')?.value
        return id == null ? [] : [id]
      } catch {
        return []
      }
    })
  }

  private emitStatus (): void {
    this.safeDispatch('status:changed', this.status())
  }

  /** Listeners are app code: one that throws must not break delivery. */
  private safeDispatch<K extends keyof MessengerEvents> (type: K, detail: MessengerEvents[K]['detail']): void {
    try {
      this.dispatchEvent(new CustomEvent(type, { detail }))
    } catch (err) {
      log.error('a %s listener threw - %e', type, err)
    }
  }
}

/** A short name of a direct connection's transport, from its remote address. */
function transportName (ma: Multiaddr): string {
  const names = ma.getComponents().map(c => c.name)
  for (const name of ['webrtc', 'webrtc-direct', 'webtransport', 'wss', 'tls', 'ws', 'tcp']) {
    if (names.includes(name)) {
      return name === 'tls' && names.includes('ws') ? 'wss' : name
    }
  }
  return names.at(-1) === 'p2p' ? (names.at(-2) ?? 'unknown') : (names.at(-1) ?? 'unknown')
}

function parsePeerId (text: string): PeerId | undefined {
  try {
    return peerIdFromString(text)
  } catch {
    return undefined
  }
}

/** A peer id from its multihash bytes, as text ('' if they do not read). */
function peerIdText (bytes: Uint8Array): string {
  try {
    return peerIdFromMultihash(Digest.decode(bytes)).toString()
  } catch {
    return ''
  }
}

function mergeDevices (a: Uint8Array[], b: Uint8Array[]): Uint8Array[] {
  const out = [...a]
  for (const cert of b) {
    if (!out.some(c => uint8ArrayEquals(c, cert))) {
      out.push(cert)
    }
  }
  return out.slice(0, MAX_RECORD_DEVICES)
}

/** `first` wins: newer addresses first, older hints after, bounded. */
function mergeAddrs (first: string[], second: string[]): string[] {
  return [...new Set([...first, ...second])].slice(0, MAX_ADDRS_PER_DEVICE * MAX_RECORD_DEVICES)
}

/** What one drain did (Messenger.receiveFromMailbox). */
interface DrainTally {
  /** Message ids stored (now or before), per sender account: they get a receipt. */
  stored: Map<string, string[]>
  /** Items that were new here: messages stored, receipts applied. */
  fresh: number
  /** Items whose handling failed: not acked, so the mailbox hands them out again. */
  unacked: number
}

function newDrainTally (): DrainTally {
  return { stored: new Map(), fresh: 0, unacked: 0 }
}
