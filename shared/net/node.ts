/**
 * Parley's libp2p node factory: one composition for the relay, the Node peer
 * and the browser, so that every Parley node speaks the same protocols with the
 * same limits.
 *
 * What `createParleyNode` puts together:
 *
 * - Transports: whatever the app passes in (Node: tcp + websockets; browser:
 *   websockets + webrtc), plus `circuitRelayTransport()`, which every Parley
 *   node needs to dial `/p2p-circuit` addresses and — when `listen` contains
 *   `/p2p-circuit` — to hold a reservation on a relay. Platform-specific
 *   transports are passed in because `shared/` must not import Node-only
 *   modules (`@libp2p/tcp` lives in node/ and relay/ only).
 * - Encryption: Noise (XX). Muxer: yamux. Both from the js-libp2p monorepo
 *   (`@libp2p/noise`, `@libp2p/yamux`), the continuations of the
 *   `@chainsafe/libp2p-noise` / `@chainsafe/libp2p-yamux` packages; we use
 *   them on purpose: `@chainsafe/libp2p-yamux` 8.0.1 has type errors against
 *   libp2p 3's interfaces, and keeping both from one repository keeps them in
 *   lockstep with libp2p itself.
 * - Discovery: `@libp2p/bootstrap` with the relay list. Bootstrap peers are
 *   tagged `keep-alive…`, so libp2p dials them at start and redials them when
 *   they drop (with backoff; after `reconnectRetries` failures it gives up and
 *   emits `peer:reconnect-failure`).
 * - Services:
 *   - `identify` — peers learn each other's addresses and protocols; the relay
 *     transport needs it to find relays (they advertise the HOP protocol).
 *   - `identifyPush` — tells connected peers when our addresses change. Without
 *     it a relay never learns the `/p2p-circuit` address a peer gets *after*
 *     connecting to it, and DHT peer lookups return stale addresses.
 *   - `ping` — kad-dht depends on it (routing-table liveness checks).
 *   - `dht` — Kademlia on Parley's own protocol id (`DHT_PROTOCOL`), so Parley
 *     records never mix with IPFS's; account records under `/parley/` are
 *     checked by `validateAccountRecord` and chosen by `selectAccountRecord`.
 *     Relays and always-on peers are DHT servers; browsers are clients. The
 *     mode is set explicitly: libp2p's automatic switch looks for a public
 *     address, which a relay on a LAN or in a test never has.
 *   - `relay` — the circuit-relay-v2 server, only when `relayServer` is given.
 *   - whatever the app adds through `services` (the messenger's `dm`, …):
 *     the factory stays free of app protocols, the node's type carries them.
 * - Limits: libp2p resets the 6th inbound connection per second from one IP;
 *   Parley raises that (`inboundConnectionThreshold`, default 100) because many
 *   peers behind one NAT, or in one test, connect at once.
 * - Private addresses (`allowPrivateAddresses`): off by default, which keeps
 *   libp2p's platform defaults — the browser refuses to dial loopback/private
 *   addresses and plain `/ws`, and the DHT strips private addresses from the
 *   peer infos it stores and hands out (useless and revealing on the public
 *   internet). On for a local network or tests: every address may be dialled
 *   and the DHT keeps private addresses.
 *
 * The node is created with `start: false`: the caller adds its protocol
 * handlers first, then calls `node.start()`.
 */

import { bootstrap } from '@libp2p/bootstrap'
import { circuitRelayServer, circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { identify, identifyPush } from '@libp2p/identify'
import { InvalidParametersError, KEEP_ALIVE } from '@libp2p/interface'
import { kadDHT, passthroughMapper, removePrivateAddressesMapper } from '@libp2p/kad-dht'
import { logger } from '@libp2p/logger'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { yamux } from '@libp2p/yamux'
import { createLibp2p } from 'libp2p'
import { DHT_PROTOCOL, RECORD_NAMESPACE } from '#shared/protocol/constants.ts'
import { selectAccountRecord, validateAccountRecord } from '#shared/protocol/record/index.ts'
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'
import type { Identify, IdentifyPush } from '@libp2p/identify'
import type { ConnectionGater, Libp2p, PrivateKey, ServiceMap } from '@libp2p/interface'
import type { KadDHT } from '@libp2p/kad-dht'
import type { Ping } from '@libp2p/ping'
import type { Libp2pOptions, ServiceFactoryMap } from 'libp2p'

const log = logger('parley:net')

/**
 * Default inbound connections per second accepted from one IP address.
 * libp2p's own default (5) resets the 6th, which breaks many peers behind one
 * NAT or on one test machine; 100 still stops a single host from flooding the
 * upgrader.
 */
export const DEFAULT_INBOUND_CONNECTION_THRESHOLD = 100

/**
 * Tag given to bootstrap peers. Any tag starting with libp2p's `KEEP_ALIVE`
 * makes the connection manager dial the peer at start and redial it when the
 * connection drops; the suffix says why the peer is kept.
 */
export const BOOTSTRAP_TAG = `${KEEP_ALIVE}-parley-bootstrap`

/** Circuit relay v2 server settings; every field defaults to libp2p's value. */
export interface RelayServerInit {
  /** Reservations held at once. @default 15 (libp2p) */
  maxReservations?: number
  /** How long a reservation lasts before the client must renew it, in ms. @default 7_200_000 (libp2p) */
  reservationTtl?: number
  /** Apply the duration/data limits below to relayed connections. @default true (libp2p) */
  applyDefaultLimit?: boolean
  /** Longest a relayed connection may stay open, in ms. @default 120_000 (libp2p) */
  defaultDurationLimit?: number
  /** Most bytes a relayed connection may carry (each direction). @default 131_072n (libp2p) */
  defaultDataLimit?: bigint
}

export interface ParleyNodeInit<S extends ServiceMap = {}> {
  /** The device's (or relay's) libp2p key; the peer id derives from it. */
  privateKey: PrivateKey
  /**
   * Platform transports (Node: tcp + websockets; browser: websockets + webrtc).
   * `circuitRelayTransport()` is always added by the factory.
   */
  transports: Libp2pOptions['transports']
  /** Addresses to listen on, e.g. `['/ip4/127.0.0.1/tcp/0', '/p2p-circuit']`. @default [] */
  listen?: string[]
  /** Addresses to announce instead of the listen addresses (e.g. a public host's). @default [] (announce what we listen on) */
  announce?: string[]
  /**
   * Relay multiaddrs including `/p2p/<peerId>`. Dialled at start and kept
   * connected (redialled when they drop). @default [] (no bootstrap)
   */
  bootstrap?: string[]
  /** `server` for relays and always-on peers, `client` for browsers. */
  dhtMode: 'server' | 'client'
  /** Run a circuit relay v2 server (only the relay sets this). @default undefined (no relay server) */
  relayServer?: RelayServerInit
  /**
   * Allow dialling loopback/private addresses and plain `/ws`, and keep private
   * addresses in DHT peer infos. For local networks and tests.
   * @default false (libp2p's platform gater; the DHT strips private addresses)
   */
  allowPrivateAddresses?: boolean
  /** Inbound connections per second accepted from one IP. @default DEFAULT_INBOUND_CONNECTION_THRESHOLD (100) */
  inboundConnectionThreshold?: number
  /** Connections held before libp2p starts pruning. @default libp2p's (300 in Node, 100 in browsers) */
  maxConnections?: number
  /**
   * Inbound connections that may be in their handshake (Noise, muxer) at once;
   * more are refused. A relay that many peers reconnect to at once raises it.
   * @default libp2p's (10)
   */
  maxIncomingPendingConnections?: number
  /** Where the peer store and DHT records live. @default libp2p's in-memory datastore */
  datastore?: Libp2pOptions['datastore']
  /**
   * More libp2p services, added beside Parley's own (e.g. `{ dm: directMessaging() }`);
   * they appear on `node.services` with their types. Their names must not be
   * those of `ParleyServices`. @default {}
   */
  services?: ServiceFactoryMap<S>
}

// A type alias, not an interface: libp2p's ServiceMap needs an index signature,
// which only type aliases get implicitly.
export type ParleyServices = {
  identify: Identify
  identifyPush: IdentifyPush
  ping: Ping
  dht: KadDHT
  /** Present only on nodes created with `relayServer`. */
  relay?: CircuitRelayService
}

/** A Parley libp2p node; `S` are the services the app added through `init.services`. */
export type ParleyNode<S extends ServiceMap = {}> = Libp2p<ParleyServices & S>

const BUILTIN_SERVICES = ['identify', 'identifyPush', 'ping', 'dht', 'relay']

/**
 * Lets every dial through: loopback, private ranges and plain `/ws` included.
 * (libp2p's browser default refuses those; its Node default already allows
 * them.)
 */
function allowAllGater (): ConnectionGater {
  return {
    denyDialMultiaddr: () => false
  }
}

/**
 * Creates (but does not start) a Parley libp2p node. Add protocol handlers,
 * then `await node.start()`; stop with `await node.stop()`.
 */
export async function createParleyNode<S extends ServiceMap = {}> (init: ParleyNodeInit<S>): Promise<ParleyNode<S>> {
  const extra = init.services ?? {}
  const clash = Object.keys(extra).filter(name => BUILTIN_SERVICES.includes(name))
  if (clash.length > 0) {
    throw new InvalidParametersError(`Service name(s) ${clash.join(', ')} are Parley's own; give the extra service(s) another name`)
  }
  const allowPrivate = init.allowPrivateAddresses ?? false
  const bootstrapList = init.bootstrap ?? []

  const services: ServiceFactoryMap<ParleyServices> = {
    identify: identify(),
    identifyPush: identifyPush(),
    ping: ping(),
    dht: kadDHT({
      protocol: DHT_PROTOCOL,
      clientMode: init.dhtMode === 'client',
      validators: { [RECORD_NAMESPACE]: validateAccountRecord },
      selectors: { [RECORD_NAMESPACE]: selectAccountRecord },
      peerInfoMapper: allowPrivate ? passthroughMapper : removePrivateAddressesMapper
    })
  }
  if (init.relayServer != null) {
    services.relay = circuitRelayServer({
      reservations: { ...init.relayServer }
    })
  }

  log('creating node: dht %s, relay server %s, private addresses %s, %d bootstrap peer(s)',
    init.dhtMode, init.relayServer != null, allowPrivate, bootstrapList.length)

  return createLibp2p<ParleyServices & S>({
    start: false,
    privateKey: init.privateKey,
    datastore: init.datastore,
    addresses: {
      listen: init.listen ?? [],
      announce: init.announce ?? []
    },
    transports: [
      ...(init.transports ?? []),
      circuitRelayTransport()
    ],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // @libp2p/bootstrap throws on an empty list, so add it only with peers.
    peerDiscovery: bootstrapList.length > 0
      ? [bootstrap({ list: bootstrapList, timeout: 0, tagName: BOOTSTRAP_TAG })]
      : [],
    connectionGater: allowPrivate ? allowAllGater() : undefined,
    connectionManager: {
      inboundConnectionThreshold: init.inboundConnectionThreshold ?? DEFAULT_INBOUND_CONNECTION_THRESHOLD,
      maxConnections: init.maxConnections,
      maxIncomingPendingConnections: init.maxIncomingPendingConnections
    },
    // the spread loses the link between names and factory types; the clash check above keeps them apart
    services: { ...services, ...extra } as ServiceFactoryMap<ParleyServices & S>
  })
}
