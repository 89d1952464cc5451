/**
 * Authenticated encryption: XChaCha20-Poly1305. Its 24-byte nonce is large
 * enough to pick at random for every message without tracking counters.
 */

import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { randomBytes } from './random.ts'

export const AEAD_KEY_BYTES = 32
export const AEAD_NONCE_BYTES = 24
export const AEAD_TAG_BYTES = 16

/** A fresh random nonce. */
export function randomNonce (): Uint8Array {
  return randomBytes(AEAD_NONCE_BYTES)
}

/** Encrypt and authenticate `plaintext`, binding `associatedData` to it. */
export function seal (key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, associatedData?: Uint8Array): Uint8Array {
  return xchacha20poly1305(key, nonce, associatedData).encrypt(plaintext)
}

/**
 * Decrypt `ciphertext`. Returns undefined, rather than throwing, when it does
 * not authenticate (wrong key, altered ciphertext or associated data).
 */
export function open (key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, associatedData?: Uint8Array): Uint8Array | undefined {
  if (ciphertext.byteLength < AEAD_TAG_BYTES) {
    return undefined
  }

  try {
    return xchacha20poly1305(key, nonce, associatedData).decrypt(ciphertext)
  } catch {
    return undefined
  }
}
