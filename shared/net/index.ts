/**
 * Parley's networking layer: the libp2p node factory shared by the relay, the
 * Node peer and the browser, and multiaddr helpers. See node.ts for what the
 * node is made of.
 */

export {
  createParleyNode,
  BOOTSTRAP_TAG,
  DEFAULT_INBOUND_CONNECTION_THRESHOLD
} from './node.ts'
export type { ParleyNode, ParleyNodeInit, ParleyServices, RelayServerInit } from './node.ts'
export { isRelayedAddr, relayPeerIdOf, relayedAddrs, waitForRelayedAddr } from './addrs.ts'
export type { WaitForRelayedAddrOptions } from './addrs.ts'
