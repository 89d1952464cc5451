/**
 * parley-relay as a real process on 127.0.0.1, used by two in-process Parley
 * nodes (createParleyNode, tcp + websockets) that are reachable only through
 * it: reservations, a relayed dial, the DHT (account records) through the
 * relay, a stable peer id across restarts, clean stop, bad usage.
 */

import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { peerIdFromString } from '@libp2p/peer-id'
import { equals as uint8ArrayEquals } from 'uint8arrays/equals'
import { generateAccountKeys } from '#shared/identity/account.ts'
import { certifyDevice } from '#shared/identity/device.ts'
import { createParleyNode, isRelayedAddr, waitForRelayedAddr } from '#shared/net/index.ts'
import { createAccountRecord, parseAccountRecord, recordKey } from '#shared/protocol/record/index.ts'
import { binPath, Cleanup, createTempDir, runBin, spawnRelay } from '#test/helpers/process.ts'
import type { ParleyNode } from '#shared/net/index.ts'
import type { QueryEvent } from '@libp2p/kad-dht'
import type { PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { RelayProcess } from '#test/helpers/process.ts'

const WAIT_MS = 20_000

async function startPeer (relayAddr: string, cleanup: Cleanup): Promise<ParleyNode> {
  const node = await createParleyNode({
    privateKey: await generateKeyPair('Ed25519'),
    transports: [tcp(), webSockets()],
    listen: ['/p2p-circuit'],
    bootstrap: [relayAddr],
    dhtMode: 'client',
    allowPrivateAddresses: true
  })
  cleanup.add(async () => { await node.stop() })
  await node.start()
  return node
}

/** Runs a DHT query to its end and returns every event it produced. */
async function drain (query: AsyncIterable<QueryEvent>): Promise<QueryEvent[]> {
  const events: QueryEvent[] = []
  for await (const event of query) {
    events.push(event)
  }
  return events
}

describe('parley-relay (real process)', function () {
  this.timeout(60_000)

  describe('with two peers behind it', () => {
    const cleanup = new Cleanup()
    let relay: RelayProcess
    let relayId: PeerId
    let alice: ParleyNode
    let bob: ParleyNode
    let aliceAddr: Multiaddr
    let bobAddr: Multiaddr

    before(async () => {
      relay = await spawnRelay(cleanup)
      relayId = peerIdFromString(relay.peerId)
      ;[alice, bob] = await Promise.all([startPeer(relay.tcpAddr, cleanup), startPeer(relay.wsAddr, cleanup)])
    })

    after(async () => {
      await cleanup.run()
    })

    it('gives both peers a reservation: each gets a /p2p-circuit address through the relay', async () => {
      ;[aliceAddr, bobAddr] = await Promise.all([
        waitForRelayedAddr(alice, { relay: relayId, signal: AbortSignal.timeout(WAIT_MS) }),
        waitForRelayedAddr(bob, { relay: relayId, signal: AbortSignal.timeout(WAIT_MS) })
      ])
      for (const [node, addr] of [[alice, aliceAddr], [bob, bobAddr]] as const) {
        assert.ok(isRelayedAddr(addr))
        assert.ok(addr.toString().startsWith('/ip4/127.0.0.1/tcp/'), addr.toString())
        assert.ok(addr.toString().endsWith(`/p2p/${relay.peerId}/p2p-circuit/p2p/${node.peerId}`), addr.toString())
      }
      // the relay reports them as --json events
      for (const node of [alice, bob]) {
        await relay.process.waitForJson(e => e.event === 'relay:reservation' && e.peerId === node.peerId.toString(), { timeout: WAIT_MS })
      }
    })

    it('lets one peer dial the other through its circuit address (a limited, relayed connection)', async () => {
      const connection = await alice.dial(bobAddr, { signal: AbortSignal.timeout(WAIT_MS) })
      assert.ok(connection.remotePeer.equals(bob.peerId))
      assert.ok(isRelayedAddr(connection.remoteAddr), connection.remoteAddr.toString())
      assert.equal(connection.direct, false)
      assert.notEqual(connection.limits, undefined, 'the relay applies its duration/data limits')
      // and data flows over it (ping runs on limited connections)
      const rtt = await alice.services.ping.ping(bobAddr, { signal: AbortSignal.timeout(WAIT_MS) })
      assert.ok(rtt >= 0)
    })

    it('stores an account record put by one peer and serves it to the other', async () => {
      const account = generateAccountKeys()
      const key = recordKey(account.publicKey)
      const record = createAccountRecord(account, {
        seq: 1n,
        devices: [{ certificate: certifyDevice(account, alice.peerId), addrs: [aliceAddr] }]
      })

      const putEvents = await drain(alice.services.dht.put(key, record, { signal: AbortSignal.timeout(WAIT_MS) }))
      assert.ok(putEvents.some(e => e.name === 'PEER_RESPONSE' && e.from.equals(relayId)), 'the relay acknowledged the put')
      assert.ok(!putEvents.some(e => e.name === 'QUERY_ERROR' && e.from.equals(relayId)), 'the relay reported no error')

      const getEvents = await drain(bob.services.dht.get(key, { signal: AbortSignal.timeout(WAIT_MS) }))
      const values = getEvents.filter(e => e.name === 'VALUE')
      assert.ok(values.length > 0, 'bob found the record')
      assert.ok(values.some(e => e.from.equals(relayId)), 'from the relay')
      const found = values[values.length - 1]
      assert.ok(found.name === 'VALUE' && uint8ArrayEquals(found.value, record))

      // what bob can do with it: find alice's device and its relayed address
      const info = parseAccountRecord(record, key)
      assert.ok(info.devices[0].peerId.equals(alice.peerId))
      assert.deepEqual(info.devices[0].addrs.map(a => a.toString()), [aliceAddr.toString()])
    })

    it('refuses a record for an account that did not sign it, so nobody gets it', async () => {
      const victim = generateAccountKeys()
      const mallory = generateAccountKeys()
      const key = recordKey(victim.publicKey)
      const forged = createAccountRecord(mallory, {
        seq: 1n,
        devices: [{ certificate: certifyDevice(mallory, alice.peerId), addrs: [aliceAddr] }]
      })

      const putEvents = await drain(alice.services.dht.put(key, forged, { signal: AbortSignal.timeout(WAIT_MS) }))
      assert.ok(!putEvents.some(e => e.name === 'PEER_RESPONSE' && e.from.equals(relayId) && e.record != null),
        'the relay must not store or echo the forged record')

      const getEvents = await drain(bob.services.dht.get(key, { signal: AbortSignal.timeout(WAIT_MS) }))
        .catch((err: Error) => { assert.equal(err.name, 'NotFoundError'); return [] })
      assert.equal(getEvents.filter(e => e.name === 'VALUE').length, 0)
    })
  })

  describe('restarted under a peer', () => {
    const cleanup = new Cleanup()

    after(async () => {
      await cleanup.run()
    })

    it('the peer reconnects by itself and gets a new reservation', async () => {
      const dataDir = await createTempDir('parley-relay-', cleanup)
      const first = await spawnRelay(cleanup, { dataDir })
      const relayId = peerIdFromString(first.peerId)
      const peer = await startPeer(first.tcpAddr, cleanup)
      await waitForRelayedAddr(peer, { relay: relayId, signal: AbortSignal.timeout(WAIT_MS) })

      const lost = new Promise<void>(resolve => {
        peer.addEventListener('peer:disconnect', (evt) => { if (evt.detail.equals(relayId)) resolve() })
      })
      assert.deepEqual(await first.process.stop(), { code: 0, signal: null })
      await lost

      // same key, same ports: the address the peer bootstrapped from
      const second = await spawnRelay(cleanup, { dataDir, listen: first.multiaddrs.map(a => a.replace(/\/p2p\/[^/]+$/, '')) })
      assert.equal(second.tcpAddr, first.tcpAddr)
      // libp2p redials keep-alive peers with backoff (1 s, 2 s, 4 s, …): allow a few rounds
      await second.process.waitForJson(e => e.event === 'relay:reservation' && e.peerId === peer.peerId.toString(), { timeout: 40_000 })
      const addr = await waitForRelayedAddr(peer, { relay: relayId, signal: AbortSignal.timeout(WAIT_MS) })
      assert.ok(isRelayedAddr(addr))
    })
  })

  describe('as a command', () => {
    const cleanup = new Cleanup()

    after(async () => {
      await cleanup.run()
    })

    it('keeps its peer id across restarts with the same data dir, and exits 0 on SIGTERM', async () => {
      const dataDir = await createTempDir('parley-relay-', cleanup)

      const first = await spawnRelay(cleanup, { dataDir })
      assert.deepEqual(await first.process.stop('SIGTERM'), { code: 0, signal: null })
      const keyBytes = await readFile(join(dataDir, 'peer-key'))

      const second = await spawnRelay(cleanup, { dataDir })
      assert.equal(second.peerId, first.peerId)
      assert.ok(second.multiaddrs.every(a => a.endsWith(`/p2p/${first.peerId}`)))
      assert.deepEqual(await second.process.stop('SIGINT'), { code: 0, signal: null })
      assert.ok(uint8ArrayEquals(await readFile(join(dataDir, 'peer-key')), keyBytes), 'the key file is unchanged')
    })

    it('exits 2 with one line on stderr for an unknown flag', async () => {
      const result = await runBin(binPath('parley-relay'), ['--no-such-flag'])
      assert.equal(result.code, 2)
      assert.equal(result.stdout, '')
      const lines = result.stderr.trimEnd().split('\n')
      assert.equal(lines.length, 1, result.stderr)
      assert.match(lines[0], /--no-such-flag/)
    })

    it('exits 2 with one line on stderr for a bad multiaddr', async () => {
      const result = await runBin(binPath('parley-relay'), ['--listen', '/ip4/not-an-ip/tcp/1'])
      assert.equal(result.code, 2)
      assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr)
      assert.match(result.stderr, /listen address/)
    })

    it('exits 1 on a corrupt peer key and leaves the file as it was', async () => {
      const dataDir = await createTempDir('parley-relay-', cleanup)
      const keyFile = join(dataDir, 'peer-key')
      await writeFile(keyFile, 'not a key', { mode: 0o600 })
      const result = await runBin(binPath('parley-relay'), ['--listen', '/ip4/127.0.0.1/tcp/0', '--data-dir', dataDir])
      assert.equal(result.code, 1)
      assert.match(result.stderr, /corrupt/)
      assert.equal(result.stdout, '')
      assert.equal(await readFile(keyFile, 'utf8'), 'not a key')
    })
  })
})
