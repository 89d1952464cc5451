/**
 * The Node peer's libp2p node: TCP and WebSocket transports (Node-only
 * modules, so they are chosen here, not in shared/), WebRTC (through
 * node-datachannel) so browsers can upgrade a relayed link to a direct one,
 * DHT server mode.
 *
 * Environment: PARLEY_ICE_SERVERS — the STUN/TURN servers WebRTC uses, as a
 * JSON array of RTCIceServer objects, e.g.
 * `[{"urls":"stun:stun.example.org:3478"}]`. Default `[]`: no ICE servers,
 * so nothing is sent off this machine or network (@libp2p/webrtc's own
 * default is a list of public STUN servers); peers on one network still
 * connect directly through their host candidates.
 */

import { InvalidParametersError } from '@libp2p/interface'
import { tcp } from '@libp2p/tcp'
import { webRTC } from '@libp2p/webrtc'
import { webSockets } from '@libp2p/websockets'
import { isPrivateIp } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { createParleyNode } from '#shared/net/index.ts'
import { messengerServices } from '#shared/messenger/index.ts'
import type { PeerNode } from '#shared/messenger/index.ts'
import type { PrivateKey } from '@libp2p/interface'

/**
 * Listen on loopback with OS-chosen ports, on relays through `/p2p-circuit`,
 * and for WebRTC signalled through those relay circuits (`/webrtc`).
 */
export const DEFAULT_LISTEN = ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws', '/p2p-circuit', '/webrtc']

export interface NodePeerInit {
  bootstrap: string[]
  listen?: string[]
  /** Defaults to true when any bootstrap relay is on a private or loopback address (a local network). */
  allowPrivateAddresses?: boolean
  /** STUN/TURN servers for WebRTC. @default iceServersFromEnv() (PARLEY_ICE_SERVERS, else none) */
  iceServers?: RTCIceServer[]
}

export function nodePeerFactory (init: NodePeerInit): (privateKey: PrivateKey) => Promise<PeerNode> {
  const allowPrivateAddresses = init.allowPrivateAddresses ?? init.bootstrap.some(isPrivateAddr)
  const iceServers = init.iceServers ?? iceServersFromEnv()
  return async (privateKey) => createParleyNode({
    privateKey,
    transports: [tcp(), webSockets(), webRTC({ rtcConfiguration: { iceServers } })],
    listen: init.listen ?? DEFAULT_LISTEN,
    bootstrap: init.bootstrap,
    dhtMode: 'server',
    allowPrivateAddresses,
    services: messengerServices()
  })
}

/** The ICE servers in PARLEY_ICE_SERVERS (a JSON array), or `[]` when it is unset or empty. */
export function iceServersFromEnv (env: NodeJS.ProcessEnv = process.env): RTCIceServer[] {
  const text = env.PARLEY_ICE_SERVERS?.trim() ?? ''
  if (text === '') {
    return []
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new InvalidParametersError('PARLEY_ICE_SERVERS is not valid JSON: give a JSON array such as [{"urls":"stun:stun.example.org:3478"}]')
  }
  if (!Array.isArray(value) || !value.every(s => typeof s === 'object' && s != null && (typeof s.urls === 'string' || (Array.isArray(s.urls) && s.urls.every((u: unknown) => typeof u === 'string'))))) {
    throw new InvalidParametersError('PARLEY_ICE_SERVERS must be a JSON array of objects with "urls" (a string or an array of strings), e.g. [{"urls":"stun:stun.example.org:3478"}]')
  }
  return value as RTCIceServer[]
}

function isPrivateAddr (text: string): boolean {
  try {
    const host = multiaddr(text).getComponents().find(c => c.name === 'ip4' || c.name === 'ip6' || c.name === 'dns4' || c.name === 'dns6' || c.name === 'dns')?.value
    return host === 'localhost' || (host != null && isPrivateIp(host) === true)
  } catch {
    return false
  }
}
