/**
 * Measure 5 of the bench (index.ts): what the end-to-end layer costs per
 * 1 KiB message, against the bare AEAD it is built on, in this process —
 * pure CPU, no network and no store, so one process is the right place.
 *
 * - one chain: Alice → Bob again and again, so Bob's decrypt stays on the
 *   receiving chain it has (`ratchetEncrypt` + `ratchetDecrypt`: two chain
 *   steps, two message-key derivations, one AEAD seal and open);
 * - DH turn: Alice and Bob take turns, so every decrypt meets a new ratchet
 *   key and turns the DH ratchet (a key pair and two X25519 agreements);
 * - raw: `xchacha20poly1305(key, nonce).encrypt()` then `.decrypt()` of the
 *   same 1 KiB from @noble/ciphers, the library the ratchet uses, no
 *   associated data.
 *
 * `parts()` times the steps inside alone (same primitives, same sizes), and
 * what the Messenger does around each ratchet step (sealed session records),
 * to say what the ratio is made of.
 */

import { x25519 } from '@noble/curves/ed25519.js'
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { concat as uint8ArrayConcat } from 'uint8arrays/concat'
import { equals as uint8ArrayEquals } from 'uint8arrays/equals'
import { generateSignedPrekey } from '#shared/crypto/prekeys.ts'
import { RatchetHeader } from '#shared/crypto/pb/e2e.ts'
import {
  decodeRatchetHeader, decodeRatchetState, encodeRatchetState, initInitiator, initResponder, ratchetDecrypt, ratchetEncrypt
} from '#shared/crypto/ratchet.ts'
import { openAtRest, sealAtRest } from '#shared/crypto/seal.ts'
import { x3dhInitiate, x3dhRespond } from '#shared/crypto/x3dh.ts'
import { generateAccountKeys } from '#shared/identity/account.ts'
import { SessionRecord } from '#shared/messenger/pb/session.ts'
import { RATCHET_MESSAGE_INFO, RATCHET_ROOT_INFO } from '#shared/protocol/constants.ts'
import { sealContext } from '#shared/store/index.ts'
import { PAYLOAD_BYTES, msSince } from './lib.ts'
import type { RatchetState } from '#shared/crypto/ratchet.ts'

const encoder = new TextEncoder()

/** Microseconds since `start` (a `process.hrtime.bigint()` reading). */
function usSince (start: bigint): number {
  return msSince(start) * 1000
}

function random (bytes: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(bytes))
}

/** Throws unless `actual` is `expected`: a sample that measured something else must not count. */
function check (ok: boolean, what: string): void {
  if (!ok) {
    throw new Error(`crypto bench: ${what}`)
  }
}

/**
 * Two accounts with a session between them, started the way the Messenger
 * starts one (X3DH from Bob's signed prekey, then Alice's first message).
 */
class Session {
  alice: RatchetState
  bob: RatchetState
  readonly plaintext = random(PAYLOAD_BYTES)

  constructor () {
    const aliceKeys = generateAccountKeys()
    const bobKeys = generateAccountKeys()
    const prekey = generateSignedPrekey(bobKeys, 1)
    const start = x3dhInitiate(aliceKeys, bobKeys.publicKey, prekey.prekey)
    const response = x3dhRespond(bobKeys, prekey.privateKey, aliceKeys.publicKey, start.ephemeralPublic)
    this.alice = initInitiator(start.sharedKey, prekey.prekey.publicKey, start.associatedData)
    this.bob = initResponder(response.sharedKey, { publicKey: prekey.prekey.publicKey, privateKey: prekey.privateKey }, response.associatedData)
    this.aliceToBob()
  }

  /** One message Alice → Bob: ratchetEncrypt + ratchetDecrypt, in µs. */
  aliceToBob (): number {
    const start = process.hrtime.bigint()
    const sent = ratchetEncrypt(this.alice, this.plaintext)
    const received = ratchetDecrypt(this.bob, sent.header, sent.ciphertext)
    const elapsed = usSince(start)
    check(uint8ArrayEquals(received.plaintext, this.plaintext), 'a message did not decrypt to what was sent')
    this.alice = sent.state
    this.bob = received.state
    return elapsed
  }

  /** One message Bob → Alice: ratchetEncrypt + ratchetDecrypt, in µs. */
  bobToAlice (): number {
    const start = process.hrtime.bigint()
    const sent = ratchetEncrypt(this.bob, this.plaintext)
    const received = ratchetDecrypt(this.alice, sent.header, sent.ciphertext)
    const elapsed = usSince(start)
    check(uint8ArrayEquals(received.plaintext, this.plaintext), 'a reply did not decrypt to what was sent')
    this.bob = sent.state
    this.alice = received.state
    return elapsed
  }
}

/** The three sides of measure 5; each call is one sample, in µs. */
export interface CryptoSamples {
  /** A 1 KiB message on one sending chain (no DH ratchet step). */
  chain: () => number
  /** A 1 KiB message that turns the DH ratchet (the two sides take turns). */
  dhTurn: () => number
  /** XChaCha20-Poly1305 seal + open of 1 KiB, fresh nonce, no associated data. */
  raw: () => number
}

export function cryptoSamples (): CryptoSamples {
  const chain = new Session()
  const turns = new Session()
  let aliceNext = false
  const key = random(32)
  const plaintext = random(PAYLOAD_BYTES)

  return {
    chain: () => {
      const before = chain.bob.receivingRatchet
      const elapsed = chain.aliceToBob()
      check(chain.bob.receivingRatchet === before, 'the one-chain sample turned the DH ratchet')
      return elapsed
    },
    dhTurn: () => {
      const receiver = (): RatchetState => aliceNext ? turns.bob : turns.alice
      const before = receiver().receivingRatchet
      const elapsed = aliceNext ? turns.aliceToBob() : turns.bobToAlice()
      const after = receiver().receivingRatchet
      check(before != null && after != null && !uint8ArrayEquals(before, after), 'the DH-turn sample did not turn the ratchet')
      aliceNext = !aliceNext
      return elapsed
    },
    raw: () => {
      const nonce = random(24)
      const start = process.hrtime.bigint()
      const sealed = xchacha20poly1305(key, nonce).encrypt(plaintext)
      const opened = xchacha20poly1305(key, nonce).decrypt(sealed)
      const elapsed = usSince(start)
      check(opened.byteLength === PAYLOAD_BYTES && opened[0] === plaintext[0], 'the raw seal did not open')
      return elapsed
    }
  }
}

/** One step of the ratchet, timed alone: `run` does it `times` per message. */
export interface CryptoPart {
  label: string
  /** How many times a message costs this step (for the sums in the notes). */
  times: { chain: number, dhTurn: number }
  run: () => number
}

/**
 * The steps inside a ratchet message (what ratchet.ts calls, same inputs and
 * sizes), and what the Messenger does around one (sessions.ts, the store):
 * each `run()` is one sample, in µs.
 */
export function cryptoParts (): CryptoPart[] {
  const session = new Session()
  for (let i = 0; i < 3; i++) {
    session.bobToAlice()
    session.aliceToBob()
  }
  const chainKey = random(32)
  const rootKey = random(32)
  const messageKey = random(32)
  const rootInfo = encoder.encode(RATCHET_ROOT_INFO)
  const messageInfo = encoder.encode(RATCHET_MESSAGE_INFO)
  const zeroSalt = new Uint8Array(32)
  const plaintext = random(PAYLOAD_BYTES)
  const aeadKey = random(32)
  const theirPublic = x25519.getPublicKey(random(32))
  const header = RatchetHeader.encode({ dh: Uint8Array.from(theirPublic), pn: 3, n: 17 })
  const ad = uint8ArrayConcat([session.alice.associatedData, header])
  const storageKey = random(32)
  const context = sealContext('sessions', 'bench-conversation')
  const record = SessionRecord.encode({ current: { ratchet: new Uint8Array(encodeRatchetState(session.alice)) }, previous: [] })
  const sealedRecord = sealAtRest(storageKey, record, context)

  const timed = (fn: () => unknown): number => {
    const start = process.hrtime.bigint()
    fn()
    return usSince(start)
  }

  return [
    {
      label: 'KDF_CK: 2 × HMAC-SHA256 of the 32-byte chain key',
      times: { chain: 2, dhTurn: 2 },
      run: () => timed(() => [hmac(sha256, chainKey, Uint8Array.of(0x02)), hmac(sha256, chainKey, Uint8Array.of(0x01))])
    },
    {
      label: 'message key → AEAD key + nonce: HKDF-SHA256, 56 bytes',
      times: { chain: 2, dhTurn: 2 },
      run: () => timed(() => hkdf(sha256, messageKey, zeroSalt, messageInfo, 56))
    },
    {
      label: `XChaCha20-Poly1305 seal + open of 1 KiB with the ratchet's associated data (${ad.byteLength} B)`,
      times: { chain: 1, dhTurn: 1 },
      run: () => {
        const nonce = random(24)
        return timed(() => xchacha20poly1305(aeadKey, nonce, ad).decrypt(xchacha20poly1305(aeadKey, nonce, ad).encrypt(plaintext)))
      }
    },
    {
      label: 'ratchet header encode + decode, associated data concatenated twice',
      times: { chain: 1, dhTurn: 1 },
      run: () => timed(() => {
        const bytes = RatchetHeader.encode({ dh: Uint8Array.from(theirPublic), pn: 3, n: 17 })
        decodeRatchetHeader(bytes)
        uint8ArrayConcat([session.alice.associatedData, bytes])
        uint8ArrayConcat([session.alice.associatedData, bytes])
      })
    },
    {
      label: 'DH turn: X25519 key pair (one base-point multiplication)',
      times: { chain: 0, dhTurn: 1 },
      run: () => timed(() => x25519.getPublicKey(random(32)))
    },
    {
      label: 'DH turn: X25519 shared secret',
      times: { chain: 0, dhTurn: 2 },
      run: () => timed(() => x25519.getSharedSecret(rootKey, theirPublic))
    },
    {
      label: 'DH turn: KDF_RK, HKDF-SHA256, 64 bytes',
      times: { chain: 0, dhTurn: 2 },
      run: () => timed(() => hkdf(sha256, chainKey, rootKey, rootInfo, 64))
    },
    {
      label: `Messenger, per side: ratchet state decode + encode and session record decode + encode (${record.byteLength} B record)`,
      times: { chain: 2, dhTurn: 2 },
      run: () => timed(() => {
        const decoded = SessionRecord.decode(record)
        const state = decodeRatchetState(decoded.current?.ratchet ?? new Uint8Array())
        SessionRecord.encode({ current: { ratchet: new Uint8Array(encodeRatchetState(state)) }, previous: decoded.previous })
      })
    },
    {
      label: `Messenger: openAtRest of the sealed session record (${sealedRecord.byteLength} B)`,
      // the sender opens it twice (sessions.sealer, then addOutgoing), the receiver once
      times: { chain: 3, dhTurn: 3 },
      run: () => timed(() => openAtRest(storageKey, sealedRecord, context))
    },
    {
      label: `Messenger: sealAtRest of the session record (${record.byteLength} B)`,
      times: { chain: 2, dhTurn: 2 },
      run: () => timed(() => sealAtRest(storageKey, record, context))
    }
  ]
}
