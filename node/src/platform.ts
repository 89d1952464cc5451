/**
 * The Node peer's libp2p node: TCP and WebSocket transports (Node-only
 * modules, so they are chosen here, not in shared/), DHT server mode.
 */

import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { isPrivateIp } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { createParleyNode } from '#shared/net/index.ts'
import { messengerServices } from '#shared/messenger/index.ts'
import type { PeerNode } from '#shared/messenger/index.ts'
import type { PrivateKey } from '@libp2p/interface'

/** Listen on loopback with OS-chosen ports, and on relays through `/p2p-circuit`. */
export const DEFAULT_LISTEN = ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws', '/p2p-circuit']

export interface NodePeerInit {
  bootstrap: string[]
  listen?: string[]
  /** Defaults to true when any bootstrap relay is on a private or loopback address (a local network). */
  allowPrivateAddresses?: boolean
}

export function nodePeerFactory (init: NodePeerInit): (privateKey: PrivateKey) => Promise<PeerNode> {
  const allowPrivateAddresses = init.allowPrivateAddresses ?? init.bootstrap.some(isPrivateAddr)
  return async (privateKey) => createParleyNode({
    privateKey,
    transports: [tcp(), webSockets()],
    listen: init.listen ?? DEFAULT_LISTEN,
    bootstrap: init.bootstrap,
    dhtMode: 'server',
    allowPrivateAddresses,
    services: messengerServices()
  })
}

function isPrivateAddr (text: string): boolean {
  try {
    const host = multiaddr(text).getComponents().find(c => c.name === 'ip4' || c.name === 'ip6' || c.name === 'dns4' || c.name === 'dns6' || c.name === 'dns')?.value
    return host === 'localhost' || (host != null && isPrivateIp(host) === true)
  } catch {
    return false
  }
}
