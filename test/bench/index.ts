/**
 * `npm run bench`: what Parley costs over the raw operation it is built on,
 * measured side by side in one run (docs/benchmarks.md has a run and what it
 * says; /work/shared/BENCHMARKS.md the method). It prints numbers and never
 * fails on one.
 *
 * Two peers, one per process: this process is the sender ("Bench A", a real
 * Messenger on a classic-level store); peer.ts, forked with the project's
 * Node, is the receiver ("Bench B", likewise) and also serves the raw
 * baseline's echo protocol on the same libp2p node.
 *
 * 1. DM round trip with encryption on: `messenger.send()` (encrypted when
 *    queued) → 'message:delivered' vs a 1 KiB echo on one reused raw stream
 *    over the same connection.
 * 2. First message on a new connection vs dial + 1 KiB echo (before every
 *    sample, either kind, both sides drop their keep-alive tags for each
 *    other and A hangs up on B and drops its dm stream).
 * 3. 1 KiB DM throughput (M messages queued at once) vs single-stream echo
 *    throughput.
 * 4. Start-up to "can send" (open store + unlock + start + first send() queued)
 *    with N stored messages vs an empty store, both freshly built each run
 *    (fill.ts) and compacted before the rounds (the uncompacted state is
 *    sampled and printed too).
 * 5. Encrypt + decrypt of a 1 KiB message (the Double Ratchet, on one chain
 *    and on a message that turns the DH ratchet) vs XChaCha20-Poly1305 seal +
 *    open of 1 KiB from the same library (crypto.ts), in this process.
 * 8. Mailbox drain of 10,000 queued 1 KiB envelopes vs a raw classic-level
 *    range read + a raw bulk stream of the same bytes; 9. mailbox deposit
 *    latency (synced) vs a raw synced put (mailbox.ts: the mailbox in a
 *    child process of its own, the returning device in this one).
 * 6. Gzipped JS of the production web bundle vs a bare libp2p bundle with the
 *    same transports and services; 7. opening a conversation of 10,000
 *    messages in the web app in Chromium (click → newest 50 rows) vs a raw
 *    IndexedDB getAll of 50 (web.ts, loaded only for them, run last).
 *
 * Besides the measures it prints `diag` lines: where the time goes (store
 * calls and the Messenger's private session steps timed by wrapping them on
 * the instances, LevelDB batches, a ratchet step and a certificate check
 * timed alone between samples), and how often a delivery
 * was stuck behind a lost courier wake-up (nudged and left out).
 *
 * Flags: --messages N (stored messages for 4; default 1,000,000),
 * --rounds R (rounds of 1, 2, 4, 5 and 9; default 10; 3 and 8 use R/2+1, at least 5),
 * --only 1,2 (run only these measures; default all: 1,2,3,4,5,8,9,6,7; 7 uses R rounds).
 */

import { execFileSync, fork } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { peerIdFromString } from '@libp2p/peer-id'
import { Messenger, createAccount, unlockAccount } from '#shared/messenger/index.ts'
import { DM_PROTOCOL } from '#shared/protocol/constants.ts'
import { ParleyStore, newMessageId } from '#shared/store/index.ts'
import { sublevels } from '#shared/store/keys.ts'
import {
  ByteCounter, DeliveryTracker, ECHO_PROTOCOL, KDF_LOG_N, PASSPHRASE, PAYLOAD_BYTES, dropKeepAlive,
  benchNodeFactory, createBenchMessenger, median, msSince, openLevel, openStore, payloadText,
  kept, percentile, round3, sendAll, summarize, withTimeout
} from './lib.ts'
import { STORED_TEXT, fillMessages } from './fill.ts'
import { cryptoParts, cryptoSamples } from './crypto.ts'
import { measureMailbox } from './mailbox.ts'
import type { Measure, Rounds } from './lib.ts'
import type { PeerCommand, PeerProbe, PeerReply, PeerTimings } from './peer.ts'
import type { ChildProcess } from 'node:child_process'
import type { ClassicLevel } from 'classic-level'
import type { Connection, PeerId, Stream } from '@libp2p/interface'

/** Nothing in the bench may take longer than this; past it, the run stops. */
const WATCHDOG_MS = 10 * 60_000
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))
const WAIT_MS = 30_000

const { values: flags } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '10' },
    only: { type: 'string', default: '1,2,3,4,5,8,9,6,7' }
  }
})
const ONLY = new Set(flags.only.split(',').map(part => part.trim()))
const STORED_MESSAGES = positiveInt(flags.messages, '--messages')
const ROUNDS = Math.max(5, positiveInt(flags.rounds, '--rounds'))
const THROUGHPUT_ROUNDS = Math.max(5, Math.floor(ROUNDS / 2) + 1)
/** Round trips per side per round (measure 1). */
const ROUND_TRIPS = 40
/** New connections per side per round (measure 2). */
const FIRST_MESSAGES = 4
/** Messages per throughput sample, both sides (measure 3). */
const THROUGHPUT_MESSAGES = 1000
/** Stored messages written per batch while filling (measure 4). */
const FILL_BATCH = 10_000
/** Samples per side per round of measure 5 (each a few tens of µs, or a few ms for a DH turn). */
const CRYPTO_SAMPLES = 200

function positiveInt (text: string | undefined, flag: string): number {
  const value = Number(text)
  if (!Number.isSafeInteger(value) || value < 1) {
    process.stderr.write(`${flag} needs a positive integer\n`)
    process.exit(2)
  }
  return value
}

// --- the peer process -------------------------------------------------------

interface ReadyInfo { invite: string, peerId: string, multiaddrs: string[] }

class PeerProcess {
  readonly child: ChildProcess
  readonly ready: Promise<ReadyInfo>
  private nextId = 1
  private readonly pending = new Map<number, PromiseWithResolvers<unknown>>()
  private readonly exited: Promise<void>

  constructor (dir: string) {
    this.child = fork(fileURLToPath(new URL('./peer.ts', import.meta.url)), [dir], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc']
    })
    const ready = Promise.withResolvers<ReadyInfo>()
    this.ready = withTimeout(ready.promise, WAIT_MS, 'the bench peer did not start')
    this.exited = new Promise(resolve => { this.child.once('exit', () => { resolve() }) })
    this.child.on('message', (message: PeerReply) => {
      if (message.type === 'ready') {
        ready.resolve(message)
      } else {
        const waiter = this.pending.get(message.id)
        this.pending.delete(message.id)
        if (message.ok) {
          waiter?.resolve(message.result)
        } else {
          waiter?.reject(new Error(`bench peer: ${message.error}`))
        }
      }
    })
    this.child.once('exit', (code, signal) => {
      const err = new Error(`the bench peer exited (${code ?? signal})`)
      ready.reject(err)
      for (const waiter of this.pending.values()) {
        waiter.reject(err)
      }
      this.pending.clear()
    })
  }

  async request<T = void> (command: DistributiveOmit<PeerCommand, 'id'>, timeoutMs = WAIT_MS): Promise<T> {
    const id = this.nextId++
    const waiter = Promise.withResolvers<unknown>()
    this.pending.set(id, waiter)
    this.child.send({ ...command, id })
    return withTimeout(waiter.promise, timeoutMs, `bench peer did not answer ${command.cmd}`) as Promise<T>
  }

  /** Asks the peer to stop; kills it (this child only) if it does not exit in time. */
  async stop (): Promise<void> {
    if (this.child.exitCode != null || this.child.signalCode != null) {
      return
    }
    try {
      await this.request({ cmd: 'stop' }, 15_000)
      await withTimeout(this.exited, 10_000, 'the bench peer did not exit')
    } catch {
      this.child.kill('SIGKILL')
      await withTimeout(this.exited, 5_000, 'the bench peer survived SIGKILL').catch(() => {})
    }
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

// --- diagnostics ------------------------------------------------------------

/** Extra figures that explain a measure; printed as JSON lines keyed `diag`, not `name`. */
interface Diag {
  diag: string
  p50: number
  p99?: number
  mean?: number
  unit: string
  n?: number
  note?: string
}

const diags: Diag[] = []

function diag (name: string, samples: number[], unit: string, note?: string): void {
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length
  const line: Diag = {
    diag: name, p50: round3(percentile(samples, 50)), p99: round3(percentile(samples, 99)), mean: round3(mean), unit, n: samples.length, ...(note != null ? { note } : {})
  }
  diags.push(line)
  console.log(JSON.stringify(line))
}

function diagValue (name: string, value: number, unit: string, note?: string): void {
  const line: Diag = { diag: name, p50: round3(value), unit, ...(note != null ? { note } : {}) }
  diags.push(line)
  console.log(JSON.stringify(line))
}

const measures: Measure[] = []

function reportLostWakeUps (): void {
  diagValue(`${currentMeasure}: lost courier wake-ups`, lostWakeUps.get(currentMeasure) ?? 0, 'times',
    `message queued, courier idle after ${STUCK_MS / 1000} s; nudged by another send(), sample dropped`)
}

function report (measure: Measure): void {
  measures.push(measure)
  console.log(JSON.stringify(measure))
}

/** Says (on stderr) that an instrumented method is gone: its diagnostic then shows no samples. */
function missing (key: PropertyKey): void {
  process.stderr.write(`bench: cannot time ${String(key)}: no such method any more (renamed?); its diagnostic stays empty\n`)
}

/**
 * Wraps a method on one instance to time it (bench instrumentation, not
 * product code). A method that is not there (renamed) is left alone, with a
 * warning: its diagnostic then shows no samples.
 */
function timeMethod<O extends object, K extends keyof O> (object: O, key: K, into: number[]): void {
  const original = object[key] as unknown
  if (typeof original !== 'function') {
    missing(key)
    return
  }
  const bound = original.bind(object)
  ;(object as any)[key] = async (...args: unknown[]) => {
    const start = process.hrtime.bigint()
    try {
      return await bound(...args)
    } finally {
      into.push(msSince(start))
    }
  }
}

/** Like timeMethod, for a synchronous method. */
function timeSync<F extends (...args: any[]) => any> (fn: F, into: number[]): F {
  return ((...args: Parameters<F>): ReturnType<F> => {
    const start = process.hrtime.bigint()
    try {
      return fn(...args)
    } finally {
      into.push(msSince(start))
    }
  }) as F
}

/**
 * Times the Messenger's session steps on the sending side: `sessions.sealer()`
 * (load the session, or start one) and the function it returns
 * (ratchetEncrypt + encode the next session record), which runs inside
 * `store.addOutgoing`'s `prepare`.
 */
function timeSealer (sessions: any, timings: Sender['timings']): void {
  if (typeof sessions?.sealer !== 'function') {
    missing('sessions.sealer')
    return
  }
  const sealer = sessions.sealer.bind(sessions)
  sessions.sealer = async (...args: unknown[]) => {
    const start = process.hrtime.bigint()
    try {
      return timeSync(await sealer(...args), timings.seal)
    } finally {
      timings.sealer.push(msSince(start))
    }
  }
}

/** Times `store.addOutgoing`, and inside it the `prepare` callback (building the encrypted envelope). */
function timeAddOutgoing (store: ParleyStore, timings: Sender['timings']): void {
  const addOutgoing = store.addOutgoing.bind(store)
  store.addOutgoing = async (init, options = {}) => {
    const start = process.hrtime.bigint()
    try {
      return await addOutgoing(init, options.prepare == null ? options : { ...options, prepare: timeSync(options.prepare, timings.prepare) })
    } finally {
      timings.addOutgoing.push(msSince(start))
    }
  }
}

// --- the sender side --------------------------------------------------------

interface Sender {
  messenger: Messenger
  tracker: DeliveryTracker
  peer: PeerProcess
  bPeer: PeerId
  /** B's account id: the conversation. */
  contact: string
  text: string
  payload: Uint8Array
  /** Durations recorded by the instrumented store methods and Messenger steps of A. */
  timings: {
    addOutgoing: number[]
    /** addOutgoing's `prepare`: Content encode, the sealer's function, Envelope encode. */
    prepare: number[]
    markDelivered: number[]
    putProfile: number[]
    outbox: number[]
    getContact: number[]
    getMessage: number[]
    reach: number[]
    /** sessions.sealer(): read + open the sealed session record, decode the ratchet state (or X3DH). */
    sealer: number[]
    /** The sealer's function: ratchetEncrypt, encode the state and the session record. */
    seal: number[]
  }
}

function node (sender: Sender): NonNullable<Messenger['libp2p']> {
  const n = sender.messenger.libp2p
  if (n == null) {
    throw new Error('the sender is not started')
  }
  return n
}

/**
 * A message still queued after this long while its courier is idle will not
 * go until something else wakes the courier: a lost wake-up (see
 * docs/benchmarks.md). The bench then nudges it with another send() and
 * drops the sample.
 */
const STUCK_MS = 5_000
/** Lost wake-ups seen, by measure. */
const lostWakeUps = new Map<string, number>()
let currentMeasure = ''

/** Bench instrumentation: whether the Messenger's courier for B has no run under way. */
function courierIdle (s: Sender): boolean {
  const couriers: unknown = (s.messenger as any).couriers
  const courier = couriers instanceof Map ? couriers.get(s.contact) : undefined
  return courier == null || courier.running == null
}

async function isQueued (s: Sender): Promise<boolean> {
  return (await s.messenger.store.outbox(s.contact)).length > 0
}

/** Nudges an idle courier with one more message; resolves with the nudge's id. */
async function nudge (s: Sender): Promise<string> {
  lostWakeUps.set(currentMeasure, (lostWakeUps.get(currentMeasure) ?? 0) + 1)
  return (await s.messenger.send(s.contact, 'nudge')).id
}

/** Waits for the delivery of `id`; false if it was stuck behind a lost wake-up (and had to be nudged). */
async function awaitDelivery (s: Sender, id: string): Promise<boolean> {
  try {
    await s.tracker.waitFor(id, STUCK_MS)
    return true
  } catch {}
  if (!courierIdle(s) || !(await isQueued(s))) {
    // slow (a retry after a failed attempt), not stuck: that is latency too
    await s.tracker.waitFor(id, WAIT_MS)
    return true
  }
  const nudged = await nudge(s)
  await s.tracker.waitFor(id, WAIT_MS)
  await s.tracker.waitFor(nudged, WAIT_MS)
  return false
}

/** One send() until 'message:delivered', in ms; NaN when the delivery was stuck (the sample is dropped). */
async function parleyRoundTrip (s: Sender, enqueued?: number[]): Promise<number> {
  const start = process.hrtime.bigint()
  const message = await s.messenger.send(s.contact, s.text)
  enqueued?.push(msSince(start))
  const delivered = await awaitDelivery(s, message.id)
  return delivered ? msSince(start) : Number.NaN
}

async function rawEcho (s: Sender, stream: Stream, counter: ByteCounter): Promise<number> {
  const start = process.hrtime.bigint()
  stream.send(s.payload)
  await counter.read(PAYLOAD_BYTES, WAIT_MS)
  return msSince(start)
}

async function openEcho (s: Sender): Promise<{ stream: Stream, counter: ByteCounter }> {
  const stream = await node(s).dialProtocol(s.bPeer, ECHO_PROTOCOL, { signal: AbortSignal.timeout(WAIT_MS) })
  return { stream, counter: new ByteCounter(stream) }
}

/** Runs `a` and `b` once per round in alternating order (A, B, then B, A …); returns each side's samples per round. */
async function interleave (rounds: number, perRound: number, a: () => Promise<number>, b: () => Promise<number>, between?: () => Promise<void>): Promise<[Rounds, Rounds]> {
  const sideA: Rounds = []
  const sideB: Rounds = []
  for (let r = 0; r < rounds; r++) {
    const ra: number[] = []
    const rb: number[] = []
    for (let i = 0; i < perRound; i++) {
      if ((r + i) % 2 === 0) {
        ra.push(await a())
        rb.push(await b())
      } else {
        rb.push(await b())
        ra.push(await a())
      }
      await between?.()
    }
    sideA.push(ra)
    sideB.push(rb)
  }
  return [sideA, sideB]
}

// 1 --------------------------------------------------------------------------

async function measureRoundTrip (s: Sender, diagDir: string): Promise<void> {
  currentMeasure = '1'
  for (let i = 0; i < 20; i++) {
    await parleyRoundTrip(s)
  }
  const { stream, counter } = await openEcho(s)
  for (let i = 0; i < 20; i++) {
    await rawEcho(s, stream, counter)
  }
  const connections = node(s).getConnections(s.bPeer)
  const shared = connections.filter(c => c.streams.some(st => st.protocol === DM_PROTOCOL) && c.streams.some(st => st.protocol === ECHO_PROTOCOL))
  diagValue('1: connections A→B during the round trips', connections.length, 'connections',
    shared.length === 1 ? 'the dm stream and the echo stream share one connection' : 'WARNING: dm and echo streams are not on one connection')

  await s.peer.request<PeerTimings>({ cmd: 'timings' })
  for (const list of Object.values(s.timings)) {
    list.length = 0
  }
  const enqueued: number[] = []
  const probes = await openProbes(diagDir)
  const peerProbes: PeerProbe[] = []

  const [parley, raw] = await interleave(ROUNDS, ROUND_TRIPS,
    async () => parleyRoundTrip(s, enqueued),
    async () => rawEcho(s, stream, counter),
    async () => {
      await probes.run()
      peerProbes.push(await s.peer.request<PeerProbe>({ cmd: 'probe' }))
    })
  await stream.close()
  await probes.close()

  report(summarize({
    name: '1. DM round trip with encryption on (send → delivered) vs raw 1 KiB echo, reused stream',
    unit: 'ms',
    parley,
    raw,
    target: '≤ 1.5×',
    met: m => m.ratio <= 1.5
  }))
  reportLostWakeUps()

  const b = await s.peer.request<PeerTimings>({ cmd: 'timings' })
  const skip = (values: number[]): number[] => values.slice(Math.ceil(values.length * 0.1))
  const mean = (values: number[]): number => values.length === 0 ? 0 : values.reduce((x, y) => x + y, 0) / values.length
  const perRoundTrip = (values: number[]): number => values.reduce((x, y) => x + y, 0) / (ROUNDS * ROUND_TRIPS)
  const parts = {
    send: skip(enqueued),
    reach: skip(s.timings.reach),
    receiver: skip(b.receiver),
    markDelivered: skip(s.timings.markDelivered)
  }
  diag('1: A send() until it resolves (resolve contact + lock + sessions.sealer + addOutgoing)', parts.send, 'ms')
  diag('1: A   sessions.sealer() (read + open the sealed session record, decode the ratchet state)', skip(s.timings.sealer), 'ms')
  diag('1: A   store.addOutgoing (reads, prepare, at-rest seals, 1 synced batch)', skip(s.timings.addOutgoing), 'ms')
  diag('1: A     of which prepare (Content encode + the sealer\'s function + Envelope encode)', skip(s.timings.prepare), 'ms')
  diag('1: A       of which the sealer\'s function (ratchetEncrypt + encode state and session record)', skip(s.timings.seal), 'ms')
  diag('1: A courier reach() (contact device certificates checked, connection found)', parts.reach, 'ms')
  diag('1: B dm receiver callback (cached certificate check, duplicate check, contact, sessions.open, content checks, addIncoming)', parts.receiver, 'ms')
  diag('1: B   sessions.open() (read + open the sealed session record, ratchetDecrypt, encode the new record)', skip(b.open), 'ms')
  diag('1: B   store.addIncoming (at-rest seals + 1 synced batch)', skip(b.addIncoming), 'ms')
  diagValue('1: B   store reads of the receiver (getMessage duplicate check + getContact + getConversation)',
    b.reads.reduce((x, y) => x + y, 0) / Math.max(1, b.receiver.length), 'ms', `mean per envelope, ${round3(b.reads.length / Math.max(1, b.receiver.length))} reads each`)
  diag('1: A store.markDelivered (1 batch, not synced)', parts.markDelivered, 'ms')
  // store reads of the courier's attempt: outbox() twice, getContact() once (send() does one too, inside its own time)
  const courierReads = perRoundTrip(s.timings.outbox) + perRoundTrip(s.timings.getContact) / 2
  diag('1: A store.outbox(conversation) (courier, per call; two per delivery)', skip(s.timings.outbox), 'ms')
  diagValue('1: A courier store reads per round trip (2 × outbox + getContact)', courierReads, 'ms', 'mean per round trip')
  diagValue('1: A store.getMessage calls per round trip (the courier no longer reads queued messages)', s.timings.getMessage.length / (ROUNDS * ROUND_TRIPS), 'calls')
  const encryption = mean(skip(s.timings.sealer)) + mean(skip(s.timings.seal)) + mean(skip(b.open))
  const roundTrip = mean(kept(parley).flat())
  diagValue('1: session work per round trip (A sealer + sealer\'s function, B sessions.open)', encryption, 'ms',
    `mean per round trip, ${round3(100 * encryption / roundTrip)} % of the mean round trip; includes reading and sealing the session records`)
  const rest = roundTrip - Object.values(parts).reduce((sum, values) => sum + mean(values), 0) - courierReads
  diagValue('1: rest of the Parley round trip (dm framing, network, event-loop hops)', rest, 'ms',
    'mean round trip − the means above (send, reach, B receiver, markDelivered, courier reads)')
  diagValue('1: mean Parley round trip / mean raw echo', roundTrip / mean(kept(raw).flat()), '×')
  diag('1: A classic-level batch of 5 puts (~1.5 KiB), sync: true, alone', skip(probes.synced), 'ms', 'timed between the round trips')
  diag('1: A classic-level batch of 5 puts (~1.5 KiB), sync: false, alone', skip(probes.unsynced), 'ms', 'timed between the round trips')
  diag('1: A ratchetEncrypt + ratchetDecrypt of 1 KiB on one chain, alone', skip(probes.ratchet), 'ms', 'timed between the round trips, in A\'s process')
  diag('1: B classic-level batch of 5 puts, sync: true, alone', skip(peerProbes.map(p => p.synced)), 'ms', 'in the peer process')
  diag('1: B decode + verify one device certificate (ed25519), alone', skip(peerProbes.map(p => p.certificate)), 'ms',
    'what the receiver would pay per envelope without the Messenger\'s verified-certificate cache')
}

/**
 * What the round trip is made of, timed alone between its samples (so under
 * the same load): the LevelDB batch shaped like addOutgoing's (5 puts, same
 * file system), synced and not, and one ratchet message on one chain. (The peer times its own, and a certificate
 * check, on the `probe` command.)
 */
async function openProbes (dir: string): Promise<{ run: () => Promise<void>, close: () => Promise<void>, synced: number[], unsynced: number[], ratchet: number[] }> {
  const db = openLevel(dir)
  await db.open()
  const message = new Uint8Array(PAYLOAD_BYTES + 150).fill(7)
  const small = new Uint8Array(40).fill(3)
  const conversation = new Uint8Array(300).fill(5)
  const result = { synced: [] as number[], unsynced: [] as number[], ratchet: [] as number[] }
  const crypto = cryptoSamples()
  let seq = 0
  const batch = async (sync: boolean): Promise<number> => {
    const id = newMessageId()
    const hex = (seq++).toString(16).padStart(16, '0')
    const start = process.hrtime.bigint()
    await db.batch([
      { type: 'put', key: `!messages!conv!${hex}!${id}`, value: message },
      { type: 'put', key: `!message-ids!conv!${id}`, value: small },
      { type: 'put', key: `!outbox!conv!${hex}`, value: small },
      { type: 'put', key: '!conversations!conv', value: conversation },
      { type: 'put', key: '!meta!outboxSeq', value: small.subarray(0, 4) }
    ], { sync } as any)
    return msSince(start)
  }
  return {
    ...result,
    run: async () => {
      result.synced.push(await batch(true))
      result.unsynced.push(await batch(false))
      result.ratchet.push(crypto.chain() / 1000)
    },
    close: async () => { await db.close() }
  }
}

// 2 --------------------------------------------------------------------------

/** Hang-ups that found a connection again right after closing one (a dial under way, e.g. the DHT's). */
let extraHangUps = 0

/** Keep-alive tags found (and removed) on either side before a hang-up. */
let keepAliveTagsDropped = 0

async function hangUp (s: Sender): Promise<void> {
  const n = node(s)
  keepAliveTagsDropped += (await dropKeepAlive(n, s.bPeer)).length
  keepAliveTagsDropped += (await s.peer.request<string[]>({ cmd: 'dropKeepAlive', peerId: n.peerId.toString() })).length
  for (let attempt = 0; attempt < 10; attempt++) {
    n.services.dm.hangUp(s.bPeer)
    await n.hangUp(s.bPeer, { signal: AbortSignal.timeout(WAIT_MS) })
    if (n.getConnections(s.bPeer).length === 0) {
      return
    }
    extraHangUps++
  }
  throw new Error('a connection to B survives hangUp')
}

async function measureFirstMessage (s: Sender): Promise<void> {
  currentMeasure = '2'
  const parleySample = async (): Promise<number> => {
    await hangUp(s)
    return parleyRoundTrip(s)
  }
  const rawOpen: number[] = []
  const rawEcho: number[] = []
  const rawSample = async (): Promise<number> => {
    await hangUp(s)
    const start = process.hrtime.bigint()
    const { stream, counter } = await openEcho(s)
    const opened = msSince(start)
    stream.send(s.payload)
    await counter.read(PAYLOAD_BYTES, WAIT_MS)
    const elapsed = msSince(start)
    rawOpen.push(opened)
    rawEcho.push(elapsed - opened)
    await stream.close()
    return elapsed
  }
  const dmSend: number[] = []
  timeMethod(node(s).services.dm as any, 'send', dmSend)
  keepAliveTagsDropped = 0
  for (let i = 0; i < 3; i++) {
    await parleySample()
    await rawSample()
  }
  const publishesBefore = s.timings.putProfile.length
  extraHangUps = 0
  for (const list of [rawOpen, rawEcho, dmSend, s.timings.reach, s.timings.markDelivered]) {
    list.length = 0
  }
  await s.peer.request<PeerTimings>({ cmd: 'timings' })
  const opened = { inbound: 0, outbound: 0 }
  const onOpen = (evt: CustomEvent<Connection>): void => {
    if (evt.detail.remotePeer.equals(s.bPeer)) {
      opened[evt.detail.direction]++
    }
  }
  node(s).addEventListener('connection:open', onOpen)
  const [parley, raw] = await interleave(ROUNDS, FIRST_MESSAGES, parleySample, rawSample)
  node(s).removeEventListener('connection:open', onOpen)
  const b = await s.peer.request<PeerTimings>({ cmd: 'timings' })
  diagValue('2: connections A↔B opened during the samples, dialled by A', opened.outbound, 'connections', `and ${opened.inbound} dialled by B`)
  diag('2: A courier reach() (nothing connected: peer-store merge + dial)', s.timings.reach, 'ms')
  diag('2: A dm.send() (new dm stream + envelope + B receiver + ack)', dmSend, 'ms')
  diag('2: B dm receiver callback', b.receiver, 'ms')
  diag('2: A store.markDelivered', s.timings.markDelivered, 'ms')
  diag('2: raw dialProtocol (dial + new echo stream)', rawOpen, 'ms')
  diag('2: raw 1 KiB echo on the new stream', rawEcho, 'ms')
  diagValue('2: keep-alive tags removed before hang-ups (both sides, warm-up included)', keepAliveTagsDropped, 'tags',
    'kad-dht re-tags its closest peers only when that set changes; each tag left would make libp2p redial at once')
  diagValue('2: hang-ups that had to be repeated', extraHangUps, 'times', 'a connection to B was back right after hangUp (a dial under way)')
  diagValue('2: account-record publishes by A during the samples', s.timings.putProfile.length - publishesBefore, 'publishes',
    `over ${2 * ROUNDS * FIRST_MESSAGES} new connections: each identify of a DHT peer schedules one (500 ms debounce)`)
  report(summarize({
    name: '2. First message on a new connection vs dial + 1 KiB echo',
    unit: 'ms',
    parley,
    raw,
    target: '≤ 1.2×',
    met: m => m.ratio <= 1.2
  }))
  reportLostWakeUps()
}

// 3 --------------------------------------------------------------------------

async function measureThroughput (s: Sender): Promise<void> {
  currentMeasure = '3'
  const { stream, counter } = await openEcho(s)
  const enqueueMs: number[] = []

  const parleySample = async (): Promise<number> => {
    const target = s.tracker.total + THROUGHPUT_MESSAGES
    const start = process.hrtime.bigint()
    const sends: Array<Promise<unknown>> = []
    for (let i = 0; i < THROUGHPUT_MESSAGES; i++) {
      sends.push(s.messenger.send(s.contact, s.text))
    }
    await Promise.all(sends)
    enqueueMs.push(msSince(start))
    let stuck = false
    let wanted = target
    const deadline = Date.now() + 120_000
    for (let seen = s.tracker.total; ; seen = s.tracker.total) {
      try {
        await s.tracker.waitForTotal(wanted, STUCK_MS)
        break
      } catch (err) {
        if (Date.now() > deadline) {
          throw err
        }
      }
      if (s.tracker.total === seen && courierIdle(s) && await isQueued(s)) {
        stuck = true
        await nudge(s)
        wanted++
      }
    }
    return stuck ? Number.NaN : THROUGHPUT_MESSAGES / (msSince(start) / 1000)
  }
  const rawSample = async (): Promise<number> => {
    const start = process.hrtime.bigint()
    await Promise.all([
      sendAll(stream, s.payload, THROUGHPUT_MESSAGES),
      counter.read(THROUGHPUT_MESSAGES * PAYLOAD_BYTES, 120_000)
    ])
    return THROUGHPUT_MESSAGES / (msSince(start) / 1000)
  }

  await parleySample()
  await rawSample()
  enqueueMs.length = 0
  await s.peer.request<PeerTimings>({ cmd: 'timings' })
  for (const list of [s.timings.addOutgoing, s.timings.markDelivered, s.timings.sealer, s.timings.seal]) {
    list.length = 0
  }

  const [parley, raw] = await interleave(THROUGHPUT_ROUNDS, 1, parleySample, rawSample)
  await stream.close()

  const common = { parley, raw, higherIsBetter: true, target: '≥ 0.6×', met: (m: Omit<Measure, 'target' | 'met'>) => m.ratio >= 0.6 }
  report(summarize({ ...common, name: `3. 1 KiB DM throughput (${THROUGHPUT_MESSAGES} queued at once) vs raw single-stream echo`, unit: 'msg/s' }))
  const toMB = (rounds: Rounds): Rounds => rounds.map(r => r.map(v => v * PAYLOAD_BYTES / 1e6))
  report(summarize({ ...common, parley: toMB(parley), raw: toMB(raw), name: '3. 1 KiB DM throughput, payload MB/s', unit: 'MB/s' }))
  reportLostWakeUps()

  const b = await s.peer.request<PeerTimings>({ cmd: 'timings' })
  const sum = (values: number[]): number => values.reduce((x, y) => x + y, 0)
  const sampleMs = parley.flat().filter(Number.isFinite).map(rate => THROUGHPUT_MESSAGES / rate * 1000)
  diag(`3: Parley sample duration (${THROUGHPUT_MESSAGES} messages, first send() → last delivered)`, sampleMs, 'ms')
  diag(`3: A enqueue of ${THROUGHPUT_MESSAGES} concurrent send() calls (each encrypted and written in one synced batch, one at a time)`, enqueueMs, 'ms')
  diag('3: A store.addOutgoing per message (1 synced batch)', s.timings.addOutgoing, 'ms')
  diag('3: A session work per message (sessions.sealer + the sealer\'s function)', s.timings.sealer.map((v, i) => v + (s.timings.seal[i] ?? 0)), 'ms')
  diag('3: B dm receiver per envelope (envelopes are handled strictly in order)', b.receiver, 'ms')
  diag('3: B sessions.open per envelope', b.open, 'ms')
  diag('3: B store.addIncoming per envelope (1 synced batch)', b.addIncoming, 'ms')
  diagValue('3: B receiver busy time per sample', sum(b.receiver) / THROUGHPUT_ROUNDS, 'ms', `sum of receiver durations / ${THROUGHPUT_ROUNDS} samples`)
  diagValue('3: B addIncoming busy time per sample', sum(b.addIncoming) / THROUGHPUT_ROUNDS, 'ms', `sum / ${THROUGHPUT_ROUNDS} samples`)
  diagValue('3: B sessions.open busy time per sample', sum(b.open) / THROUGHPUT_ROUNDS, 'ms', `sum / ${THROUGHPUT_ROUNDS} samples`)
  diag('3: A store.markDelivered per batch of acks (not synced)', s.timings.markDelivered, 'ms', `${round3(THROUGHPUT_ROUNDS * THROUGHPUT_MESSAGES / s.timings.markDelivered.length)} acks per batch on average`)
}

// 4 --------------------------------------------------------------------------

/** LevelDB's table files on levels 0–3 ("12/11/33/0"): level 0 at 8 slows writes down, at 12 stops them. */
async function levelFiles (dir: string): Promise<string> {
  const db = openLevel(dir) as unknown as ClassicLevel<string, Uint8Array>
  await db.open()
  try {
    return [0, 1, 2, 3].map(level => db.getProperty(`leveldb.num-files-at-level${level}`)).join('/')
  } finally {
    await db.close()
  }
}

/** The filled store reads back through ParleyStore: the newest page and the oldest message. */
async function checkFilled (dir: string, contact: string, storageKey: Uint8Array): Promise<void> {
  const db = openLevel(dir)
  const store = await ParleyStore.open(db)
  store.unlock(storageKey)
  try {
    const page = await store.history(contact, { limit: 50 })
    const conversation = await store.getConversation(contact)
    const firstKey = (await sublevels(db).messages.keys({ limit: 1 }).all())[0]
    const oldest = firstKey == null ? undefined : await store.getMessage(contact, firstKey.slice(firstKey.lastIndexOf('!') + 1))
    if (page.length !== Math.min(50, STORED_MESSAGES) || page.at(-1)?.clock !== STORED_MESSAGES ||
        conversation?.clock !== STORED_MESSAGES || oldest?.clock !== 1 || oldest.text !== STORED_TEXT) {
      throw new Error('the filled store does not read back as written')
    }
  } finally {
    await store.close()
  }
}

interface StartupSample {
  total: number
  /** ParleyStore.open (LevelDB open + schema check + one counter). */
  open: number
  unlock: number
  /** messenger.start() … */
  start: number
  /** … of which building the libp2p node … */
  createNode: number
  /** … and starting it (listen, services); the rest of start() is the Messenger's store reads. */
  nodeStart: number
  /** The first send(): resolve the contact, encrypt (the session is made by the first sample's send: X3DH), one synced batch. */
  send: number
}

async function startupSample (dir: string, contact: string): Promise<StartupSample> {
  globalThis.gc?.()
  const t0 = process.hrtime.bigint()
  const store = await openStore(dir)
  const open = msSince(t0)
  const account = await unlockAccount(store, PASSPHRASE)
  const unlock = msSince(t0) - open
  const factory = benchNodeFactory()
  let createNode = 0
  let nodeStart = 0
  const messenger = new Messenger({
    store,
    account,
    createNode: async (key) => {
      const begin = process.hrtime.bigint()
      const n = await factory(key)
      createNode = msSince(begin)
      const startNode = n.start.bind(n)
      n.start = async () => {
        const at = process.hrtime.bigint()
        await startNode()
        nodeStart = msSince(at)
      }
      return n
    }
  })
  await messenger.start()
  const start = msSince(t0) - open - unlock
  await messenger.send(contact, 'can send')
  const total = msSince(t0)
  const send = total - open - unlock - start
  await withTimeout(messenger.stop(), WAIT_MS, 'the start-up messenger did not stop')
  await store.close()
  return { total, open, unlock, start, createNode, nodeStart, send }
}

async function measureStartup (root: string): Promise<void> {
  const contactMessenger = await createBenchMessenger(join(root, 'startup-contact'), 'Bench C')
  const invite = await contactMessenger.invite()
  const contact = contactMessenger.accountId
  await contactMessenger.store.close()

  const fullDir = join(root, 'startup-full')
  const emptyDir = join(root, 'startup-empty')
  for (const dir of [fullDir, emptyDir]) {
    const db = openLevel(dir)
    const store = await ParleyStore.open(db)
    const account = await createAccount(store, { name: 'Bench S', passphrase: PASSPHRASE, kdfLogN: KDF_LOG_N })
    const m = new Messenger({ store, account, createNode: benchNodeFactory() })
    await m.addContact(invite)
    if (dir === fullDir) {
      const start = process.hrtime.bigint()
      await fillMessages(store, db, contact, STORED_MESSAGES, FILL_BATCH, account.secrets.storageKey)
      await store.close()
      const seconds = msSince(start) / 1000
      diagValue(`4: fill ${STORED_MESSAGES} messages (sealed at rest, batches of ${FILL_BATCH}, synced) + close`, seconds, 's',
        STORED_MESSAGES === 1_000_000 ? undefined : 'fewer than 1M: --messages')
      if (seconds > 180) {
        process.stderr.write(`bench: filling ${STORED_MESSAGES} messages took over 3 minutes; use --messages N for fewer\n`)
      }
      await checkFilled(fullDir, contact, account.secrets.storageKey)
    } else {
      await store.close()
    }
  }

  // Right after the bulk fill LevelDB still owes compactions (many level-0
  // files); a store that grew over months has long paid them. A few samples of
  // that state, for the record, then the store is compacted and measured.
  const fresh = { full: [] as number[], empty: [] as number[] }
  for (let r = 0; r < 3; r++) {
    fresh.full.push((await startupSample(fullDir, contact)).total)
    fresh.empty.push((await startupSample(emptyDir, contact)).total)
  }
  const l0 = await levelFiles(fullDir)
  diagValue('4: start-up right after the bulk fill, before compaction: p50 full − p50 empty', median(fresh.full) - median(fresh.empty), 'ms',
    `3 samples each: ${fresh.full.map(round3).join(', ')} vs ${fresh.empty.map(round3).join(', ')} ms; LevelDB files per level ${l0}`)
  for (const dir of [fullDir, emptyDir]) {
    const start = process.hrtime.bigint()
    const db = openLevel(dir) as unknown as ClassicLevel<string, Uint8Array>
    await db.open()
    await db.compactRange('\x00', '\xff')
    await db.close()
    if (dir === fullDir) {
      diagValue('4: compact the filled store (compactRange over all keys)', msSince(start) / 1000, 's', `files per level after: ${await levelFiles(fullDir)}`)
    }
  }

  const full: StartupSample[][] = []
  const empty: StartupSample[][] = []
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) {
      full.push([await startupSample(fullDir, contact)])
      empty.push([await startupSample(emptyDir, contact)])
    } else {
      empty.push([await startupSample(emptyDir, contact)])
      full.push([await startupSample(fullDir, contact)])
    }
  }
  const after = await levelFiles(fullDir)
  diagValue('4: level-0 files of the filled store after the rounds', Number(after.split('/')[0]), 'files', `files per level ${after}`)
  const pick = (rounds: StartupSample[][], key: keyof StartupSample): Rounds => rounds.map(r => r.map(x => x[key]))
  report(summarize({
    name: `4. Start-up to "can send": ${STORED_MESSAGES.toLocaleString('en')} stored messages vs empty store`,
    unit: 'ms',
    parley: pick(full, 'total'),
    raw: pick(empty, 'total'),
    target: '≤ +50 ms',
    withDelta: true,
    met: m => (m.delta ?? Number.POSITIVE_INFINITY) <= 50
  }))
  const labels: Record<Exclude<keyof StartupSample, 'total'>, string> = {
    open: 'ParleyStore.open',
    unlock: 'unlockAccount',
    start: 'messenger.start()',
    createNode: '  of which createParleyNode',
    nodeStart: '  of which node.start()',
    send: 'first send() (encrypted, stored + queued)'
  }
  for (const [key, label] of Object.entries(labels) as Array<[keyof typeof labels, string]>) {
    diag(`4: ${label}, ${STORED_MESSAGES} messages`, kept(pick(full, key)).flat(), 'ms')
    diag(`4: ${label}, empty store`, kept(pick(empty, key)).flat(), 'ms')
  }
}

// 5 --------------------------------------------------------------------------

async function measureCrypto (): Promise<void> {
  currentMeasure = '5'
  const samples = cryptoSamples()
  const sync = (fn: () => number) => async () => fn()
  // warm-up: JIT, and noble's precomputed tables for X25519
  for (let i = 0; i < 200; i++) {
    samples.chain()
    samples.dhTurn()
    samples.raw()
  }
  const goal = { target: '≤ 2×', met: (m: Omit<Measure, 'target' | 'met'>) => m.ratio <= 2 }
  const [chain, rawForChain] = await interleave(ROUNDS, CRYPTO_SAMPLES, sync(samples.chain), sync(samples.raw))
  report(summarize({
    ...goal,
    name: '5. Encrypt + decrypt of 1 KiB, one chain (ratchetEncrypt + ratchetDecrypt) vs XChaCha20-Poly1305 seal + open (@noble/ciphers)',
    unit: 'µs',
    parley: chain,
    raw: rawForChain
  }))
  const [dhTurn, rawForTurn] = await interleave(ROUNDS, CRYPTO_SAMPLES / 4, sync(samples.dhTurn), sync(samples.raw))
  report(summarize({
    ...goal,
    name: '5. Encrypt + decrypt of 1 KiB that turns the DH ratchet vs XChaCha20-Poly1305 seal + open (@noble/ciphers)',
    unit: 'µs',
    parley: dhTurn,
    raw: rawForTurn
  }))

  // what the messages are made of: each step alone, all interleaved sample by sample
  const parts = cryptoParts()
  const timings = parts.map(() => [] as number[])
  for (let i = 0; i < 50; i++) {
    parts.forEach(part => part.run())
  }
  for (let i = 0; i < ROUNDS * CRYPTO_SAMPLES / 2; i++) {
    parts.forEach((part, j) => { timings[j].push(part.run()) })
  }
  const p50 = (values: number[]): number => percentile(values, 50)
  parts.forEach((part, j) => {
    diag(`5: ${part.label}, alone`, timings[j], 'µs', `× ${part.times.chain} per one-chain message, × ${part.times.dhTurn} per DH turn`)
  })
  const ratchetParts = parts.filter(part => !part.label.startsWith('Messenger'))
  const sumOf = (which: 'chain' | 'dhTurn', list: typeof parts): number =>
    list.reduce((sum, part) => sum + part.times[which] * p50(timings[parts.indexOf(part)]), 0)
  diagValue('5: one-chain message, sum of its steps\' p50s', sumOf('chain', ratchetParts), 'µs',
    `measured p50 ${round3(p50(kept(chain).flat()))} µs; raw seal + open ${round3(p50(kept(rawForChain).flat()))} µs`)
  diagValue('5: DH-turn message, sum of its steps\' p50s', sumOf('dhTurn', ratchetParts), 'µs',
    `measured p50 ${round3(p50(kept(dhTurn).flat()))} µs`)
  const messengerParts = parts.filter(part => part.label.startsWith('Messenger'))
  diagValue('5: what the Messenger adds around one message\'s ratchet steps (session records decoded, encoded, opened and sealed at rest), sum of p50s',
    sumOf('chain', messengerParts), 'µs', 'both sides; not part of measure 5, part of measure 1')
}

// --- output -------------------------------------------------------------------

function printTable (): void {
  const rows = [
    ['measure', 'unit', 'Parley p50', 'Parley p99', 'raw p50', 'raw p99', 'ratio', 'target', 'met', 'n'],
    // by measure number (5 runs before 4, while nothing else is running)
    ...[...measures].sort((x, y) => parseInt(x.name) - parseInt(y.name)).map(m => [
      m.name, m.unit, String(m.p50.parley), String(m.p99.parley), String(m.p50.raw), String(m.p99.raw),
      m.delta != null ? `${m.ratio}× (${m.delta >= 0 ? '+' : '−'}${Math.abs(m.delta)} ms)` : `${m.ratio}×`, m.target, m.met ? 'yes' : 'NO', String(m.n)
    ])
  ]
  console.log('')
  console.log(rows.map((row, i) => `| ${row.join(' | ')} |${i === 0 ? '\n|' + row.map(() => '---').join('|') + '|' : ''}`).join('\n'))
  console.log('')
  console.log('For msg/s and MB/s the p99 column is the 1st percentile (the slow tail of a rate).')
  console.log('')
  console.log('| diagnostic | p50 | p99 | mean | unit | n |')
  console.log('|---|---|---|---|---|---|')
  for (const d of diags) {
    console.log(`| ${d.diag}${d.note != null ? ` (${d.note})` : ''} | ${d.p50} | ${d.p99 ?? ''} | ${d.mean ?? ''} | ${d.unit} | ${d.n ?? ''} |`)
  }
}

/** The commit measured, and whether tracked files differ from it (other work in the tree). */
function codeVersion (): string {
  try {
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    const changed = git('status', '--porcelain', '--untracked-files=no').split('\n').filter(line => line.trim() !== '').length
    return `${git('rev-parse', '--short', 'HEAD')}${changed > 0 ? ` + ${changed} modified tracked file(s)` : ''}`
  } catch {
    return 'not a git checkout'
  }
}

// --- main ---------------------------------------------------------------------

async function main (): Promise<void> {
  const began = process.hrtime.bigint()
  const root = await mkdtemp(join(tmpdir(), 'parley-bench-'))
  let peer: PeerProcess | undefined
  let messenger: Messenger | undefined
  console.log(JSON.stringify({
    bench: 'parley', date: new Date().toISOString(), node: process.version, cpus: cpus().length, loadavg: loadavg().map(round3), code: codeVersion(),
    rounds: ROUNDS, throughputRounds: THROUGHPUT_ROUNDS, storedMessages: STORED_MESSAGES, tmpdir: root
  }))
  try {
    if (['1', '2', '3'].some(m => ONLY.has(m))) {
      peer = new PeerProcess(join(root, 'b'))
      const ready = await peer.ready
      messenger = await createBenchMessenger(join(root, 'a'), 'Bench A')
      const timings: Sender['timings'] = {
        addOutgoing: [], prepare: [], markDelivered: [], putProfile: [], outbox: [], getContact: [], getMessage: [], reach: [], sealer: [], seal: []
      }
      // the Messenger's private steps of a delivery attempt and of encryption, timed per instance
      timeMethod(messenger as any, 'reach', timings.reach)
      timeSealer((messenger as any).sessions, timings)
      timeAddOutgoing(messenger.store, timings)
      timeMethod(messenger.store, 'markDelivered', timings.markDelivered)
      timeMethod(messenger.store, 'putProfile', timings.putProfile)
      timeMethod(messenger.store, 'outbox', timings.outbox)
      timeMethod(messenger.store, 'getContact', timings.getContact)
      timeMethod(messenger.store, 'getMessage', timings.getMessage)
      const tracker = new DeliveryTracker(messenger)
      await messenger.start()
      const contact = await messenger.addContact(ready.invite)
      await peer.request({ cmd: 'addContact', invite: await messenger.invite() })
      const text = payloadText()
      const payload = new TextEncoder().encode(text)
      if (payload.byteLength !== PAYLOAD_BYTES) {
        throw new Error('the payload is not 1 KiB')
      }
      const sender: Sender = { messenger, tracker, peer, bPeer: peerIdFromString(ready.peerId), contact: contact.accountId, text, payload, timings }

      if (ONLY.has('1')) {
        await measureRoundTrip(sender, join(root, 'diag'))
      }
      if (ONLY.has('2')) {
        await measureFirstMessage(sender)
      }
      if (ONLY.has('3')) {
        await measureThroughput(sender)
      }

      await peer.stop()
      await withTimeout(messenger.stop(), WAIT_MS, 'the sender did not stop')
      await messenger.store.close()
      messenger = undefined
    }

    if (ONLY.has('5')) {
      await measureCrypto()
    }

    if (ONLY.has('4')) {
      await measureStartup(root)
    }

    if (ONLY.has('8') || ONLY.has('9')) {
      await measureMailbox({ root: join(root, 'mailbox-bench'), rounds: ROUNDS, measures: ONLY, report, diag, diagValue })
    }

    if (ONLY.has('6') || ONLY.has('7')) {
      // vite, Chromium and the web app are loaded only for these
      const { runWebBench } = await import('./web.ts')
      await runWebBench({ only: ONLY, rounds: ROUNDS, report, diag, diagValue })
    }
  } finally {
    await peer?.stop()
    if (messenger != null) {
      await withTimeout(messenger.stop(), WAIT_MS, 'the sender did not stop').catch(() => {})
      await messenger.store.close().catch(() => {})
    }
    await rm(root, { recursive: true, force: true })
  }
  printTable()
  console.log(`\ntotal bench time ${round3(msSince(began) / 1000)} s; load average at the end ${loadavg().map(round3).join(' ')} (${cpus().length} cpus)`)
}

const watchdog = setTimeout(() => {
  process.stderr.write(`bench: still running after ${WATCHDOG_MS / 60_000} min, stopping\n`)
  process.exit(1)
}, WATCHDOG_MS)

main().then(() => {
  clearTimeout(watchdog)
  // libp2p may leave timers behind after a clean stop; the bench is done
  process.exit(0)
}, (err) => {
  process.stderr.write(`bench failed: ${err?.stack ?? err}\n`)
  process.exit(1)
})
