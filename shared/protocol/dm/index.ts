/**
 * `/parley/dm/1.0.0`: direct messages between two devices (docs/protocols/dm.md).
 *
 * One long-lived stream per peer carries length-prefixed `Envelope` frames one
 * way and `Ack` frames the other. The sender pipelines up to `window`
 * unacknowledged envelopes; the receiver handles them in order and acks each
 * only after its receiver callback (which stores the message durably) has
 * returned. A frame that is oversized or does not decode resets the stream;
 * nothing of it is stored.
 *
 * The protocol knows nothing about accounts or storage: the app passes a
 * `receiver` that decides each envelope's ack status.
 */

import { DirectMessagingService } from './dm.ts'
import type { Ack, Envelope } from './pb/dm.ts'
import type { AbortOptions, ComponentLogger, Connection, PeerId } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'

export { Ack, Content, Envelope } from './pb/dm.ts'

export interface DirectMessagingInit {
  /**
   * Largest frame accepted, in bytes. A larger one resets the stream.
   *
   * @default MAX_DM_FRAME_BYTES (64 KiB)
   */
  maxFrameBytes?: number

  /**
   * Envelopes one outbound stream may have unacknowledged.
   *
   * @default DM_WINDOW (64)
   */
  window?: number

  /**
   * How long the sender waits for an envelope's ack before it gives the stream
   * up (the envelope stays queued by the app and is retried).
   *
   * @default 10_000
   */
  ackTimeout?: number

  /**
   * Inbound dm streams allowed per connection. One is used per peer; a few more
   * allow a peer's reconnect to overlap a dying stream.
   *
   * @default 8
   */
  maxInboundStreams?: number

  /**
   * Outbound dm streams allowed per connection.
   *
   * @default 8
   */
  maxOutboundStreams?: number

  /**
   * Run over limited (relayed) connections. Browser peers reach others through
   * circuit relays before any direct link exists, so this defaults to on.
   *
   * @default true
   */
  runOnLimitedConnection?: boolean
}

export interface DirectMessagingComponents {
  registrar: Registrar
  connectionManager: ConnectionManager
  logger: ComponentLogger
}

/** Where an inbound envelope came from. */
export interface InboundContext {
  /** The remote device, authenticated by the connection's Noise handshake. */
  peerId: PeerId
  connection: Connection
}

/**
 * Decides what to do with one inbound envelope and returns the ack status.
 * It must have stored the message durably before it resolves with `OK`.
 */
export interface EnvelopeReceiver {
  (envelope: Envelope, from: InboundContext): Promise<Ack.Status>
}

/** Counters of what the protocol has seen, for tests and metrics. */
export interface DirectMessagingStats {
  envelopesReceived: number
  envelopesSent: number
  /** Frames that did not decode as an envelope (stream reset). */
  invalidFrames: number
  /** Frames over `maxFrameBytes` (stream reset). */
  oversizedFrames: number
}

export interface DirectMessaging {
  readonly protocol: string
  readonly stats: DirectMessagingStats

  /** Sets the function that handles inbound envelopes. Until set, every envelope is answered `ERROR`. */
  setReceiver(receiver: EnvelopeReceiver): void

  /**
   * Sends one envelope to `peer` over the shared stream (opened or dialled as
   * needed) and resolves with the receiver's ack status. Rejects if the peer
   * cannot be reached, the stream fails, or no ack comes in time.
   */
  send(peer: PeerId, envelope: Envelope, options?: AbortOptions): Promise<Ack.Status>

  /** Closes any stream to `peer`, e.g. after it was found to be stale. */
  hangUp(peer: PeerId): void
}

export function directMessaging (init: DirectMessagingInit = {}): (components: DirectMessagingComponents) => DirectMessaging {
  return (components) => new DirectMessagingService(components, init)
}
