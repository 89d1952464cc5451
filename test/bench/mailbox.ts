/**
 * Measures 8 and 9 of `npm run bench`: the mailbox (docs/protocols/mailbox.md).
 *
 * One peer per process. The mailbox runs in a child process (this file,
 * forked with a data directory: the same composition as
 * node/src/mailbox-daemon.ts's `startMailboxDaemon` — a classic-level store
 * with MailboxStore + MailboxService on a `createParleyNode` node, TCP on
 * 127.0.0.1 — built here so that the raw baselines can read the very same
 * LevelDB). The returning device is in the bench process: a bare libp2p node
 * with the mailbox protocol, a device key certified by a fresh account that
 * the mailbox pairs directly (`MailboxService.pairLocal`).
 *
 * 8. Drain rate: 10,000 envelopes of 1 KiB (encoded dm Envelopes, deposited
 *    over `/parley/mailbox/1.0.0` by the device's node before every sample,
 *    untimed) drained with the protocol client's `drain()` — pages of up to
 *    1000 items / 1 MiB, each acked (synced deletions at the mailbox) — to a
 *    page handler that only counts, against the sum of a raw classic-level
 *    range read of the same rows in the mailbox's database (timed in the
 *    mailbox process) and a raw libp2p stream of the bytes that read returned
 *    (64 KiB writes, on the same connection, timed at the device from opening
 *    the stream to the last byte). Both sides start from the same state: the
 *    raw sample's rows are removed after it through MailboxStore.ack (untimed).
 * 9. Deposit latency: one 1 KiB envelope deposited on the reused deposit
 *    stream until OK (the synced 6-put batch), against a raw synced
 *    classic-level put of the same bytes in the mailbox process, on a scratch
 *    database beside the mailbox's.
 */

import { fork } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { accountIdFromPublicKey, generateAccountKeys } from '#shared/identity/account.ts'
import { certifyDevice, encodeDeviceCertificate } from '#shared/identity/device.ts'
import { MailboxStore } from '#shared/mailbox/index.ts'
import { createParleyNode } from '#shared/net/index.ts'
import { Envelope } from '#shared/protocol/dm/pb/dm.ts'
import { MailboxStatus, mailboxProtocol } from '#shared/protocol/mailbox/index.ts'
import { newMessageId } from '#shared/store/index.ts'
import { loadOrCreatePeerKey } from '#relay/src/key.ts'
import { MailboxService } from '#node/src/mailbox-service.ts'
import { ByteCounter, INBOUND_CONNECTION_THRESHOLD, PAYLOAD_BYTES, msSince, openLevel, percentile, round3, summarize, withTimeout } from './lib.ts'
import type { Measure, Rounds } from './lib.ts'
import type { ParleyNode } from '#shared/net/index.ts'
import type { MailboxProtocol } from '#shared/protocol/mailbox/index.ts'
import type { ChildProcess } from 'node:child_process'
import type { PeerId, Stream } from '@libp2p/interface'

/** The raw baseline's bulk protocol: the device writes one byte, the mailbox process sends what its last range read returned. */
export const BULK_PROTOCOL = '/bench/mailbox-bulk/1.0.0'

/** Envelopes queued per drain sample (measure 8). */
export const DRAIN_ENVELOPES = 10_000

/** Deposits per side per round (measure 9). */
const DEPOSITS_PER_ROUND = 50

/** Raw stream write size (measure 8). */
const BULK_CHUNK_BYTES = 64 * 1024

const WAIT_MS = 60_000

// --- the mailbox process ------------------------------------------------------

export type MailboxCommand =
  | { id: number, cmd: 'pair', publicKey: number[] }
  | { id: number, cmd: 'rangeRead', accountId: string }
  | { id: number, cmd: 'clear', accountId: string, devicePeerId: string }
  | { id: number, cmd: 'put', value: number[] }
  | { id: number, cmd: 'batch', value: number[] }
  | { id: number, cmd: 'timings' }
  | { id: number, cmd: 'stop' }

export type MailboxReplyMessage =
  | { type: 'ready', peerId: string, multiaddrs: string[] }
  | { type: 'reply', id: number, ok: true, result?: unknown }
  | { type: 'reply', id: number, ok: false, error: string }

export interface RangeReadResult {
  ms: number
  rows: number
  bytes: number
}

export interface MailboxTimings {
  /** MailboxStore.page per drain request. */
  page: number[]
  /** MailboxStore.ack per ack (one synced batch). */
  ack: number[]
  /** MailboxStore.deposit per deposit (one synced batch). */
  deposit: number[]
}

async function runMailboxProcess (dir: string): Promise<void> {
  const reply = (message: MailboxReplyMessage): void => { process.send?.(message) }
  const { privateKey } = await loadOrCreatePeerKey(join(dir, 'mailbox'))
  const db = openLevel(join(dir, 'mailbox', 'store'))
  await db.open()
  const store = await MailboxStore.open(db)
  const node = await createParleyNode({
    privateKey,
    transports: [tcp()],
    listen: ['/ip4/127.0.0.1/tcp/0'],
    dhtMode: 'server',
    allowPrivateAddresses: true,
    inboundConnectionThreshold: INBOUND_CONNECTION_THRESHOLD,
    services: { mailbox: mailboxProtocol() }
  })
  const service = new MailboxService({ store, protocol: node.services.mailbox, peerId: node.peerId, addresses: () => node.getMultiaddrs() })
  node.addEventListener('peer:connect', (evt) => { service.peerOnline(evt.detail) })
  node.addEventListener('peer:disconnect', (evt) => { service.peerOffline(evt.detail) })

  // bench instrumentation, not product code: the store's calls timed on this instance
  const timings: MailboxTimings = { page: [], ack: [], deposit: [] }
  for (const key of ['page', 'ack', 'deposit'] as const) {
    const original = (store[key] as (...args: any[]) => Promise<unknown>).bind(store)
    ;(store as any)[key] = async (...args: unknown[]) => {
      const start = process.hrtime.bigint()
      try {
        return await original(...args)
      } finally {
        timings[key].push(msSince(start))
      }
    }
  }

  // the raw range read goes to the mailbox's own rows: `held` inside `mailbox`
  const heldPrefix = db.sublevel('mailbox').sublevel('held').prefix
  let lastRead: Uint8Array[] = []
  await node.handle(BULK_PROTOCOL, (stream) => {
    stream.addEventListener('message', () => {
      void sendRead(stream, lastRead).catch((err: Error) => { stream.abort(err) })
    }, { once: true })
  })

  const probeDb = openLevel(join(dir, 'mailbox-raw'))
  await probeDb.open()
  let probeSeq = 0

  await service.start()
  await node.start()

  let stopping: Promise<void> | undefined
  const stop = async (): Promise<void> => {
    stopping ??= (async () => {
      await service.stop()
      await node.stop()
      await store.close()
      await db.close()
      await probeDb.close()
    })()
    return stopping
  }

  process.on('message', (message: MailboxCommand) => {
    void (async () => {
      try {
        switch (message.cmd) {
          case 'pair':
            await service.pairLocal(Uint8Array.from(message.publicKey))
            reply({ type: 'reply', id: message.id, ok: true })
            break
          case 'rangeRead': {
            const values: Uint8Array[] = []
            let bytes = 0
            const start = process.hrtime.bigint()
            const iterator = db.iterator({ gte: `${heldPrefix}${message.accountId}!`, lt: `${heldPrefix}${message.accountId}"` })
            try {
              while (true) {
                const entries = await iterator.nextv(1000)
                if (entries.length === 0) {
                  break
                }
                for (const [, value] of entries) {
                  values.push(value)
                  bytes += value.byteLength
                }
              }
            } finally {
              await iterator.close()
            }
            const ms = msSince(start)
            lastRead = values
            const result: RangeReadResult = { ms, rows: values.length, bytes }
            reply({ type: 'reply', id: message.id, ok: true, result })
            break
          }
          case 'clear': {
            // removes what a raw sample left, the way a drain would (untimed, and
            // left out of the page/ack timings, which are the drains')
            const timed = { page: timings.page.length, ack: timings.ack.length }
            let removed = 0
            while (true) {
              const page = await store.page(message.accountId)
              if (page.items.length === 0) {
                break
              }
              removed += await store.ack(message.accountId, message.devicePeerId, page.items.map(item => item.messageId))
            }
            timings.page.length = timed.page
            timings.ack.length = timed.ack
            reply({ type: 'reply', id: message.id, ok: true, result: removed })
            break
          }
          case 'put': {
            const value = Uint8Array.from(message.value)
            const key = `!raw!${(probeSeq++).toString(16).padStart(16, '0')}`
            const start = process.hrtime.bigint()
            await probeDb.put(key, value, { sync: true } as any)
            reply({ type: 'reply', id: message.id, ok: true, result: msSince(start) })
            break
          }
          case 'batch': {
            // shaped like MailboxStore.deposit's batch: the held envelope, its id, its order entry, account, sender, seq
            const value = Uint8Array.from(message.value)
            const hex = (probeSeq++).toString(16).padStart(16, '0')
            const small = new Uint8Array(40).fill(3)
            const start = process.hrtime.bigint()
            await probeDb.batch([
              { type: 'put', key: `!held!acct!${hex}`, value },
              { type: 'put', key: `!ids!acct!${hex}`, value: small.subarray(0, 8) },
              { type: 'put', key: `!order!${hex}`, value: small },
              { type: 'put', key: '!accounts!acct', value: small },
              { type: 'put', key: '!senders!peer', value: small.subarray(0, 8) },
              { type: 'put', key: '!meta!seq', value: small.subarray(0, 4) }
            ], { sync: true } as any)
            reply({ type: 'reply', id: message.id, ok: true, result: msSince(start) })
            break
          }
          case 'timings': {
            const result: MailboxTimings = { page: timings.page.splice(0), ack: timings.ack.splice(0), deposit: timings.deposit.splice(0) }
            reply({ type: 'reply', id: message.id, ok: true, result })
            break
          }
          case 'stop':
            await stop()
            reply({ type: 'reply', id: message.id, ok: true })
            process.disconnect()
            break
        }
      } catch (err: any) {
        reply({ type: 'reply', id: message.id, ok: false, error: String(err?.stack ?? err) })
      }
    })()
  })

  process.on('disconnect', () => {
    // libp2p may leave timers behind after a clean stop; the mailbox is done either way
    setTimeout(() => { process.exit(1) }, 10_000).unref()
    stop().finally(() => { process.exit(0) })
  })

  reply({ type: 'ready', peerId: node.peerId.toString(), multiaddrs: node.getMultiaddrs().map(ma => ma.toString()) })
}

/** Sends `values` in writes of up to BULK_CHUNK_BYTES, honouring 'drain', then closes. */
async function sendRead (stream: Stream, values: Uint8Array[]): Promise<void> {
  let chunk = new Uint8Array(BULK_CHUNK_BYTES)
  let used = 0
  const flush = async (): Promise<void> => {
    if (used === 0) {
      return
    }
    if (!stream.send(chunk.subarray(0, used))) {
      await stream.onDrain({ signal: AbortSignal.timeout(WAIT_MS) })
    }
    chunk = new Uint8Array(BULK_CHUNK_BYTES)
    used = 0
  }
  for (const value of values) {
    let offset = 0
    while (offset < value.byteLength) {
      const n = Math.min(value.byteLength - offset, BULK_CHUNK_BYTES - used)
      chunk.set(value.subarray(offset, offset + n), used)
      used += n
      offset += n
      if (used === BULK_CHUNK_BYTES) {
        await flush()
      }
    }
  }
  await flush()
  await stream.close()
}

// --- the device (bench process) ---------------------------------------------

class MailboxProcess {
  readonly child: ChildProcess
  readonly ready: Promise<{ peerId: string, multiaddrs: string[] }>
  private nextId = 1
  private readonly pending = new Map<number, PromiseWithResolvers<unknown>>()
  private readonly exited: Promise<void>

  constructor (dir: string) {
    this.child = fork(fileURLToPath(import.meta.url), [dir], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc']
    })
    const ready = Promise.withResolvers<{ peerId: string, multiaddrs: string[] }>()
    this.ready = withTimeout(ready.promise, WAIT_MS, 'the bench mailbox did not start')
    this.exited = new Promise(resolve => { this.child.once('exit', () => { resolve() }) })
    this.child.on('message', (message: MailboxReplyMessage) => {
      if (message.type === 'ready') {
        ready.resolve(message)
        return
      }
      const waiter = this.pending.get(message.id)
      this.pending.delete(message.id)
      if (message.ok) {
        waiter?.resolve(message.result)
      } else {
        waiter?.reject(new Error(`bench mailbox: ${message.error}`))
      }
    })
    this.child.once('exit', (code, signal) => {
      const err = new Error(`the bench mailbox exited (${code ?? signal})`)
      ready.reject(err)
      for (const waiter of this.pending.values()) {
        waiter.reject(err)
      }
      this.pending.clear()
    })
  }

  async request<T = void> (command: DistributiveOmit<MailboxCommand, 'id'>, timeoutMs = WAIT_MS): Promise<T> {
    const id = this.nextId++
    const waiter = Promise.withResolvers<unknown>()
    this.pending.set(id, waiter)
    this.child.send({ ...command, id })
    return withTimeout(waiter.promise, timeoutMs, `bench mailbox did not answer ${command.cmd}`) as Promise<T>
  }

  /** Asks the mailbox to stop; kills it (this child only) if it does not exit in time. */
  async stop (): Promise<void> {
    if (this.child.exitCode != null || this.child.signalCode != null) {
      return
    }
    try {
      await this.request({ cmd: 'stop' }, 15_000)
      await withTimeout(this.exited, 10_000, 'the bench mailbox did not exit')
    } catch {
      this.child.kill('SIGKILL')
      await withTimeout(this.exited, 5_000, 'the bench mailbox survived SIGKILL').catch(() => {})
    }
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/** What index.ts lends this file: its rounds, its report and its diagnostics. */
export interface MailboxBenchInit {
  root: string
  /** Rounds of measure 9; measure 8 uses max(5, rounds / 2 + 1) (each sample moves 10 MB). */
  rounds: number
  measures: Set<string>
  report(measure: Measure): void
  diag(name: string, samples: number[], unit: string, note?: string): void
  diagValue(name: string, value: number, unit: string, note?: string): void
}

/** An encoded dm Envelope of exactly `bytes` bytes for `recipient` (the mailbox never reads past its header). */
function envelopeOf (recipient: Uint8Array, sender: Uint8Array, id: string, bytes: number): Uint8Array {
  const shell = { version: 2, sender: Uint8Array.from(sender), recipient: Uint8Array.from(recipient), id, ratchetHeader: new Uint8Array(40).fill(1) }
  let size = bytes - Envelope.encode({ ...shell, ciphertext: new Uint8Array(0) }).byteLength - 3
  for (let i = 0; i < 8; i++) {
    const encoded = Envelope.encode({ ...shell, ciphertext: new Uint8Array(Math.max(0, size)).fill(9) })
    if (encoded.byteLength === bytes) {
      return encoded
    }
    size += bytes - encoded.byteLength
  }
  throw new Error(`cannot build an envelope of exactly ${bytes} bytes`)
}

export async function measureMailbox (init: MailboxBenchInit): Promise<void> {
  const mailbox = new MailboxProcess(init.root)
  const device: ParleyNode<{ mailbox: MailboxProtocol }> = await createParleyNode({
    privateKey: await generateKeyPair('Ed25519'),
    transports: [tcp()],
    dhtMode: 'client',
    allowPrivateAddresses: true,
    inboundConnectionThreshold: INBOUND_CONNECTION_THRESHOLD,
    services: { mailbox: mailboxProtocol() }
  })
  try {
    const ready = await mailbox.ready
    await device.start()
    const mailboxPeer = peerIdFromString(ready.peerId)
    await device.dial(multiaddr(ready.multiaddrs[0]), { signal: AbortSignal.timeout(WAIT_MS) })
    const keys = generateAccountKeys()
    const accountId = accountIdFromPublicKey(keys.publicKey)
    const certificate = certifyDevice(keys, device.peerId)
    const senderCertificate = encodeDeviceCertificate(certificate)
    await mailbox.request({ cmd: 'pair', publicKey: [...keys.publicKey] })
    const client = device.services.mailbox
    const ctx: Context = { init, mailbox, node: device, client, mailboxPeer, device: device.peerId, accountId, recipient: keys.publicKey, certificate, senderCertificate }

    if (init.measures.has('8')) {
      await measureDrain(ctx)
    }
    if (init.measures.has('9')) {
      await measureDeposit(ctx)
    }
  } finally {
    await mailbox.stop()
    await withTimeout(Promise.resolve(device.stop()), WAIT_MS, 'the device node did not stop').catch(() => {})
  }
}

interface Context {
  init: MailboxBenchInit
  mailbox: MailboxProcess
  /** The device's node and its mailbox client. */
  node: ParleyNode<{ mailbox: MailboxProtocol }>
  client: MailboxProtocol
  mailboxPeer: PeerId
  device: PeerId
  accountId: string
  recipient: Uint8Array
  certificate: ReturnType<typeof certifyDevice>
  senderCertificate: Uint8Array
}

async function deposit (ctx: Context): Promise<void> {
  const id = newMessageId()
  const result = await ctx.client.deposit(ctx.mailboxPeer, {
    recipient: ctx.recipient,
    messageId: id,
    envelope: envelopeOf(ctx.recipient, ctx.senderCertificate, id, PAYLOAD_BYTES)
  }, { signal: AbortSignal.timeout(WAIT_MS) })
  if (result.status !== MailboxStatus.OK || result.duplicate) {
    throw new Error(`a bench deposit was answered ${MailboxStatus[result.status] ?? result.status}${result.duplicate ? ' (duplicate)' : ''}: ${result.detail}`)
  }
}

/** Deposits `count` envelopes, all issued at once (the client pipelines 32 on its deposit stream); resolves with the seconds it took. */
async function fill (ctx: Context, count: number): Promise<number> {
  const start = process.hrtime.bigint()
  const all: Array<Promise<void>> = []
  for (let i = 0; i < count; i++) {
    all.push(deposit(ctx))
  }
  await Promise.all(all)
  return msSince(start) / 1000
}

// 8 --------------------------------------------------------------------------

async function measureDrain (ctx: Context): Promise<void> {
  const rounds = Math.max(5, Math.floor(ctx.init.rounds / 2) + 1)
  const fills: number[] = []
  const rangeReads: number[] = []
  const streams: number[] = []
  const pages: number[] = []
  let rawBytes = 0

  const parleySample = async (): Promise<number> => {
    fills.push(await fill(ctx, DRAIN_ENVELOPES))
    let received = 0
    let pageCount = 0
    const start = process.hrtime.bigint()
    const result = await ctx.client.drain(ctx.mailboxPeer, { certificate: ctx.certificate }, async (items) => {
      received += items.length
      pageCount++
    }, { signal: AbortSignal.timeout(WAIT_MS) })
    const ms = msSince(start)
    if (result.status !== MailboxStatus.OK || received !== DRAIN_ENVELOPES || result.acked !== DRAIN_ENVELOPES) {
      throw new Error(`the drain got ${received} and acked ${result.acked} of ${DRAIN_ENVELOPES} (status ${MailboxStatus[result.status]})`)
    }
    pages.push(pageCount)
    return DRAIN_ENVELOPES / (ms / 1000)
  }

  const rawSample = async (): Promise<number> => {
    fills.push(await fill(ctx, DRAIN_ENVELOPES))
    const read = await ctx.mailbox.request<RangeReadResult>({ cmd: 'rangeRead', accountId: ctx.accountId })
    if (read.rows !== DRAIN_ENVELOPES) {
      throw new Error(`the raw range read found ${read.rows} rows, not ${DRAIN_ENVELOPES}`)
    }
    const start = process.hrtime.bigint()
    const stream = await ctx.node.dialProtocol(ctx.mailboxPeer, BULK_PROTOCOL, { signal: AbortSignal.timeout(WAIT_MS) })
    const counter = new ByteCounter(stream)
    stream.send(new Uint8Array([1]))
    await counter.read(read.bytes, WAIT_MS)
    const streamMs = msSince(start)
    await stream.close()
    rangeReads.push(read.ms)
    streams.push(streamMs)
    rawBytes = read.bytes
    const removed = await ctx.mailbox.request<number>({ cmd: 'clear', accountId: ctx.accountId, devicePeerId: ctx.device.toString() }, WAIT_MS)
    if (removed !== DRAIN_ENVELOPES) {
      throw new Error(`clearing after the raw sample removed ${removed} rows, not ${DRAIN_ENVELOPES}`)
    }
    return DRAIN_ENVELOPES / ((read.ms + streamMs) / 1000)
  }

  await ctx.mailbox.request<MailboxTimings>({ cmd: 'timings' })
  const parley: Rounds = []
  const raw: Rounds = []
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      parley.push([await parleySample()])
      raw.push([await rawSample()])
    } else {
      raw.push([await rawSample()])
      parley.push([await parleySample()])
    }
  }
  const timings = await ctx.mailbox.request<MailboxTimings>({ cmd: 'timings' })

  const common = { higherIsBetter: true, target: '≥ 0.5×', met: (m: Omit<Measure, 'target' | 'met'>) => m.ratio >= 0.5 }
  ctx.init.report(summarize({
    ...common,
    name: `8. Drain of ${DRAIN_ENVELOPES.toLocaleString('en')} queued 1 KiB envelopes (pages + synced acks) vs raw classic-level range read + raw bulk stream of the same bytes`,
    unit: 'env/s',
    parley,
    raw
  }))
  const skip = (values: number[]): number[] => values.slice(1)
  const drainMs = skip(parley.flat()).map(rate => DRAIN_ENVELOPES / rate * 1000)
  ctx.init.diag('8: Parley drain of 10,000 (first drain request → last ack confirmed)', drainMs, 'ms', `${round3(percentile(pages, 50))} pages per drain`)
  ctx.init.diag('8: raw range read of the 10,000 rows (classic-level iterator, nextv(1000)), in the mailbox process', skip(rangeReads), 'ms',
    `${round3(rawBytes / 1e6)} MB of stored records`)
  ctx.init.diag('8: raw bulk stream of those bytes (new stream → last byte at the device)', skip(streams), 'ms', `64 KiB writes; ${round3(rawBytes / 1e6)} MB`)
  ctx.init.diag('8: mailbox MailboxStore.page per drain request (1000 items, nextv chunks + record decode)', timings.page, 'ms')
  ctx.init.diag('8: mailbox MailboxStore.ack per page (1000 deletions + 1000 tombstone puts, 1 synced batch)', timings.ack, 'ms')
  const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0)
  const parleyDrains = parley.flat().length
  // the mailbox reads page n + 1 while it writes the ack of page n, so these overlap: not a breakdown of the drain
  ctx.init.diagValue('8: mailbox store time per Parley drain (page + ack, partly overlapping)', (sum(timings.page) + sum(timings.ack)) / parleyDrains, 'ms',
    `page ${round3(sum(timings.page) / parleyDrains)} + ack ${round3(sum(timings.ack) / parleyDrains)} ms; mean over ${parleyDrains} drains (warm-up included)`)
  ctx.init.diag(`8: fill: ${DRAIN_ENVELOPES.toLocaleString('en')} deposits over the protocol before each sample (untimed)`, fills, 's',
    `${round3(DRAIN_ENVELOPES / percentile(fills, 50))} deposits/s at the p50; each a synced 6-put batch`)
  ctx.init.diag('8: mailbox MailboxStore.deposit during the fills', timings.deposit, 'ms')
}

// 9 --------------------------------------------------------------------------

async function measureDeposit (ctx: Context): Promise<void> {
  const value = [...envelopeOf(ctx.recipient, ctx.senderCertificate, newMessageId(), PAYLOAD_BYTES)]
  const parleySample = async (): Promise<number> => {
    const start = process.hrtime.bigint()
    await deposit(ctx)
    return msSince(start)
  }
  const rawSample = async (): Promise<number> => ctx.mailbox.request<number>({ cmd: 'put', value })
  const batches: number[] = []
  for (let i = 0; i < 20; i++) {
    await parleySample()
    await rawSample()
  }
  await ctx.mailbox.request<MailboxTimings>({ cmd: 'timings' })
  const parley: Rounds = []
  const raw: Rounds = []
  for (let r = 0; r < ctx.init.rounds; r++) {
    const a: number[] = []
    const b: number[] = []
    for (let i = 0; i < DEPOSITS_PER_ROUND; i++) {
      if ((r + i) % 2 === 0) {
        a.push(await parleySample())
        b.push(await rawSample())
      } else {
        b.push(await rawSample())
        a.push(await parleySample())
      }
      batches.push(await ctx.mailbox.request<number>({ cmd: 'batch', value }))
    }
    parley.push(a)
    raw.push(b)
  }
  const timings = await ctx.mailbox.request<MailboxTimings>({ cmd: 'timings' })
  ctx.init.report(summarize({
    name: '9. Deposit of a 1 KiB envelope until OK (synced) vs raw synced classic-level put of the same bytes',
    unit: 'ms',
    parley,
    raw,
    target: '≤ 1.3×',
    met: m => m.ratio <= 1.3
  }))
  const skip = (values: number[]): number[] => values.slice(Math.ceil(values.length * 0.1))
  ctx.init.diag('9: mailbox MailboxStore.deposit (duplicate check + 1 synced batch of 6 puts)', skip(timings.deposit), 'ms', 'in the mailbox process')
  ctx.init.diag('9: raw synced classic-level batch of 6 puts shaped like the deposit\'s, alone', skip(batches), 'ms', 'in the mailbox process, between the samples')
  const depositP50 = percentile(skip(timings.deposit), 50)
  const parleyP50 = percentile(parley.flat(), 50)
  ctx.init.diagValue('9: deposit p50 − MailboxStore.deposit p50 (protocol, framing, network, certificate check)', parleyP50 - depositP50, 'ms')
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = process.argv[2]
  if (dir == null || process.send == null) {
    process.stderr.write('usage: forked by test/bench/index.ts with a data directory\n')
    process.exit(2)
  }
  await runMailboxProcess(dir)
}
