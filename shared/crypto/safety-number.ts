/**
 * Safety numbers: a 60-digit code both sides of a conversation compute from
 * both account keys, compared out of band (read aloud, or a QR scan) to rule
 * out a key substitution. Signal's numeric fingerprint, unchanged except for
 * what is hashed (docs/protocols/e2e.md, "Safety numbers"):
 *
 * ```
 * h_0     = 0x0000 (version, 2 bytes) || account public key (32) || utf8(account id)
 * h_i     = SHA-512(h_{i-1} || account public key),  i = 1 … 5200
 * digits  = for each of the first six 5-byte chunks c of h_5200:
 *           (c as a big-endian integer) mod 100000, as 5 digits with leading zeros
 * number  = the two sides' 30 digits, the smaller string first → 60 digits,
 *           shown in 12 groups of 5
 * ```
 *
 * The iterations make a second key with a matching half cost 5200 hashes
 * per try (Signal's choice). Because the account id is derived from the
 * public key, a changed key always changes the number.
 */

import { sha512 } from '@noble/hashes/sha2.js'
import { InvalidParametersError } from '@libp2p/interface'
import { accountIdFromPublicKey } from '#shared/identity/account.ts'

/** Hash iterations, as Signal. */
export const SAFETY_NUMBER_ITERATIONS = 5200

/** Version prefixed to the hash input (Signal's FINGERPRINT_VERSION). */
export const SAFETY_NUMBER_VERSION = 0

const encoder = new TextEncoder()
const CHUNKS = 6
const CHUNK_BYTES = 5
const GROUP_DIGITS = 5

/**
 * One side's 64-byte fingerprint hash: SHA-512 iterated over its key and
 * stable id as above. `publicKey` is taken as given (Signal hashes its
 * 33-byte serialized key; Parley the 32-byte Ed25519 key).
 */
export function fingerprintHash (publicKey: Uint8Array, stableId: Uint8Array, iterations: number = SAFETY_NUMBER_ITERATIONS): Uint8Array {
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new InvalidParametersError(`iterations must be a positive integer, got ${iterations}`)
  }

  let hash = new Uint8Array(2 + publicKey.byteLength + stableId.byteLength)
  hash[0] = (SAFETY_NUMBER_VERSION >> 8) & 0xff
  hash[1] = SAFETY_NUMBER_VERSION & 0xff
  hash.set(publicKey, 2)
  hash.set(stableId, 2 + publicKey.byteLength)

  for (let i = 0; i < iterations; i++) {
    hash = sha512.create().update(hash).update(publicKey).digest()
  }
  return hash
}

/** One side's 30 digits: six 5-byte big-endian chunks of its fingerprint hash, each mod 100000. */
export function fingerprintDigits (publicKey: Uint8Array, stableId: Uint8Array, iterations: number = SAFETY_NUMBER_ITERATIONS): string {
  const hash = fingerprintHash(publicKey, stableId, iterations)
  let digits = ''

  for (let chunk = 0; chunk < CHUNKS; chunk++) {
    let value = 0
    for (let i = 0; i < CHUNK_BYTES; i++) {
      // 40 bits fit exactly in a double; no bitwise ops (they truncate to 32 bits)
      value = value * 256 + hash[chunk * CHUNK_BYTES + i]
    }
    digits += String(value % 100000).padStart(GROUP_DIGITS, '0')
  }

  return digits
}

/** The two sides' digits in sorted order: the same 60 digits on both sides. */
export function combineFingerprints (mine: string, theirs: string): string {
  return mine <= theirs ? mine + theirs : theirs + mine
}

/** 60 digits as 12 groups of 5 separated by single spaces. */
export function formatSafetyNumber (digits: string): string {
  return digits.match(/\d{1,5}/g)?.join(' ') ?? ''
}

function side (publicKey: Uint8Array, accountId: string): string {
  let expected: string
  try {
    expected = accountIdFromPublicKey(publicKey)
  } catch (err: any) {
    throw new InvalidParametersError(`Cannot compute a safety number: ${err.message}`)
  }

  if (expected !== accountId) {
    throw new InvalidParametersError('Cannot compute a safety number: the account id does not belong to the public key given with it')
  }

  return fingerprintDigits(publicKey, encoder.encode(accountId))
}

/**
 * The safety number of a conversation: 60 digits in 12 groups of 5
 * (`"12345 67890 … 24680"`). Both sides get the same string; it changes when
 * either account key changes.
 *
 * @throws InvalidParametersError if a key is not 32 bytes or an account id is not the id of the key given with it
 */
export function safetyNumber (myAccountPublicKey: Uint8Array, myAccountId: string, theirAccountPublicKey: Uint8Array, theirAccountId: string): string {
  return formatSafetyNumber(combineFingerprints(side(myAccountPublicKey, myAccountId), side(theirAccountPublicKey, theirAccountId)))
}
