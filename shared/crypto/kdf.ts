/**
 * Passphrase-based key derivation: scrypt (RFC 7914), memory-hard, so that
 * guessing passphrases from a stolen vault costs memory as well as time.
 */

import { scryptAsync } from '@noble/hashes/scrypt.js'
import { InvalidParametersError } from '@libp2p/interface'

/** scrypt parameters. Memory used is about 128 · r · 2^logN bytes. */
export interface ScryptParams {
  logN: number
  r: number
  p: number
}

/** Smallest cost accepted: 2^10 (1 MiB at r = 8). Below that a guess is nearly free. */
export const SCRYPT_MIN_LOG_N = 10

/**
 * Largest cost accepted: 2^20 (1 GiB at r = 8). Anything more does not fit
 * in a phone's browser tab, and a damaged or hostile vault must not make us
 * try to allocate more.
 */
export const SCRYPT_MAX_LOG_N = 20

/** Default cost: 2^17 (128 MiB at r = 8), about 1 s in Node 22 with noble. */
export const SCRYPT_DEFAULT_LOG_N = 17

/** The only block size and parallelism this version writes or reads. */
export const SCRYPT_R = 8
export const SCRYPT_P = 1

/** Memory scrypt will use for `params`, in bytes (noble's accounting, 128 · r · (N + p + 1)). */
export function scryptMemory (params: ScryptParams): number {
  return 128 * params.r * (2 ** params.logN + params.p + 1)
}

/**
 * Throws InvalidParametersError unless `params` are within the bounds above:
 * check before running the KDF, since the KDF itself is the expensive part.
 */
export function checkScryptParams (params: ScryptParams): void {
  if (!Number.isInteger(params.logN) || params.logN < SCRYPT_MIN_LOG_N || params.logN > SCRYPT_MAX_LOG_N) {
    throw new InvalidParametersError(`scrypt cost logN must be an integer from ${SCRYPT_MIN_LOG_N} to ${SCRYPT_MAX_LOG_N}, got ${params.logN}`)
  }

  if (params.r !== SCRYPT_R || params.p !== SCRYPT_P) {
    throw new InvalidParametersError(`scrypt parameters must be r=${SCRYPT_R}, p=${SCRYPT_P}, got r=${params.r}, p=${params.p}`)
  }
}

/**
 * Derive a `length`-byte key from a passphrase (already normalised and
 * UTF-8 encoded) and salt. Yields to the event loop while it works.
 */
export async function deriveKey (passphrase: Uint8Array, salt: Uint8Array, params: ScryptParams, length = 32): Promise<Uint8Array> {
  checkScryptParams(params)

  return scryptAsync(passphrase, salt, {
    N: 2 ** params.logN,
    r: params.r,
    p: params.p,
    dkLen: length,
    maxmem: scryptMemory(params)
  })
}
