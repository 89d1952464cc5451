/** Cryptographically secure random bytes, in Node and browsers alike. */

import { randomBytes as nobleRandomBytes } from '@noble/hashes/utils.js'

/** `length` bytes from the platform CSPRNG (`crypto.getRandomValues`). */
export function randomBytes (length: number): Uint8Array {
  return nobleRandomBytes(length)
}
