/**
 * The raw baseline of bench measure 6 (test/bench/web.ts): a browser libp2p
 * node with the transports and services the web app's node has
 * (web/src/platform.ts + shared/net/node.ts) and nothing of Parley — no
 * protocols, store, crypto or UI. Built with vite like the app; never run.
 */

import { bootstrap } from '@libp2p/bootstrap'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { identify, identifyPush } from '@libp2p/identify'
import { kadDHT } from '@libp2p/kad-dht'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { webRTC } from '@libp2p/webrtc'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { createLibp2p } from 'libp2p'

// relays from the page's address, so that nothing is a constant the bundler could fold away
const relays = new URLSearchParams(location.search).getAll('relay')

const node = await createLibp2p({
  addresses: { listen: ['/p2p-circuit', '/webrtc'] },
  transports: [webSockets(), webRTC(), circuitRelayTransport()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  peerDiscovery: relays.length > 0 ? [bootstrap({ list: relays })] : [],
  services: {
    identify: identify(),
    identifyPush: identifyPush(),
    ping: ping(),
    dht: kadDHT({ clientMode: true })
  }
})

document.body.textContent = node.peerId.toString()
