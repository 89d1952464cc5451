/**
 * X25519 Diffie-Hellman for the end-to-end layer (docs/protocols/e2e.md),
 * and the account's identity DH key.
 *
 * The identity DH key is not a key of its own: it is the account's Ed25519
 * key moved to the Montgomery form of the same curve (the birational map of
 * RFC 7748 §4.1; libsodium's `crypto_sign_ed25519_pk_to_curve25519`). Signal
 * does the converse — X25519 identity keys, signed with XEdDSA — and both
 * rest on the same fact: one Curve25519 scalar can serve Ed25519 signatures
 * and X25519 agreement (Thormarker, "On using the same key pair for Ed25519
 * and an X25519 based KEM", 2021). So the account id alone lets a sender
 * compute the recipient's identity DH key, and no second key has to be
 * published, certified or verified.
 */

import { ed25519, x25519 } from '@noble/curves/ed25519.js'
import { InvalidMessageError, InvalidParametersError } from '@libp2p/interface'
import { ED25519_PRIVATE_KEY_BYTES, isValidEd25519PublicKey } from './signing.ts'
import { randomBytes } from './random.ts'
import type { AccountKeys } from '#shared/identity/account.ts'

/** X25519 key and shared-secret length in bytes. */
export const X25519_KEY_BYTES = 32

/** An X25519 key pair. `privateKey` is the 32 raw bytes (clamped when used). Never log it. */
export interface X25519KeyPair {
  readonly publicKey: Uint8Array
  readonly privateKey: Uint8Array
}

/**
 * Where new private keys come from. Production code never passes one: the
 * default is the platform CSPRNG. Tests pass a fixed source to reproduce
 * test vectors.
 */
export type RandomSource = (length: number) => Uint8Array

/** Options of the functions that create key pairs. */
export interface RandomOptions {
  /**
   * Tests only: a fixed source of random bytes, to make outputs reproducible.
   *
   * @default the platform CSPRNG (`crypto.getRandomValues`)
   */
  randomBytes?: RandomSource
}

/** The X25519 key pair of 32 private-key bytes. */
export function x25519KeyPairFromPrivateKey (privateKey: Uint8Array): X25519KeyPair {
  if (privateKey.byteLength !== X25519_KEY_BYTES) {
    throw new InvalidParametersError(`An X25519 private key is ${X25519_KEY_BYTES} bytes, got ${privateKey.byteLength}`)
  }

  return { privateKey: privateKey.slice(), publicKey: x25519.getPublicKey(privateKey) }
}

/** A fresh X25519 key pair. */
export function generateX25519KeyPair (options: RandomOptions = {}): X25519KeyPair {
  const random = options.randomBytes ?? randomBytes
  return x25519KeyPairFromPrivateKey(random(X25519_KEY_BYTES))
}

/**
 * X25519(privateKey, publicKey). The public key comes from the network, so
 * it is checked: 32 bytes, and not of low order (noble refuses those instead
 * of returning the all-zero secret, RFC 7748 §6.1).
 *
 * @throws InvalidMessageError if the public key is unusable
 */
export function dh (privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  if (publicKey.byteLength !== X25519_KEY_BYTES) {
    throw new InvalidMessageError(`An X25519 public key is ${X25519_KEY_BYTES} bytes, got ${publicKey.byteLength}`)
  }

  try {
    return x25519.getSharedSecret(privateKey, publicKey)
  } catch {
    throw new InvalidMessageError('X25519 public key refused: it is of low order (no shared secret)')
  }
}

/** 2^255 − 19, the field prime of Curve25519. */
const CURVE25519_P = 2n ** 255n - 19n

/**
 * True if `publicKey` is the one canonical encoding of its u-coordinate: 32
 * bytes, little-endian, below 2^255 − 19 (so the top bit is clear too).
 * X25519 itself ignores the top bit and reduces larger values (RFC 7748 §5),
 * so two different byte strings can give the same shared secret: a key that
 * nothing else authenticates (X3DH's ephemeral key) must be canonical, or a
 * modified message would still decrypt.
 */
export function isCanonicalX25519PublicKey (publicKey: Uint8Array): boolean {
  if (publicKey.byteLength !== X25519_KEY_BYTES) {
    return false
  }
  let u = 0n
  for (let i = X25519_KEY_BYTES - 1; i >= 0; i--) {
    u = (u << 8n) | BigInt(publicKey[i])
  }
  return u < CURVE25519_P
}

/**
 * The identity DH public key of an account: its Ed25519 public key mapped to
 * X25519 (u = (1 + y) / (1 − y)).
 *
 * @throws InvalidMessageError if the account key is not a valid Ed25519 point
 */
export function identityDhPublicKey (accountPublicKey: Uint8Array): Uint8Array {
  if (!isValidEd25519PublicKey(accountPublicKey)) {
    throw new InvalidMessageError('Not a valid account public key (Ed25519, 32 bytes)')
  }

  return ed25519.utils.toMontgomery(accountPublicKey)
}

/**
 * The identity DH private key of an account: the clamped first half of
 * SHA-512(seed), the same scalar Ed25519 signs with, so that its X25519
 * public key is {@link identityDhPublicKey} of the account's public key.
 */
export function identityDhPrivateKey (keys: AccountKeys): Uint8Array {
  if (keys.privateKey.byteLength !== ED25519_PRIVATE_KEY_BYTES) {
    throw new InvalidParametersError(`An account private key is ${ED25519_PRIVATE_KEY_BYTES} bytes, got ${keys.privateKey.byteLength}`)
  }

  return ed25519.utils.toMontgomerySecret(keys.privateKey)
}
