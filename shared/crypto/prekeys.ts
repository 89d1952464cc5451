/**
 * Prekeys: what an account publishes (account record, invite) so that anyone
 * can start an end-to-end session with it while it is offline
 * (docs/protocols/e2e.md).
 *
 * - The **identity DH key** is the account's Ed25519 key converted to X25519
 *   ({@link identityDhPublicKey}; see dh.ts for why one key may do both).
 * - The **signed prekey** is an X25519 key pair of its own, with a uint32 id
 *   and a creation time, signed by the account key under
 *   `parley/signed-prekey/v1`. It is rotated every 7 days; a replaced one
 *   keeps opening first messages for a 30-day grace period, then its private
 *   key is deleted.
 *
 * There are no one-time prekeys: nobody serves them (no server, and the DHT
 * record is one signed value), so first messages are replayable to the
 * recipient and their forward secrecy starts when the signed prekey is
 * deleted — docs/protocols/e2e.md says what the session layer does about it.
 */

import { InvalidMessageError, InvalidParametersError } from '@libp2p/interface'
import { equals as uint8ArrayEquals } from 'uint8arrays/equals'
import {
  MAX_SIGNED_PREKEY_BYTES,
  SIGNED_PREKEY_DOMAIN,
  SIGNED_PREKEY_GRACE_MS,
  SIGNED_PREKEY_ROTATION_MS
} from '#shared/protocol/constants.ts'
import { signAs, verifySignature } from '#shared/identity/account.ts'
import { ED25519_SIGNATURE_BYTES } from './signing.ts'
import { X25519_KEY_BYTES, generateX25519KeyPair, x25519KeyPairFromPrivateKey } from './dh.ts'
import { SignedPrekey, SignedPrekeySecret } from './pb/e2e.ts'
import type { AccountKeys } from '#shared/identity/account.ts'
import type { RandomOptions, X25519KeyPair } from './dh.ts'

export { SignedPrekey }
export { identityDhPrivateKey, identityDhPublicKey } from './dh.ts'
export { SIGNED_PREKEY_GRACE_MS, SIGNED_PREKEY_ROTATION_MS }

/** One's own signed prekey: the public, signed part and its private key. Never log `privateKey`. */
export interface SignedPrekeyPair {
  readonly prekey: SignedPrekey
  readonly privateKey: Uint8Array
}

const MAX_UINT32 = 0xffff_ffff

/** The bytes the signature covers: the encoding with `signature` unset. */
function signedBytes (prekey: SignedPrekey): Uint8Array {
  return SignedPrekey.encode({ id: prekey.id, publicKey: prekey.publicKey, createdAt: prekey.createdAt })
}

function checkFields (id: number, createdAt: number): void {
  if (!Number.isInteger(id) || id < 0 || id > MAX_UINT32) {
    throw new InvalidParametersError(`A prekey id is a uint32, got ${id}`)
  }

  if (!Number.isSafeInteger(createdAt) || createdAt < 0) {
    throw new InvalidParametersError('createdAt must be a non-negative integer (ms since the Unix epoch)')
  }
}

/** Sign an existing X25519 key pair as the account's signed prekey `id`. */
export function signPrekey (keys: AccountKeys, id: number, keyPair: X25519KeyPair, createdAt: number): SignedPrekeyPair {
  checkFields(id, createdAt)

  const prekey: SignedPrekey = {
    id,
    publicKey: Uint8Array.from(keyPair.publicKey),
    createdAt,
    signature: new Uint8Array(0)
  }
  prekey.signature = Uint8Array.from(signAs(keys, SIGNED_PREKEY_DOMAIN, signedBytes(prekey)))
  return { prekey, privateKey: keyPair.privateKey.slice() }
}

/**
 * A new signed prekey for the account.
 *
 * @param id - uint32 naming it in first messages; must differ from the ids
 *   still within their grace period (e.g. the previous id + 1)
 * @param now - its creation time, ms since the Unix epoch; default now
 * @param options - tests only: a fixed random source
 */
export function generateSignedPrekey (keys: AccountKeys, id: number, now: number = Date.now(), options: RandomOptions = {}): SignedPrekeyPair {
  return signPrekey(keys, id, generateX25519KeyPair(options), now)
}

/**
 * Whether `prekey` is a well-formed signed prekey of the account with public
 * key `accountPublicKey`. Never throws: everything here comes from the
 * network. (Whether its public key is of low order shows only when it is
 * used; x3dh.ts refuses it then.)
 */
export function verifySignedPrekey (accountPublicKey: Uint8Array, prekey: SignedPrekey): boolean {
  if (!Number.isInteger(prekey.id) || prekey.id < 0 || prekey.id > MAX_UINT32) {
    return false
  }

  if (!Number.isSafeInteger(prekey.createdAt) || prekey.createdAt < 0) {
    return false
  }

  if (prekey.publicKey.byteLength !== X25519_KEY_BYTES || prekey.signature.byteLength !== ED25519_SIGNATURE_BYTES) {
    return false
  }

  return verifySignature(accountPublicKey, SIGNED_PREKEY_DOMAIN, signedBytes(prekey), prekey.signature)
}

/** Whether the account should replace its current signed prekey `prekey` (7 days old, or dated in the future: the clock moved back). */
export function shouldRotate (prekey: Pick<SignedPrekey, 'createdAt'>, now: number): boolean {
  return now - prekey.createdAt >= SIGNED_PREKEY_ROTATION_MS || prekey.createdAt > now
}

/**
 * Whether a prekey that was replaced at `retiredAt` is past its 30-day grace
 * period, so its private key must be deleted (and first messages naming it
 * can no longer be opened).
 */
export function isPastGrace (retiredAt: number, now: number): boolean {
  return now - retiredAt >= SIGNED_PREKEY_GRACE_MS
}

/** The wire form of a signed prekey (protobuf). */
export function encodeSignedPrekey (prekey: SignedPrekey): Uint8Array {
  return SignedPrekey.encode(prekey)
}

/**
 * Read a signed prekey from its wire form. Does not verify it: call
 * {@link verifySignedPrekey}.
 *
 * @throws InvalidMessageError if the bytes are oversized or do not decode
 */
export function decodeSignedPrekey (bytes: Uint8Array): SignedPrekey {
  if (bytes.byteLength > MAX_SIGNED_PREKEY_BYTES) {
    throw new InvalidMessageError(`Signed prekey is too large (${bytes.byteLength} bytes, at most ${MAX_SIGNED_PREKEY_BYTES})`)
  }

  try {
    return SignedPrekey.decode(bytes)
  } catch (err: any) {
    throw new InvalidMessageError(`Signed prekey does not decode: ${err.message}`)
  }
}

/** The stored form of one's own signed prekey with its private key. Seal it (seal.ts) before storing. */
export function encodeSignedPrekeyPair (pair: SignedPrekeyPair): Uint8Array {
  return SignedPrekeySecret.encode({ prekey: pair.prekey, privateKey: Uint8Array.from(pair.privateKey) })
}

/**
 * Read one's own signed prekey back from {@link encodeSignedPrekeyPair}.
 *
 * @throws InvalidMessageError if it does not decode or the keys do not match
 */
export function decodeSignedPrekeyPair (bytes: Uint8Array): SignedPrekeyPair {
  let secret: SignedPrekeySecret
  try {
    secret = SignedPrekeySecret.decode(bytes)
  } catch (err: any) {
    throw new InvalidMessageError(`Stored signed prekey does not decode: ${err.message}`)
  }

  if (secret.prekey == null || secret.privateKey.byteLength !== X25519_KEY_BYTES) {
    throw new InvalidMessageError('Stored signed prekey is incomplete')
  }

  const publicKey = x25519KeyPairFromPrivateKey(secret.privateKey).publicKey
  if (!uint8ArrayEquals(publicKey, secret.prekey.publicKey)) {
    throw new InvalidMessageError('Stored signed prekey is damaged: its private key does not match its public key')
  }

  return { prekey: secret.prekey, privateKey: secret.privateKey.slice() }
}
