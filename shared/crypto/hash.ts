/** Hashes used by Parley's formats. */

import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'

/** SHA-256 of the concatenation of `parts`. */
export function sha256 (...parts: Uint8Array[]): Uint8Array {
  const hash = nobleSha256.create()
  for (const part of parts) {
    hash.update(part)
  }
  return hash.digest()
}
