/**
 * The Double Ratchet (Signal's specification, revision 1), over X25519,
 * HKDF-SHA256, HMAC-SHA256 and XChaCha20-Poly1305 (docs/protocols/e2e.md).
 *
 * ```
 * KDF_RK(rk, dh_out) = HKDF-SHA256(ikm = dh_out, salt = rk, info = "parley/ratchet/rk/v1", L = 64)
 *                      → (rk' = bytes 0..32, ck = bytes 32..64)
 * KDF_CK(ck)         = (ck' = HMAC-SHA256(ck, 0x02), mk = HMAC-SHA256(ck, 0x01))
 * ENCRYPT(mk, pt, ad): (key || nonce) = HKDF-SHA256(ikm = mk, salt = 32 zero bytes,
 *                      info = "parley/ratchet/msg/v1", L = 56); XChaCha20-Poly1305(key, nonce, pt, ad)
 * ad of a message    = AD (from X3DH) || the encoded RatchetHeader, exactly as sent
 * ```
 *
 * Every message key is used once, so the nonce derived with it never repeats.
 *
 * The state is immutable: every function returns a new state and leaves the
 * one it was given alone, so the caller can write the new state in the same
 * store batch as the message it belongs to — and on any failure simply keep
 * the old one. The rule that comes with it: **persist the state returned by
 * {@link ratchetEncrypt} before using the ciphertext, and never encrypt twice
 * from the same state** (both calls would use the same message key and
 * nonce). A retry resends the stored ciphertext; it does not re-encrypt.
 *
 * Bounds (an attacker must not make us store or compute without limit):
 * one incoming message may make us derive at most {@link RATCHET_MAX_SKIP}
 * skipped keys per chain, else it is refused and nothing is kept; a session
 * keeps at most {@link RATCHET_MAX_SKIPPED_KEYS} skipped keys, oldest dropped
 * first. Skipped keys are only kept once the message that made them
 * authenticates.
 */

import { hkdf } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { InvalidMessageError, InvalidParametersError } from '@libp2p/interface'
import { concat as uint8ArrayConcat } from 'uint8arrays/concat'
import { equals as uint8ArrayEquals } from 'uint8arrays/equals'
import { DecryptionError } from '#shared/errors.ts'
import {
  MAX_RATCHET_HEADER_BYTES,
  MAX_RATCHET_STATE_BYTES,
  RATCHET_MAX_SKIP,
  RATCHET_MAX_SKIPPED_KEYS,
  RATCHET_MESSAGE_INFO,
  RATCHET_ROOT_INFO
} from '#shared/protocol/constants.ts'
import { open, seal } from './aead.ts'
import { X25519_KEY_BYTES, dh, generateX25519KeyPair } from './dh.ts'
import { RatchetHeader, RatchetStateRecord } from './pb/e2e.ts'
import type { RandomOptions, X25519KeyPair } from './dh.ts'

export { RATCHET_MAX_SKIP, RATCHET_MAX_SKIPPED_KEYS }
export type { RatchetHeader }

/** A message key kept for a message of chain `ratchetPublic` that has not arrived yet. */
export interface SkippedMessageKey {
  readonly ratchetPublic: Uint8Array
  readonly n: number
  readonly messageKey: Uint8Array
}

/**
 * One side of a session (the spec's state variables in brackets). Plain
 * data; store it with {@link encodeRatchetState}, sealed at rest (seal.ts).
 * Never log it: it holds the keys of the session.
 */
export interface RatchetState {
  /** [DHs] our current ratchet key pair */
  readonly sendingRatchet: X25519KeyPair
  /** [DHr] their current ratchet public key; undefined for a responder until its first message */
  readonly receivingRatchet: Uint8Array | undefined
  /** [RK] root key, 32 bytes */
  readonly rootKey: Uint8Array
  /** [CKs] sending chain key; undefined for a responder until it has received a message */
  readonly sendingChainKey: Uint8Array | undefined
  /** [CKr] receiving chain key; undefined for an initiator until the first reply */
  readonly receivingChainKey: Uint8Array | undefined
  /** [Ns] messages sent in the current sending chain */
  readonly sendingN: number
  /** [Nr] messages received in the current receiving chain */
  readonly receivingN: number
  /** [PN] messages sent in the previous sending chain */
  readonly previousSendingN: number
  /** [MKSKIPPED] keys of messages not received yet, oldest first */
  readonly skipped: readonly SkippedMessageKey[]
  /** AD from the X3DH step: bound to every message */
  readonly associatedData: Uint8Array
}

/** What {@link ratchetEncrypt} returns. Send `header` and `ciphertext`; persist `state`. */
export interface RatchetEncryptResult {
  readonly state: RatchetState
  /** the encoded RatchetHeader (at most 64 bytes) */
  readonly header: Uint8Array
  /** XChaCha20-Poly1305 ciphertext and tag: plaintext length + 16 */
  readonly ciphertext: Uint8Array
}

/** What {@link ratchetDecrypt} returns. Persist `state` in the same batch as the message. */
export interface RatchetDecryptResult {
  readonly state: RatchetState
  readonly plaintext: Uint8Array
}

/** Version of {@link encodeRatchetState}'s format. */
export const RATCHET_STATE_VERSION = 1

const KEY_BYTES = 32
const AEAD_KEY_BYTES = 32
const AEAD_NONCE_BYTES = 24
const MAX_UINT32 = 0xffff_ffff
const MAX_ASSOCIATED_DATA_BYTES = 1024

const encoder = new TextEncoder()
const rootInfo = encoder.encode(RATCHET_ROOT_INFO)
const messageInfo = encoder.encode(RATCHET_MESSAGE_INFO)
const ZERO_SALT = new Uint8Array(32)
const MESSAGE_KEY_INPUT = Uint8Array.of(0x01)
const CHAIN_KEY_INPUT = Uint8Array.of(0x02)

/** KDF_RK: (new root key, new chain key). */
function kdfRk (rootKey: Uint8Array, dhOut: Uint8Array): [Uint8Array, Uint8Array] {
  const okm = hkdf(sha256, dhOut, rootKey, rootInfo, 2 * KEY_BYTES)
  return [okm.slice(0, KEY_BYTES), okm.slice(KEY_BYTES)]
}

/** KDF_CK: (next chain key, message key). */
function kdfCk (chainKey: Uint8Array): [Uint8Array, Uint8Array] {
  return [hmac(sha256, chainKey, CHAIN_KEY_INPUT), hmac(sha256, chainKey, MESSAGE_KEY_INPUT)]
}

/** The AEAD key and nonce of a message key. */
function messageCipher (messageKey: Uint8Array): { key: Uint8Array, nonce: Uint8Array } {
  const okm = hkdf(sha256, messageKey, ZERO_SALT, messageInfo, AEAD_KEY_BYTES + AEAD_NONCE_BYTES)
  return { key: okm.subarray(0, AEAD_KEY_BYTES), nonce: okm.subarray(AEAD_KEY_BYTES) }
}

function checkKey (key: Uint8Array, what: string): void {
  if (key.byteLength !== KEY_BYTES) {
    throw new InvalidParametersError(`${what} must be ${KEY_BYTES} bytes, got ${key.byteLength}`)
  }
}

function checkAssociatedData (ad: Uint8Array): void {
  if (ad.byteLength === 0 || ad.byteLength > MAX_ASSOCIATED_DATA_BYTES) {
    throw new InvalidParametersError(`Associated data must be 1 to ${MAX_ASSOCIATED_DATA_BYTES} bytes, got ${ad.byteLength}`)
  }
}

/**
 * The initiator's state, right after x3dhInitiate: its first ratchet key is
 * fresh, and the responder's is its signed prekey.
 *
 * @param sharedKey - SK from x3dhInitiate
 * @param theirRatchetPublic - the responder's signed prekey public key
 * @param ad - associatedData from x3dhInitiate
 * @param options - tests only: a fixed random source for the first ratchet key
 * @throws InvalidMessageError if `theirRatchetPublic` is unusable (low order)
 */
export function initInitiator (sharedKey: Uint8Array, theirRatchetPublic: Uint8Array, ad: Uint8Array, options: RandomOptions = {}): RatchetState {
  checkKey(sharedKey, 'The shared key')
  checkAssociatedData(ad)

  const sendingRatchet = generateX25519KeyPair(options)
  const [rootKey, sendingChainKey] = kdfRk(sharedKey, dh(sendingRatchet.privateKey, theirRatchetPublic))

  return {
    sendingRatchet,
    receivingRatchet: theirRatchetPublic.slice(),
    rootKey,
    sendingChainKey,
    receivingChainKey: undefined,
    sendingN: 0,
    receivingN: 0,
    previousSendingN: 0,
    skipped: [],
    associatedData: ad.slice()
  }
}

/**
 * The responder's state, right after x3dhRespond: its ratchet key pair is
 * the signed prekey the first message named. It can send once it has
 * decrypted that message.
 *
 * @param sharedKey - SK from x3dhRespond
 * @param myRatchetKeyPair - the signed prekey's key pair
 * @param ad - associatedData from x3dhRespond
 */
export function initResponder (sharedKey: Uint8Array, myRatchetKeyPair: X25519KeyPair, ad: Uint8Array): RatchetState {
  checkKey(sharedKey, 'The shared key')
  checkKey(myRatchetKeyPair.privateKey, 'The ratchet private key')
  checkKey(myRatchetKeyPair.publicKey, 'The ratchet public key')
  checkAssociatedData(ad)

  return {
    sendingRatchet: { publicKey: myRatchetKeyPair.publicKey.slice(), privateKey: myRatchetKeyPair.privateKey.slice() },
    receivingRatchet: undefined,
    rootKey: sharedKey.slice(),
    sendingChainKey: undefined,
    receivingChainKey: undefined,
    sendingN: 0,
    receivingN: 0,
    previousSendingN: 0,
    skipped: [],
    associatedData: ad.slice()
  }
}

/** Whether this side can encrypt: false only for a responder that has not decrypted a message yet. */
export function canSend (state: RatchetState): boolean {
  return state.sendingChainKey != null
}

/**
 * Whether this side has decrypted a message of the other. An initiator
 * sends the X3DH fields (ephemeral key, prekey id) with every message until
 * this is true.
 */
export function hasReceived (state: RatchetState): boolean {
  return state.receivingChainKey != null
}

/**
 * Encrypt one message. Returns the new state, which must be persisted before
 * (or in the same batch as) the ciphertext is used; the old state must not
 * be used to encrypt again.
 *
 * @throws InvalidParametersError if this side cannot send yet ({@link canSend})
 */
export function ratchetEncrypt (state: RatchetState, plaintext: Uint8Array): RatchetEncryptResult {
  if (state.sendingChainKey == null) {
    throw new InvalidParametersError('This session cannot send yet: the responder sends only after it has decrypted the first message')
  }

  if (state.sendingN >= MAX_UINT32) {
    throw new InvalidParametersError('This sending chain is exhausted (2^32 − 1 messages): the other side must reply first')
  }

  const [sendingChainKey, messageKey] = kdfCk(state.sendingChainKey)
  const header = RatchetHeader.encode({
    dh: Uint8Array.from(state.sendingRatchet.publicKey),
    pn: state.previousSendingN,
    n: state.sendingN
  })

  const { key, nonce } = messageCipher(messageKey)
  const ciphertext = seal(key, nonce, plaintext, uint8ArrayConcat([state.associatedData, header]))

  return {
    state: { ...state, sendingChainKey, sendingN: state.sendingN + 1 },
    header,
    ciphertext
  }
}

/**
 * Read an encoded ratchet header (for instance to log `n` and `pn`). It is
 * not authenticated until the message decrypts.
 *
 * @throws DecryptionError (reason `malformed`) if it is oversized or does not decode
 */
export function decodeRatchetHeader (header: Uint8Array): RatchetHeader {
  if (header.byteLength > MAX_RATCHET_HEADER_BYTES) {
    throw new DecryptionError(`Ratchet header is too large (${header.byteLength} bytes, at most ${MAX_RATCHET_HEADER_BYTES})`, 'malformed')
  }

  let decoded: RatchetHeader
  try {
    decoded = RatchetHeader.decode(header)
  } catch {
    throw new DecryptionError('Ratchet header does not decode', 'malformed')
  }

  if (decoded.dh.byteLength !== X25519_KEY_BYTES) {
    throw new DecryptionError(`Ratchet header is malformed: its ratchet key is not ${X25519_KEY_BYTES} bytes`, 'malformed')
  }

  return decoded
}

type Working = { -readonly [K in keyof RatchetState]: RatchetState[K] } & { skipped: SkippedMessageKey[] }

function openMessage (messageKey: Uint8Array, ciphertext: Uint8Array, ad: Uint8Array): Uint8Array {
  const { key, nonce } = messageCipher(messageKey)
  const plaintext = open(key, nonce, ciphertext, ad)

  if (plaintext == null) {
    throw new DecryptionError('The message does not authenticate: it was altered, or is not for this session', 'unauthenticated')
  }

  return plaintext
}

/** Derive and keep the receiving chain's keys up to (not including) message `until`. */
function skipMessageKeys (state: Working, until: number): void {
  if (state.receivingN + RATCHET_MAX_SKIP < until) {
    throw new DecryptionError(`The message asks to skip ${until - state.receivingN} messages in one chain (at most ${RATCHET_MAX_SKIP}); refused`, 'too-many-skipped')
  }

  if (state.receivingChainKey == null || state.receivingRatchet == null) {
    return
  }

  let chainKey = state.receivingChainKey
  while (state.receivingN < until) {
    const [next, messageKey] = kdfCk(chainKey)
    state.skipped.push({ ratchetPublic: state.receivingRatchet, n: state.receivingN, messageKey })
    chainKey = next
    state.receivingN++
  }
  state.receivingChainKey = chainKey
}

/** The DH ratchet step on a new ratchet key of the other side. */
function dhRatchet (state: Working, theirRatchetPublic: Uint8Array, options: RandomOptions): void {
  state.previousSendingN = state.sendingN
  state.sendingN = 0
  state.receivingN = 0
  state.receivingRatchet = theirRatchetPublic

  try {
    const [rootKey, receivingChainKey] = kdfRk(state.rootKey, dh(state.sendingRatchet.privateKey, theirRatchetPublic))
    state.sendingRatchet = generateX25519KeyPair(options)
    const [nextRootKey, sendingChainKey] = kdfRk(rootKey, dh(state.sendingRatchet.privateKey, theirRatchetPublic))
    state.rootKey = nextRootKey
    state.receivingChainKey = receivingChainKey
    state.sendingChainKey = sendingChainKey
  } catch (err: any) {
    if (err.name === InvalidMessageError.name) {
      throw new DecryptionError(`Ratchet header refused: ${err.message}`, 'malformed')
    }
    throw err
  }
}

/**
 * Decrypt one message. On success returns the plaintext and the new state,
 * to persist in the same batch as the message. On any failure it throws and
 * the state passed in stays valid and unchanged: nothing of the failed
 * message is kept (no skipped keys, no ratchet step).
 *
 * A message decrypts once: a second time (a replay) it is refused, since its
 * key was used and deleted.
 *
 * @param header - the encoded header exactly as received
 * @param options - tests only: a fixed random source for the next ratchet key
 * @throws DecryptionError with `reason` `malformed`, `unauthenticated`, `replay` or `too-many-skipped`
 */
export function ratchetDecrypt (state: RatchetState, header: Uint8Array, ciphertext: Uint8Array, options: RandomOptions = {}): RatchetDecryptResult {
  const decoded = decodeRatchetHeader(header)
  const ad = uint8ArrayConcat([state.associatedData, header])

  const index = state.skipped.findIndex(key => key.n === decoded.n && uint8ArrayEquals(key.ratchetPublic, decoded.dh))
  if (index !== -1) {
    const plaintext = openMessage(state.skipped[index].messageKey, ciphertext, ad)
    return { state: { ...state, skipped: state.skipped.filter((_, i) => i !== index) }, plaintext }
  }

  const next: Working = { ...state, skipped: [...state.skipped] }
  const dhPublic = decoded.dh.slice()

  if (next.receivingRatchet == null || !uint8ArrayEquals(dhPublic, next.receivingRatchet)) {
    skipMessageKeys(next, decoded.pn)
    dhRatchet(next, dhPublic, options)
  } else if (next.receivingChainKey == null) {
    // The initiator's view of the responder's prekey: the responder never sends on it.
    throw new DecryptionError('The message uses a ratchet key that has no receiving chain', 'unauthenticated')
  } else if (decoded.n < next.receivingN) {
    throw new DecryptionError('The message was already decrypted (a replay), or its key was dropped as too old', 'replay')
  }

  skipMessageKeys(next, decoded.n)
  const [receivingChainKey, messageKey] = kdfCk(next.receivingChainKey as Uint8Array)
  next.receivingChainKey = receivingChainKey
  next.receivingN++

  const plaintext = openMessage(messageKey, ciphertext, ad)

  if (next.skipped.length > RATCHET_MAX_SKIPPED_KEYS) {
    next.skipped.splice(0, next.skipped.length - RATCHET_MAX_SKIPPED_KEYS)
  }

  return { state: next, plaintext }
}

const copy = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => Uint8Array.from(bytes)

/** The stored form of a ratchet state (protobuf). Seal it (seal.ts) before storing. */
export function encodeRatchetState (state: RatchetState): Uint8Array {
  return RatchetStateRecord.encode({
    version: RATCHET_STATE_VERSION,
    sendingPrivateKey: copy(state.sendingRatchet.privateKey),
    sendingPublicKey: copy(state.sendingRatchet.publicKey),
    receivingPublicKey: state.receivingRatchet == null ? undefined : copy(state.receivingRatchet),
    rootKey: copy(state.rootKey),
    sendingChainKey: state.sendingChainKey == null ? undefined : copy(state.sendingChainKey),
    receivingChainKey: state.receivingChainKey == null ? undefined : copy(state.receivingChainKey),
    sendingN: state.sendingN,
    receivingN: state.receivingN,
    previousSendingN: state.previousSendingN,
    skipped: state.skipped.map(key => ({ dh: copy(key.ratchetPublic), n: key.n, messageKey: copy(key.messageKey) })),
    associatedData: copy(state.associatedData)
  })
}

function damaged (what: string): InvalidMessageError {
  return new InvalidMessageError(`Stored ratchet state is damaged: ${what}`)
}

function optionalKey (key: Uint8Array | undefined, what: string): Uint8Array | undefined {
  if (key == null) {
    return undefined
  }

  if (key.byteLength !== KEY_BYTES) {
    throw damaged(`${what} is not ${KEY_BYTES} bytes`)
  }

  return key.slice()
}

function requiredKey (key: Uint8Array, what: string): Uint8Array {
  const checked = optionalKey(key, what)
  if (checked == null) {
    throw damaged(`${what} is missing`)
  }
  return checked
}

/**
 * Read a state written by {@link encodeRatchetState}.
 *
 * @throws InvalidMessageError if it is oversized, does not decode, has an unknown version or bad fields
 */
export function decodeRatchetState (bytes: Uint8Array): RatchetState {
  if (bytes.byteLength > MAX_RATCHET_STATE_BYTES) {
    throw damaged(`too large (${bytes.byteLength} bytes, at most ${MAX_RATCHET_STATE_BYTES})`)
  }

  let record: RatchetStateRecord
  try {
    record = RatchetStateRecord.decode(bytes, { limits: { skipped: RATCHET_MAX_SKIPPED_KEYS } })
  } catch (err: any) {
    throw damaged(`it does not decode (${err.message})`)
  }

  if (record.version !== RATCHET_STATE_VERSION) {
    throw new InvalidMessageError(`Unknown ratchet state version ${record.version}: it was written by a newer Parley; update this app`)
  }

  const receivingRatchet = optionalKey(record.receivingPublicKey, 'the receiving ratchet key')
  const receivingChainKey = optionalKey(record.receivingChainKey, 'the receiving chain key')
  if (receivingChainKey != null && receivingRatchet == null) {
    throw damaged('a receiving chain without a ratchet key')
  }

  const associatedData = record.associatedData.slice()
  if (associatedData.byteLength === 0 || associatedData.byteLength > MAX_ASSOCIATED_DATA_BYTES) {
    throw damaged('bad associated data')
  }

  return {
    sendingRatchet: {
      privateKey: requiredKey(record.sendingPrivateKey, 'the sending ratchet private key'),
      publicKey: requiredKey(record.sendingPublicKey, 'the sending ratchet public key')
    },
    receivingRatchet,
    rootKey: requiredKey(record.rootKey, 'the root key'),
    sendingChainKey: optionalKey(record.sendingChainKey, 'the sending chain key'),
    receivingChainKey,
    sendingN: record.sendingN,
    receivingN: record.receivingN,
    previousSendingN: record.previousSendingN,
    skipped: record.skipped.map(key => ({
      ratchetPublic: requiredKey(key.dh, 'a skipped key\'s ratchet key'),
      n: key.n,
      messageKey: requiredKey(key.messageKey, 'a skipped message key')
    })),
    associatedData
  }
}
