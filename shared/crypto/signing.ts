/**
 * Ed25519 signatures with domain separation: every signature Parley makes
 * covers `utf8(domain) || 0x00 || data`, so a signature made for one purpose
 * (a device certificate, say) can never be replayed as another (an account
 * record). Domains are the `*_DOMAIN` constants in
 * `#shared/protocol/constants.ts`.
 */

import { ed25519 } from '@noble/curves/ed25519.js'
import { InvalidParametersError } from '@libp2p/interface'
import { domainMessage } from './domain.ts'

/** Ed25519 public key length in bytes. */
export const ED25519_PUBLIC_KEY_BYTES = 32

/** Ed25519 private key (seed) length in bytes. */
export const ED25519_PRIVATE_KEY_BYTES = 32

/** Ed25519 signature length in bytes. */
export const ED25519_SIGNATURE_BYTES = 64

/** Sign `data` under `domain` with a 32-byte Ed25519 seed. */
export function signWithDomain (privateKey: Uint8Array, domain: string, data: Uint8Array): Uint8Array {
  if (privateKey.byteLength !== ED25519_PRIVATE_KEY_BYTES) {
    throw new InvalidParametersError(`An Ed25519 private key is ${ED25519_PRIVATE_KEY_BYTES} bytes, got ${privateKey.byteLength}`)
  }

  return ed25519.sign(domainMessage(domain, data), privateKey)
}

/**
 * Check a domain-separated signature. Returns false, never throws, for
 * anything that does not verify, including malformed keys and signatures:
 * all of these come from the network. Verification follows RFC 8032 strictly
 * (canonical encodings only, no ZIP-215 leniency), so every implementation
 * agrees on which records are valid.
 */
export function verifyWithDomain (publicKey: Uint8Array, domain: string, data: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.byteLength !== ED25519_PUBLIC_KEY_BYTES || signature.byteLength !== ED25519_SIGNATURE_BYTES) {
    return false
  }

  const message = domainMessage(domain, data)

  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false })
  } catch {
    return false
  }
}

/** A fresh random Ed25519 key pair: 32-byte seed and 32-byte public key. */
export function generateEd25519KeyPair (): { privateKey: Uint8Array, publicKey: Uint8Array } {
  const { secretKey, publicKey } = ed25519.keygen()
  return { privateKey: secretKey, publicKey }
}

/** The Ed25519 public key of a 32-byte seed. */
export function ed25519PublicKey (privateKey: Uint8Array): Uint8Array {
  if (privateKey.byteLength !== ED25519_PRIVATE_KEY_BYTES) {
    throw new InvalidParametersError(`An Ed25519 private key is ${ED25519_PRIVATE_KEY_BYTES} bytes, got ${privateKey.byteLength}`)
  }

  return ed25519.getPublicKey(privateKey)
}

/** Whether `publicKey` is the canonical encoding of a point on the curve. */
export function isValidEd25519PublicKey (publicKey: Uint8Array): boolean {
  if (publicKey.byteLength !== ED25519_PUBLIC_KEY_BYTES) {
    return false
  }

  try {
    return ed25519.utils.isValidPublicKey(publicKey, false)
  } catch {
    return false
  }
}
