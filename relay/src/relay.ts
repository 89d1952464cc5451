/**
 * The community relay: a Parley node (shared/net) with a circuit-relay-v2
 * server, a Kademlia DHT server and TCP + WebSocket listeners. Browsers and
 * NATed peers reserve a slot on it to be reachable at
 * `<relay>/p2p-circuit/p2p/<peer>`, bootstrap their DHT through it, and use it
 * to store and find account records. It never sees plaintext: Noise runs end
 * to end over relayed connections and messages are end-to-end encrypted.
 *
 * `startRelay` is the library entry (tests start relays in-process with it);
 * cli.ts wraps it for operators.
 */

import { generateKeyPair } from '@libp2p/crypto/keys'
import { logger } from '@libp2p/logger'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { isPrivate } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { createParleyNode, DEFAULT_INBOUND_CONNECTION_THRESHOLD } from '#shared/net/index.ts'
import type { ParleyNode } from '#shared/net/index.ts'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Libp2pOptions } from 'libp2p'

const log = logger('parley:relay')

/** Listen addresses when none are given: loopback only, so a first run exposes nothing. */
export const DEFAULT_RELAY_LISTEN = ['/ip4/127.0.0.1/tcp/4101', '/ip4/127.0.0.1/tcp/4102/ws']

/**
 * Reservations held at once. libp2p's default (15) is sized for an IPFS node
 * that relays as a side job; a Parley relay exists to hold the reservations
 * of browsers and NATed peers. A reservation costs little (a map entry and a
 * peer-store tag) — relayed traffic is what costs, and that is bounded per
 * connection by the relay limits — so 256 is cheap on any small VPS.
 */
export const DEFAULT_MAX_RESERVATIONS = 256

/**
 * Connections before libp2p starts pruning. Each reserving peer holds one
 * connection, DHT clients and servers add more; 1000 leaves headroom over
 * DEFAULT_MAX_RESERVATIONS and is far below a default file-descriptor limit
 * raised for a server (check `ulimit -n` on the host).
 */
export const DEFAULT_RELAY_MAX_CONNECTIONS = 1000

/**
 * Inbound handshakes in progress at once. libp2p's 10 suits a peer; after a
 * relay restart all its peers redial within seconds, and on the internet a
 * handshake takes a few round trips, so 10 would refuse most of them (they
 * retry with backoff). 64 clears a full relay quickly while bounding the
 * handshake CPU one burst can demand.
 */
export const DEFAULT_RELAY_MAX_PENDING_CONNECTIONS = 64

export interface RelayInit {
  /** The relay's identity. @default a new Ed25519 key (a new peer id on every start) */
  privateKey?: PrivateKey
  /** Multiaddrs to listen on (TCP and `/ws`). @default DEFAULT_RELAY_LISTEN */
  listen?: string[]
  /** Multiaddrs to announce instead of the listen addresses (a public host's address or DNS name). @default [] */
  announce?: string[]
  /** Circuit relay reservations held at once. @default DEFAULT_MAX_RESERVATIONS (256) */
  maxReservations?: number
  /**
   * Keep private/loopback addresses in the DHT and allow dialling them.
   * @default isLocalOnly(listen, announce): on when every address is loopback or private
   */
  allowPrivateAddresses?: boolean
  /** @default DEFAULT_RELAY_MAX_CONNECTIONS (1000) */
  maxConnections?: number
  /** Inbound connections per second from one IP. @default DEFAULT_INBOUND_CONNECTION_THRESHOLD (100) */
  inboundConnectionThreshold?: number
  /** Peer store and DHT records. @default in memory (records are republished by their owners) */
  datastore?: Libp2pOptions['datastore']
}

export interface Relay {
  node: ParleyNode
  peerId: PeerId
  /** Dialable addresses, each ending in `/p2p/<peerId>`. */
  multiaddrs(): Multiaddr[]
  /** Stops the node; in-flight relayed connections are closed. */
  stop(): Promise<void>
}

/**
 * True when every listen and announce address is loopback or private
 * (10/8, 192.168/16, 127/8, fc00::/7 …), i.e. the relay serves a local network
 * or a test and nobody on the internet can reach it. A wildcard listen address
 * (0.0.0.0, ::) counts as public: it is what a public host listens on.
 */
export function isLocalOnly (listen: string[], announce: string[] = []): boolean {
  const addrs = [...listen, ...announce].map(a => multiaddr(a))
  return addrs.length > 0 && addrs.every(ma => {
    const host = ma.getComponents()[0]?.value
    if (host === '0.0.0.0' || host === '::') {
      return false
    }
    return isPrivate(ma)
  })
}

/** Creates and starts a relay. */
export async function startRelay (init: RelayInit = {}): Promise<Relay> {
  const listen = init.listen ?? DEFAULT_RELAY_LISTEN
  const announce = init.announce ?? []
  const allowPrivateAddresses = init.allowPrivateAddresses ?? isLocalOnly(listen, announce)

  const node = await createParleyNode({
    privateKey: init.privateKey ?? await generateKeyPair('Ed25519'),
    transports: [tcp(), webSockets()],
    listen,
    announce,
    dhtMode: 'server',
    relayServer: {
      maxReservations: init.maxReservations ?? DEFAULT_MAX_RESERVATIONS
    },
    allowPrivateAddresses,
    inboundConnectionThreshold: init.inboundConnectionThreshold ?? DEFAULT_INBOUND_CONNECTION_THRESHOLD,
    maxConnections: init.maxConnections ?? DEFAULT_RELAY_MAX_CONNECTIONS,
    maxIncomingPendingConnections: DEFAULT_RELAY_MAX_PENDING_CONNECTIONS,
    datastore: init.datastore
  })
  await node.start()
  log('relay %p started on %s (private addresses %s)', node.peerId,
    node.getMultiaddrs().map(ma => ma.toString()).join(', '), allowPrivateAddresses ? 'allowed' : 'stripped')

  return {
    node,
    peerId: node.peerId,
    multiaddrs: () => node.getMultiaddrs(),
    stop: async () => {
      log('stopping relay %p', node.peerId)
      await node.stop()
    }
  }
}
