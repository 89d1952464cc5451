/**
 * The mailbox side of an always-on Parley daemon (docs/protocols/mailbox.md):
 * the request handler of `/parley/mailbox/1.0.0` over a MailboxStore, with
 * one-time pairing codes, pairing rate limits, long-poll drains, periodic
 * expiry, and a webhook that says "mail arrived" when an owner has no device
 * online.
 *
 * ```ts
 * const node = await createParleyNode({ …, services: { mailbox: mailboxProtocol() } })
 * const service = new MailboxService({ store, protocol: node.services.mailbox, peerId: node.peerId,
 *   addresses: () => node.getMultiaddrs(), webhook })
 * node.addEventListener('peer:connect', e => { service.peerOnline(e.detail) })
 * node.addEventListener('peer:disconnect', e => { service.peerOffline(e.detail) })
 * await service.start()
 * await node.start()
 * const { code } = await service.createPairingCode()
 * ```
 */

import { InvalidParametersError, setMaxListeners } from '@libp2p/interface'
import { logger } from '@libp2p/logger'
import { peerIdFromString } from '@libp2p/peer-id'
import { anySignal } from 'any-signal'
import { TypedEventEmitter } from 'main-event'
import { delay } from '#shared/delay.ts'
import { MAILBOX_CODE_TTL_MS, MAILBOX_PAIR_FAILURES_PER_PEER, MAILBOX_PAIR_FAILURES_TOTAL, MAILBOX_PAIR_WINDOW_MS } from '#shared/protocol/constants.ts'
import { MailboxStatus, formatPairingCode, newPairingSecret, verifyPairRequest } from '#shared/protocol/mailbox/index.ts'
import type { AccountInfo, DepositOutcome, MailboxLimits, MailboxStore, MailboxUsage } from '#shared/mailbox/index.ts'
import type {
  AuthenticatedDevice, DepositCall, DrainCall, MailboxHandler, MailboxPeer, MailboxProtocol, MailboxReply, PairRequest
} from '#shared/protocol/mailbox/index.ts'
import type { AbortOptions, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

const log = logger('parley:mailbox')

/** How often expired envelopes are deleted (also once at start). */
export const DEFAULT_EXPIRY_INTERVAL_MS = 60 * 60 * 1000

/** A device's "last drain" time is written at most this often. */
const DRAIN_NOTE_INTERVAL_MS = 10_000

/** Peers whose failed pairing attempts are remembered at once; the oldest are forgotten first. */
const MAX_RATE_LIMITED_PEERS = 10_000

const DEPOSIT_STATUS: Record<DepositOutcome, MailboxStatus> = {
  ok: MailboxStatus.OK,
  duplicate: MailboxStatus.OK,
  'not-paired': MailboxStatus.NOT_PAIRED,
  'mailbox-full': MailboxStatus.MAILBOX_FULL,
  'quota-exceeded': MailboxStatus.QUOTA_EXCEEDED,
  'too-large': MailboxStatus.TOO_LARGE
}

// --- webhook -------------------------------------------------------------------

/**
 * Where to say "mail arrived". The body is a template whose only
 * placeholders are `{{count}}` (envelopes held for the account now) and
 * `{{time}}` (ISO 8601 time of the latest arrival): the mailbox knows senders
 * and sizes but never puts them in a notification.
 */
export interface WebhookConfig {
  /** http(s) URL. It may hold a token: it is never logged, only its origin. */
  url: string
  /** @default 'POST' */
  method?: 'POST' | 'PUT' | 'PATCH' | 'GET'
  /** @default 'New Parley mail: {{count}} waiting ({{time}})' (must be absent for GET) */
  body?: string
  /** Extra request headers (e.g. Authorization, Content-Type). @default {} */
  headers?: Record<string, string>
  /** Account ids to notify for. @default every paired account */
  accounts?: string[]
  /** At most one notification per account this often; arrivals in between are told in the next one. @default 60_000 */
  minIntervalMs?: number
  /** Tries per notification. @default 6 */
  maxAttempts?: number
  /** First retry delay, doubled each time (±20 % jitter). @default 1_000 */
  initialBackoffMs?: number
  /** @default 60_000 */
  maxBackoffMs?: number
  /** One request's timeout. @default 10_000 */
  timeoutMs?: number
}

const DEFAULT_WEBHOOK_BODY = 'New Parley mail: {{count}} waiting ({{time}})'
const WEBHOOK_PLACEHOLDERS = new Set(['count', 'time'])

/** Checks a webhook config; throws InvalidParametersError saying what is wrong. */
export function validateWebhookConfig (config: WebhookConfig): void {
  let url: URL
  try {
    url = new URL(config.url)
  } catch {
    throw new InvalidParametersError('The webhook url is not a URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidParametersError('The webhook url must be http:// or https://')
  }
  const method = config.method ?? 'POST'
  if (!['POST', 'PUT', 'PATCH', 'GET'].includes(method)) {
    throw new InvalidParametersError('The webhook method must be POST, PUT, PATCH or GET')
  }
  if (method === 'GET' && config.body != null) {
    throw new InvalidParametersError('A GET webhook has no body')
  }
  for (const match of (config.body ?? '').matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)) {
    if (!WEBHOOK_PLACEHOLDERS.has(match[1])) {
      throw new InvalidParametersError(`The webhook body may use only {{count}} and {{time}}, not {{${match[1]}}}`)
    }
  }
  for (const [name, value] of Object.entries({ minIntervalMs: config.minIntervalMs, maxAttempts: config.maxAttempts, initialBackoffMs: config.initialBackoffMs, maxBackoffMs: config.maxBackoffMs, timeoutMs: config.timeoutMs })) {
    if (value != null && (!Number.isSafeInteger(value) || value < 0 || (name === 'maxAttempts' && value < 1))) {
      throw new InvalidParametersError(`The webhook's ${name} must be a non-negative integer`)
    }
  }
}

/** The body of one notification: the template with its two placeholders filled. */
export function renderWebhookBody (template: string, count: number, time: number): string {
  return template.replace(/\{\{\s*(count|time)\s*\}\}/g, (_, name: string) => name === 'count' ? String(count) : new Date(time).toISOString())
}

export interface WebhookStats {
  /** Notifications the endpoint accepted (2xx). */
  sent: number
  /** Attempts that failed (network error, timeout, non-2xx). */
  failedAttempts: number
  /** Notifications given up after every attempt failed. */
  dropped: number
}

interface WebhookDeps {
  /** Envelopes held for the account now. */
  countOf(accountId: string): number
  /** Whether a device of the account is online now (then nobody needs telling). */
  isOnline(accountId: string): boolean
  now(): number
  fetch: typeof globalThis.fetch
}

interface WebhookAccount {
  lastSentAt: number
  latestArrival: number
  timer?: ReturnType<typeof setTimeout>
  sending: boolean
  dirty: boolean
}

/**
 * Sends webhook notifications in the background: `mailArrived` returns at
 * once and never throws, so a slow or failing endpoint never holds up a
 * deposit. Arrivals within `minIntervalMs` of a notification are coalesced
 * into the next one.
 */
export class WebhookNotifier {
  readonly stats: WebhookStats = { sent: 0, failedAttempts: 0, dropped: 0 }
  private readonly config: Required<Omit<WebhookConfig, 'accounts' | 'body' | 'headers'>> & Pick<WebhookConfig, 'accounts' | 'body' | 'headers'>
  private readonly deps: WebhookDeps
  private readonly accounts = new Map<string, WebhookAccount>()
  private readonly stopController = new AbortController()
  private readonly origin: string
  private readonly sending = new Set<Promise<void>>()

  constructor (config: WebhookConfig, deps: WebhookDeps) {
    validateWebhookConfig(config)
    this.config = {
      minIntervalMs: 60_000,
      maxAttempts: 6,
      initialBackoffMs: 1_000,
      maxBackoffMs: 60_000,
      timeoutMs: 10_000,
      method: 'POST',
      ...config
    }
    this.deps = deps
    this.origin = new URL(config.url).origin
    setMaxListeners(Infinity, this.stopController.signal)
  }

  /** Mail arrived for `accountId` at `time` while none of its devices is online. */
  mailArrived (accountId: string, time: number): void {
    if (this.stopController.signal.aborted || (this.config.accounts != null && !this.config.accounts.includes(accountId))) {
      return
    }
    const state = this.accounts.get(accountId) ?? { lastSentAt: -Infinity, latestArrival: time, sending: false, dirty: false }
    this.accounts.set(accountId, state)
    state.latestArrival = Math.max(state.latestArrival, time)
    if (state.sending) {
      state.dirty = true
      return
    }
    if (state.timer != null) {
      return
    }
    const wait = state.lastSentAt + this.config.minIntervalMs - this.deps.now()
    if (wait <= 0) {
      this.fire(accountId, state)
    } else {
      state.timer = setTimeout(() => { this.fire(accountId, state) }, wait)
      state.timer.unref?.()
    }
  }

  /** Forgets an account (unpaired). */
  forget (accountId: string): void {
    const state = this.accounts.get(accountId)
    clearTimeout(state?.timer)
    this.accounts.delete(accountId)
  }

  /** Resolves once no notification is being sent (timers for later ones may be set). */
  async idle (): Promise<void> {
    while (this.sending.size > 0) {
      await Promise.all([...this.sending])
    }
  }

  /** Cancels timers and requests in flight; resolves once nothing runs. */
  async stop (): Promise<void> {
    this.stopController.abort(new Error('the mailbox is stopping'))
    for (const state of this.accounts.values()) {
      clearTimeout(state.timer)
    }
    await Promise.all([...this.sending])
  }

  private fire (accountId: string, state: WebhookAccount): void {
    state.timer = undefined
    if (this.stopController.signal.aborted || this.accounts.get(accountId) !== state) {
      return
    }
    const count = this.deps.countOf(accountId)
    if (count === 0 || this.deps.isOnline(accountId)) {
      return
    }
    state.sending = true
    const sending = this.send(count, state.latestArrival).finally(() => {
      this.sending.delete(sending)
      state.sending = false
      state.lastSentAt = this.deps.now()
      if (state.dirty) {
        state.dirty = false
        this.mailArrived(accountId, state.latestArrival)
      }
    })
    this.sending.add(sending)
  }

  private async send (count: number, time: number): Promise<void> {
    const { method, headers, maxAttempts, timeoutMs } = this.config
    const body = method === 'GET' ? undefined : renderWebhookBody(this.config.body ?? DEFAULT_WEBHOOK_BODY, count, time)
    let backoff = this.config.initialBackoffMs
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const signal = anySignal([AbortSignal.timeout(timeoutMs), this.stopController.signal])
      try {
        const response = await this.deps.fetch(this.config.url, { method, headers, body, signal })
        // the body is not needed; read it so the connection can be reused
        await response.arrayBuffer().catch(() => {})
        if (response.ok) {
          this.stats.sent++
          log('webhook to %s accepted (%d)', this.origin, response.status)
          return
        }
        throw new Error(`HTTP ${response.status}`)
      } catch (err: any) {
        if (this.stopController.signal.aborted) {
          return
        }
        this.stats.failedAttempts++
        log('webhook to %s failed (attempt %d of %d) - %s', this.origin, attempt, maxAttempts, err.message)
      } finally {
        signal.clear()
      }
      if (attempt === maxAttempts) {
        break
      }
      const jittered = backoff * (0.8 + Math.random() * 0.4)
      backoff = Math.min(backoff * 2, this.config.maxBackoffMs)
      if (!await delay(jittered, this.stopController.signal)) {
        return
      }
    }
    this.stats.dropped++
    log.error('webhook to %s failed %d times; this notification is dropped (mail is still held)', this.origin, maxAttempts)
  }
}

// --- pairing rate limits -------------------------------------------------------

/** Failed attempts per key and in total, in a sliding window. */
class FailureLimiter {
  private readonly perKey: number
  private readonly total: number
  private readonly windowMs: number
  private readonly now: () => number
  private readonly keys = new Map<string, number[]>()
  private all: number[] = []

  constructor (perKey: number, total: number, windowMs: number, now: () => number) {
    this.perKey = perKey
    this.total = total
    this.windowMs = windowMs
    this.now = now
  }

  /** 0 if `key` may try now, else how many ms until it may. */
  retryAfter (key: string): number {
    const now = this.now()
    const since = now - this.windowMs
    this.all = this.all.filter(t => t > since)
    const mine = (this.keys.get(key) ?? []).filter(t => t > since)
    if (mine.length === 0) {
      this.keys.delete(key)
    } else {
      this.keys.set(key, mine)
    }
    const waits: number[] = []
    if (mine.length >= this.perKey) {
      waits.push(mine[mine.length - this.perKey] + this.windowMs - now)
    }
    if (this.all.length >= this.total) {
      waits.push(this.all[this.all.length - this.total] + this.windowMs - now)
    }
    return waits.length === 0 ? 0 : Math.max(1, ...waits)
  }

  fail (key: string): void {
    const now = this.now()
    this.all.push(now)
    const mine = this.keys.get(key) ?? []
    mine.push(now)
    this.keys.delete(key)
    this.keys.set(key, mine)
    if (this.keys.size > MAX_RATE_LIMITED_PEERS) {
      const oldest = this.keys.keys().next().value
      if (oldest != null) {
        this.keys.delete(oldest)
      }
    }
  }

  reset (key: string): void {
    this.keys.delete(key)
  }
}

// --- the service -----------------------------------------------------------------

export interface PairRateLimit {
  /** @default MAILBOX_PAIR_FAILURES_PER_PEER (5) */
  perPeer?: number
  /** @default MAILBOX_PAIR_FAILURES_TOTAL (60) */
  total?: number
  /** @default MAILBOX_PAIR_WINDOW_MS (10 min) */
  windowMs?: number
}

export interface MailboxServiceInit {
  store: MailboxStore
  /** The node's mailbox protocol service (`node.services.mailbox`). */
  protocol: MailboxProtocol
  /** The mailbox's own peer id: pairing signatures must name it. */
  peerId: PeerId
  /** Where the mailbox can be dialled, for pairing codes (`() => node.getMultiaddrs()`). */
  addresses(): Multiaddr[]
  /** Take deposits and pairings. @default true */
  accepting?: boolean
  /** How long a pairing code is valid. @default MAILBOX_CODE_TTL_MS (10 min) */
  codeTtlMs?: number
  /** How often expired mail is deleted. @default DEFAULT_EXPIRY_INTERVAL_MS (1 h) */
  expiryIntervalMs?: number
  pairRateLimit?: PairRateLimit
  /** Notify a webhook of mail for accounts with no device online. @default none */
  webhook?: WebhookConfig
  /**
   * More knowledge of which accounts have a device online, on top of what the
   * service sees itself (connected devices it knows, drains waiting). @default none
   */
  isAccountOnline?(accountId: string): boolean
  /** @default Date.now */
  now?(): number
  /** For tests. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch
}

export interface MailboxServiceStats {
  /** PAIR attempts that failed (bad code, expired, bad signature), counted. */
  pairFailures: number
  /** PAIR attempts refused by the rate limit. */
  pairRateLimited: number
  pairings: number
  deposits: number
  duplicateDeposits: number
  /** Deposits refused, by status. */
  refusedDeposits: Partial<Record<MailboxStatus, number>>
  drained: number
  acked: number
}

export interface MailboxDeviceStatus {
  peerId: string
  lastDrainAt: number
  lastAckAt: number
  acked: number
  online: boolean
}

export interface MailboxAccountStatus extends Omit<AccountInfo, 'publicKey' | 'devices'> {
  quota: { items: number, bytes: number }
  devices: MailboxDeviceStatus[]
}

/** What `parley mailbox status` shows the owner. */
export interface MailboxServiceStatus {
  peerId: string
  accepting: boolean
  limits: MailboxLimits
  usage: MailboxUsage
  accounts: MailboxAccountStatus[]
  stats: MailboxServiceStats
  webhook?: WebhookStats
}

export interface MailboxServiceEvents {
  'mailbox:paired': CustomEvent<{ accountId: string }>
  'mailbox:unpaired': CustomEvent<{ accountId: string }>
  /** An envelope was stored (not for duplicates). */
  'mailbox:deposited': CustomEvent<{ accountId: string, messageId: string, held: number }>
  /** A device of the account sent its contact list (stored). */
  'mailbox:contacts': CustomEvent<{ accountId: string, contacts: number }>
  /** A device acked (the items are deleted). */
  'mailbox:acked': CustomEvent<{ accountId: string, device: string, deleted: number }>
}

export class MailboxService extends TypedEventEmitter<MailboxServiceEvents> {
  readonly stats: MailboxServiceStats = {
    pairFailures: 0, pairRateLimited: 0, pairings: 0, deposits: 0, duplicateDeposits: 0, refusedDeposits: {}, drained: 0, acked: 0
  }

  private readonly init: MailboxServiceInit
  private readonly store: MailboxStore
  private readonly now: () => number
  private readonly limiter: FailureLimiter
  private readonly notifier?: WebhookNotifier
  private accepting: boolean
  private expiryTimer?: ReturnType<typeof setInterval>
  private expiring?: Promise<unknown>
  /** Peers connected now (told by the app). */
  private readonly online = new Set<string>()
  /** Device peer id → its account, for devices that paired or drained. */
  private readonly deviceAccounts = new Map<string, string>()
  /** Drains waiting for mail, per account. */
  private readonly waiters = new Map<string, Set<() => void>>()
  private readonly drainNotes = new Map<string, number>()
  private stopping = new AbortController()

  /** What the protocol calls for each request (docs/protocols/mailbox.md, "Mailbox rules"). */
  private readonly handler: MailboxHandler = {
    pair: async (request, from) => this.handlePair(request, from),
    unpair: async (device) => this.handleUnpair(device),
    deposit: async (call, from) => this.handleDeposit(call, from),
    drain: async (device, request, options) => this.handleDrain(device, request, options),
    ack: async (device, ids) => this.handleAck(device, ids),
    status: async (device) => this.handleStatus(device),
    contacts: async (device, contactIds) => this.handleContacts(device, contactIds)
  }

  constructor (init: MailboxServiceInit) {
    super()
    this.init = init
    this.store = init.store
    this.now = init.now ?? Date.now
    this.accepting = init.accepting ?? true
    const rate = init.pairRateLimit ?? {}
    this.limiter = new FailureLimiter(
      rate.perPeer ?? MAILBOX_PAIR_FAILURES_PER_PEER,
      rate.total ?? MAILBOX_PAIR_FAILURES_TOTAL,
      rate.windowMs ?? MAILBOX_PAIR_WINDOW_MS,
      this.now)
    if (init.webhook != null) {
      this.notifier = new WebhookNotifier(init.webhook, {
        countOf: (accountId) => this.store.account(accountId)?.items ?? 0,
        isOnline: (accountId) => this.isAccountOnline(accountId),
        now: this.now,
        fetch: init.fetch ?? globalThis.fetch
      })
    }
    for (const account of this.store.accounts()) {
      for (const device of account.devices) {
        this.deviceAccounts.set(device.peerId, account.accountId)
      }
    }
  }

  /** Serves the protocol and starts periodic expiry (one run now). */
  async start (): Promise<void> {
    this.stopping = new AbortController()
    await this.init.protocol.serve(this.handler)
    this.runExpiry()
    this.expiryTimer = setInterval(() => { this.runExpiry() }, this.init.expiryIntervalMs ?? DEFAULT_EXPIRY_INTERVAL_MS)
    this.expiryTimer.unref?.()
    log('serving as a mailbox for %d account(s)', this.store.accounts().length)
  }

  /** Stops serving, ends waiting drains, stops the webhook; the store stays open (the caller closes it). */
  async stop (): Promise<void> {
    clearInterval(this.expiryTimer)
    this.stopping.abort(new Error('the mailbox is stopping'))
    await this.init.protocol.stopServing()
    await this.notifier?.stop()
    await this.expiring
  }

  /** Resolves once background work under way (webhook notifications being sent, an expiry run) is done. */
  async idle (): Promise<void> {
    await this.expiring
    await this.notifier?.idle()
  }

  private runExpiry (): void {
    this.expiring ??= this.store.expire()
      .catch(err => { log.error('expiry failed - %e', err) })
      .finally(() => { this.expiring = undefined })
  }

  /** A new one-time pairing code (text), stored (as a hash) before it is returned. */
  async createPairingCode (options: { ttlMs?: number } = {}): Promise<{ code: string, expiresAt: number }> {
    const ttl = options.ttlMs ?? this.init.codeTtlMs ?? MAILBOX_CODE_TTL_MS
    const secret = newPairingSecret()
    const expiresAt = this.now() + ttl
    await this.store.addCode(secret, expiresAt)
    const code = formatPairingCode({ peerId: this.init.peerId, secret, addrs: this.init.addresses(), expiresAt })
    secret.fill(0)
    return { code, expiresAt }
  }

  /** Pairs an account directly (the daemon's own account). */
  async pairLocal (accountPublicKey: Uint8Array): Promise<void> {
    await this.store.pairAccount(accountPublicKey)
  }

  /** Unpairs an account (the owner's decision), deleting what is held for it. */
  async unpairAccount (accountId: string): Promise<boolean> {
    const removed = await this.store.unpair(accountId)
    if (removed !== false) {
      this.forgetAccount(accountId)
    }
    return removed !== false
  }

  setAccepting (accepting: boolean): void {
    this.accepting = accepting
  }

  /** The app saw `peer` connect (libp2p `peer:connect`). */
  peerOnline (peer: PeerId): void {
    this.online.add(peer.toString())
  }

  /** The app saw `peer` disconnect (libp2p `peer:disconnect`). */
  peerOffline (peer: PeerId): void {
    this.online.delete(peer.toString())
  }

  /** Whether a device of the account is online: connected, waiting in a drain, or said so by `init.isAccountOnline`. */
  isAccountOnline (accountId: string): boolean {
    if ((this.waiters.get(accountId)?.size ?? 0) > 0) {
      return true
    }
    for (const [peer, account] of this.deviceAccounts) {
      if (account === accountId && this.online.has(peer)) {
        return true
      }
    }
    return this.init.isAccountOnline?.(accountId) ?? false
  }

  status (): MailboxServiceStatus {
    const limits = this.store.limits
    return {
      peerId: this.init.peerId.toString(),
      accepting: this.accepting,
      limits: { ...limits },
      usage: this.store.usage(),
      accounts: this.store.accounts().map(({ publicKey, devices, ...account }) => ({
        ...account,
        quota: { items: limits.accountItems, bytes: limits.accountBytes },
        devices: devices.map(d => ({ ...d, online: this.online.has(d.peerId) }))
      })),
      stats: structuredClone(this.stats),
      ...(this.notifier != null ? { webhook: { ...this.notifier.stats } } : {})
    }
  }

  // --- requests ---------------------------------------------------------------

  private async handlePair (request: PairRequest, from: MailboxPeer): Promise<MailboxReply> {
    const key = from.peerId.toString()
    const retryAfterMs = this.limiter.retryAfter(key)
    if (retryAfterMs > 0) {
      this.stats.pairRateLimited++
      return { status: MailboxStatus.RATE_LIMITED, detail: 'too many failed pairing attempts', retryAfterMs }
    }
    if (!this.accepting) {
      return { status: MailboxStatus.NOT_ACCEPTING, detail: 'this mailbox takes no new accounts now' }
    }
    const failed = (status: MailboxStatus, detail: string): MailboxReply => {
      this.stats.pairFailures++
      this.limiter.fail(key)
      log('pairing attempt from %p failed: %s', from.peerId, detail)
      return { status, detail }
    }

    let verified
    try {
      verified = verifyPairRequest(request, this.init.peerId, from.peerId)
    } catch (err: any) {
      return failed(MailboxStatus.INVALID, err.message)
    }
    const outcome = await this.store.pairWithCode(verified.secret, verified.accountPublicKey)
    if (outcome === 'unknown') {
      return failed(MailboxStatus.INVALID, 'unknown pairing code')
    }
    if (outcome !== 'paired') {
      return failed(MailboxStatus.EXPIRED_CODE, outcome === 'used' ? 'this pairing code was used already' : 'this pairing code has expired')
    }
    this.limiter.reset(key)
    this.stats.pairings++
    this.deviceAccounts.set(key, verified.accountId)
    this.dispatchEvent(new CustomEvent('mailbox:paired', { detail: { accountId: verified.accountId } }))
    const limits = this.store.limits
    return {
      status: MailboxStatus.OK,
      pair: { retentionMs: limits.retentionMs, quota: { items: limits.accountItems, bytes: limits.accountBytes } }
    }
  }

  private async handleUnpair (device: AuthenticatedDevice): Promise<MailboxReply> {
    const removed = await this.store.unpair(device.accountId)
    if (removed === false) {
      return { status: MailboxStatus.NOT_PAIRED }
    }
    this.forgetAccount(device.accountId)
    return { status: MailboxStatus.OK }
  }

  private async handleDeposit (call: DepositCall, from: MailboxPeer): Promise<MailboxReply> {
    if (!this.accepting) {
      return this.refuse(MailboxStatus.NOT_ACCEPTING, 'this mailbox takes no deposits now')
    }
    const receipt = await this.store.deposit({
      recipientPublicKey: call.recipientPublicKey,
      messageId: call.messageId,
      envelope: call.envelope,
      sender: call.sender
    })
    const status = DEPOSIT_STATUS[receipt.outcome]
    if (status !== MailboxStatus.OK) {
      return this.refuse(status, receipt.outcome)
    }
    if (receipt.outcome === 'duplicate') {
      this.stats.duplicateDeposits++
      return { status, deposit: { duplicate: true } }
    }
    this.stats.deposits++
    const arrivedAt = this.now()
    this.wake(call.recipientId)
    this.dispatchEvent(new CustomEvent('mailbox:deposited', { detail: { accountId: call.recipientId, messageId: call.messageId, held: receipt.held } }))
    if (!this.isAccountOnline(call.recipientId)) {
      this.notifier?.mailArrived(call.recipientId, arrivedAt)
    }
    log.trace('held %s for %s from %p', call.messageId, call.recipientId, from.peerId)
    return { status, deposit: { duplicate: false } }
  }

  private async handleDrain (device: AuthenticatedDevice, request: DrainCall, options: AbortOptions): Promise<MailboxReply> {
    if (!this.store.isPaired(device.accountId)) {
      return { status: MailboxStatus.NOT_PAIRED }
    }
    const peer = device.peerId.toString()
    this.deviceAccounts.set(peer, device.accountId)
    this.noteDrain(device.accountId, peer)

    const pageOptions = { after: request.after, limit: request.limit, maxBytes: request.maxBytes }
    if (request.waitMs === 0) {
      return this.pageReply(await this.store.page(device.accountId, pageOptions))
    }
    // wait registered before the read, so a deposit in between still wakes us
    const arrival = this.waitForMail(device.accountId, request.waitMs, options.signal)
    let page = await this.store.page(device.accountId, pageOptions)
    if (page.items.length === 0) {
      await arrival.promise
      page = await this.store.page(device.accountId, pageOptions)
    }
    arrival.cancel()
    return this.pageReply(page)
  }

  private async handleAck (device: AuthenticatedDevice, messageIds: string[]): Promise<MailboxReply> {
    if (!this.store.isPaired(device.accountId)) {
      return { status: MailboxStatus.NOT_PAIRED }
    }
    const peer = device.peerId.toString()
    const deleted = await this.store.ack(device.accountId, peer, messageIds)
    this.stats.acked += deleted
    if (deleted > 0) {
      this.dispatchEvent(new CustomEvent('mailbox:acked', { detail: { accountId: device.accountId, device: peer, deleted } }))
    }
    return { status: MailboxStatus.OK, ack: { deleted } }
  }

  private async handleStatus (device: AuthenticatedDevice): Promise<MailboxReply> {
    const account = this.store.account(device.accountId)
    if (account == null) {
      return { status: MailboxStatus.NOT_PAIRED }
    }
    const limits = this.store.limits
    return {
      status: MailboxStatus.OK,
      account: {
        accountPublicKey: account.publicKey as Uint8Array<ArrayBuffer>,
        pairedAt: account.pairedAt,
        held: { items: account.items, bytes: account.bytes },
        quota: { items: limits.accountItems, bytes: limits.accountBytes },
        retentionMs: limits.retentionMs,
        devices: account.devices.map(d => ({
          peerId: peerIdBytes(d.peerId),
          lastDrainAt: d.lastDrainAt,
          lastAckAt: d.lastAckAt,
          acked: d.acked
        }))
      }
    }
  }

  private async handleContacts (device: AuthenticatedDevice, contactIds: string[]): Promise<MailboxReply> {
    if (!await this.store.setContacts(device.accountId, contactIds)) {
      return { status: MailboxStatus.NOT_PAIRED }
    }
    this.deviceAccounts.set(device.peerId.toString(), device.accountId)
    this.dispatchEvent(new CustomEvent('mailbox:contacts', { detail: { accountId: device.accountId, contacts: contactIds.length } }))
    return { status: MailboxStatus.OK }
  }

  // --- helpers ----------------------------------------------------------------

  private refuse (status: MailboxStatus, detail: string): MailboxReply {
    this.stats.refusedDeposits[status] = (this.stats.refusedDeposits[status] ?? 0) + 1
    return { status, detail }
  }

  private pageReply (page: { items: Array<{ seq: number, messageId: string, envelope: Uint8Array, depositedAt: number }>, more: boolean }): MailboxReply {
    this.stats.drained += page.items.length
    return {
      status: MailboxStatus.OK,
      page: {
        items: page.items.map(i => ({ ...i, envelope: i.envelope as Uint8Array<ArrayBuffer> })),
        more: page.more
      }
    }
  }

  private noteDrain (accountId: string, peer: string): void {
    const now = this.now()
    if (now - (this.drainNotes.get(peer) ?? -Infinity) < DRAIN_NOTE_INTERVAL_MS) {
      return
    }
    this.drainNotes.set(peer, now)
    this.store.noteDrain(accountId, peer).catch(err => { log('could not note a drain - %e', err) })
  }

  private waitForMail (accountId: string, ms: number, signal?: AbortSignal): { promise: Promise<void>, cancel(): void } {
    const done = Promise.withResolvers<void>()
    const set = this.waiters.get(accountId) ?? new Set()
    this.waiters.set(accountId, set)
    const abortSignal = anySignal([AbortSignal.timeout(ms), signal, this.stopping.signal])
    const finish = (): void => {
      set.delete(finish)
      if (set.size === 0 && this.waiters.get(accountId) === set) {
        this.waiters.delete(accountId)
      }
      abortSignal.removeEventListener('abort', finish)
      abortSignal.clear()
      done.resolve()
    }
    set.add(finish)
    if (abortSignal.aborted) {
      finish()
    } else {
      abortSignal.addEventListener('abort', finish, { once: true })
    }
    return { promise: done.promise, cancel: finish }
  }

  private wake (accountId: string): void {
    for (const finish of [...(this.waiters.get(accountId) ?? [])]) {
      finish()
    }
  }

  private forgetAccount (accountId: string): void {
    for (const [peer, account] of [...this.deviceAccounts]) {
      if (account === accountId) {
        this.deviceAccounts.delete(peer)
      }
    }
    this.notifier?.forget(accountId)
    this.wake(accountId)
    this.dispatchEvent(new CustomEvent('mailbox:unpaired', { detail: { accountId } }))
  }
}

function peerIdBytes (peerId: string): Uint8Array<ArrayBuffer> {
  try {
    return Uint8Array.from(peerIdFromString(peerId).toMultihash().bytes)
  } catch {
    return new Uint8Array(0)
  }
}
