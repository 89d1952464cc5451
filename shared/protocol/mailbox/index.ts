/**
 * `/parley/mailbox/1.0.0`: deposits at, and drains from, an always-on peer
 * that holds end-to-end encrypted envelopes for the accounts paired with it
 * (docs/protocols/mailbox.md).
 *
 * One service does both sides. As a **client** (every peer): `pair` with a
 * one-time code, `deposit` an envelope for an account whose devices are all
 * unreachable, `drain` what is held for one's own account, `unpair`,
 * `accountStatus`, `setContacts` (so strangers share a small pool of the
 * account's quota). As a **server** (a mailbox): `serve(handler)` registers
 * the protocol; each request is decoded, bounded and — where a device speaks
 * for its account — authenticated (the device certificate must verify and
 * name the connection's remote peer) before the handler sees it. The handler
 * (node/src/mailbox-service.ts over shared/mailbox) decides and stores.
 *
 * Requests and responses are length-prefixed protobuf frames; responses come
 * in request order, each with an explicit status. A frame over the limit, or
 * one that does not decode, resets the stream.
 */

import { MailboxProtocolService } from './mailbox.ts'
import { Response } from './pb/mailbox.ts'
import type { PairingCodeInfo } from './code.ts'
import type { AccountStatus, PairRequest } from './pb/mailbox.ts'
import type { AccountKeys } from '../../identity/account.ts'
import type { DeviceCertificate } from '../../identity/device.ts'
import type { AbortOptions, ComponentLogger, Connection, PeerId } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'
import type { Multiaddr } from '@multiformats/multiaddr'

export { Response }
export { PairRequest, AccountStatus, DeviceDrain, Quota } from './pb/mailbox.ts'
export {
  accountIdOf, formatPairingCode, newPairingSecret, pairingSignedBytes, parsePairingCode, signPairing, verifyPairRequest
} from './code.ts'
export type { PairingCodeInfo, VerifiedPairing } from './code.ts'

/** A response status: 'OK', 'NOT_PAIRED', 'MAILBOX_FULL', … (docs/protocols/mailbox.md, "Statuses"). */
export type MailboxStatus = Response.Status
export const MailboxStatus = Response.Status

export interface MailboxProtocolInit {
  /**
   * Largest request frame the server reads. A larger one resets the stream.
   *
   * @default MAX_MAILBOX_REQUEST_BYTES (128 KiB)
   */
  maxRequestBytes?: number

  /**
   * Largest envelope accepted in a deposit; a larger one is answered TOO_LARGE.
   *
   * @default MAX_DM_FRAME_BYTES (64 KiB)
   */
  maxEnvelopeBytes?: number

  /**
   * Largest response frame the client reads (a drain page).
   *
   * @default MAX_MAILBOX_RESPONSE_BYTES (1 MiB + 64 KiB)
   */
  maxResponseBytes?: number

  /**
   * How long a client waits for each response (a drain that waits for mail
   * gets its wait on top).
   *
   * @default 10_000
   */
  timeout?: number

  /**
   * Requests a client pipelines on one stream before waiting for answers.
   *
   * @default MAILBOX_WINDOW (32)
   */
  window?: number

  /** @default 8 */
  maxInboundStreams?: number

  /** @default 8 */
  maxOutboundStreams?: number

  /**
   * Run over limited (relayed) connections: browsers reach mailboxes through
   * circuit relays before any direct link exists.
   *
   * @default true
   */
  runOnLimitedConnection?: boolean
}

export interface MailboxProtocolComponents {
  peerId: PeerId
  registrar: Registrar
  connectionManager: ConnectionManager
  logger: ComponentLogger
}

/** Where a request came from: the remote peer, authenticated by Noise. */
export interface MailboxPeer {
  peerId: PeerId
  connection: Connection
}

/** A device that proved it speaks for its account (certificate checked against the connection). */
export interface AuthenticatedDevice extends MailboxPeer {
  accountId: string
  accountPublicKey: Uint8Array
}

/** A deposit as the handler gets it: well-formed, within the size limit, consistent with its envelope. */
export interface DepositCall {
  recipientId: string
  recipientPublicKey: Uint8Array
  messageId: string
  /** The encoded dm Envelope, as received. */
  envelope: Uint8Array
  /**
   * Whose quota it counts against: `account:<id>` when the envelope's sender
   * certificate verifies and names the connection's remote peer, else
   * `peer:<remote peer id>`.
   */
  sender: string
}

export interface DrainCall {
  /** Items with a greater seq only (0: from the start). */
  after: number
  /** 1 … MAILBOX_PAGE_ITEMS */
  limit: number
  /** 1 … MAILBOX_PAGE_BYTES */
  maxBytes: number
  /** 0 … MAILBOX_MAX_WAIT_MS */
  waitMs: number
}

/** What a handler answers: a status and the fields that go with it. */
export type MailboxReply = Pick<Response, 'status'> & Partial<Omit<Response, 'status'>>

/**
 * The mailbox's side: decides and stores. Every method resolves with the
 * response to send (a throw is answered ERROR). `pair` gets the request as is
 * (so that failed attempts can be counted before anything is checked: see
 * `verifyPairRequest`); the others get checked, authenticated input.
 */
export interface MailboxHandler {
  pair(request: PairRequest, from: MailboxPeer): Promise<MailboxReply>
  unpair(device: AuthenticatedDevice): Promise<MailboxReply>
  /** Must answer OK only once the envelope is durably stored. */
  deposit(deposit: DepositCall, from: MailboxPeer): Promise<MailboxReply>
  /** `options.signal` aborts when the stream goes away (e.g. during a wait). */
  drain(device: AuthenticatedDevice, request: DrainCall, options: AbortOptions): Promise<MailboxReply>
  /** Must answer OK only once the deletions are durable. */
  ack(device: AuthenticatedDevice, messageIds: string[]): Promise<MailboxReply>
  status(device: AuthenticatedDevice): Promise<MailboxReply>
  /**
   * The device's account's contacts (checked: at most MAILBOX_MAX_CONTACTS
   * account ids, deduplicated), replacing its earlier list. Must answer OK
   * only once the list is durable.
   */
  contacts(device: AuthenticatedDevice, contactIds: string[]): Promise<MailboxReply>
}

/** The account and device a client acts as: an UnlockedAccount fits. */
export interface MailboxIdentity {
  /** The account's keys; only `pair` uses the private key (to sign). */
  keys: AccountKeys
  /** This device's certificate. */
  certificate: DeviceCertificate
}

export interface PairResult {
  status: MailboxStatus
  detail: string
  /** The mailbox, as the code named it (and the connection proved). */
  mailbox: { peerId: PeerId, addrs: Multiaddr[] }
  /** With OK: how long it holds undrained envelopes, and the account's quota there. */
  retentionMs?: number
  quota?: { items: number, bytes: number }
  /** With RATE_LIMITED. */
  retryAfterMs?: number
}

export interface DepositInit {
  /** The recipient account's public key (32 bytes). */
  recipient: Uint8Array
  messageId: string
  /** The encoded dm Envelope (as queued in the outbox). */
  envelope: Uint8Array
}

export interface DepositResult {
  /** OK (stored, durably) or why not. */
  status: MailboxStatus
  /** With OK: it was held (or delivered) already; nothing new was stored. */
  duplicate: boolean
  detail: string
}

/** One envelope handed out by a drain. */
export interface DrainedItem {
  seq: number
  messageId: string
  /** The encoded dm Envelope, as deposited. */
  envelope: Uint8Array
  /** The mailbox's clock when it was stored. */
  depositedAt: number
}

/**
 * Handles one page: store the envelopes, then resolve with the ids to ack
 * (`undefined`: all of them). Ids left out stay at the mailbox and come again
 * in a later drain (not in this one).
 */
export type DrainPageHandler = (items: DrainedItem[]) => Promise<string[] | undefined | void>

export interface DrainOptions extends AbortOptions {
  /** Items per page. @default MAILBOX_PAGE_ITEMS */
  pageItems?: number
  /** Envelope bytes per page (ask for less on a data-limited relayed connection). @default MAILBOX_PAGE_BYTES */
  pageBytes?: number
  /**
   * If nothing is held, wait up to this long for mail to arrive (and drain
   * it) before resolving. @default 0
   */
  waitMs?: number
  /** Called with the ids of each ack once the mailbox confirmed it (they are deleted there). */
  onAcked?(messageIds: string[]): void
}

export interface DrainResult {
  /** OK, or why the mailbox stopped the drain (e.g. NOT_PAIRED). */
  status: MailboxStatus
  /** Items handed to the page handler. */
  received: number
  /** Items whose ack the mailbox confirmed. */
  acked: number
}

export interface AccountStatusResult {
  status: MailboxStatus
  account?: AccountStatus
}

/** Counters of what the protocol has seen, for tests and metrics. */
export interface MailboxProtocolStats {
  requests: number
  /** Frames that did not decode as a request (stream reset). */
  invalidFrames: number
  /** Frames over the size limit (stream reset). */
  oversizedFrames: number
  /** Responses sent, by status. */
  responses: Partial<Record<MailboxStatus, number>>
}

export interface MailboxProtocol {
  readonly protocol: string
  readonly stats: MailboxProtocolStats

  /** Becomes a mailbox: registers the protocol (now, or at start) and hands every request to `handler`. */
  serve(handler: MailboxHandler): Promise<void>

  /** Stops being a mailbox: unregisters the protocol. */
  stopServing(): Promise<void>

  /**
   * Pairs this device's account with the mailbox a code names. Dials the
   * code's addresses and checks the connection's remote peer is the code's
   * peer id before sending anything.
   *
   * @throws InvalidPairingCodeError if the code does not read;
   *   UnexpectedPeerError if another peer answered; network errors
   */
  pair(code: string | PairingCodeInfo, identity: MailboxIdentity, options?: AbortOptions): Promise<PairResult>

  /** Deposits one envelope; resolves with the mailbox's status (refusals are statuses, not throws). */
  deposit(mailbox: PeerId, deposit: DepositInit, options?: AbortOptions): Promise<DepositResult>

  /**
   * Drains what `mailbox` holds for this device's account, page by page,
   * acking what `onPage` stored. Re-delivery before an ack is possible (dedupe
   * by id); after a confirmed ack, never.
   */
  drain(mailbox: PeerId, identity: Pick<MailboxIdentity, 'certificate'>, onPage: DrainPageHandler, options?: DrainOptions): Promise<DrainResult>

  /** Removes this device's account, and all mail held for it, from the mailbox. */
  unpair(mailbox: PeerId, identity: Pick<MailboxIdentity, 'certificate'>, options?: AbortOptions): Promise<MailboxStatus>

  /** What the mailbox holds for this device's account, its quota, and drains per device. */
  accountStatus(mailbox: PeerId, identity: Pick<MailboxIdentity, 'certificate'>, options?: AbortOptions): Promise<AccountStatusResult>

  /**
   * Tells the mailbox which accounts (public keys, 32 bytes each, at most
   * MAILBOX_MAX_CONTACTS) are this device's account's contacts, replacing the
   * list sent before. Deposits from every other sender then share the
   * account's strangers' pool. Resolves with OK, NOT_PAIRED or INVALID (too
   * many, or a key that is not an account key).
   */
  setContacts(mailbox: PeerId, identity: Pick<MailboxIdentity, 'certificate'>, contacts: Uint8Array[], options?: AbortOptions): Promise<MailboxStatus>
}

export function mailboxProtocol (init: MailboxProtocolInit = {}): (components: MailboxProtocolComponents) => MailboxProtocol {
  return (components) => new MailboxProtocolService(components, init)
}
