/**
 * Sealing records at rest — message bodies, ratchet states, one's own
 * prekeys — under the vault's storage key (docs/protocols/e2e.md, "Sealed
 * storage").
 *
 * ```
 * key    = HKDF-SHA256(ikm = storage key, salt = none, info = "parley/at-rest/key/v1", L = 32)
 * sealed = 0x01 || nonce (24 random bytes) || XChaCha20-Poly1305(key, nonce, plaintext, ad)
 * ad     = utf8("parley/at-rest/v1") || 0x00 || utf8(context)
 * ```
 *
 * The context names where the record lives (e.g. `sessions/<account id>`,
 * `messages/<conversation>/<message id>`), so a sealed value copied to
 * another key of the store does not open there. The key is derived rather
 * than the storage key used directly, so that other uses of the storage key
 * can never collide with this one.
 */

import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { InvalidParametersError } from '@libp2p/interface'
import { DecryptionError } from '#shared/errors.ts'
import { AT_REST_DOMAIN, AT_REST_KEY_INFO } from '#shared/protocol/constants.ts'
import { AEAD_KEY_BYTES, AEAD_NONCE_BYTES, AEAD_TAG_BYTES, open, randomNonce, seal } from './aead.ts'
import { domainMessage } from './domain.ts'

/** Format byte of a sealed record. */
export const AT_REST_VERSION = 0x01

/** Bytes a sealed record adds to its plaintext: version, nonce, tag. */
export const AT_REST_OVERHEAD = 1 + AEAD_NONCE_BYTES + AEAD_TAG_BYTES

const encoder = new TextEncoder()
const keyInfo = encoder.encode(AT_REST_KEY_INFO)

function sealingKey (storageKey: Uint8Array): Uint8Array {
  if (storageKey.byteLength !== AEAD_KEY_BYTES) {
    throw new InvalidParametersError(`A storage key is ${AEAD_KEY_BYTES} bytes, got ${storageKey.byteLength}`)
  }

  return hkdf(sha256, storageKey, undefined, keyInfo, AEAD_KEY_BYTES)
}

function associatedData (context: string): Uint8Array {
  if (context.length === 0) {
    throw new InvalidParametersError('A sealing context must be non-empty: name where the record is stored')
  }

  return domainMessage(AT_REST_DOMAIN, encoder.encode(context))
}

/**
 * Seal `plaintext` for storage under `context`, with a fresh random nonce.
 *
 * @param storageKey - the vault's 32-byte storage key
 * @param context - where the record is stored; the same string opens it
 */
export function sealAtRest (storageKey: Uint8Array, plaintext: Uint8Array, context: string): Uint8Array {
  const key = sealingKey(storageKey)
  const ad = associatedData(context)
  const nonce = randomNonce()
  const ciphertext = seal(key, nonce, plaintext, ad)
  key.fill(0)

  const sealed = new Uint8Array(1 + AEAD_NONCE_BYTES + ciphertext.byteLength)
  sealed[0] = AT_REST_VERSION
  sealed.set(nonce, 1)
  sealed.set(ciphertext, 1 + AEAD_NONCE_BYTES)
  return sealed
}

/**
 * Open a record sealed by {@link sealAtRest} with the same storage key and context.
 *
 * @throws DecryptionError `malformed` (too short, unknown version) or
 *   `unauthenticated` (another key or context, or altered)
 */
export function openAtRest (storageKey: Uint8Array, sealed: Uint8Array, context: string): Uint8Array {
  const ad = associatedData(context)
  const key = sealingKey(storageKey)

  try {
    if (sealed.byteLength < AT_REST_OVERHEAD) {
      throw new DecryptionError(`Sealed record is too short (${sealed.byteLength} bytes): the store is damaged`, 'malformed')
    }

    if (sealed[0] !== AT_REST_VERSION) {
      throw new DecryptionError(`Sealed record has unknown format ${sealed[0]}: it was written by a newer Parley, or the store is damaged`, 'malformed')
    }

    const plaintext = open(key, sealed.subarray(1, 1 + AEAD_NONCE_BYTES), sealed.subarray(1 + AEAD_NONCE_BYTES), ad)

    if (plaintext == null) {
      throw new DecryptionError('Sealed record does not open: it was altered, moved from another place in the store, or sealed with another key', 'unauthenticated')
    }

    return plaintext
  } finally {
    key.fill(0)
  }
}
