/**
 * Helpers shared by the bench driver (index.ts) and the bench peer (peer.ts):
 * a Messenger on a classic-level store, the raw echo protocol, an exact-count
 * byte reader, delivery tracking and the statistics of BENCHMARKS.md.
 */

import { tcp } from '@libp2p/tcp'
import { Level } from 'level'
import { createAccount, Messenger, messengerServices } from '#shared/messenger/index.ts'
import { createParleyNode } from '#shared/net/index.ts'
import { ParleyStore } from '#shared/store/index.ts'
import type { PeerNode } from '#shared/messenger/index.ts'
import type { StoredMessage } from '#shared/store/index.ts'
import { KEEP_ALIVE, TimeoutError } from '@libp2p/interface'
import type { PeerId, PrivateKey, Stream } from '@libp2p/interface'

/** The raw baseline's protocol: every byte in comes straight back. */
export const ECHO_PROTOCOL = '/bench/echo/1.0.0'

/** Payload of every DM and echo: 1 KiB. */
export const PAYLOAD_BYTES = 1024

export const PASSPHRASE = 'parley bench passphrase'

/** scrypt cost for bench accounts: cheap, start-up is not about the KDF. */
export const KDF_LOG_N = 10

/**
 * Far above anything a bench opens per second from 127.0.0.1 (libp2p's own
 * default of 5 resets the 6th connection).
 */
export const INBOUND_CONNECTION_THRESHOLD = 10_000

/** 1 KiB of ASCII text, so the DM body and the echo payload are the same size. */
export function payloadText (seed = 0): string {
  const unit = `parley bench message ${seed} `
  return unit.repeat(Math.ceil(PAYLOAD_BYTES / unit.length)).slice(0, PAYLOAD_BYTES)
}

export function openLevel (dir: string): Level<string, Uint8Array> {
  return new Level<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' })
}

export async function openStore (dir: string): Promise<ParleyStore> {
  return ParleyStore.open(openLevel(dir))
}

/** The Node peer's node (node/src/platform.ts) reduced to TCP on 127.0.0.1, without relays. */
export function benchNodeFactory (): (privateKey: PrivateKey) => Promise<PeerNode> {
  return async (privateKey) => createParleyNode({
    privateKey,
    transports: [tcp()],
    listen: ['/ip4/127.0.0.1/tcp/0'],
    dhtMode: 'server',
    allowPrivateAddresses: true,
    inboundConnectionThreshold: INBOUND_CONNECTION_THRESHOLD,
    services: messengerServices()
  })
}

/** A new account in a fresh classic-level store under `dir`, and its (not started) Messenger. */
export async function createBenchMessenger (dir: string, name: string): Promise<Messenger> {
  const store = await openStore(dir)
  const account = await createAccount(store, { name, passphrase: PASSPHRASE, kdfLogN: KDF_LOG_N })
  return new Messenger({ store, account, createNode: benchNodeFactory() })
}

/**
 * Removes every keep-alive tag `node` holds for `peer`. kad-dht tags its 20
 * closest peers `keep-alive-kad-dht` (refreshed every 5 s, added only when the
 * set changes), and libp2p redials keep-alive peers as soon as a connection
 * drops: without this, a hang-up is undone at once by a reconnect.
 * Returns the tags removed.
 */
export async function dropKeepAlive (node: PeerNode, peer: PeerId): Promise<string[]> {
  const tags = [...(await node.peerStore.get(peer).catch(() => undefined))?.tags.keys() ?? []].filter(tag => tag.startsWith(KEEP_ALIVE))
  if (tags.length > 0) {
    await node.peerStore.merge(peer, { tags: Object.fromEntries(tags.map(tag => [tag, undefined])) })
  }
  return tags
}

/** Registers the echo handler: writes back every chunk, pausing while the write buffer drains. */
export async function handleEcho (node: PeerNode): Promise<void> {
  await node.handle(ECHO_PROTOCOL, (stream) => {
    stream.addEventListener('message', (evt) => {
      if (!stream.send(evt.data)) {
        stream.pause()
        stream.onDrain().then(() => { stream.resume() }, (err: Error) => { stream.abort(err) })
      }
    })
    stream.addEventListener('remoteCloseWrite', () => {
      stream.close().catch((err: Error) => { stream.abort(err) })
    })
  }, { maxInboundStreams: 64 })
}

/**
 * Counts the bytes that come back on a stream and resolves waiters in order
 * once their byte count has arrived. Every wait has a deadline.
 */
export class ByteCounter {
  private available = 0
  private readonly waiters: Array<{ need: number, resolve: () => void, reject: (err: Error) => void }> = []
  private failure?: Error

  constructor (stream: Stream) {
    stream.addEventListener('message', (evt) => {
      this.available += evt.data.byteLength
      this.settle()
    })
    stream.addEventListener('close', (evt) => {
      this.failure = evt.error ?? new Error('stream closed')
      for (const waiter of this.waiters.splice(0)) {
        waiter.reject(this.failure)
      }
    })
  }

  async read (bytes: number, timeoutMs: number): Promise<void> {
    if (this.failure != null) {
      throw this.failure
    }
    const done = Promise.withResolvers<void>()
    this.waiters.push({ need: bytes, resolve: done.resolve, reject: done.reject })
    this.settle()
    const timer = setTimeout(() => { done.reject(new TimeoutError(`echo of ${bytes} bytes did not come back within ${timeoutMs} ms`)) }, timeoutMs)
    try {
      await done.promise
    } finally {
      clearTimeout(timer)
    }
  }

  private settle (): void {
    while (this.waiters.length > 0 && this.available >= this.waiters[0].need) {
      const waiter = this.waiters.shift()
      if (waiter == null) {
        break
      }
      this.available -= waiter.need
      waiter.resolve()
    }
  }
}

/** Sends `data`, waiting for 'drain' whenever the stream asks for it. */
export async function sendAll (stream: Stream, data: Uint8Array, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    if (!stream.send(data)) {
      await stream.onDrain({ signal: AbortSignal.timeout(30_000) })
    }
  }
}

/**
 * Watches a Messenger's 'message:delivered' events, so that a wait registered
 * after the event (the ack can beat `send()`'s caller) still resolves.
 */
export class DeliveryTracker {
  private readonly delivered = new Set<string>()
  private readonly waiters = new Map<string, () => void>()
  private count = 0
  private countWaiter?: { target: number, resolve: () => void }

  constructor (messenger: Messenger) {
    messenger.addEventListener('message:delivered', (evt: CustomEvent<StoredMessage>) => {
      const id = evt.detail.id
      this.count++
      const waiter = this.waiters.get(id)
      if (waiter != null) {
        this.waiters.delete(id)
        waiter()
      } else {
        this.delivered.add(id)
      }
      if (this.countWaiter != null && this.count >= this.countWaiter.target) {
        this.countWaiter.resolve()
        this.countWaiter = undefined
      }
    })
  }

  /** Deliveries seen so far. */
  get total (): number {
    return this.count
  }

  async waitFor (id: string, timeoutMs: number): Promise<void> {
    if (this.delivered.delete(id)) {
      return
    }
    const done = Promise.withResolvers<void>()
    this.waiters.set(id, done.resolve)
    await withTimeout(done.promise, timeoutMs, `message ${id} was not delivered within ${timeoutMs} ms`)
  }

  /** Resolves once `total` reaches `target`. */
  async waitForTotal (target: number, timeoutMs: number): Promise<void> {
    if (this.count >= target) {
      return
    }
    const done = Promise.withResolvers<void>()
    this.countWaiter = { target, resolve: done.resolve }
    await withTimeout(done.promise, timeoutMs, `only ${this.count} of ${target} deliveries within ${timeoutMs} ms`)
    this.delivered.clear()
  }
}

export async function withTimeout<T> (promise: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => { reject(new TimeoutError(message)) }, timeoutMs)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

// --- timing and statistics --------------------------------------------------

/** Milliseconds since `start` (a `process.hrtime.bigint()` reading). */
export function msSince (start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6
}

/** Nearest-rank percentile of unsorted values. */
export function percentile (values: number[], p: number): number {
  if (values.length === 0) {
    return Number.NaN
  }
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]
}

export function median (values: number[]): number {
  if (values.length === 0) {
    return Number.NaN
  }
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Samples of one side, grouped by round, in the order they were taken. */
export type Rounds = number[][]

/** Drops the first 10 % (at least one) of a side's samples, counted across rounds in time order. */
export function dropWarmUp (rounds: Rounds): Rounds {
  const total = rounds.reduce((n, r) => n + r.length, 0)
  let drop = Math.max(1, Math.ceil(total * 0.1))
  return rounds.map(round => {
    const cut = Math.min(drop, round.length)
    drop -= cut
    return round.slice(cut)
  })
}

/** What a measure keeps of a side: after the warm-up drop, without dropped samples (NaN). */
export function kept (rounds: Rounds): Rounds {
  return dropWarmUp(rounds).map(round => round.filter(Number.isFinite))
}

export interface Measure {
  name: string
  /** Parley's headline figure: the p50. */
  parley: number
  /** The raw baseline's headline figure: the p50. */
  raw: number
  unit: string
  /** Median of the per-round ratios parley / raw (per-round p50s). */
  ratio: number
  /** Samples kept per side (after the warm-up drop and any dropped sample). */
  n: number
  p50: { parley: number, raw: number }
  p99: { parley: number, raw: number }
  rounds: number
  target: string
  met: boolean
  /** For the start-up measure: median of the per-round differences parley − raw. */
  delta?: number
}

export interface SummaryInit {
  name: string
  unit: string
  parley: Rounds
  raw: Rounds
  /** Human-readable target, e.g. '≤ 1.5×'. */
  target: string
  met: (m: Omit<Measure, 'target' | 'met'>) => boolean
  /** Also report the median per-round difference (parley − raw). */
  withDelta?: boolean
  /**
   * Rates (messages/s): the bad tail is the low end, so `p99` is then the
   * value 99 % of samples are above (the 1st percentile). @default false
   */
  higherIsBetter?: boolean
}

export function summarize (init: SummaryInit): Measure {
  const parley = kept(init.parley)
  const raw = kept(init.raw)
  const ratios: number[] = []
  const deltas: number[] = []
  for (let i = 0; i < Math.min(parley.length, raw.length); i++) {
    if (parley[i].length > 0 && raw[i].length > 0) {
      const p = median(parley[i])
      const r = median(raw[i])
      ratios.push(p / r)
      deltas.push(p - r)
    }
  }
  const tail = init.higherIsBetter === true ? 1 : 99
  const allParley = parley.flat()
  const allRaw = raw.flat()
  const measure: Omit<Measure, 'target' | 'met'> = {
    name: init.name,
    parley: round3(percentile(allParley, 50)),
    raw: round3(percentile(allRaw, 50)),
    unit: init.unit,
    ratio: round3(median(ratios)),
    n: Math.min(allParley.length, allRaw.length),
    p50: { parley: round3(percentile(allParley, 50)), raw: round3(percentile(allRaw, 50)) },
    p99: { parley: round3(percentile(allParley, tail)), raw: round3(percentile(allRaw, tail)) },
    rounds: ratios.length,
    ...(init.withDelta === true ? { delta: round3(median(deltas)) } : {})
  }
  return { ...measure, target: init.target, met: init.met(measure) }
}

/** Three significant digits (or three decimals for small numbers), for printing. */
export function round3 (value: number): number {
  if (!Number.isFinite(value)) {
    return value
  }
  const abs = Math.abs(value)
  if (abs >= 100) {
    return Math.round(value)
  }
  if (abs >= 1) {
    return Math.round(value * 100) / 100
  }
  return Math.round(value * 1000) / 1000
}
