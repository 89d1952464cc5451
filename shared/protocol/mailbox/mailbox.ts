import { InvalidMessageError, TimeoutError, UnexpectedPeerError, serviceCapabilities, setMaxListeners } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import { anySignal } from 'any-signal'
import { raceSignal } from 'race-signal'
import { equals as uint8ArrayEquals } from 'uint8arrays/equals'
import { CertificateCache, encodeDeviceCertificate } from '../../identity/device.ts'
import { isMessageId } from '../../store/keys.ts'
import {
  MAILBOX_MAX_CONTACTS, MAILBOX_MAX_WAIT_MS, MAILBOX_PAGE_BYTES, MAILBOX_PAGE_ITEMS, MAILBOX_PROTOCOL, MAILBOX_WINDOW, MAX_DM_FRAME_BYTES,
  MAX_MAILBOX_ACK_IDS, MAX_MAILBOX_REQUEST_BYTES, MAX_MAILBOX_RESPONSE_BYTES
} from '../constants.ts'
import { Envelope } from '../dm/pb/dm.ts'
import { accountIdOf, parsePairingCode, signPairing } from './code.ts'
import { Request, Response } from './pb/mailbox.ts'
import type { PairingCodeInfo } from './code.ts'
import type { CertifiedDevice } from '../../identity/device.ts'
import type {
  AccountStatusResult, AuthenticatedDevice, DepositCall, DepositInit, DepositResult, DrainedItem, DrainOptions, DrainPageHandler, DrainResult,
  MailboxHandler, MailboxIdentity, MailboxPeer, MailboxProtocol, MailboxProtocolComponents, MailboxProtocolInit,
  MailboxProtocolStats, MailboxReply, MailboxStatus, PairResult
} from './index.ts'
import type { AbortOptions, Connection, Logger, PeerId, Startable, Stream } from '@libp2p/interface'
import type { LengthPrefixedStream } from '@libp2p/utils'

const DEFAULT_TIMEOUT = 10_000

export class MailboxProtocolService implements MailboxProtocol, Startable {
  readonly protocol = MAILBOX_PROTOCOL
  readonly stats: MailboxProtocolStats = { requests: 0, invalidFrames: 0, oversizedFrames: 0, responses: {} }
  readonly [Symbol.toStringTag] = 'parley:mailbox'
  readonly [serviceCapabilities] = ['@parley/mailbox']

  private readonly components: MailboxProtocolComponents
  private readonly log: Logger
  private readonly maxRequestBytes: number
  private readonly maxEnvelopeBytes: number
  private readonly maxResponseBytes: number
  private readonly timeout: number
  private readonly window: number
  private readonly maxInboundStreams: number
  private readonly maxOutboundStreams: number
  private readonly runOnLimitedConnection: boolean
  private readonly sessions = new Map<string, Promise<Session>>()
  private readonly certificates = new CertificateCache()
  private handler?: MailboxHandler
  private registered = false
  private started = false

  constructor (components: MailboxProtocolComponents, init: MailboxProtocolInit = {}) {
    this.components = components
    this.log = components.logger.forComponent('parley:mailbox:protocol')
    this.maxRequestBytes = init.maxRequestBytes ?? MAX_MAILBOX_REQUEST_BYTES
    this.maxEnvelopeBytes = init.maxEnvelopeBytes ?? MAX_DM_FRAME_BYTES
    this.maxResponseBytes = init.maxResponseBytes ?? MAX_MAILBOX_RESPONSE_BYTES
    this.timeout = init.timeout ?? DEFAULT_TIMEOUT
    this.window = init.window ?? MAILBOX_WINDOW
    this.maxInboundStreams = init.maxInboundStreams ?? 8
    this.maxOutboundStreams = init.maxOutboundStreams ?? 8
    this.runOnLimitedConnection = init.runOnLimitedConnection ?? true
  }

  async start (): Promise<void> {
    this.started = true
    if (this.handler != null) {
      await this.register()
    }
  }

  async stop (): Promise<void> {
    this.started = false
    await this.unregister()
    for (const session of this.sessions.values()) {
      session.then(s => { s.close() }, () => {})
    }
    this.sessions.clear()
  }

  isStarted (): boolean {
    return this.started
  }

  async serve (handler: MailboxHandler): Promise<void> {
    this.handler = handler
    if (this.started) {
      await this.register()
    }
  }

  async stopServing (): Promise<void> {
    this.handler = undefined
    await this.unregister()
  }

  private async register (): Promise<void> {
    if (this.registered) {
      return
    }
    this.registered = true
    await this.components.registrar.handle(this.protocol, (stream, connection) => this.handleStream(stream, connection), {
      maxInboundStreams: this.maxInboundStreams,
      maxOutboundStreams: this.maxOutboundStreams,
      runOnLimitedConnection: this.runOnLimitedConnection
    })
  }

  private async unregister (): Promise<void> {
    if (!this.registered) {
      return
    }
    this.registered = false
    await this.components.registrar.unhandle(this.protocol)
  }

  // --- server --------------------------------------------------------------

  /** One inbound stream: requests in, one response each, strictly in order. */
  private async handleStream (stream: Stream, connection: Connection): Promise<void> {
    const from: MailboxPeer = { peerId: connection.remotePeer, connection }
    const gone = new AbortController()
    setMaxListeners(Infinity, gone.signal)
    stream.addEventListener('close', () => { gone.abort(new Error('mailbox stream closed')) }, { once: true })
    const lp = lpStream(stream, {
      maxDataLength: this.maxRequestBytes,
      maxBufferSize: this.maxRequestBytes * (this.window + 1)
    })

    // Requests are answered one at a time, in order, with one overlap: a DRAIN
    // that arrives while an ACK is being handled (the reference client sends
    // the ACK of page n together with the DRAIN of page n + 1) reads its page
    // while the ACK's synced batch is written. Its response still follows the
    // ACK's, and leaves out any item that ACK named, so that no item is handed
    // out after its ack was confirmed.
    try {
      let pending = this.readRequest(lp)
      while (true) {
        const request = await pending
        if (request == null) {
          break
        }
        if (request.ack == null) {
          await this.answer(lp, await this.reply(request, from, gone.signal))
          pending = this.readRequest(lp)
          continue
        }
        const acking = this.reply(request, from, gone.signal)
        const following = this.readRequest(lp)
        const arrived = await Promise.race([acking.then(() => false), following.then(() => true, () => true)])
        const next = arrived ? await following.catch(() => undefined) : undefined
        if (next?.drain != null) {
          const draining = this.reply(next, from, gone.signal)
          await this.answer(lp, await acking)
          await this.answer(lp, withoutItems(await draining, request.ack.messageIds))
          pending = this.readRequest(lp)
          continue
        }
        await this.answer(lp, await acking)
        pending = following
      }
      await stream.close()
    } catch (err: any) {
      if (err.name === 'InvalidDataLengthError' || err.name === 'InvalidDataLengthLengthError' || err.name === 'StreamBufferError') {
        this.stats.oversizedFrames++
      }
      this.log('resetting mailbox stream from %p - %e', from.peerId, err)
      stream.abort(err)
    }
  }

  /** The next request of the stream; undefined at its end. */
  private async readRequest (lp: LengthPrefixedStream<Stream>): Promise<Request | undefined> {
    const frame = await readFrame(lp)
    if (frame == null) {
      return undefined
    }
    try {
      const request = Request.decode(frame)
      this.stats.requests++
      return request
    } catch (err: any) {
      this.stats.invalidFrames++
      throw new InvalidMessageError(`Malformed mailbox request: ${err.message}`)
    }
  }

  /** The reply to one request; never rejects (a failure is answered ERROR). */
  private async reply (request: Request, from: MailboxPeer, signal: AbortSignal): Promise<MailboxReply> {
    try {
      return await this.dispatch(request, from, signal)
    } catch (err) {
      this.log.error('mailbox handler failed on a request from %p - %e', from.peerId, err)
      return { status: Response.Status.ERROR, detail: 'the mailbox failed; retry later' }
    }
  }

  private async answer (lp: LengthPrefixedStream<Stream>, reply: MailboxReply): Promise<void> {
    this.stats.responses[reply.status] = (this.stats.responses[reply.status] ?? 0) + 1
    await lp.write(Response.encode({ detail: '', retryAfterMs: 0, ...reply }))
  }

  private async dispatch (request: Request, from: MailboxPeer, signal: AbortSignal): Promise<MailboxReply> {
    const handler = this.handler
    if (handler == null) {
      return { status: Response.Status.NOT_ACCEPTING, detail: 'this peer is not a mailbox' }
    }
    const kinds = [request.pair, request.unpair, request.deposit, request.drain, request.ack, request.status, request.contacts].filter(r => r != null)
    if (kinds.length !== 1) {
      return invalid('a request sets exactly one of pair, unpair, deposit, drain, ack, status, contacts')
    }

    if (request.pair != null) {
      return handler.pair(request.pair, from)
    }
    if (request.deposit != null) {
      const call = this.checkDeposit(request.deposit, from)
      return 'status' in call ? call : handler.deposit(call, from)
    }

    const certificate = request.unpair?.deviceCertificate ?? request.drain?.deviceCertificate ??
      request.ack?.deviceCertificate ?? request.status?.deviceCertificate ?? request.contacts?.deviceCertificate ?? new Uint8Array(0)
    const device = this.authenticate(certificate, from)
    if (device == null) {
      return invalid('the device certificate does not verify or names another peer than the one connected')
    }

    if (request.drain != null) {
      const { after, limit, maxBytes, waitMs } = request.drain
      if (!Number.isSafeInteger(after) || after < 0) {
        return invalid('bad drain cursor')
      }
      return handler.drain(device, {
        after,
        limit: limit === 0 ? MAILBOX_PAGE_ITEMS : Math.min(limit, MAILBOX_PAGE_ITEMS),
        maxBytes: maxBytes === 0 ? MAILBOX_PAGE_BYTES : Math.min(maxBytes, MAILBOX_PAGE_BYTES),
        waitMs: Math.min(waitMs, MAILBOX_MAX_WAIT_MS)
      }, { signal })
    }
    if (request.ack != null) {
      const ids = request.ack.messageIds
      if (ids.length > MAX_MAILBOX_ACK_IDS || !ids.every(isMessageId)) {
        return invalid(`an ack names 0 to ${MAX_MAILBOX_ACK_IDS} message ids`)
      }
      return handler.ack(device, ids)
    }
    if (request.unpair != null) {
      return handler.unpair(device)
    }
    if (request.contacts != null) {
      const keys = request.contacts.contacts
      if (keys.length > MAILBOX_MAX_CONTACTS) {
        return invalid(`a contact list has at most ${MAILBOX_MAX_CONTACTS} accounts`)
      }
      const ids: string[] = []
      for (const key of keys) {
        const id = accountIdOf(key)
        if (id == null) {
          return invalid('a contact is not an account public key')
        }
        ids.push(id)
      }
      return handler.contacts(device, [...new Set(ids)])
    }
    return handler.status(device)
  }

  /** The checks of a deposit that need no state; a reply if it fails them. */
  private checkDeposit (deposit: Request['deposit'] & {}, from: MailboxPeer): DepositCall | MailboxReply {
    const recipientId = accountIdOf(deposit.recipient)
    if (recipientId == null) {
      return invalid('the recipient is not an account public key')
    }
    if (!isMessageId(deposit.messageId)) {
      return invalid('the message id is not 26 lowercase base32 characters')
    }
    if (deposit.envelope.byteLength === 0) {
      return invalid('the envelope is empty')
    }
    if (deposit.envelope.byteLength > this.maxEnvelopeBytes) {
      return { status: Response.Status.TOO_LARGE, detail: `envelopes are at most ${this.maxEnvelopeBytes} bytes` }
    }
    let envelope: Envelope
    try {
      envelope = Envelope.decode(deposit.envelope)
    } catch {
      return invalid('the envelope does not decode')
    }
    if (!uint8ArrayEquals(envelope.recipient, deposit.recipient) || envelope.id !== deposit.messageId) {
      return invalid('the envelope\'s recipient or id differs from the deposit\'s')
    }

    let sender = `peer:${from.peerId.toString()}`
    const certified = this.verifyCertificate(envelope.sender)
    if (certified?.peerId.equals(from.peerId) === true) {
      sender = `account:${certified.accountId}`
    }

    return {
      recipientId,
      recipientPublicKey: deposit.recipient,
      messageId: deposit.messageId,
      envelope: deposit.envelope,
      sender
    }
  }

  private authenticate (certificate: Uint8Array, from: MailboxPeer): AuthenticatedDevice | undefined {
    const certified = this.verifyCertificate(certificate)
    if (certified == null || !certified.peerId.equals(from.peerId)) {
      return undefined
    }
    return { ...from, accountId: certified.accountId, accountPublicKey: certified.accountPublicKey }
  }

  /** A device certificate's content if it verifies; one Ed25519 check per certificate, then cached. */
  private verifyCertificate (bytes: Uint8Array): CertifiedDevice | undefined {
    if (bytes.byteLength === 0) {
      return undefined
    }
    try {
      return this.certificates.verify(bytes)
    } catch {
      return undefined
    }
  }

  // --- client --------------------------------------------------------------

  async pair (code: string | PairingCodeInfo, identity: MailboxIdentity, options: AbortOptions = {}): Promise<PairResult> {
    const info = typeof code === 'string' ? parsePairingCode(code) : code
    const connection = await this.components.connectionManager.openConnection(info.addrs.length > 0 ? info.addrs : info.peerId, {
      signal: options.signal
    })
    // Noise authenticated the remote peer; it must be the one the code names
    // before we show it anything (mutual authentication, docs/protocols/mailbox.md)
    if (!connection.remotePeer.equals(info.peerId)) {
      throw new UnexpectedPeerError(`The peer at the code's address is ${connection.remotePeer.toString()}, not the mailbox ${info.peerId.toString()} the code names`)
    }
    const stream = await connection.newStream(this.protocol, { signal: options.signal, runOnLimitedConnection: this.runOnLimitedConnection })
    const session = this.newSession(stream)
    try {
      const response = await session.request({
        pair: {
          secret: Uint8Array.from(info.secret),
          accountPublicKey: Uint8Array.from(identity.keys.publicKey),
          deviceCertificate: Uint8Array.from(encodeDeviceCertificate(identity.certificate)),
          signature: Uint8Array.from(signPairing(identity.keys, info.peerId, info.secret))
        }
      }, options)
      return {
        status: response.status,
        detail: response.detail,
        mailbox: { peerId: info.peerId, addrs: info.addrs },
        ...(response.pair != null
          ? { retentionMs: response.pair.retentionMs, quota: { items: response.pair.quota?.items ?? 0, bytes: response.pair.quota?.bytes ?? 0 } }
          : {}),
        ...(response.status === Response.Status.RATE_LIMITED ? { retryAfterMs: response.retryAfterMs } : {})
      }
    } finally {
      session.close()
    }
  }

  async deposit (mailbox: PeerId, deposit: DepositInit, options: AbortOptions = {}): Promise<DepositResult> {
    const session = await this.depositSession(mailbox, options)
    const response = await session.request({
      deposit: {
        recipient: deposit.recipient as Uint8Array<ArrayBuffer>,
        messageId: deposit.messageId,
        envelope: deposit.envelope as Uint8Array<ArrayBuffer>
      }
    }, options)
    return { status: response.status, duplicate: response.deposit?.duplicate ?? false, detail: response.detail }
  }

  async drain (mailbox: PeerId, identity: Pick<MailboxIdentity, 'certificate'>, onPage: DrainPageHandler, options: DrainOptions = {}): Promise<DrainResult> {
    const deviceCertificate = Uint8Array.from(encodeDeviceCertificate(identity.certificate))
    const limit = Math.max(1, Math.min(options.pageItems ?? MAILBOX_PAGE_ITEMS, MAILBOX_PAGE_ITEMS))
    const maxBytes = Math.max(1, Math.min(options.pageBytes ?? MAILBOX_PAGE_BYTES, MAILBOX_PAGE_BYTES))
    const waitMs = Math.max(0, Math.min(options.waitMs ?? 0, MAILBOX_MAX_WAIT_MS))
    const session = await this.openSession(mailbox, options)
    const result: DrainResult = { status: Response.Status.OK, received: 0, acked: 0 }
    let after = 0
    let first = true
    let pendingAck: { ids: string[], response: Promise<Response> } | undefined

    // The ack of page n and the request for page n + 1 go out together: the
    // mailbox handles them in order, so the next page never holds what was acked.
    const settleAck = async (): Promise<boolean> => {
      if (pendingAck == null) {
        return true
      }
      const { ids, response } = pendingAck
      pendingAck = undefined
      const answer = await response
      if (answer.status !== Response.Status.OK) {
        result.status = answer.status
        return false
      }
      result.acked += ids.length
      options.onAcked?.(ids)
      return true
    }

    try {
      while (true) {
        const wait = first ? waitMs : 0
        first = false
        const pageResponse = session.request({ drain: { deviceCertificate, after, limit, maxBytes, waitMs: wait } }, { ...options, extraTimeout: wait })
        // a failed page request must not leave an unhandled rejection behind while the ack settles
        pageResponse.catch(() => {})
        if (!await settleAck()) {
          return result
        }
        const response = await pageResponse
        if (response.status !== Response.Status.OK) {
          result.status = response.status
          return result
        }
        // a page's HeldItems have exactly the DrainedItem fields
        const items: DrainedItem[] = response.page?.items ?? []
        if (items.length === 0) {
          return result
        }
        result.received += items.length
        const stored = await onPage(items)
        const ids = stored ?? items.map(item => item.messageId)
        after = items[items.length - 1].seq
        if (ids.length > 0) {
          const ack = session.request({ ack: { deviceCertificate, messageIds: ids } }, options)
          ack.catch(() => {})
          pendingAck = { ids, response: ack }
        }
        if (response.page?.more !== true) {
          await settleAck()
          return result
        }
      }
    } finally {
      session.close()
    }
  }

  async unpair (mailbox: PeerId, identity: Pick<MailboxIdentity, 'certificate'>, options: AbortOptions = {}): Promise<MailboxStatus> {
    const response = await this.oneShot(mailbox, {
      unpair: { deviceCertificate: Uint8Array.from(encodeDeviceCertificate(identity.certificate)) }
    }, options)
    return response.status
  }

  async accountStatus (mailbox: PeerId, identity: Pick<MailboxIdentity, 'certificate'>, options: AbortOptions = {}): Promise<AccountStatusResult> {
    const response = await this.oneShot(mailbox, {
      status: { deviceCertificate: Uint8Array.from(encodeDeviceCertificate(identity.certificate)) }
    }, options)
    return { status: response.status, ...(response.account != null ? { account: response.account } : {}) }
  }

  async setContacts (mailbox: PeerId, identity: Pick<MailboxIdentity, 'certificate'>, contacts: Uint8Array[], options: AbortOptions = {}): Promise<MailboxStatus> {
    const response = await this.oneShot(mailbox, {
      contacts: {
        deviceCertificate: Uint8Array.from(encodeDeviceCertificate(identity.certificate)),
        contacts: contacts.map(key => Uint8Array.from(key))
      }
    }, options)
    return response.status
  }

  private async oneShot (mailbox: PeerId, request: Request, options: AbortOptions): Promise<Response> {
    const session = await this.openSession(mailbox, options)
    try {
      return await session.request(request, options)
    } finally {
      session.close()
    }
  }

  /** The shared deposit stream to `mailbox`, opening one if there is none (concurrent callers share it). */
  private async depositSession (mailbox: PeerId, options: AbortOptions): Promise<Session> {
    const key = mailbox.toString()
    const existing = this.sessions.get(key)
    if (existing != null) {
      const session = await existing.catch(() => undefined)
      if (session?.open === true) {
        return session
      }
      if (this.sessions.get(key) === existing) {
        this.sessions.delete(key)
      }
    }
    const opening = this.openSession(mailbox, options)
    this.sessions.set(key, opening)
    opening.then(session => {
      session.onClose = () => {
        if (this.sessions.get(key) === opening) {
          this.sessions.delete(key)
        }
      }
      if (!session.open) {
        session.onClose()
      }
    }, () => {
      if (this.sessions.get(key) === opening) {
        this.sessions.delete(key)
      }
    })
    return opening
  }

  private async openSession (mailbox: PeerId, options: AbortOptions): Promise<Session> {
    const stream = await this.components.connectionManager.openStream(mailbox, this.protocol, {
      runOnLimitedConnection: this.runOnLimitedConnection,
      signal: options.signal
    })
    return this.newSession(stream)
  }

  private newSession (stream: Stream): Session {
    return new Session(stream, {
      maxResponseBytes: this.maxResponseBytes,
      window: this.window,
      timeout: this.timeout,
      log: this.log
    })
  }
}

function invalid (detail: string): MailboxReply {
  return { status: Response.Status.INVALID, detail }
}

/** `reply` without the page items of these ids (a page read while their ack was being written). */
function withoutItems (reply: MailboxReply, messageIds: string[]): MailboxReply {
  if (reply.page == null || messageIds.length === 0) {
    return reply
  }
  const ids = new Set(messageIds)
  const items = reply.page.items.filter(item => !ids.has(item.messageId))
  return items.length === reply.page.items.length ? reply : { ...reply, page: { ...reply.page, items } }
}

/** Reads one frame; `undefined` when the remote closed its end between frames. */
async function readFrame (lp: LengthPrefixedStream<Stream>): Promise<Uint8Array | undefined> {
  try {
    return (await lp.read()).subarray()
  } catch (err: any) {
    if (err.name === 'UnexpectedEOFError' && lp.unwrap().readBufferLength === 0) {
      return undefined
    }
    throw err
  }
}

interface SessionInit {
  maxResponseBytes: number
  window: number
  timeout: number
  log: Logger
}

interface RequestOptions extends AbortOptions {
  /** Added to the response timeout (a drain's wait). */
  extraTimeout?: number
}

/**
 * The client end of one mailbox stream: requests written in order (up to
 * `window` unanswered), responses matched to them first in, first out.
 */
class Session {
  open = true
  onClose?: () => void
  private readonly stream: Stream
  private readonly lp: LengthPrefixedStream<Stream>
  private readonly init: SessionInit
  private readonly pending: Array<PromiseWithResolvers<Response>> = []
  private readonly waiting: Array<() => void> = []
  private inFlight = 0

  constructor (stream: Stream, init: SessionInit) {
    this.stream = stream
    this.init = init
    this.lp = lpStream(stream, { maxDataLength: init.maxResponseBytes })
    stream.addEventListener('close', () => { this.fail(new Error('mailbox stream closed')) })
    void this.readResponses()
  }

  async request (request: Request, options: RequestOptions = {}): Promise<Response> {
    await this.acquire(options)
    const timeout = AbortSignal.timeout(this.init.timeout + (options.extraTimeout ?? 0))
    const signal = anySignal([timeout, options.signal])
    setMaxListeners(Infinity, signal)
    try {
      if (!this.open) {
        throw new Error('mailbox stream closed')
      }
      // Queued before the write so that its response, however early, finds it.
      // A caller that stops waiting leaves it queued: the response still comes
      // in order and is dropped, so the next one stays matched.
      const answer = Promise.withResolvers<Response>()
      answer.promise.catch(() => {})
      this.pending.push(answer)
      await this.lp.write(Request.encode(request), { signal: timeout }).catch((err: Error) => {
        this.abort(err)
        throw err
      })
      return await raceSignal(answer.promise, signal)
    } catch (err: any) {
      if (timeout.aborted) {
        const timedOut = new TimeoutError(`The mailbox did not answer within ${this.init.timeout + (options.extraTimeout ?? 0)} ms`)
        this.abort(timedOut)
        throw timedOut
      }
      throw err
    } finally {
      signal.clear()
      this.release()
    }
  }

  close (): void {
    if (!this.open) {
      return
    }
    this.open = false
    this.stream.close().catch(err => { this.stream.abort(err) })
    this.fail(new Error('mailbox stream closed'))
  }

  private abort (err: Error): void {
    // fail first: abort() dispatches 'close' synchronously
    this.fail(err)
    this.stream.abort(err)
  }

  private fail (err: Error): void {
    this.open = false
    for (const answer of this.pending.splice(0)) {
      answer.reject(err)
    }
    for (const wake of this.waiting.splice(0)) {
      wake()
    }
    this.onClose?.()
  }

  private async readResponses (): Promise<void> {
    try {
      while (this.open) {
        const frame = await readFrame(this.lp)
        if (frame == null) {
          break
        }
        const response = Response.decode(frame)
        const answer = this.pending.shift()
        if (answer == null) {
          throw new InvalidMessageError('The mailbox sent a response nobody asked for')
        }
        answer.resolve(response)
      }
      this.fail(new Error('mailbox stream ended by the remote'))
    } catch (err: any) {
      this.init.log('mailbox response stream failed - %e', err)
      this.abort(err)
    }
  }

  private async acquire (options: AbortOptions): Promise<void> {
    while (this.inFlight >= this.init.window && this.open) {
      const wait = Promise.withResolvers<void>()
      this.waiting.push(wait.resolve)
      await raceSignal(wait.promise, options.signal)
    }
    this.inFlight++
  }

  private release (): void {
    this.inFlight--
    this.waiting.shift()?.()
  }
}
