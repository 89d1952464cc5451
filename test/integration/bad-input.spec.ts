/**
 * A hostile or broken peer against a real Parley daemon: a relay and two real
 * `parley daemon` processes (Alice, Bob), and a raw libp2p node in this test
 * process that dials Bob's `/parley/dm/1.0.0` and writes what it likes.
 *
 * The raw node has accounts of its own (Mallory, Trudy), certified for its
 * peer id, with a real store and real end-to-end sessions (`Sessions`, as the
 * messenger uses): every "valid" envelope it sends is sealed exactly as
 * `Messenger.send` seals one, from the signed prekey in Bob's invite (X3DH),
 * so that Bob accepts it unless the test spoils one thing.
 *
 * Bob must reset streams that carry oversized or undecodable frames, refuse
 * envelopes he cannot verify, decrypt or that are not his (nothing stored),
 * store a replay once, and stay up: Alice's ordinary messages still arrive
 * afterwards.
 */

import assert from 'node:assert/strict'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { tcp } from '@libp2p/tcp'
import { lpStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { MemoryLevel } from 'memory-level'
import { raceSignal } from 'race-signal'
import { concat as uint8ArrayConcat } from 'uint8arrays/concat'
import { connectControl } from '#node/src/control.ts'
import { encodeSignedPrekey } from '#shared/crypto/prekeys.ts'
import { accountIdFromPublicKey, certifyDevice, encodeDeviceCertificate, generateAccountKeys, parseInvite } from '#shared/identity/index.ts'
import { Sessions } from '#shared/messenger/sessions.ts'
import { createParleyNode } from '#shared/net/index.ts'
import { DM_PROTOCOL, MAX_DM_FRAME_BYTES, MAX_TEXT_BYTES } from '#shared/protocol/constants.ts'
import { Ack, Content, Envelope } from '#shared/protocol/dm/index.ts'
import { newMessageId, ParleyStore } from '#shared/store/index.ts'
import { binPath, Cleanup, createTempDir, runBin, spawnBin, spawnRelay } from '#test/helpers/process.ts'
import type { ApiEvent, ContactView, MessageView, ParleyApi } from '#node/src/api.ts'
import type { AccountKeys } from '#shared/identity/index.ts'
import type { ParleyNode } from '#shared/net/index.ts'
import type { Contact } from '#shared/store/index.ts'
import type { SpawnedProcess } from '#test/helpers/process.ts'
import type { PeerId, Stream } from '@libp2p/interface'
import type { LengthPrefixedStream } from '@libp2p/utils'
import type { Multiaddr } from '@multiformats/multiaddr'

const WAIT_MS = 20_000
/** Starting a daemon loads libp2p and opens the store: allow for a busy machine. */
const START_MS = 40_000
const PASSPHRASE = 'bad input is not a passphrase'

interface Whoami { accountId: string, peerId: string, name: string, invite: string }
interface DaemonReady { event: 'daemon:ready', accountId: string, peerId: string, multiaddrs: string[], control: string }

/** An unsigned varint, as lpStream prefixes frames. */
function varint (value: number): Uint8Array {
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

/** The envelope version Bob accepts (docs/protocols/dm.md). */
const ENVELOPE_VERSION = 2

/** A protobuf field key (field number, wire type). */
function fieldKey (field: number, wireType: 0 | 2): Uint8Array {
  return varint(field * 8 + wireType)
}

/** A length-delimited protobuf field. */
function bytesField (field: number, value: Uint8Array): Uint8Array {
  return uint8ArrayConcat([fieldKey(field, 2), varint(value.byteLength), value])
}

/** A copy of `bytes` with the byte at `index` (negative: from the end) XORed with `mask`. */
function flipped (bytes: Uint8Array, index: number, mask = 0x01): Uint8Array<ArrayBuffer> {
  const copy = Uint8Array.from(bytes)
  const at = index < 0 ? copy.byteLength + index : index
  assert.ok(at >= 0 && at < copy.byteLength, `no byte ${index} in ${copy.byteLength}`)
  copy[at] ^= mask
  return copy
}

/** A contact as any peer builds it from an invite: its key, device and signed prekey. */
function contactFromInvite (text: string): Contact {
  const invite = parseInvite(text)
  assert.ok(invite.signedPrekey != null, `the invite of ${invite.name} carries no signed prekey`)
  const now = Date.now()
  return {
    accountId: invite.accountId,
    publicKey: invite.publicKey,
    name: invite.name,
    state: 'contact',
    devices: invite.devices.map(d => encodeDeviceCertificate(d.certificate)),
    addrs: [],
    prekey: encodeSignedPrekey(invite.signedPrekey),
    addedAt: now,
    updatedAt: now
  }
}

/** What a sealed envelope's Content may differ in; everything else is valid. */
interface ContentInit {
  text?: string
  clock?: bigint
  sentAt?: bigint
  senderName?: string
  /** Default: the envelope's id. */
  id?: string
}

/**
 * An account of the raw node: its keys, a device certificate for the raw
 * node's peer id, and a real store with the end-to-end sessions it has with
 * others, so that what it sends is really encrypted.
 */
class RawSender {
  readonly keys: AccountKeys
  readonly accountId: string
  readonly certificate: Uint8Array
  readonly name: string
  private readonly store: ParleyStore
  private readonly sessions: Sessions

  private constructor (name: string, keys: AccountKeys, certificate: Uint8Array, store: ParleyStore) {
    this.name = name
    this.keys = keys
    this.accountId = accountIdFromPublicKey(keys.publicKey)
    this.certificate = certificate
    this.store = store
    this.sessions = new Sessions(store, keys)
  }

  static async create (name: string, device: PeerId, cleanup: Cleanup): Promise<RawSender> {
    const keys = generateAccountKeys()
    const store = await ParleyStore.open(new MemoryLevel<string, Uint8Array>({ keyEncoding: 'utf8', valueEncoding: 'view' }))
    store.unlock(crypto.getRandomValues(new Uint8Array(32)))
    cleanup.add(async () => { await store.close() })
    return new RawSender(name, keys, encodeDeviceCertificate(certifyDevice(keys, device)), store)
  }

  /**
   * Seals one message to `to` as `Messenger.send` does (X3DH from the
   * contact's prekey on the first one, then the ratchet) and keeps the
   * advanced session, so that no ratchet state encrypts twice. `fields`
   * then override envelope fields (e.g. to spoil the recipient).
   */
  async envelope (to: Contact, content: ContentInit = {}, fields: Partial<Envelope> = {}): Promise<Envelope> {
    const id = fields.id ?? newMessageId()
    const seal = await this.sessions.sealer(to)
    const sealed = seal(Content.encode({
      text: 'hello from a raw node',
      clock: 1n,
      sentAt: BigInt(Date.now()),
      senderName: this.name,
      id,
      ...content
    }))
    await this.store.putSession(to.accountId, sealed.session)
    return {
      version: ENVELOPE_VERSION,
      sender: new Uint8Array(this.certificate),
      recipient: new Uint8Array(to.publicKey),
      id,
      ratchetHeader: new Uint8Array(sealed.ratchetHeader),
      ciphertext: new Uint8Array(sealed.ciphertext),
      prekey: sealed.prekey != null ? { ephemeral: new Uint8Array(sealed.prekey.ephemeral), prekeyId: sealed.prekey.prekeyId } : undefined,
      ...fields
    }
  }
}

describe('bad input against a real parley daemon', function () {
  this.timeout(120_000)

  const cleanup = new Cleanup()
  let cliEnv: Record<string, string>
  let alice: Whoami
  let bob: Whoami
  let bobDaemon: SpawnedProcess
  let aliceApi: ParleyApi
  let bobApi: ParleyApi
  let bobHome: string
  let bobTcp: Multiaddr
  let bobPeer: PeerId
  /** Account public keys, as any peer learns them: from the invites. */
  let aliceKey: Uint8Array
  let bobKey: Uint8Array
  /** Alice and Bob as contacts, built from their invites (with their signed prekeys). */
  let aliceContact: Contact
  let bobContact: Contact
  let raw: ParleyNode
  /** The raw node's own account, certified for its peer id: it can send valid, encrypted envelopes. */
  let mallory: RawSender
  let malloryId: string
  /** A second account of the raw node, for the tampering tests (its first messages reach Bob after Mallory's). */
  let trudy: RawSender

  before(async () => {
    const relay = await spawnRelay(cleanup)
    cliEnv = { PARLEY_KDF_LOG_N: '12', PARLEY_PASSPHRASE: PASSPHRASE, PARLEY_BOOTSTRAP: relay.tcpAddr }
    const [aliceHome, bobDir] = await Promise.all([createTempDir('parley-alice-', cleanup), createTempDir('parley-bob-', cleanup)])
    bobHome = bobDir

    const init = async (home: string, name: string): Promise<Whoami> => {
      const result = await runBin(binPath('parley'), ['--home', home, 'init', '--name', name, '--json'], { env: cliEnv, timeout: START_MS })
      assert.equal(result.code, 0, result.stderr)
      return JSON.parse(result.stdout)
    }
    ;[alice, bob] = await Promise.all([init(aliceHome, 'Alice'), init(bobHome, 'Bob')])

    const daemon = (home: string): SpawnedProcess => spawnBin(binPath('parley'), ['--home', home, 'daemon', '--json'], { env: cliEnv, cleanup })
    const aliceDaemon = daemon(aliceHome)
    bobDaemon = daemon(bobHome)
    const isReady = (e: any): boolean => e?.event === 'daemon:ready'
    const [, bobReady] = await Promise.all([
      aliceDaemon.waitForJson<DaemonReady>(isReady, { timeout: START_MS }),
      bobDaemon.waitForJson<DaemonReady>(isReady, { timeout: START_MS })
    ])
    const tcpAddr = bobReady.multiaddrs.find(a => /^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\//.test(a))
    assert.ok(tcpAddr != null, `Bob's daemon listens on no plain TCP address: ${bobReady.multiaddrs.join(', ')}`)
    bobTcp = multiaddr(tcpAddr)
    bobPeer = peerIdFromString(bob.peerId)
    aliceKey = parseInvite(alice.invite).publicKey
    bobKey = parseInvite(bob.invite).publicKey
    aliceContact = contactFromInvite(alice.invite)
    bobContact = contactFromInvite(bob.invite)

    const connect = async (home: string): Promise<ParleyApi> => {
      const api = await connectControl(join(home, 'control.sock'))
      assert.ok(api != null, `no control socket in ${home}`)
      cleanup.add(async () => { await api.close() })
      return api
    }
    ;[aliceApi, bobApi] = await Promise.all([connect(aliceHome), connect(bobHome)])
    // through the daemons: a CLI run per command costs seconds
    await aliceApi.addContact(bob.invite)
    await bobApi.addContact(alice.invite)

    raw = await createParleyNode({
      privateKey: await generateKeyPair('Ed25519'),
      transports: [tcp()],
      dhtMode: 'client',
      allowPrivateAddresses: true
    })
    cleanup.add(async () => { await raw.stop() })
    await raw.start()
    mallory = await RawSender.create('Mallory', raw.peerId, cleanup)
    malloryId = mallory.accountId
    trudy = await RawSender.create('Trudy', raw.peerId, cleanup)
  })

  after(async () => {
    await cleanup.run()
  })

  /** A fresh dm stream from the raw node to Bob's daemon. */
  async function openDm (): Promise<{ stream: Stream, lp: LengthPrefixedStream<Stream> }> {
    const stream = await raw.dialProtocol(bobTcp, DM_PROTOCOL, { signal: AbortSignal.timeout(WAIT_MS) })
    return { stream, lp: lpStream(stream, { maxDataLength: MAX_DM_FRAME_BYTES }) }
  }

  /** An envelope from Mallory to Bob, really encrypted, valid unless `content` or `fields` spoil it. */
  async function envelope (content: ContentInit = {}, fields: Partial<Envelope> = {}): Promise<Envelope> {
    return mallory.envelope(bobContact, content, fields)
  }

  /** Writes one envelope (or the bytes of one) and reads its ack. */
  async function exchange (lp: LengthPrefixedStream<Stream>, env: Envelope | Uint8Array): Promise<Ack> {
    await lp.write(env instanceof Uint8Array ? env : Envelope.encode(env), { signal: AbortSignal.timeout(WAIT_MS) })
    return Ack.decode(await lp.read({ signal: AbortSignal.timeout(WAIT_MS) }))
  }

  interface BobState {
    contacts: ContactView[]
    requests: ContactView[]
    withAlice: MessageView[]
    withMallory: MessageView[] | string
    withTrudy: MessageView[] | string
  }

  /** What Bob has stored, as far as a user can see it. */
  async function bobState (): Promise<BobState> {
    const [contacts, requests, withAlice] = await Promise.all([bobApi.contacts(), bobApi.requests(), bobApi.history(alice.accountId)])
    const withMallory = await bobApi.history(malloryId).catch((err: any) => err.name as string)
    const withTrudy = await bobApi.history(trudy.accountId).catch((err: any) => err.name as string)
    return { contacts, requests, withAlice, withMallory, withTrudy }
  }

  /** The stream was reset by Bob: reading fails (not a clean end). */
  async function assertReset (stream: Stream, lp: LengthPrefixedStream<Stream>): Promise<void> {
    await assert.rejects(lp.read({ signal: AbortSignal.timeout(WAIT_MS) }), (err: any) => {
      assert.equal(err.name, 'StreamResetError', `expected Bob to reset the stream, got ${err.name}: ${err.message}`)
      return true
    })
    assert.equal(stream.status, 'reset')
  }

  /** Bob's daemon is up and still receives: a real message from Alice arrives and is stored. */
  async function assertAliceStillReachesBob (text: string): Promise<void> {
    assert.equal(bobDaemon.exitStatusIfExited, undefined, `Bob's daemon exited:\n${bobDaemon.stderr}`)
    const received = Promise.withResolvers<void>()
    const unsubscribe = await bobApi.subscribe((event: ApiEvent) => {
      if (event.event === 'message:received' && event.message?.text === text) {
        received.resolve()
      }
    })
    try {
      const sent = await aliceApi.send('Bob', text)
      assert.equal(await aliceApi.waitForDelivery(sent.conversation, sent.id, WAIT_MS), true, 'Alice\'s message was not delivered to Bob')
      await raceSignal(received.promise, AbortSignal.timeout(WAIT_MS))
      const history = await bobApi.history(alice.accountId)
      assert.equal(history.filter(m => m.id === sent.id && m.text === text && m.direction === 'in').length, 1)
    } finally {
      unsubscribe()
    }
    assert.equal(bobDaemon.exitStatusIfExited, undefined)
  }

  it('Alice and Bob can message before any attack', async () => {
    await assertAliceStillReachesBob('hi Bob, before anything odd happens')
  })

  describe('frames that reset the stream', () => {
    it('an oversized length prefix: reset, nothing stored, Bob stays up', async () => {
      const before = await bobState()
      const { stream, lp } = await openDm()
      // claims a 1 GiB frame and sends a little of it
      stream.send(varint(2 ** 30))
      stream.send(new Uint8Array(1024).fill(0x41))

      await assertReset(stream, lp)
      assert.deepEqual(await bobState(), before)
      await assertAliceStillReachesBob('still there after an oversized length prefix?')
    })

    it('an oversized frame sent in full (MAX_DM_FRAME_BYTES + 1): reset, nothing stored, Bob stays up', async () => {
      const before = await bobState()
      const { stream, lp } = await openDm()
      // a real, encrypted envelope whose text makes it too big
      const env = await envelope({ text: 'x'.repeat(MAX_DM_FRAME_BYTES) })
      const frame = Envelope.encode(env)
      assert.ok(frame.byteLength > MAX_DM_FRAME_BYTES)
      await lp.write(frame).catch(() => {})

      await assertReset(stream, lp)
      assert.deepEqual(await bobState(), before)
      await assertAliceStillReachesBob('still there after an oversized frame?')
    })

    it('garbage bytes: reset, nothing stored, Bob stays up, and the same connection still carries new streams', async () => {
      const before = await bobState()
      const { stream, lp } = await openDm()
      const connection = raw.getConnections(bobPeer)[0]
      await lp.write(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]))

      await assertReset(stream, lp)
      assert.deepEqual(await bobState(), before)
      await assertAliceStillReachesBob('still there after garbage?')

      // only the stream was reset: the connection stays, and a new dm stream on it works
      const again = await openDm()
      assert.equal(raw.getConnections(bobPeer)[0]?.id, connection.id)
      const ack = await exchange(again.lp, await envelope({}, { recipient: new Uint8Array(generateAccountKeys().publicKey) }))
      assert.equal(ack.status, Ack.Status.WRONG_RECIPIENT)
      await again.stream.close()
    })

    it('a truncated protobuf in a complete frame: reset, nothing stored, Bob stays up', async () => {
      const before = await bobState()
      const { stream, lp } = await openDm()
      const encoded = Envelope.encode(await envelope({ text: 'this text is cut off in the middle of its field' }))
      await lp.write(encoded.subarray(0, encoded.byteLength - 10))

      await assertReset(stream, lp)
      assert.deepEqual(await bobState(), before)
      await assertAliceStillReachesBob('still there after a truncated envelope?')
    })
  })

  describe('well-formed envelopes Bob must refuse', () => {
    it('a sender certificate forged with another key: INVALID, nothing stored', async () => {
      const before = await bobState()
      const { stream, lp } = await openDm()
      // claims Alice's account for the raw node's peer id, signed by a key that is not Alice's
      const forged = certifyDevice(generateAccountKeys(), raw.peerId)
      forged.accountPublicKey = Uint8Array.from(aliceKey)
      const env = await envelope({ senderName: 'Alice' }, { sender: new Uint8Array(encodeDeviceCertificate(forged)) })

      assert.deepEqual(await exchange(lp, env), { id: env.id, status: Ack.Status.INVALID })
      assert.deepEqual(await bobState(), before)
      assert.equal((await bobApi.history(alice.accountId)).some(m => m.id === env.id), false)
      await stream.close()
    })

    it('a genuine certificate of another peer id than the connection\'s: INVALID, nothing stored', async () => {
      const before = await bobState()
      const { stream, lp } = await openDm()
      const otherDevice = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
      const cert = encodeDeviceCertificate(certifyDevice(mallory.keys, otherDevice))
      const env = await envelope({}, { sender: new Uint8Array(cert) })

      assert.deepEqual(await exchange(lp, env), { id: env.id, status: Ack.Status.INVALID })
      assert.deepEqual(await bobState(), before)
      await stream.close()
    })

    it('a sender field that is not a certificate at all, then an unknown envelope version: INVALID, and the stream goes on', async () => {
      const before = await bobState()
      const { stream, lp } = await openDm()
      const first = await envelope({}, { sender: new Uint8Array([1, 2, 3, 4]) })
      const second = await envelope({}, { version: ENVELOPE_VERSION + 1 })

      assert.deepEqual(await exchange(lp, first), { id: first.id, status: Ack.Status.INVALID })
      assert.deepEqual(await exchange(lp, second), { id: second.id, status: Ack.Status.INVALID })
      assert.deepEqual(await bobState(), before)
      await stream.close()
    })

    it('a version 1 envelope (plaintext body), and an encrypted one labelled version 1: INVALID, nothing stored', async () => {
      const before = await bobState()
      const { stream, lp } = await openDm()
      // version 1's layout: clock, sent_at, sender_name and a Content{text} body in clear (fields 5-8)
      const legacyId = newMessageId()
      const legacy = uint8ArrayConcat([
        Envelope.encode({
          version: 1,
          sender: new Uint8Array(mallory.certificate),
          recipient: new Uint8Array(bobKey),
          id: legacyId,
          ratchetHeader: new Uint8Array(0),
          ciphertext: new Uint8Array(0)
        }),
        fieldKey(5, 0), varint(1),
        fieldKey(6, 0), varint(Date.now()),
        bytesField(7, new TextEncoder().encode('Mallory')),
        bytesField(8, bytesField(1, new TextEncoder().encode('a plaintext message of version 1')))
      ])
      assert.equal(Envelope.decode(legacy).version, 1)
      const relabelled = await envelope({ text: 'encrypted, but labelled version 1' }, { version: 1 })

      assert.deepEqual(await exchange(lp, legacy), { id: legacyId, status: Ack.Status.INVALID })
      assert.deepEqual(await exchange(lp, relabelled), { id: relabelled.id, status: Ack.Status.INVALID })
      assert.deepEqual(await bobState(), before)
      await stream.close()
    })

    it('a valid envelope for another account: WRONG_RECIPIENT, nothing stored', async () => {
      const before = await bobState()
      const { stream, lp } = await openDm()
      // really encrypted for Alice (from her invite's prekey), then handed to Bob
      const env = await mallory.envelope(aliceContact, { text: 'for Alice, not for Bob' })
      assert.deepEqual(env.recipient, aliceKey)

      assert.deepEqual(await exchange(lp, env), { id: env.id, status: Ack.Status.WRONG_RECIPIENT })
      assert.deepEqual(await bobState(), before)
      await stream.close()
    })

    for (const [what, text] of [
      ['an empty text', ''],
      [`a text over MAX_TEXT_BYTES (${MAX_TEXT_BYTES + 1} bytes)`, 'y'.repeat(MAX_TEXT_BYTES + 1)],
      // 3-byte characters: fewer characters than bytes
      ['a text over MAX_TEXT_BYTES in UTF-8 but not in characters', '€'.repeat(Math.floor(MAX_TEXT_BYTES / 3) + 1)]
    ] as const) {
      it(`a valid envelope with ${what}: INVALID, nothing stored`, async () => {
        const before = await bobState()
        const { stream, lp } = await openDm()
        const env = await envelope({ text })

        assert.deepEqual(await exchange(lp, env), { id: env.id, status: Ack.Status.INVALID })
        assert.deepEqual(await bobState(), before)
        await stream.close()
      })
    }

    it('a valid envelope with a malformed message id: INVALID, nothing stored (not even a request)', async () => {
      const before = await bobState()
      const { stream, lp } = await openDm()
      // the same malformed id inside and outside
      const env = await envelope({}, { id: 'NOT-A-MESSAGE-ID' })

      assert.deepEqual(await exchange(lp, env), { id: env.id, status: Ack.Status.INVALID })
      assert.deepEqual(await bobState(), before)
      await stream.close()
    })

    it('a valid envelope whose encrypted content names another message id: INVALID, nothing stored (not even a request)', async () => {
      const before = await bobState()
      const { stream, lp } = await openDm()
      const env = await envelope({ id: newMessageId() })

      assert.deepEqual(await exchange(lp, env), { id: env.id, status: Ack.Status.INVALID })
      assert.deepEqual(await bobState(), before)
      await stream.close()
    })

    it('a valid envelope with a clock beyond 2^53: INVALID, nothing stored (not even a request)', async () => {
      const before = await bobState()
      const { stream, lp } = await openDm()
      const env = await envelope({ clock: 2n ** 60n })

      assert.deepEqual(await exchange(lp, env), { id: env.id, status: Ack.Status.INVALID })
      assert.deepEqual(await bobState(), before)
      await stream.close()
    })
  })

  describe('a replay', () => {
    it('stores a valid envelope once: OK, then DUPLICATE, shown once in `parley history`', async () => {
      const { stream, lp } = await openDm()
      const env = await envelope({ text: 'say it twice', senderName: 'Mallory' })

      const requested = bobDaemon.waitForJson(e => e.event === 'request:received' && e.accountId === malloryId, { from: bobDaemon.lineCount, timeout: WAIT_MS })
      assert.deepEqual(await exchange(lp, env), { id: env.id, status: Ack.Status.OK })
      assert.deepEqual(await exchange(lp, env), { id: env.id, status: Ack.Status.DUPLICATE })
      await stream.close()

      // on a new stream too
      const again = await openDm()
      assert.deepEqual(await exchange(again.lp, env), { id: env.id, status: Ack.Status.DUPLICATE })
      await again.stream.close()
      await requested

      // an unknown sender lands in the requests, under the name it gave
      const requests = await bobApi.requests()
      assert.deepEqual(requests.map(r => ({ accountId: r.accountId, name: r.name, state: r.state })), [{ accountId: malloryId, name: 'Mallory', state: 'request' }])

      const result = await runBin(binPath('parley'), ['--home', bobHome, 'history', malloryId, '--json'], { env: cliEnv })
      assert.equal(result.code, 0, result.stderr)
      const lines = result.stdout.trim().split('\n').map(line => JSON.parse(line))
      assert.equal(lines.length, 1, result.stdout)
      assert.equal(lines[0].id, env.id)
      assert.equal(lines[0].text, 'say it twice')
      assert.equal(lines[0].direction, 'in')
      assert.equal(lines[0].sender, malloryId)

      await assertAliceStillReachesBob('and after the replay?')
    })
  })

  describe('tampered envelopes', () => {
    /**
     * Byte flips of a valid, never-sent envelope (its id is fresh, so Bob
     * cannot answer DUPLICATE): each copy is refused with nothing stored,
     * then the untouched envelope is accepted — the flipped byte was the only
     * fault, and the refused copies changed nothing of Bob's session.
     */
    async function assertTamperingRefused (env: Envelope, tampered: Array<[string, Envelope]>): Promise<void> {
      const before = await bobState()
      const { stream, lp } = await openDm()
      for (const [what, copy] of tampered) {
        assert.equal(copy.id, env.id)
        assert.deepEqual(await exchange(lp, copy), { id: env.id, status: Ack.Status.INVALID }, `${what} was not refused`)
      }
      assert.deepEqual(await bobState(), before, 'a tampered envelope left something in Bob\'s store')

      assert.deepEqual(await exchange(lp, env), { id: env.id, status: Ack.Status.OK })
      const history = await bobApi.history(trudy.accountId)
      assert.deepEqual(history.filter(m => m.id === env.id).map(m => ({ text: m.text, direction: m.direction })), [{ text: 'tamper with me', direction: 'in' }])
      await stream.close()
    }

    function headerAndCiphertextFlips (env: Envelope): Array<[string, Envelope]> {
      return [
        ['the ratchet header\'s first byte', { ...env, ratchetHeader: flipped(env.ratchetHeader, 0) }],
        ['a byte of the header\'s ratchet key', { ...env, ratchetHeader: flipped(env.ratchetHeader, 2) }],
        ['the header\'s last byte', { ...env, ratchetHeader: flipped(env.ratchetHeader, -1) }],
        ['the ciphertext\'s first byte', { ...env, ciphertext: flipped(env.ciphertext, 0) }],
        ['a byte in the middle of the ciphertext', { ...env, ciphertext: flipped(env.ciphertext, Math.floor(env.ciphertext.byteLength / 2)) }],
        ['the last byte of the tag', { ...env, ciphertext: flipped(env.ciphertext, -1, 0x80) }]
      ]
    }

    it('a first message (X3DH, no session yet) with one byte flipped in the header, ciphertext or prekey: INVALID, nothing stored (not even a request)', async () => {
      const env = await trudy.envelope(bobContact, { text: 'tamper with me' })
      const prekey = env.prekey
      assert.ok(prekey != null, 'a first message carries the prekey message')
      await assertTamperingRefused(env, [
        ...headerAndCiphertextFlips(env),
        ['a byte of the ephemeral key', { ...env, prekey: { ...prekey, ephemeral: flipped(prekey.ephemeral, 0) } }],
        // X25519 ignores this bit (RFC 7748 §5): refused only if non-canonical keys are
        ['the top bit of the ephemeral key', { ...env, prekey: { ...prekey, ephemeral: flipped(prekey.ephemeral, 31, 0x80) } }],
        ['the prekey id', { ...env, prekey: { ...prekey, prekeyId: prekey.prekeyId + 1 } }]
      ])
      assert.deepEqual((await bobApi.requests()).map(r => r.accountId).sort(), [malloryId, trudy.accountId].sort())
    })

    it('a message of an established session with one byte flipped in the header or ciphertext: INVALID, nothing stored', async () => {
      const env = await trudy.envelope(bobContact, { text: 'tamper with me' })
      await assertTamperingRefused(env, headerAndCiphertextFlips(env))
      assert.equal((await bobApi.history(trudy.accountId)).length, 2)
      await assertAliceStillReachesBob('and after the tampering?')
    })
  })
})
