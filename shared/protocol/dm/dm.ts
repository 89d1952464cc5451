import { InvalidMessageError, TimeoutError, serviceCapabilities, setMaxListeners } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import { anySignal } from 'any-signal'
import { raceSignal } from 'race-signal'
import { DM_PROTOCOL, DM_WINDOW, MAX_DM_FRAME_BYTES } from '../constants.ts'
import { Ack, Envelope } from './pb/dm.ts'
import type { DirectMessaging, DirectMessagingComponents, DirectMessagingInit, DirectMessagingStats, EnvelopeReceiver } from './index.ts'
import type { AbortOptions, Connection, Logger, PeerId, Startable, Stream } from '@libp2p/interface'
import type { LengthPrefixedStream } from '@libp2p/utils'

const DEFAULT_ACK_TIMEOUT = 10_000

export class DirectMessagingService implements DirectMessaging, Startable {
  readonly protocol = DM_PROTOCOL
  readonly stats: DirectMessagingStats = { envelopesReceived: 0, envelopesSent: 0, invalidFrames: 0, oversizedFrames: 0 }
  readonly [Symbol.toStringTag] = 'parley:dm'
  readonly [serviceCapabilities] = ['@parley/dm']

  private readonly components: DirectMessagingComponents
  private readonly log: Logger
  private readonly maxFrameBytes: number
  private readonly window: number
  private readonly ackTimeout: number
  private readonly maxInboundStreams: number
  private readonly maxOutboundStreams: number
  private readonly runOnLimitedConnection: boolean
  private readonly channels = new Map<string, Promise<Channel>>()
  private receiver: EnvelopeReceiver = async () => Ack.Status.ERROR
  private started = false

  constructor (components: DirectMessagingComponents, init: DirectMessagingInit) {
    this.components = components
    this.log = components.logger.forComponent('parley:dm')
    this.maxFrameBytes = init.maxFrameBytes ?? MAX_DM_FRAME_BYTES
    this.window = init.window ?? DM_WINDOW
    this.ackTimeout = init.ackTimeout ?? DEFAULT_ACK_TIMEOUT
    this.maxInboundStreams = init.maxInboundStreams ?? 8
    this.maxOutboundStreams = init.maxOutboundStreams ?? 8
    this.runOnLimitedConnection = init.runOnLimitedConnection ?? true
  }

  async start (): Promise<void> {
    await this.components.registrar.handle(this.protocol, (stream, connection) => this.handleStream(stream, connection), {
      maxInboundStreams: this.maxInboundStreams,
      maxOutboundStreams: this.maxOutboundStreams,
      runOnLimitedConnection: this.runOnLimitedConnection
    })
    this.started = true
  }

  async stop (): Promise<void> {
    await this.components.registrar.unhandle(this.protocol)
    for (const channel of this.channels.values()) {
      channel.then(c => { c.close() }, () => {})
    }
    this.channels.clear()
    this.started = false
  }

  isStarted (): boolean {
    return this.started
  }

  setReceiver (receiver: EnvelopeReceiver): void {
    this.receiver = receiver
  }

  async send (peer: PeerId, envelope: Envelope, options: AbortOptions = {}): Promise<Ack.Status> {
    const channel = await this.channel(peer, options)
    const status = await channel.send(envelope, options)
    this.stats.envelopesSent++
    return status
  }

  hangUp (peer: PeerId): void {
    const key = peer.toString()
    const channel = this.channels.get(key)
    this.channels.delete(key)
    channel?.then(c => { c.close() }, () => {})
  }

  /** The open channel to `peer`, opening one if there is none (concurrent callers share one). */
  private async channel (peer: PeerId, options: AbortOptions): Promise<Channel> {
    const key = peer.toString()
    const existing = this.channels.get(key)
    if (existing != null) {
      const channel = await existing.catch(() => undefined)
      if (channel?.open === true) {
        return channel
      }
      if (this.channels.get(key) === existing) {
        this.channels.delete(key)
      }
    }

    const opening = this.openChannel(peer, options)
    this.channels.set(key, opening)
    opening.then(channel => {
      channel.onClose = () => {
        if (this.channels.get(key) === opening) {
          this.channels.delete(key)
        }
      }
    }, () => {
      if (this.channels.get(key) === opening) {
        this.channels.delete(key)
      }
    })
    return opening
  }

  private async openChannel (peer: PeerId, options: AbortOptions): Promise<Channel> {
    const stream = await this.components.connectionManager.openStream(peer, this.protocol, {
      runOnLimitedConnection: this.runOnLimitedConnection,
      signal: options.signal
    })
    return new Channel(stream, {
      maxFrameBytes: this.maxFrameBytes,
      window: this.window,
      ackTimeout: this.ackTimeout,
      log: this.log
    })
  }

  /** One inbound stream: envelopes in, acks out, strictly in order. */
  private async handleStream (stream: Stream, connection: Connection): Promise<void> {
    const log = this.log
    const lp = lpStream(stream, {
      maxDataLength: this.maxFrameBytes,
      maxBufferSize: this.maxFrameBytes * (this.window + 1)
    })

    try {
      while (true) {
        const frame = await readFrame(lp)
        if (frame == null) {
          break
        }

        let envelope: Envelope
        try {
          envelope = Envelope.decode(frame)
        } catch (err: any) {
          this.stats.invalidFrames++
          throw new InvalidMessageError(`Malformed envelope: ${err.message}`)
        }
        this.stats.envelopesReceived++

        let status: Ack.Status
        try {
          status = await this.receiver(envelope, { peerId: connection.remotePeer, connection })
        } catch (err) {
          log.error('receiver failed on an envelope from %p - %e', connection.remotePeer, err)
          status = Ack.Status.ERROR
        }
        await lp.write(Ack.encode({ id: envelope.id, status }))
      }
      await stream.close()
    } catch (err: any) {
      if (err.name === 'InvalidDataLengthError' || err.name === 'InvalidDataLengthLengthError' || err.name === 'StreamBufferError') {
        this.stats.oversizedFrames++
      }
      log('resetting dm stream from %p - %e', connection.remotePeer, err)
      stream.abort(err)
    }
  }
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

interface ChannelInit {
  maxFrameBytes: number
  window: number
  ackTimeout: number
  log: Logger
}

/** The sending side of one dm stream: pipelined envelopes, acks matched by id. */
class Channel {
  open = true
  onClose?: () => void
  private readonly stream: Stream
  private readonly lp: LengthPrefixedStream<Stream>
  private readonly init: ChannelInit
  private readonly pending = new Map<string, PromiseWithResolvers<Ack.Status>>()
  private readonly waiting: Array<() => void> = []
  private inFlight = 0

  constructor (stream: Stream, init: ChannelInit) {
    this.stream = stream
    this.init = init
    this.lp = lpStream(stream, { maxDataLength: init.maxFrameBytes })
    stream.addEventListener('close', () => { this.fail(new Error('dm stream closed')) })
    void this.readAcks()
  }

  async send (envelope: Envelope, options: AbortOptions): Promise<Ack.Status> {
    const already = this.pending.get(envelope.id)
    if (already != null) {
      return raceSignal(already.promise, options.signal)
    }

    await this.acquire(options)
    const ack = Promise.withResolvers<Ack.Status>()
    this.pending.set(envelope.id, ack)
    const timeout = AbortSignal.timeout(this.init.ackTimeout)
    const signal = anySignal([timeout, options.signal])
    setMaxListeners(Infinity, signal)
    try {
      if (!this.open) {
        throw new Error('dm stream closed')
      }
      await this.lp.write(Envelope.encode(envelope), { signal })
      return await raceSignal(ack.promise, signal)
    } catch (err: any) {
      if (timeout.aborted) {
        const timedOut = new TimeoutError(`No ack for ${envelope.id} within ${this.init.ackTimeout} ms`)
        this.abort(timedOut)
        throw timedOut
      }
      throw err
    } finally {
      signal.clear()
      this.pending.delete(envelope.id)
      this.release()
    }
  }

  close (): void {
    if (!this.open) {
      return
    }
    this.open = false
    this.stream.close().catch(err => { this.stream.abort(err) })
    this.fail(new Error('dm stream closed'))
  }

  private abort (err: Error): void {
    // fail first: abort() dispatches 'close' synchronously, whose listener
    // would otherwise reject every pending send with a generic error
    this.fail(err)
    this.stream.abort(err)
  }

  private fail (err: Error): void {
    this.open = false
    for (const ack of this.pending.values()) {
      ack.reject(err)
    }
    this.pending.clear()
    for (const wake of this.waiting.splice(0)) {
      wake()
    }
    this.onClose?.()
  }

  private async readAcks (): Promise<void> {
    try {
      while (this.open) {
        const frame = await readFrame(this.lp)
        if (frame == null) {
          break
        }
        const ack = Ack.decode(frame)
        this.pending.get(ack.id)?.resolve(ack.status)
      }
      this.fail(new Error('dm stream ended by the remote'))
    } catch (err: any) {
      this.init.log('dm ack stream failed - %e', err)
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
