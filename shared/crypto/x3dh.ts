/**
 * The X3DH-style session start (Signal's X3DH, revision 1, without one-time
 * prekeys): the initiator derives a shared key from the recipient's account
 * key and signed prekey alone, so the recipient need not be online
 * (docs/protocols/e2e.md).
 *
 * ```
 * DH1 = DH(IKa, SPKb)   DH2 = DH(EKa, IKb)   DH3 = DH(EKa, SPKb)
 * SK  = HKDF-SHA256(ikm = F || DH1 || DH2 || DH3, salt = 32 zero bytes,
 *                   info = "parley/x3dh/v1", L = 32),  F = 32 × 0xFF
 * AD  = IKa || IKb   (the two Ed25519 account public keys, initiator first)
 * ```
 *
 * IK are the accounts' identity DH keys (Ed25519 converted to X25519, dh.ts),
 * EKa is a fresh ephemeral key. Without the one-time prekey (Signal's DH4) a
 * first message can be replayed to its recipient; the ratchet and the
 * session layer refuse the replay (docs/protocols/e2e.md, "Replays").
 */

import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { InvalidMessageError } from '@libp2p/interface'
import { concat as uint8ArrayConcat } from 'uint8arrays/concat'
import { InvalidSignatureError } from '#shared/errors.ts'
import { X3DH_INFO } from '#shared/protocol/constants.ts'
import { isValidEd25519PublicKey } from './signing.ts'
import { X25519_KEY_BYTES, dh, generateX25519KeyPair, identityDhPrivateKey, identityDhPublicKey, isCanonicalX25519PublicKey } from './dh.ts'
import { verifySignedPrekey } from './prekeys.ts'
import type { AccountKeys } from '#shared/identity/account.ts'
import type { RandomOptions } from './dh.ts'
import type { SignedPrekey } from './pb/e2e.ts'

/** Length of the shared key SK, in bytes. */
export const X3DH_SHARED_KEY_BYTES = 32

/** What the initiator gets: the key to start its ratchet with, and what its first messages must carry. */
export interface X3dhInitiation {
  /** SK: the root key for `initInitiator` (ratchet.ts). Never log it. */
  readonly sharedKey: Uint8Array
  /** EKa's public key: sent with every message until the responder answers. */
  readonly ephemeralPublic: Uint8Array
  /** Id of the signed prekey used: sent with `ephemeralPublic`. */
  readonly prekeyId: number
  /** AD = initiator's account public key || responder's: bind it to every message of the session. */
  readonly associatedData: Uint8Array
}

/** What the responder gets from a first message's ephemeral key. */
export interface X3dhResponse {
  /** SK: the root key for `initResponder` (ratchet.ts). Never log it. */
  readonly sharedKey: Uint8Array
  /** AD = initiator's account public key || responder's (ours). */
  readonly associatedData: Uint8Array
}

const encoder = new TextEncoder()
const info = encoder.encode(X3DH_INFO)
const F = new Uint8Array(32).fill(0xff)
const ZERO_SALT = new Uint8Array(32)

function kdf (dh1: Uint8Array, dh2: Uint8Array, dh3: Uint8Array): Uint8Array {
  const ikm = uint8ArrayConcat([F, dh1, dh2, dh3])
  const sk = hkdf(sha256, ikm, ZERO_SALT, info, X3DH_SHARED_KEY_BYTES)
  ikm.fill(0)
  return sk
}

function checkAccountKey (publicKey: Uint8Array, whose: string): void {
  if (!isValidEd25519PublicKey(publicKey)) {
    throw new InvalidMessageError(`The ${whose} account public key is not a valid Ed25519 key`)
  }
}

/**
 * Start a session with the account `theirAccountPublicKey`, from its signed
 * prekey (found in its account record or invite).
 *
 * @param options - tests only: a fixed random source for the ephemeral key
 * @throws InvalidSignatureError if the prekey is malformed or not signed by that account
 * @throws InvalidMessageError if a key is unusable (not a point, low order)
 */
export function x3dhInitiate (myKeys: AccountKeys, theirAccountPublicKey: Uint8Array, theirSignedPrekey: SignedPrekey, options: RandomOptions = {}): X3dhInitiation {
  checkAccountKey(theirAccountPublicKey, 'recipient\'s')

  if (!verifySignedPrekey(theirAccountPublicKey, theirSignedPrekey)) {
    throw new InvalidSignatureError('The signed prekey does not verify: it is malformed, or was not signed by this contact\'s account. Fetch its account record again.')
  }

  const ephemeral = generateX25519KeyPair(options)
  const identityKey = identityDhPrivateKey(myKeys)
  const theirIdentityKey = identityDhPublicKey(theirAccountPublicKey)
  const spk = theirSignedPrekey.publicKey

  const sharedKey = kdf(
    dh(identityKey, spk),
    dh(ephemeral.privateKey, theirIdentityKey),
    dh(ephemeral.privateKey, spk)
  )

  return {
    sharedKey,
    ephemeralPublic: ephemeral.publicKey,
    prekeyId: theirSignedPrekey.id,
    associatedData: uint8ArrayConcat([myKeys.publicKey, theirAccountPublicKey])
  }
}

/**
 * Answer a first message: derive the initiator's SK from its ephemeral key,
 * with the private key of the signed prekey it named (current or within the
 * grace period).
 *
 * @throws InvalidMessageError if a key is unusable (not a point, low order, wrong length)
 */
export function x3dhRespond (myKeys: AccountKeys, mySignedPrekeyPrivate: Uint8Array, theirAccountPublicKey: Uint8Array, ephemeralPublic: Uint8Array): X3dhResponse {
  checkAccountKey(theirAccountPublicKey, 'sender\'s')

  if (mySignedPrekeyPrivate.byteLength !== X25519_KEY_BYTES) {
    throw new InvalidMessageError(`A signed prekey private key is ${X25519_KEY_BYTES} bytes, got ${mySignedPrekeyPrivate.byteLength}`)
  }

  // nothing else authenticates the ephemeral key: a second encoding of it
  // (top bit set, or not reduced) would give the same SK and so let a
  // modified first message decrypt
  if (ephemeralPublic.byteLength === X25519_KEY_BYTES && !isCanonicalX25519PublicKey(ephemeralPublic)) {
    throw new InvalidMessageError('The ephemeral key is not canonically encoded (top bit set, or not below 2^255 - 19)')
  }

  const identityKey = identityDhPrivateKey(myKeys)
  const theirIdentityKey = identityDhPublicKey(theirAccountPublicKey)

  const sharedKey = kdf(
    dh(mySignedPrekeyPrivate, theirIdentityKey),
    dh(identityKey, ephemeralPublic),
    dh(mySignedPrekeyPrivate, ephemeralPublic)
  )

  return {
    sharedKey,
    associatedData: uint8ArrayConcat([theirAccountPublicKey, myKeys.publicKey])
  }
}
