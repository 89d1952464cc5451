/**
 * Small multiaddr helpers the apps need on top of libp2p.
 */

import { CODE_P2P, CODE_P2P_CIRCUIT, multiaddr } from '@multiformats/multiaddr'
import type { AbortOptions, Libp2p, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * True when the address goes through a circuit relay (contains a
 * `/p2p-circuit` component), e.g.
 * `/ip4/1.2.3.4/tcp/4101/p2p/<relay>/p2p-circuit/p2p/<peer>`. Connections over
 * such addresses are *limited* by the relay (duration and data) and reach the
 * peer only while it holds a reservation there.
 */
export function isRelayedAddr (ma: Multiaddr | string): boolean {
  const addr = typeof ma === 'string' ? multiaddr(ma) : ma
  return addr.getComponents().some(c => c.code === CODE_P2P_CIRCUIT)
}

/**
 * The relay's peer id in a relayed address (the `/p2p/<id>` just before
 * `/p2p-circuit`), or undefined when the address is not relayed or names no
 * relay.
 */
export function relayPeerIdOf (ma: Multiaddr | string): string | undefined {
  const components = (typeof ma === 'string' ? multiaddr(ma) : ma).getComponents()
  const circuit = components.findIndex(c => c.code === CODE_P2P_CIRCUIT)
  if (circuit < 1) {
    return undefined
  }
  const before = components[circuit - 1]
  return before.code === CODE_P2P ? before.value : undefined
}

/**
 * The node's own relayed addresses (`/p2p-circuit` through a relay it holds a
 * reservation on), optionally only those through `relay`.
 */
export function relayedAddrs (node: Libp2p, relay?: PeerId): Multiaddr[] {
  return node.getMultiaddrs().filter(ma =>
    isRelayedAddr(ma) && (relay == null || relayPeerIdOf(ma) === relay.toString()))
}

export interface WaitForRelayedAddrOptions extends AbortOptions {
  /** Only accept an address through this relay. @default any relay */
  relay?: PeerId
}

/**
 * Resolves with the node's first relayed address once it has one, that is once
 * a relay granted it a reservation (immediately if it already has). Rejects
 * when `options.signal` aborts; without a signal it waits as long as it takes,
 * so pass one (e.g. `AbortSignal.timeout(ms)`).
 */
export async function waitForRelayedAddr (node: Libp2p, options: WaitForRelayedAddrOptions = {}): Promise<Multiaddr> {
  const found = relayedAddrs(node, options.relay)[0]
  if (found != null) {
    return found
  }
  const signal = options.signal
  signal?.throwIfAborted()
  const { promise, resolve, reject } = Promise.withResolvers<Multiaddr>()
  const onUpdate = (): void => {
    const addr = relayedAddrs(node, options.relay)[0]
    if (addr != null) {
      resolve(addr)
    }
  }
  const onAbort = (): void => { reject(signal?.reason) }
  node.addEventListener('self:peer:update', onUpdate)
  signal?.addEventListener('abort', onAbort, { once: true })
  try {
    return await promise
  } finally {
    node.removeEventListener('self:peer:update', onUpdate)
    signal?.removeEventListener('abort', onAbort)
  }
}
