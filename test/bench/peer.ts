/**
 * The bench's receiving peer, run as a child process by index.ts (one peer
 * per process, as BENCHMARKS.md asks). It runs a real Messenger ("Bench B")
 * on a classic-level store in `process.argv[2]`, plus the raw echo protocol on
 * the same libp2p node, and takes commands from the parent over IPC:
 *
 * - `{ id, cmd: 'addContact', invite }` → adds the parent's account.
 * - `{ id, cmd: 'timings' }` → durations (ms) of the dm receiver callback, of
 *   the Messenger's `sessions.open` (decryption), of `store.addIncoming` and
 *   of the receiver's store reads since the last call, then clears them.
 * - `{ id, cmd: 'probe' }` → times, in this process, one device-certificate
 *   check and one synced 5-put LevelDB batch (a scratch database beside the
 *   store): `{ certificate, synced }` in ms.
 * - `{ id, cmd: 'dropKeepAlive', peerId }` → removes this node's keep-alive
 *   tags for that peer (see `dropKeepAlive`), returns the tags removed.
 * - `{ id, cmd: 'stop' }` → stops the Messenger, closes the store, exits.
 *
 * It first sends `{ type: 'ready', invite, peerId, multiaddrs }`. If the parent
 * goes away it stops by itself.
 */

import { join } from 'node:path'
import { decodeDeviceCertificate, encodeDeviceCertificate, verifyDeviceCertificate } from '#shared/identity/device.ts'
import { peerIdFromString } from '@libp2p/peer-id'
import { PAYLOAD_BYTES, createBenchMessenger, dropKeepAlive, handleEcho, msSince, openLevel } from './lib.ts'
import type { EnvelopeReceiver } from '#shared/protocol/dm/index.ts'

export type PeerCommand =
  | { id: number, cmd: 'addContact', invite: string }
  | { id: number, cmd: 'timings' }
  | { id: number, cmd: 'probe' }
  | { id: number, cmd: 'dropKeepAlive', peerId: string }
  | { id: number, cmd: 'stop' }

export type PeerReply =
  | { type: 'ready', invite: string, peerId: string, multiaddrs: string[] }
  | { type: 'reply', id: number, ok: true, result?: unknown }
  | { type: 'reply', id: number, ok: false, error: string }

export interface PeerProbe {
  certificate: number
  synced: number
}

export interface PeerTimings {
  /** The whole receiver callback: certificate check, duplicate check, contact lookup, decryption, addIncoming. */
  receiver: number[]
  /** The Messenger's private `sessions.open`: read + open the sealed session record, ratchetDecrypt, encode the new one. */
  open: number[]
  /** `store.addIncoming` alone (one synced batch per envelope). */
  addIncoming: number[]
  /** The receiver's other store reads, per call: getMessage (duplicate check), getContact, getConversation. */
  reads: number[]
}

const dir = process.argv[2]
if (dir == null || process.send == null) {
  process.stderr.write('usage: forked by test/bench/index.ts with a store directory\n')
  process.exit(2)
}

function reply (message: PeerReply): void {
  process.send?.(message)
}

const messenger = await createBenchMessenger(dir, 'Bench B')
const timings: PeerTimings = { receiver: [], open: [], addIncoming: [], reads: [] }

/** Bench instrumentation, not product code: times a method on one instance. */
function time (object: any, key: string, into: number[]): void {
  if (typeof object?.[key] !== 'function') {
    process.stderr.write(`bench peer: cannot time ${key}: no such method any more (renamed?)\n`)
    return
  }
  const original = object[key].bind(object)
  object[key] = async (...args: unknown[]) => {
    const start = process.hrtime.bigint()
    try {
      return await original(...args)
    } finally {
      into.push(msSince(start))
    }
  }
}

// the store write, the store reads and the decryption of a receive, and
// (below) the receiver callback the Messenger installed
const store = messenger.store
time(store, 'addIncoming', timings.addIncoming)
for (const read of ['getMessage', 'getContact', 'getConversation']) {
  time(store, read, timings.reads)
}
time((messenger as any).sessions, 'open', timings.open)

await messenger.start()
const node = messenger.libp2p
if (node == null) {
  throw new Error('the Messenger has no node after start()')
}
const dm = node.services.dm as unknown as { receiver: EnvelopeReceiver, setReceiver(r: EnvelopeReceiver): void }
const receiver = dm.receiver
dm.setReceiver(async (envelope, from) => {
  const start = process.hrtime.bigint()
  try {
    return await receiver(envelope, from)
  } finally {
    timings.receiver.push(msSince(start))
  }
})
await handleEcho(node)

const probeDb = openLevel(join(dir, '..', 'b-probe'))
const certificate = encodeDeviceCertificate(messenger.account.certificate)
const probeValues = { message: new Uint8Array(PAYLOAD_BYTES + 150).fill(7), small: new Uint8Array(40).fill(3), conversation: new Uint8Array(300).fill(5) }
let probeSeq = 0

async function probe (): Promise<PeerProbe> {
  let start = process.hrtime.bigint()
  verifyDeviceCertificate(decodeDeviceCertificate(certificate))
  const check = msSince(start)
  await probeDb.open()
  const hex = (probeSeq++).toString(16).padStart(16, '0')
  start = process.hrtime.bigint()
  await probeDb.batch([
    { type: 'put', key: `!messages!conv!${hex}`, value: probeValues.message },
    { type: 'put', key: `!message-ids!conv!${hex}`, value: probeValues.small },
    { type: 'put', key: `!outbox!conv!${hex}`, value: probeValues.small },
    { type: 'put', key: '!conversations!conv', value: probeValues.conversation },
    { type: 'put', key: '!meta!outboxSeq', value: probeValues.small.subarray(0, 4) }
  ], { sync: true } as any)
  return { certificate: check, synced: msSince(start) }
}

let stopping: Promise<void> | undefined
async function stop (): Promise<void> {
  stopping ??= (async () => {
    await messenger.stop()
    await messenger.store.close()
    await probeDb.close()
  })()
  return stopping
}

process.on('message', (message: PeerCommand) => {
  void (async () => {
    try {
      switch (message.cmd) {
        case 'addContact':
          await messenger.addContact(message.invite)
          reply({ type: 'reply', id: message.id, ok: true })
          break
        case 'timings': {
          const result: PeerTimings = { receiver: timings.receiver.splice(0), open: timings.open.splice(0), addIncoming: timings.addIncoming.splice(0), reads: timings.reads.splice(0) }
          reply({ type: 'reply', id: message.id, ok: true, result })
          break
        }
        case 'probe':
          reply({ type: 'reply', id: message.id, ok: true, result: await probe() })
          break
        case 'dropKeepAlive':
          reply({ type: 'reply', id: message.id, ok: true, result: await dropKeepAlive(node, peerIdFromString(message.peerId)) })
          break
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
  // libp2p may leave timers behind after a clean stop; the peer is done either way
  setTimeout(() => { process.exit(1) }, 10_000).unref()
  stop().finally(() => { process.exit(0) })
})

reply({
  type: 'ready',
  invite: await messenger.invite(),
  peerId: node.peerId.toString(),
  multiaddrs: node.getMultiaddrs().map(ma => ma.toString())
})
