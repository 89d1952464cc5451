/**
 * A device is a libp2p peer with its own Ed25519 peer id, certified by the
 * account key: the certificate is the account's signed statement "this peer
 * is one of my devices" (docs/identity.md).
 */

import { InvalidMessageError } from '@libp2p/interface'
import { peerIdFromMultihash } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { equals as uint8ArrayEquals } from 'uint8arrays/equals'
import { toString as uint8ArrayToString } from 'uint8arrays/to-string'
import { InvalidSignatureError } from '#shared/errors.ts'
import { DEVICE_CERT_DOMAIN } from '#shared/protocol/constants.ts'
import { ED25519_PUBLIC_KEY_BYTES } from '#shared/crypto/signing.ts'
import { accountIdFromPublicKey, signAs, verifySignature } from './account.ts'
import { DeviceCertificate } from './pb/identity.ts'
import type { AccountKeys } from './account.ts'
import type { PeerId } from '@libp2p/interface'

export { DeviceCertificate }

/**
 * Largest encoded certificate: 32-byte key + 38-byte peer id + timestamp +
 * 64-byte signature is ~150 bytes; anything much bigger is not a certificate.
 */
export const MAX_DEVICE_CERT_BYTES = 256

/** The bytes a certificate's signature covers: its encoding with `signature` unset. */
function signedBytes (cert: DeviceCertificate): Uint8Array {
  return DeviceCertificate.encode({
    accountPublicKey: cert.accountPublicKey,
    peerId: cert.peerId,
    issuedAt: cert.issuedAt
  })
}

/**
 * Certify `peerId` as a device of the account.
 *
 * @param issuedAt - ms since the Unix epoch; default now
 */
export function certifyDevice (keys: AccountKeys, peerId: PeerId, issuedAt: number = Date.now()): DeviceCertificate {
  if (peerId.type !== 'Ed25519') {
    throw new InvalidMessageError(`A device's peer id must be Ed25519, got ${peerId.type}`)
  }

  if (!Number.isSafeInteger(issuedAt) || issuedAt < 0) {
    throw new InvalidMessageError('issuedAt must be a non-negative integer (ms since the Unix epoch)')
  }

  const cert: DeviceCertificate = {
    accountPublicKey: Uint8Array.from(keys.publicKey),
    peerId: Uint8Array.from(peerId.toMultihash().bytes),
    issuedAt,
    signature: new Uint8Array(0)
  }

  cert.signature = Uint8Array.from(signAs(keys, DEVICE_CERT_DOMAIN, signedBytes(cert)))
  return cert
}

/** The device peer id a certificate names, without checking the signature. */
function certifiedPeerId (cert: DeviceCertificate): PeerId {
  let peerId: PeerId
  try {
    peerId = peerIdFromMultihash(Digest.decode(cert.peerId))
  } catch {
    throw new InvalidSignatureError('Device certificate is malformed: its peer id does not decode')
  }

  if (peerId.type !== 'Ed25519') {
    throw new InvalidSignatureError(`Device certificate is malformed: a device's peer id must be Ed25519, not ${peerId.type}`)
  }

  return peerId
}

/**
 * Check a device certificate.
 *
 * @param expectedAccountPublicKey - if given, the certificate must also be for this account
 * @returns the certifying account's id and the device's peer id
 * @throws InvalidSignatureError if it is malformed, forged, or for another account
 */
export function verifyDeviceCertificate (cert: DeviceCertificate, expectedAccountPublicKey?: Uint8Array): { accountId: string, peerId: PeerId } {
  if (cert.accountPublicKey.byteLength !== ED25519_PUBLIC_KEY_BYTES) {
    throw new InvalidSignatureError('Device certificate is malformed: its account key is not 32 bytes')
  }

  if (!Number.isSafeInteger(cert.issuedAt) || cert.issuedAt < 0) {
    throw new InvalidSignatureError('Device certificate is malformed: bad issue time')
  }

  const peerId = certifiedPeerId(cert)

  if (!verifySignature(cert.accountPublicKey, DEVICE_CERT_DOMAIN, signedBytes(cert), cert.signature)) {
    throw new InvalidSignatureError('Device certificate signature does not verify: it was not issued by this account or was altered')
  }

  if (expectedAccountPublicKey != null && !uint8ArrayEquals(expectedAccountPublicKey, cert.accountPublicKey)) {
    throw new InvalidSignatureError('Device certificate belongs to a different account')
  }

  return { accountId: accountIdFromPublicKey(cert.accountPublicKey), peerId }
}

/** The wire form of a certificate (protobuf). */
export function encodeDeviceCertificate (cert: DeviceCertificate): Uint8Array {
  return DeviceCertificate.encode(cert)
}

/**
 * Read a certificate from its wire form. Does not verify it: call
 * {@link verifyDeviceCertificate}.
 *
 * @throws InvalidMessageError if the bytes are oversized or not a certificate
 */
export function decodeDeviceCertificate (bytes: Uint8Array): DeviceCertificate {
  if (bytes.byteLength > MAX_DEVICE_CERT_BYTES) {
    throw new InvalidMessageError(`Device certificate is too large (${bytes.byteLength} bytes, at most ${MAX_DEVICE_CERT_BYTES})`)
  }

  try {
    return DeviceCertificate.decode(bytes)
  } catch (err: any) {
    throw new InvalidMessageError(`Device certificate does not decode: ${err.message}`)
  }
}

/** A device certificate that verified: the device and the account it speaks for. */
export interface CertifiedDevice {
  accountId: string
  peerId: PeerId
  accountPublicKey: Uint8Array
}

/**
 * Verifies encoded device certificates and remembers the last `size` that
 * verified (the oldest is dropped first): a peer sends the same certificate
 * with every envelope or request, so each costs one Ed25519 check.
 */
export class CertificateCache {
  private readonly size: number
  private readonly verified = new Map<string, CertifiedDevice>()

  constructor (size = 1024) {
    this.size = size
  }

  /** @throws InvalidSignatureError, or a decoding error, for a certificate that does not verify */
  verify (bytes: Uint8Array): CertifiedDevice {
    const key = uint8ArrayToString(bytes, 'base64')
    const known = this.verified.get(key)
    if (known != null) {
      return known
    }
    const certificate = decodeDeviceCertificate(bytes)
    const certified = { ...verifyDeviceCertificate(certificate), accountPublicKey: certificate.accountPublicKey }
    if (this.verified.size >= this.size) {
      this.verified.delete(this.verified.keys().next().value as string)
    }
    this.verified.set(key, certified)
    return certified
  }
}
