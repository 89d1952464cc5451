/**
 * Domain separation: the bytes that are signed, or bound as associated data,
 * are always prefixed with what they are for, so that bytes made for one
 * purpose can never be taken for another.
 */

import { InvalidParametersError } from '@libp2p/interface'

const encoder = new TextEncoder()

/**
 * The exact bytes a domain-separated signature (or associated data) covers:
 * `utf8(domain) || 0x00 || data`. The domain must be non-empty and contain no
 * NUL, so the separator is unambiguous.
 */
export function domainMessage (domain: string, data: Uint8Array): Uint8Array {
  if (domain.length === 0 || domain.includes('\u0000')) {
    throw new InvalidParametersError('A signature domain must be a non-empty string without NUL characters')
  }

  const prefix = encoder.encode(domain)
  const message = new Uint8Array(prefix.byteLength + 1 + data.byteLength)
  message.set(prefix, 0)
  message[prefix.byteLength] = 0
  message.set(data, prefix.byteLength + 1)
  return message
}
