/**
 * End-to-end encryption with real processes on 127.0.0.1 (issue 4,
 * docs/protocols/e2e.md): one parley-relay shared by every test, and `parley`
 * daemons and CLI runs on fresh homes.
 *
 * - A first message while the recipient was never online: sealed from the
 *   signed prekey in the recipient's invite (X3DH), delivered once it starts.
 * - A canary string sent both ways is nowhere at rest (every file of both
 *   homes and of the relay's data dir), in no output (relay and daemons, with
 *   `DEBUG=parley:*`), and not on the wire: a recording TCP proxy in this
 *   process sits between both daemons and the relay, and the daemons listen
 *   only on `/p2p-circuit`, so they reach each other only through it.
 * - Safety numbers: both sides print the same 60 digits; `--mark` verifies.
 * - Key change: a re-created account with a known contact's name is flagged
 *   on both, unverifies the known one, and is never merged into it.
 */

import assert from 'node:assert/strict'
import { Buffer } from 'node:buffer'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { createConnection, createServer } from 'node:net'
import { join } from 'node:path'
import { multiaddr } from '@multiformats/multiaddr'
import { connectControl } from '#node/src/control.ts'
import {
  addContact, CLI_TIMEOUT_MS, initAccount, parley, parleyJson, PARLEY_TEST_ENV, receivedOneOf, deliveredOneOf, sendAndDeliver,
  setupPair, startDaemon, waitForEvent
} from '#test/helpers/parley.ts'
import { binPath, Cleanup, createTempDir, spawnBin, spawnRelay } from '#test/helpers/process.ts'
import type { ContactView, MessageView, SafetyNumberView } from '#node/src/api.ts'
import type { Daemon, DaemonReady, Pair } from '#test/helpers/parley.ts'
import type { RelayProcess } from '#test/helpers/process.ts'
import type { Socket } from 'node:net'

/** How long a delivery may take: the sender's retry backoff runs while the recipient starts. */
const DELIVERY_MS = 60_000

/** Logs of every Parley component on stderr: what the canary must not appear in either. */
const DEBUG_ENV = { DEBUG: 'parley:*' }

/** Safety numbers as shown: 12 groups of 5 digits. */
const SAFETY_NUMBER = /^\d{5}( \d{5}){11}$/

/** A string that occurs nowhere by chance: 24 random bytes, base64url. */
function newCanary (): string {
  return `CANARY-${Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString('base64url')}`
}

/** Every regular file under `dir` (recursively) whose bytes contain `needle`; and how many files were read. */
async function filesContaining (dir: string, needle: Buffer): Promise<{ matches: string[], scanned: number }> {
  const matches: string[] = []
  let scanned = 0
  const walk = async (path: string): Promise<void> => {
    for (const entry of await readdir(path, { withFileTypes: true })) {
      const child = join(path, entry.name)
      if (entry.isDirectory()) {
        await walk(child)
      } else if (entry.isFile()) {
        // sockets (control.sock) and links are not files to read
        scanned++
        if ((await readFile(child)).includes(needle)) {
          matches.push(child)
        }
      }
    }
  }
  await walk(dir)
  return { matches, scanned }
}

function utf8 (text: string): Buffer {
  return Buffer.from(text, 'utf8')
}

/** One TCP connection through the proxy: the bytes each way, in order. */
interface ProxiedConnection {
  /** client (a daemon) → relay */
  up: Buffer[]
  /** relay → client */
  down: Buffer[]
}

interface RecordingProxy {
  port: number
  connections: ProxiedConnection[]
  /** Bytes recorded so far, each way, over all connections. */
  totals(): { up: number, down: number }
}

/** A TCP proxy on 127.0.0.1 to `targetPort` that records every byte both ways. Closed by `cleanup`. */
async function startRecordingProxy (targetPort: number, cleanup: Cleanup): Promise<RecordingProxy> {
  const connections: ProxiedConnection[] = []
  const sockets = new Set<Socket>()
  const server = createServer(client => {
    const recorded: ProxiedConnection = { up: [], down: [] }
    connections.push(recorded)
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort })
    sockets.add(client)
    sockets.add(upstream)
    const close = (): void => {
      client.destroy()
      upstream.destroy()
      sockets.delete(client)
      sockets.delete(upstream)
    }
    client.on('data', (chunk: Buffer) => { recorded.up.push(chunk) })
    upstream.on('data', (chunk: Buffer) => { recorded.down.push(chunk) })
    client.pipe(upstream)
    upstream.pipe(client)
    for (const socket of [client, upstream]) {
      socket.on('error', close)
      socket.on('close', close)
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => { server.off('error', reject); resolve() })
  })
  cleanup.add(async () => {
    sockets.forEach(s => { s.destroy() })
    await new Promise<void>(resolve => { server.close(() => { resolve() }) })
  })
  const address = server.address()
  assert.ok(address != null && typeof address === 'object')
  const size = (chunks: Buffer[]): number => chunks.reduce((n, c) => n + c.byteLength, 0)
  return {
    port: address.port,
    connections,
    totals: () => ({
      up: connections.reduce((n, c) => n + size(c.up), 0),
      down: connections.reduce((n, c) => n + size(c.down), 0)
    })
  }
}

/**
 * `parley --home <home> daemon <args> --json`, as the helpers' startDaemon
 * but with extra daemon arguments (e.g. `--listen`).
 */
async function startDaemonWith (cleanup: Cleanup, home: string, args: string[], env: Record<string, string>): Promise<Daemon> {
  const proc = spawnBin(binPath('parley'), ['--home', home, 'daemon', ...args, '--json'], { env: { ...PARLEY_TEST_ENV, ...env }, cleanup })
  const ready = await proc.waitForJson<DaemonReady>(v => v?.event === 'daemon:ready', { timeout: CLI_TIMEOUT_MS })
  const api = await connectControl(ready.control)
  assert.ok(api != null, `the daemon for ${home} is ready but its control socket does not answer`)
  cleanup.add(async () => { await api.close() })
  return { home, process: proc, ready, api }
}

function tcpPortOf (addr: string): number {
  const port = multiaddr(addr).getComponents().find(c => c.name === 'tcp')?.value
  assert.ok(port != null, `no TCP port in ${addr}`)
  return Number(port)
}

/** The parts of a history entry that both sides must agree on, plus direction and state. */
function summary (m: MessageView): Pick<MessageView, 'id' | 'direction' | 'sender' | 'text' | 'state'> {
  return { id: m.id, direction: m.direction, sender: m.sender, text: m.text, state: m.state }
}

describe('end-to-end encryption between real daemons', function () {
  this.timeout(120_000)

  const cleanup = new Cleanup()
  let relay: RelayProcess
  let relayDir: string

  before(async () => {
    relayDir = await createTempDir('parley-e2e-relay-', cleanup)
    relay = await spawnRelay(cleanup, { dataDir: relayDir, env: DEBUG_ENV })
  })

  after(async () => {
    await cleanup.run()
  })

  it('a first message while the recipient was never online: queued, sealed from the prekey in the invite, delivered once Bob starts; Bob replies', async () => {
    const [alice, bob] = await Promise.all([initAccount(cleanup, 'Alice', relay.tcpAddr), initAccount(cleanup, 'Bob', relay.tcpAddr)])
    // Bob's daemon has never run: no account record of his is in the DHT, so
    // the only prekey Alice can start a session from is the one in his invite
    const [aliceDaemon] = await Promise.all([startDaemon(cleanup, alice.home), addContact(bob, alice)])
    await aliceDaemon.api.addContact(bob.invite)

    const first = await aliceDaemon.api.send(bob.accountId, 'hello Bob, you are offline')
    assert.equal(first.state, 'pending')
    assert.equal((await aliceDaemon.api.history(bob.accountId)).find(m => m.id === first.id)?.state, 'pending')

    const bobDaemon = await startDaemon(cleanup, bob.home)
    await Promise.all([
      waitForEvent(bobDaemon, receivedOneOf([first.id]), { timeout: DELIVERY_MS }),
      waitForEvent(aliceDaemon, deliveredOneOf([first.id]), { timeout: DELIVERY_MS })
    ])

    const reply = await bobDaemon.api.send(alice.accountId, 'hello Alice, I am here now')
    await Promise.all([
      waitForEvent(aliceDaemon, receivedOneOf([reply.id]), { timeout: DELIVERY_MS }),
      waitForEvent(bobDaemon, deliveredOneOf([reply.id]), { timeout: DELIVERY_MS })
    ])

    const [aliceHistory, bobHistory] = await Promise.all([aliceDaemon.api.history(bob.accountId), bobDaemon.api.history(alice.accountId)])
    assert.deepEqual(aliceHistory.map(summary), [
      { id: first.id, direction: 'out', sender: alice.accountId, text: 'hello Bob, you are offline', state: 'delivered' },
      { id: reply.id, direction: 'in', sender: bob.accountId, text: 'hello Alice, I am here now', state: 'received' }
    ])
    assert.deepEqual(bobHistory.map(summary), [
      { id: first.id, direction: 'in', sender: alice.accountId, text: 'hello Bob, you are offline', state: 'received' },
      { id: reply.id, direction: 'out', sender: bob.accountId, text: 'hello Alice, I am here now', state: 'delivered' }
    ])
    // one order on both sides (Lamport clocks), and Alice is Bob's contact, not a request
    assert.deepEqual(aliceHistory.map(m => m.clock), bobHistory.map(m => m.clock))
    assert.deepEqual((await bobDaemon.api.contacts()).map(c => [c.accountId, c.state]), [[alice.accountId, 'contact']])
    assert.deepEqual(await bobDaemon.api.requests(), [])
  })

  it('a canary sent both ways is in no file of either home or the relay, in no output, and not on the wire', async () => {
    const canary = newCanary()
    const needle = utf8(canary)

    // the search can fail: it finds the canary in a file that has it, among binary bytes, one directory down
    const probe = await createTempDir('parley-e2e-probe-', cleanup)
    await mkdir(join(probe, 'nested'))
    await writeFile(join(probe, 'nested', 'with-canary.bin'), Buffer.concat([Buffer.from([0, 0xff, 0x13]), needle, Buffer.from([0x80, 0])]))
    await writeFile(join(probe, 'without.bin'), utf8(canary.slice(0, -1)))
    assert.deepEqual(await filesContaining(probe, needle), { matches: [join(probe, 'nested', 'with-canary.bin')], scanned: 2 })

    // both daemons reach the relay only through the recording proxy, and listen on nothing but relay circuits
    const proxy = await startRecordingProxy(tcpPortOf(relay.tcpAddr), cleanup)
    const viaProxy = `/ip4/127.0.0.1/tcp/${proxy.port}/p2p/${relay.peerId}`
    const [alice, bob] = await Promise.all([initAccount(cleanup, 'Alice', viaProxy), initAccount(cleanup, 'Bob', viaProxy)])
    const [aliceDaemon, bobDaemon] = await Promise.all([
      startDaemonWith(cleanup, alice.home, ['--listen', '/p2p-circuit'], DEBUG_ENV),
      startDaemonWith(cleanup, bob.home, ['--listen', '/p2p-circuit'], DEBUG_ENV)
    ])
    await Promise.all([aliceDaemon.api.addContact(bob.invite), bobDaemon.api.addContact(alice.invite)])
    await Promise.all([alice, bob].map(async peer => relay.process.waitForJson(e => e?.event === 'relay:reservation' && e.peerId === peer.peerId)))

    // long enough that the proxy must have carried them: ~2.5 KB each
    const filler = ' and some more words to make this message long'.repeat(50)
    const toBobText = `Alice to Bob: ${canary}${filler}`
    const toAliceText = `Bob to Alice: ${canary}${filler}`
    const before = proxy.totals()
    const toBob = await aliceDaemon.api.send(bob.accountId, toBobText)
    await Promise.all([
      waitForEvent(bobDaemon, receivedOneOf([toBob.id]), { timeout: DELIVERY_MS }),
      waitForEvent(aliceDaemon, deliveredOneOf([toBob.id]), { timeout: DELIVERY_MS })
    ])
    const toAlice = await bobDaemon.api.send(alice.accountId, toAliceText)
    await Promise.all([
      waitForEvent(aliceDaemon, receivedOneOf([toAlice.id]), { timeout: DELIVERY_MS }),
      waitForEvent(bobDaemon, deliveredOneOf([toAlice.id]), { timeout: DELIVERY_MS })
    ])
    const after = proxy.totals()

    // the canary did arrive, both ways
    assert.equal((await bobDaemon.api.history(alice.accountId)).find(m => m.id === toBob.id)?.text, toBobText)
    assert.equal((await aliceDaemon.api.history(bob.accountId)).find(m => m.id === toAlice.id)?.text, toAliceText)
    // ... through the proxy: each message went up (sender → relay) and down (relay → recipient) through it
    const messageBytes = utf8(toBobText).byteLength + utf8(toAliceText).byteLength
    assert.ok(after.up - before.up >= messageBytes, `only ${after.up - before.up} bytes went up through the proxy for ${messageBytes} bytes of messages`)
    assert.ok(after.down - before.down >= messageBytes, `only ${after.down - before.down} bytes came down through the proxy for ${messageBytes} bytes of messages`)
    // ... and the daemons have no address but relay circuits
    for (const daemon of [aliceDaemon, bobDaemon]) {
      const { addresses } = await daemon.api.status()
      assert.ok(addresses.length > 0 && addresses.every(a => a.includes('/p2p-circuit')), `${daemon.home} has non-circuit addresses: ${addresses.join(', ')}`)
    }

    // stopped cleanly, so that everything they wrote is on disk
    for (const daemon of [aliceDaemon, bobDaemon]) {
      assert.deepEqual(await daemon.process.stop(), { code: 0, signal: null })
    }

    // at rest: no file of either home or of the relay holds the canary…
    for (const dir of [alice.home, bob.home, relayDir]) {
      const { matches, scanned } = await filesContaining(dir, needle)
      assert.ok(scanned > 0, `no files in ${dir}`)
      assert.deepEqual(matches, [], `the canary is in ${matches.join(', ')}`)
    }
    // …while what the store keeps in clear (message ids, in its keys) is found where it was written: the scan reads the store's files
    for (const [home, ids] of [[alice.home, [toBob.id, toAlice.id]], [bob.home, [toBob.id, toAlice.id]]] as const) {
      for (const id of ids) {
        assert.notDeepEqual((await filesContaining(home, utf8(id))).matches, [], `message id ${id} is in no file of ${home}`)
      }
    }

    // in no output: the relay's and the daemons' stdout and stderr, with their debug logs on
    for (const [who, proc] of [['the relay', relay.process], ['Alice\'s daemon', aliceDaemon.process], ['Bob\'s daemon', bobDaemon.process]] as const) {
      assert.match(proc.stderr, /parley:/, `${who} wrote no debug log: the check below would prove nothing`)
      assert.equal(proc.stdout.includes(canary), false, `the canary is in ${who}'s stdout`)
      assert.equal(proc.stderr.includes(canary), false, `the canary is in ${who}'s stderr`)
    }

    // not on the wire, either way, on any connection through the proxy
    assert.ok(proxy.connections.length >= 2, `${proxy.connections.length} connection(s) through the proxy`)
    for (const [index, connection] of proxy.connections.entries()) {
      const up = Buffer.concat(connection.up)
      const down = Buffer.concat(connection.down)
      // the recording is the raw wire: libp2p's protocol negotiation, before Noise, is in clear there
      assert.ok(up.includes(utf8('/noise')), `connection ${index}: no clear-text /noise negotiation recorded`)
      assert.equal(up.includes(needle), false, `the canary went up on connection ${index}`)
      assert.equal(down.includes(needle), false, `the canary came down on connection ${index}`)
    }
  })

  describe('safety numbers and key change', () => {
    let pair: Pair

    before(async () => {
      pair = await setupPair(cleanup, { relay })
    })

    it('`contacts verify` prints the same 60 digits on both sides; `--mark` makes the contact verified', async () => {
      const { alice, bob } = pair
      const [[ofBob], [ofAlice]] = await Promise.all([
        parleyJson<SafetyNumberView>(alice.home, ['contacts', 'verify', 'Bob']),
        parleyJson<SafetyNumberView>(bob.home, ['contacts', 'verify', 'Alice'])
      ])
      assert.match(ofBob.safetyNumber, SAFETY_NUMBER)
      assert.equal(ofBob.safetyNumber.replaceAll(' ', '').length, 60)
      assert.equal(ofAlice.safetyNumber, ofBob.safetyNumber)
      assert.deepEqual({ ...ofBob, safetyNumber: undefined }, { accountId: bob.accountId, name: 'Bob', safetyNumber: undefined, verified: false })
      assert.deepEqual({ ...ofAlice, safetyNumber: undefined }, { accountId: alice.accountId, name: 'Alice', safetyNumber: undefined, verified: false })

      const [marked] = await parleyJson<SafetyNumberView>(alice.home, ['contacts', 'verify', 'Bob', '--mark'])
      assert.deepEqual(marked, { ...ofBob, verified: true })

      const [aliceContacts, bobContacts] = await Promise.all([
        parleyJson<ContactView>(alice.home, ['contacts', 'list']),
        parleyJson<ContactView>(bob.home, ['contacts', 'list'])
      ])
      assert.deepEqual(aliceContacts.map(c => [c.accountId, c.verified, c.keyChange]), [[bob.accountId, true, false]])
      // verifying is one side's statement: Bob has not marked Alice
      assert.deepEqual(bobContacts.map(c => [c.accountId, c.verified, c.keyChange]), [[alice.accountId, false, false]])
    })

    it('a re-created "Bob" writing to Alice: a separate request, both flagged, the old Bob unverified, nothing merged', async () => {
      const { alice, bob } = pair
      assert.equal((await alice.daemon.api.markVerified(bob.accountId)).verified, true)
      const [earlier] = await sendAndDeliver(alice, bob, ['to the Bob I verified'])
      const oldConversation = await alice.daemon.api.history(bob.accountId)

      // a new home, a new account key, the same name
      const newBob = await initAccount(cleanup, 'Bob', relay.tcpAddr)
      assert.notEqual(newBob.accountId, bob.accountId)
      const newBobDaemon = await startDaemon(cleanup, newBob.home)
      await newBobDaemon.api.addContact(alice.invite)
      const requested = waitForEvent(alice.daemon, e => e.event === 'request:received' && e.accountId === newBob.accountId, { from: alice.daemon.process.lineCount, timeout: DELIVERY_MS })
      const hello = await newBobDaemon.api.send(alice.accountId, 'Alice, it is Bob: I lost my laptop, this is my new account')
      await Promise.all([
        requested,
        waitForEvent(newBobDaemon, deliveredOneOf([hello.id]), { timeout: DELIVERY_MS }),
        waitForEvent(alice.daemon, receivedOneOf([hello.id]), { timeout: DELIVERY_MS })
      ])

      const [requests, contacts] = await Promise.all([
        parleyJson<ContactView>(alice.home, ['requests']),
        parleyJson<ContactView>(alice.home, ['contacts', 'list'])
      ])
      assert.deepEqual(requests.map(r => [r.accountId, r.name, r.state, r.keyChange, r.verified]), [[newBob.accountId, 'Bob', 'request', true, false]])
      assert.deepEqual(contacts.map(c => [c.accountId, c.name, c.state, c.keyChange, c.verified]), [[bob.accountId, 'Bob', 'contact', true, false]])

      // two conversations: the new account's message is not in the old one, which is as it was
      assert.deepEqual(await alice.daemon.api.history(bob.accountId), oldConversation)
      assert.ok(oldConversation.some(m => m.id === earlier.id))
      assert.deepEqual((await alice.daemon.api.history(newBob.accountId)).map(m => [m.id, m.direction, m.sender]), [[hello.id, 'in', newBob.accountId]])
      // and another safety number
      const [oldNumber, newNumber] = await Promise.all([alice.daemon.api.safetyNumber(bob.accountId), alice.daemon.api.safetyNumber(newBob.accountId)])
      assert.match(newNumber.safetyNumber, SAFETY_NUMBER)
      assert.notEqual(newNumber.safetyNumber, oldNumber.safetyNumber)
    })

    it('a re-created "Bob"\'s invite: `contacts add` warns on stderr, adds a separate contact, and the old Bob loses verified', async () => {
      const { alice, bob } = pair
      // Alice compares numbers with her old Bob again: verified, no warning
      const reverified = await alice.daemon.api.markVerified(bob.accountId)
      assert.deepEqual([reverified.verified, reverified.keyChange], [true, false])

      const newerBob = await initAccount(cleanup, 'Bob', relay.tcpAddr)
      const added = await parley(alice.home, ['contacts', 'add', newerBob.invite, '--json'])
      assert.equal(added.code, 0, added.stderr)
      assert.match(added.stderr, /⚠ Key change/)
      assert.ok(added.stderr.includes(`parley contacts verify ${newerBob.accountId}`), added.stderr)
      const view: ContactView = JSON.parse(added.stdout)
      assert.deepEqual([view.accountId, view.name, view.state, view.keyChange, view.verified], [newerBob.accountId, 'Bob', 'contact', true, false])

      const contacts = await parleyJson<ContactView>(alice.home, ['contacts', 'list'])
      const byId = new Map(contacts.map(c => [c.accountId, c]))
      assert.deepEqual([byId.get(bob.accountId)?.keyChange, byId.get(bob.accountId)?.verified], [true, false])
      assert.deepEqual([byId.get(newerBob.accountId)?.keyChange, byId.get(newerBob.accountId)?.verified], [true, false])
      assert.deepEqual(await alice.daemon.api.history(newerBob.accountId), [])
      // two contacts called Bob: a message to "Bob" goes to neither until Alice names one by its id
      await assert.rejects(alice.daemon.api.send('Bob', 'which Bob?'), { name: 'UnknownContactError', message: /More than one contact is called "Bob"/ })
    })
  })
})
