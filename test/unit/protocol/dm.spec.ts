/**
 * `/parley/dm/1.0.0` over in-memory stream pairs (`streamPair` from
 * @libp2p/utils): DirectMessagingService with stub registrar and connection
 * manager, talking either to a raw length-prefixed stream (to send what a
 * hostile or broken peer would) or to a second DirectMessagingService.
 */

import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { lpStream, streamPair } from '@libp2p/utils'
import { DM_PROTOCOL, DM_WINDOW, MAX_DM_FRAME_BYTES } from '#shared/protocol/constants.ts'
import { DirectMessagingService } from '#shared/protocol/dm/dm.ts'
import { Ack, Envelope } from '#shared/protocol/dm/index.ts'
import type { DirectMessagingInit, InboundContext } from '#shared/protocol/dm/index.ts'
import type { Connection, PeerId, Stream, StreamHandler } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'
import type { LengthPrefixedStream } from '@libp2p/utils'

async function newPeerId (): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

let nextId = 0

/** An unsigned varint, as lpStream prefixes frames. */
function varintEncode (value: number): Uint8Array {
  const bytes: number[] = []
  do {
    let byte = value % 128
    value = Math.floor(value / 128)
    if (value > 0) {
      byte |= 0x80
    }
    bytes.push(byte)
  } while (value > 0)
  return Uint8Array.from(bytes)
}

const textEncoder = new TextEncoder()
const textDecoder = new TextDecoder()

/**
 * An envelope the protocol layer accepts. The protocol does not look inside
 * (the receiver decrypts): here the "ciphertext" is just the text's bytes, so
 * a test can tell envelopes apart on the other side.
 */
function envelope (text = 'hello', id = `msg${String(nextId++).padStart(23, '0')}`): Envelope {
  return {
    version: 2,
    sender: new Uint8Array([1, 2, 3]),
    recipient: new Uint8Array(32).fill(7),
    id,
    ratchetHeader: Uint8Array.from([0x0a, 0x20, ...new Uint8Array(32).fill(9)]),
    ciphertext: textEncoder.encode(text)
  }
}

/** The text `envelope()` put in an envelope. */
function textOf (env: Envelope): string {
  return textDecoder.decode(env.ciphertext)
}

/** A service with stub components: the handler it registers, and the streams it opened. */
interface Harness {
  service: DirectMessagingService
  /** The handler the service registered for DM_PROTOCOL (set by start()). */
  handler: StreamHandler
  /** Peers `openStream` was asked for, in order. */
  opened: PeerId[]
  /** `send()` calls on the streams it opened: one per frame written. */
  writes: number
}

/**
 * Starts a DirectMessagingService whose connection manager hands out the
 * outbound side of a fresh stream pair for every `openStream`, giving the
 * inbound side to `onOutbound`.
 */
async function startService (init: DirectMessagingInit = {}, onOutbound?: (inbound: Stream, peer: PeerId) => void): Promise<Harness> {
  let handler: StreamHandler | undefined
  const opened: PeerId[] = []
  let writes = 0
  const registrar = {
    async handle (protocol: string, h: StreamHandler) {
      assert.equal(protocol, DM_PROTOCOL)
      handler = h
    },
    async unhandle () {}
  } as unknown as Registrar
  const connectionManager = {
    async openStream (peer: PeerId, protocol: string) {
      assert.equal(protocol, DM_PROTOCOL)
      opened.push(peer)
      const [outbound, inbound] = await streamPair({ protocol })
      if (onOutbound == null) {
        throw new Error('this harness opens no streams')
      }
      onOutbound(inbound, peer)
      const send = outbound.send.bind(outbound)
      outbound.send = (data) => { writes++; return send(data) }
      return outbound
    }
  } as unknown as ConnectionManager
  const service = new DirectMessagingService({ registrar, connectionManager, logger: defaultLogger() }, init)
  await service.start()
  if (handler == null) {
    throw new Error('the service registered no handler')
  }
  return { service, handler, opened, get writes () { return writes } }
}

function connectionFrom (remotePeer: PeerId): Connection {
  return { remotePeer } as unknown as Connection
}

/**
 * Opens a stream to the harness's handler as if `remotePeer` had dialled it:
 * the raw (length-prefixed) remote end, and the handler's promise.
 */
async function dialHandler (harness: Harness, remotePeer: PeerId): Promise<{ raw: LengthPrefixedStream<Stream>, stream: Stream, handled: Promise<void> }> {
  const [outbound, inbound] = await streamPair({ protocol: DM_PROTOCOL })
  const handled = Promise.resolve(harness.handler(inbound, connectionFrom(remotePeer)))
  return { raw: lpStream(outbound, { maxDataLength: MAX_DM_FRAME_BYTES }), stream: outbound, handled }
}

/** A read that must fail because the other side reset the stream. */
async function assertReset (raw: LengthPrefixedStream<Stream>, stream: Stream): Promise<void> {
  await assert.rejects(raw.read(), (err: any) => {
    assert.equal(err.name, 'StreamResetError', `expected the stream to be reset, got ${err.name}: ${err.message}`)
    return true
  })
  assert.equal(stream.status, 'reset')
}

describe('dm protocol', () => {
  let alice: PeerId

  before(async () => {
    alice = await newPeerId()
  })

  describe('receiving', () => {
    it('acks every envelope with the receiver\'s status, in order, after the receiver returned', async () => {
      const harness = await startService()
      const seen: Array<{ id: string, text: string, from: InboundContext }> = []
      const statuses = [Ack.Status.OK, Ack.Status.DUPLICATE, Ack.Status.INVALID, Ack.Status.WRONG_RECIPIENT, Ack.Status.REFUSED, Ack.Status.ERROR]
      harness.service.setReceiver(async (env, from) => {
        seen.push({ id: env.id, text: textOf(env), from })
        return statuses[seen.length - 1]
      })
      const { raw, stream, handled } = await dialHandler(harness, alice)

      const sent = statuses.map((_, i) => envelope(`text ${i}`))
      // all written before any ack is read: the receiver handles them one by one
      for (const env of sent) {
        await raw.write(Envelope.encode(env))
      }
      const acks: Ack[] = []
      for (let i = 0; i < sent.length; i++) {
        acks.push(Ack.decode(await raw.read()))
      }

      assert.deepEqual(acks, sent.map((env, i) => ({ id: env.id, status: statuses[i] })))
      assert.deepEqual(seen.map(s => s.id), sent.map(e => e.id))
      assert.deepEqual(seen.map(s => s.text), sent.map((_, i) => `text ${i}`))
      assert.ok(seen.every(s => s.from.peerId.equals(alice)), 'the receiver is told the connection\'s remote peer')
      assert.equal(harness.service.stats.envelopesReceived, sent.length)

      // the sender closing its end between frames ends the stream cleanly
      await stream.close()
      await handled
      await assert.rejects(raw.read(), { name: 'UnexpectedEOFError' })
      assert.notEqual(stream.status, 'reset')
      assert.equal(harness.service.stats.invalidFrames, 0)
      assert.equal(harness.service.stats.oversizedFrames, 0)
    })

    it('answers ERROR while no receiver is set', async () => {
      const harness = await startService()
      const { raw } = await dialHandler(harness, alice)
      const env = envelope()
      await raw.write(Envelope.encode(env))
      assert.deepEqual(Ack.decode(await raw.read()), { id: env.id, status: Ack.Status.ERROR })
    })

    it('answers ERROR when the receiver throws, and goes on with the next envelope', async () => {
      const harness = await startService()
      let calls = 0
      harness.service.setReceiver(async () => {
        calls++
        if (calls === 1) {
          throw new Error('disk full')
        }
        return Ack.Status.OK
      })
      const { raw, stream } = await dialHandler(harness, alice)
      const [first, second] = [envelope(), envelope()]

      await raw.write(Envelope.encode(first))
      assert.deepEqual(Ack.decode(await raw.read()), { id: first.id, status: Ack.Status.ERROR })
      await raw.write(Envelope.encode(second))
      assert.deepEqual(Ack.decode(await raw.read()), { id: second.id, status: Ack.Status.OK })
      assert.equal(calls, 2)
      assert.equal(stream.status, 'open')
    })

    it('accepts a frame of exactly MAX_DM_FRAME_BYTES', async () => {
      const harness = await startService()
      harness.service.setReceiver(async () => Ack.Status.OK)
      const { raw } = await dialHandler(harness, alice)
      const env = envelope('x')
      // pad the ciphertext so the encoded envelope is exactly the limit
      const base = Envelope.encode(env).byteLength
      let padding = MAX_DM_FRAME_BYTES - base
      let big = Envelope.encode({ ...env, ciphertext: new Uint8Array(padding).fill(0x78) })
      padding -= big.byteLength - MAX_DM_FRAME_BYTES
      big = Envelope.encode({ ...env, ciphertext: new Uint8Array(padding).fill(0x78) })
      assert.equal(big.byteLength, MAX_DM_FRAME_BYTES)

      await raw.write(big)
      assert.deepEqual(Ack.decode(await raw.read()), { id: env.id, status: Ack.Status.OK })
      assert.equal(harness.service.stats.oversizedFrames, 0)
    })

    it('resets the stream on an oversized frame without calling the receiver', async () => {
      const harness = await startService()
      let calls = 0
      harness.service.setReceiver(async () => { calls++; return Ack.Status.OK })
      const { raw, stream, handled } = await dialHandler(harness, alice)

      const oversized = new Uint8Array(MAX_DM_FRAME_BYTES + 1).fill(0x41)
      stream.send(varintEncode(oversized.byteLength))
      stream.send(oversized)

      await assertReset(raw, stream)
      await handled
      assert.equal(harness.service.stats.oversizedFrames, 1)
      assert.equal(harness.service.stats.invalidFrames, 0)
      assert.equal(harness.service.stats.envelopesReceived, 0)
      assert.equal(calls, 0)
    })

    it('resets the stream on a length prefix far over the limit, before any body arrives', async () => {
      const harness = await startService()
      let calls = 0
      harness.service.setReceiver(async () => { calls++; return Ack.Status.OK })
      const { raw, stream, handled } = await dialHandler(harness, alice)

      // claims a 2 GiB frame; only the prefix is sent
      stream.send(varintEncode(2 ** 31))

      await assertReset(raw, stream)
      await handled
      assert.equal(harness.service.stats.oversizedFrames, 1)
      assert.equal(calls, 0)
    })

    it('resets the stream on an oversized frame after valid ones were acked', async () => {
      const harness = await startService()
      const ids: string[] = []
      harness.service.setReceiver(async (env) => { ids.push(env.id); return Ack.Status.OK })
      const { raw, stream, handled } = await dialHandler(harness, alice)
      const good = envelope()

      await raw.write(Envelope.encode(good))
      assert.deepEqual(Ack.decode(await raw.read()), { id: good.id, status: Ack.Status.OK })
      await raw.write(new Uint8Array(MAX_DM_FRAME_BYTES + 100))

      await assertReset(raw, stream)
      await handled
      assert.deepEqual(ids, [good.id])
      assert.equal(harness.service.stats.oversizedFrames, 1)
    })

    for (const [what, bytes] of [
      ['garbage bytes', () => new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])],
      ['a field with an invalid wire type', () => new Uint8Array([0x0f, 0x01, 0x02])],
      ['a truncated envelope', () => Envelope.encode(envelope('a text that the frame cuts off')).subarray(0, 40)]
    ] as const) {
      it(`resets the stream on ${what} without calling the receiver`, async () => {
        const harness = await startService()
        let calls = 0
        harness.service.setReceiver(async () => { calls++; return Ack.Status.OK })
        const { raw, stream, handled } = await dialHandler(harness, alice)

        await raw.write(bytes())

        await assertReset(raw, stream)
        await handled
        assert.equal(harness.service.stats.invalidFrames, 1)
        assert.equal(harness.service.stats.oversizedFrames, 0)
        assert.equal(harness.service.stats.envelopesReceived, 0)
        assert.equal(calls, 0)
      })
    }

    it('keeps other streams working when one is reset', async () => {
      const harness = await startService()
      harness.service.setReceiver(async () => Ack.Status.OK)
      const bad = await dialHandler(harness, alice)
      const good = await dialHandler(harness, alice)

      await bad.raw.write(new Uint8Array([0xff, 0xff, 0xff]))
      await assertReset(bad.raw, bad.stream)

      const env = envelope()
      await good.raw.write(Envelope.encode(env))
      assert.deepEqual(Ack.decode(await good.raw.read()), { id: env.id, status: Ack.Status.OK })
    })
  })

  describe('sending', () => {
    /** A sender service whose streams are served by `receiver`'s handler (as if from `from`). */
    async function connected (senderInit: DirectMessagingInit, receiver: Harness, from: PeerId): Promise<Harness> {
      return startService(senderInit, (inbound) => { void receiver.handler(inbound, connectionFrom(from)) })
    }

    it('resolves each send with the receiver\'s ack status, over one shared stream', async () => {
      const bob = await newPeerId()
      const receiving = await startService()
      const order: string[] = []
      receiving.service.setReceiver(async (env, from) => {
        assert.ok(from.peerId.equals(alice))
        order.push(env.id)
        return textOf(env) === 'refuse me' ? Ack.Status.REFUSED : Ack.Status.OK
      })
      const sending = await connected({}, receiving, alice)

      const envelopes = [envelope('one'), envelope('refuse me'), envelope('three')]
      const statuses = await Promise.all(envelopes.map(async env => sending.service.send(bob, env)))

      assert.deepEqual(statuses, [Ack.Status.OK, Ack.Status.REFUSED, Ack.Status.OK])
      assert.deepEqual(order, envelopes.map(e => e.id))
      assert.equal(sending.opened.length, 1, 'one stream carries every envelope to a peer')
      assert.ok(sending.opened[0].equals(bob))
      assert.equal(sending.service.stats.envelopesSent, 3)
      assert.equal(receiving.service.stats.envelopesReceived, 3)

      // later sends reuse the same stream
      assert.equal(await sending.service.send(bob, envelope('four')), Ack.Status.OK)
      assert.equal(sending.opened.length, 1)
    })

    it(`pipelines up to ${DM_WINDOW} unacknowledged envelopes, and no more`, async () => {
      const bob = await newPeerId()
      let remote: LengthPrefixedStream<Stream> | undefined
      const streamOpened = Promise.withResolvers<void>()
      const sending = await startService({}, (inbound) => {
        remote = lpStream(inbound, { maxDataLength: MAX_DM_FRAME_BYTES })
        streamOpened.resolve()
      })

      const envelopes = Array.from({ length: DM_WINDOW + 1 }, () => envelope())
      const sends = envelopes.map(async env => sending.service.send(bob, env))
      await streamOpened.promise
      assert.ok(remote != null)

      // DM_WINDOW envelopes arrive although none is acked yet
      const received: Envelope[] = []
      for (let i = 0; i < DM_WINDOW; i++) {
        received.push(Envelope.decode(await remote.read()))
      }
      assert.deepEqual(received.map(e => e.id), envelopes.slice(0, DM_WINDOW).map(e => e.id))
      // every send was issued long before these frames crossed the (delayed)
      // pair, yet only DM_WINDOW were written: the last waits for a free slot
      assert.equal(sending.writes, DM_WINDOW)

      // one ack frees one slot: the last envelope follows
      await remote.write(Ack.encode({ id: envelopes[0].id, status: Ack.Status.OK }))
      const last = Envelope.decode(await remote.read())
      assert.equal(last.id, envelopes[DM_WINDOW].id)
      assert.equal(sending.writes, DM_WINDOW + 1)

      // acks may come in any order; each resolves its own send
      for (const env of envelopes.slice(1).reverse()) {
        await remote.write(Ack.encode({ id: env.id, status: Ack.Status.DUPLICATE }))
      }
      const statuses = await Promise.all(sends)
      assert.deepEqual(statuses, [Ack.Status.OK, ...envelopes.slice(1).map(() => Ack.Status.DUPLICATE)])
      assert.equal(sending.opened.length, 1)
    })

    it('gives the stream up when no ack comes in time: pending sends reject with TimeoutError', async () => {
      const bob = await newPeerId()
      const ackTimeout = 300
      const receiving = await startService()
      const release = Promise.withResolvers<Ack.Status>()
      let calls = 0
      // a receiver that never finishes: no ack is ever written
      receiving.service.setReceiver(async () => { calls++; return release.promise })
      let serve = receiving.handler
      const sending = await startService({ ackTimeout }, (inbound) => { void serve(inbound, connectionFrom(alice)) })

      const started = Date.now()
      const results = await Promise.allSettled([
        sending.service.send(bob, envelope('one')),
        sending.service.send(bob, envelope('two'))
      ])
      const elapsed = Date.now() - started

      for (const result of results) {
        assert.equal(result.status, 'rejected')
        assert.equal((result as PromiseRejectedResult).reason.name, 'TimeoutError', (result as PromiseRejectedResult).reason.stack)
      }
      assert.ok(elapsed >= ackTimeout - 20, `gave up after ${elapsed} ms, before the ${ackTimeout} ms ack timeout`)
      assert.equal(sending.service.stats.envelopesSent, 0)
      assert.equal(calls, 1, 'the receiver got the first envelope and is still busy with it')

      // the next send opens a new stream (the old one was reset)
      const fresh = await startService()
      fresh.service.setReceiver(async () => Ack.Status.OK)
      serve = fresh.handler
      assert.equal(await sending.service.send(bob, envelope('three')), Ack.Status.OK)
      assert.equal(sending.opened.length, 2, 'a timed-out stream is not reused')
      release.resolve(Ack.Status.OK)
    })

    it('rejects pending sends when the receiver resets the stream', async () => {
      const bob = await newPeerId()
      const receiving = await startService()
      receiving.service.setReceiver(async () => Ack.Status.OK)
      const sending = await connected({}, receiving, alice)

      // an envelope so large that the receiver resets the stream
      const huge = envelope('x'.repeat(MAX_DM_FRAME_BYTES))
      await assert.rejects(sending.service.send(bob, huge))
      assert.equal(receiving.service.stats.oversizedFrames, 1)
      assert.equal(sending.service.stats.envelopesSent, 0)

      // and the next message goes over a new stream
      assert.equal(await sending.service.send(bob, envelope()), Ack.Status.OK)
      assert.equal(sending.opened.length, 2)
    })
  })
})
