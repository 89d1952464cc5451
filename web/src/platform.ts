/**
 * The browser's Parley node and store: what node/src/platform.ts is for the
 * Node peer. WebSockets reach relays; the circuit relay transport (added by
 * createParleyNode) holds a reservation so others can reach this tab at
 * `<relay>/p2p-circuit/p2p/<us>`; WebRTC upgrades to a direct link, signalled
 * through that circuit. The browser is a DHT client: it can look up and
 * publish account records, but serves no one.
 */

import { logger } from '@libp2p/logger'
import { peerIdFromString } from '@libp2p/peer-id'
import { webRTC } from '@libp2p/webrtc'
import { webSockets } from '@libp2p/websockets'
import { multiaddr } from '@multiformats/multiaddr'
import { Level } from 'level'
import { messengerServices } from '#shared/messenger/index.ts'
import { BOOTSTRAP_TAG, createParleyNode } from '#shared/net/index.ts'
import { ParleyStore } from '#shared/store/index.ts'
import type { WebConfig } from './config.ts'
import type { PeerNode } from '#shared/messenger/index.ts'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

const log = logger('parley:web')

/** First wait before redialling a relay that is gone, in ms; doubles up to RELAY_RETRY_MAX_MS. */
export const RELAY_RETRY_MIN_MS = 1_000

/** Longest wait between redials of an unreachable relay, in ms: a phone that was offline for hours reconnects within this. */
export const RELAY_RETRY_MAX_MS = 30_000

/** The protocol a peer listening on `/webrtc` offers (@libp2p/webrtc's SIGNALING_PROTOCOL). */
export const WEBRTC_SIGNALING_PROTOCOL = '/webrtc-signaling/0.0.1'

/**
 * Waits before each try to replace a relayed link by direct WebRTC, in ms.
 * A WebRTC dial fails now and then (the init-channel race in @libp2p/webrtc,
 * see NOTES-libp2p.md) and libp2p then settles for the circuit; a relayed
 * link is limited (2 min, 128 KiB by default), so it is worth a few more tries.
 */
export const WEBRTC_UPGRADE_DELAYS_MS = [500, 3_000, 10_000]

/** A reservation on a relay, and WebRTC signalled through it. */
export const BROWSER_LISTEN = ['/p2p-circuit', '/webrtc']

/** The IndexedDB database that holds everything of this origin's account. */
export const DATABASE_NAME = 'parley'

export function browserNodeFactory (config: WebConfig): (privateKey: PrivateKey) => Promise<PeerNode> {
  return async (privateKey) => {
    const node = await createNode(privateKey)
    keepRelaysConnected(node, config.relays)
    upgradeRelayedToWebRTC(node)
    return node
  }

  async function createNode (privateKey: PrivateKey): Promise<PeerNode> {
    return createParleyNode({
    privateKey,
    transports: [
      webSockets(),
      webRTC({ rtcConfiguration: { iceServers: config.iceServers } })
    ],
    listen: BROWSER_LISTEN,
    bootstrap: config.relays,
    dhtMode: 'client',
    allowPrivateAddresses: config.allowPrivateAddresses,
    services: messengerServices()
    })
  }
}

/**
 * Keeps the relays connected for as long as the node runs. libp2p redials a
 * bootstrap peer that drops only a few times (about 30 s in all) and then
 * forgets it; a phone or laptop is offline for longer than that. So while a
 * relay is not connected this redials it with backoff, at once when the
 * browser says it is back online, and tags it again so libp2p's own redial
 * covers the next drop.
 */
export function keepRelaysConnected (node: PeerNode, relayAddrs: string[]): void {
  const relays: Array<{ id: PeerId, addr: Multiaddr }> = []
  for (const text of relayAddrs) {
    try {
      const addr = multiaddr(text)
      const id = addr.getComponents().findLast(c => c.name === 'p2p')?.value
      if (id != null) {
        relays.push({ id: peerIdFromString(id), addr })
      }
    } catch (err) {
      log.error('ignoring relay address %s - %e', text, err)
    }
  }
  if (relays.length === 0) {
    return
  }

  let timer: ReturnType<typeof setTimeout> | undefined
  let delay = RELAY_RETRY_MIN_MS
  let running = false
  let checking = false

  const connected = (id: PeerId): boolean => node.getConnections(id).some(c => c.status === 'open')

  const check = async (): Promise<void> => {
    if (!running || checking) {
      return
    }
    checking = true
    try {
      const missing = relays.filter(r => !connected(r.id))
      await Promise.all(missing.map(async ({ id, addr }) => {
        try {
          await node.dial(addr, { signal: AbortSignal.timeout(10_000) })
          await node.peerStore.merge(id, { tags: { [BOOTSTRAP_TAG]: { value: 50 } } })
          log('reconnected to relay %p', id)
        } catch (err) {
          log('relay %p still unreachable - %e', id, err)
        }
      }))
    } finally {
      checking = false
    }
    schedule()
  }

  const schedule = (): void => {
    clearTimeout(timer)
    if (!running) {
      return
    }
    if (relays.every(r => connected(r.id))) {
      delay = RELAY_RETRY_MIN_MS
      return
    }
    timer = setTimeout(() => { void check() }, delay)
    delay = Math.min(delay * 2, RELAY_RETRY_MAX_MS)
  }

  const onDisconnect = (evt: CustomEvent<PeerId>): void => {
    if (relays.some(r => r.id.equals(evt.detail))) {
      schedule()
    }
  }
  const onOnline = (): void => {
    delay = RELAY_RETRY_MIN_MS
    void check()
  }

  node.addEventListener('start', () => {
    running = true
    node.addEventListener('peer:disconnect', onDisconnect)
    globalThis.addEventListener?.('online', onOnline)
    // the bootstrap module dials at start; check once it had its chance
    timer = setTimeout(() => { void check() }, RELAY_RETRY_MAX_MS / 3)
  })
  node.addEventListener('stop', () => {
    running = false
    clearTimeout(timer)
    node.removeEventListener('peer:disconnect', onDisconnect)
    globalThis.removeEventListener?.('online', onOnline)
  })
}

/** Opens (creating it if needed) the IndexedDB-backed store of this origin. */
export async function openBrowserStore (): Promise<ParleyStore> {
  const db = new Level<string, Uint8Array>(DATABASE_NAME, { keyEncoding: 'utf8', valueEncoding: 'view' })
  const store = await ParleyStore.open(db)
  reopenWhenClosed(db)
  return store
}

/**
 * The browser may close an IndexedDB connection under the page (storage
 * pressure, "clear site data", a version change from another tab): the
 * connection's `close` event fires and every later transaction fails. Open
 * it again — abstract-level queues operations while it reopens — so the app
 * carries on; if that fails, the error reaches the user through the next
 * failing operation.
 */
export function reopenWhenClosed (db: Level<string, Uint8Array>): void {
  const watch = (): void => {
    const idb = (db as unknown as { db?: IDBDatabase }).db
    if (idb == null) {
      return
    }
    idb.addEventListener('close', () => {
      void (async () => {
        try {
          await db.close()
          await db.open()
          watch()
        } catch (err) {
          console.error('Parley could not reopen its IndexedDB database', err)
        }
      })()
    }, { once: true })
  }
  watch()
}

/**
 * When this node dialled a peer through a relay and the peer turns out to
 * listen on WebRTC (identify lists the signalling protocol), dials its
 * `/webrtc` address through the same circuit, retrying a few times, until a
 * direct connection is open. Only the dialling side does this, so two
 * browsers do not both open one.
 */
export function upgradeRelayedToWebRTC (node: PeerNode): void {
  const upgrading = new Set<string>()
  const hasDirect = (peer: PeerId): boolean => node.getConnections(peer).some(c => c.status === 'open' && c.direct && c.limits == null)

  node.addEventListener('peer:identify', (evt) => {
    const { peerId, protocols, connection } = evt.detail
    const key = peerId.toString()
    if (connection.direct || connection.direction !== 'outbound' || !protocols.includes(WEBRTC_SIGNALING_PROTOCOL) || upgrading.has(key)) {
      return
    }
    const components = connection.remoteAddr.getComponents()
    const circuit = components.findIndex(c => c.name === 'p2p-circuit')
    if (circuit < 0) {
      return
    }
    const target = multiaddr(`${multiaddr(components.slice(0, circuit + 1)).toString()}/webrtc/p2p/${key}`)
    upgrading.add(key)
    void (async () => {
      try {
        for (const wait of WEBRTC_UPGRADE_DELAYS_MS) {
          await new Promise(resolve => setTimeout(resolve, wait))
          if (node.status !== 'started' || hasDirect(peerId) || node.getConnections(peerId).length === 0) {
            return
          }
          try {
            await node.dial(target, { signal: AbortSignal.timeout(15_000) })
            log('upgraded the link to %p to WebRTC', peerId)
            return
          } catch (err) {
            log('WebRTC upgrade to %p failed - %e', peerId, err)
          }
        }
      } finally {
        upgrading.delete(key)
      }
    })()
  })
}
