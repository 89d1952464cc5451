/**
 * A Parley account is an Ed25519 key pair. Its account id, the text users
 * share, is derived from the public key with a version byte and a checksum
 * so that a typo or a truncated copy is caught (docs/identity.md).
 */

import { toString as uint8ArrayToString } from 'uint8arrays/to-string'
import { fromString as uint8ArrayFromString } from 'uint8arrays/from-string'
import { InvalidParametersError } from '@libp2p/interface'
import { InvalidAccountIdError } from '#shared/errors.ts'
import { sha256 } from '#shared/crypto/hash.ts'
import {
  ED25519_PUBLIC_KEY_BYTES,
  ED25519_PRIVATE_KEY_BYTES,
  ed25519PublicKey,
  generateEd25519KeyPair,
  isValidEd25519PublicKey,
  signWithDomain,
  verifyWithDomain
} from '#shared/crypto/signing.ts'

/** An account key pair. `privateKey` is the 32-byte Ed25519 seed: never log or send it. */
export interface AccountKeys {
  readonly publicKey: Uint8Array
  readonly privateKey: Uint8Array
}

/** Version byte of the account id format. */
export const ACCOUNT_ID_VERSION = 0x01

/** Checksum tag: the checksum is the first 4 bytes of sha256(tag || publicKey). */
export const ACCOUNT_ID_CHECKSUM_TAG = 'parley/account-id'

const CHECKSUM_BYTES = 4
const ACCOUNT_ID_BYTES = 1 + ED25519_PUBLIC_KEY_BYTES + CHECKSUM_BYTES
const checksumTag = new TextEncoder().encode(ACCOUNT_ID_CHECKSUM_TAG)

// base58btc of 37 bytes is 50–51 characters; anything far longer is not an
// id, and we refuse it before decoding.
const MAX_ACCOUNT_ID_CHARS = 64
const BASE58_ALPHABET = /^[1-9A-HJ-NP-Za-km-z]+$/

/** A new random account. */
export function generateAccountKeys (): AccountKeys {
  return generateEd25519KeyPair()
}

/** The account of a stored 32-byte private key (seed). */
export function accountKeysFromPrivateKey (privateKey: Uint8Array): AccountKeys {
  if (privateKey.byteLength !== ED25519_PRIVATE_KEY_BYTES) {
    throw new InvalidParametersError(`An account private key is ${ED25519_PRIVATE_KEY_BYTES} bytes, got ${privateKey.byteLength}`)
  }

  return { privateKey: privateKey.slice(), publicKey: ed25519PublicKey(privateKey) }
}

function checksum (publicKey: Uint8Array): Uint8Array {
  return sha256(checksumTag, publicKey).subarray(0, CHECKSUM_BYTES)
}

/**
 * The account id of a public key: base58btc (no multibase prefix) of
 * `0x01 || publicKey (32) || sha256('parley/account-id' || publicKey)[0..4]`.
 */
export function accountIdFromPublicKey (publicKey: Uint8Array): string {
  if (publicKey.byteLength !== ED25519_PUBLIC_KEY_BYTES) {
    throw new InvalidParametersError(`An account public key is ${ED25519_PUBLIC_KEY_BYTES} bytes, got ${publicKey.byteLength}`)
  }

  const bytes = new Uint8Array(ACCOUNT_ID_BYTES)
  bytes[0] = ACCOUNT_ID_VERSION
  bytes.set(publicKey, 1)
  bytes.set(checksum(publicKey), 1 + ED25519_PUBLIC_KEY_BYTES)
  return uint8ArrayToString(bytes, 'base58btc')
}

/**
 * The public key inside an account id. Surrounding whitespace is ignored.
 *
 * @throws InvalidAccountIdError saying what is wrong (characters, length, version, checksum)
 */
export function publicKeyFromAccountId (accountId: string): Uint8Array {
  const text = accountId.trim()

  if (text.length === 0) {
    throw new InvalidAccountIdError('Not a Parley account id: it is empty')
  }

  if (text.length > MAX_ACCOUNT_ID_CHARS) {
    throw new InvalidAccountIdError(`Not a Parley account id: too long (${text.length} characters; an id is about 50)`)
  }

  if (!BASE58_ALPHABET.test(text)) {
    throw new InvalidAccountIdError('Not a Parley account id: it contains characters an id never has (0, O, I, l, spaces or punctuation) — was it retyped by hand?')
  }

  const bytes = uint8ArrayFromString(text, 'base58btc')

  if (bytes.byteLength !== ACCOUNT_ID_BYTES) {
    throw new InvalidAccountIdError(`Not a Parley account id: wrong length (${bytes.byteLength} bytes instead of ${ACCOUNT_ID_BYTES}) — was it copied fully?`)
  }

  if (bytes[0] !== ACCOUNT_ID_VERSION) {
    throw new InvalidAccountIdError(`Not a Parley account id: unknown version ${bytes[0]} — it may come from a newer Parley; update this app`)
  }

  const publicKey = bytes.slice(1, 1 + ED25519_PUBLIC_KEY_BYTES)
  const expected = checksum(publicKey)
  const actual = bytes.subarray(1 + ED25519_PUBLIC_KEY_BYTES)

  if (!expected.every((byte, i) => byte === actual[i])) {
    throw new InvalidAccountIdError('Not a Parley account id: checksum mismatch — was it copied fully?')
  }

  if (!isValidEd25519PublicKey(publicKey)) {
    throw new InvalidAccountIdError('Not a Parley account id: it does not contain a valid public key')
  }

  return publicKey
}

/** Whether `text` is a well-formed account id (surrounding whitespace allowed). */
export function isAccountId (text: string): boolean {
  try {
    publicKeyFromAccountId(text)
    return true
  } catch {
    return false
  }
}

/**
 * Sign `data` with the account key under a signature domain (one of the
 * `*_DOMAIN` constants): the signature covers `utf8(domain) || 0x00 || data`.
 */
export function signAs (keys: AccountKeys, domain: string, data: Uint8Array): Uint8Array {
  return signWithDomain(keys.privateKey, domain, data)
}

/** Check a signature made with {@link signAs}. Never throws on bad input; returns false. */
export function verifySignature (publicKey: Uint8Array, domain: string, data: Uint8Array, signature: Uint8Array): boolean {
  return verifyWithDomain(publicKey, domain, data, signature)
}
