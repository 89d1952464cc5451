/**
 * Pairing codes and the PAIR signature (docs/protocols/mailbox.md, "Pairing").
 *
 * A code's text is `parley-mailbox:` followed by the lowercase base32 (RFC
 * 4648, no padding) of a `PairingCode`: the mailbox's peer id, a 128-bit
 * one-time secret, where to dial it, and when the code expires. Holding the
 * code lets a device pair (the secret); the peer id lets it check that it
 * pairs with that mailbox and no other (Noise authenticates the connection's
 * remote peer).
 */

import { InvalidParametersError } from '@libp2p/interface'
import { peerIdFromMultihash } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import * as Digest from 'multiformats/hashes/digest'
import { fromString as uint8ArrayFromString } from 'uint8arrays/from-string'
import { toString as uint8ArrayToString } from 'uint8arrays/to-string'
import { InvalidPairingCodeError, InvalidSignatureError } from '../../errors.ts'
import { accountIdFromPublicKey, signAs, verifySignature } from '../../identity/account.ts'
import { decodeDeviceCertificate, verifyDeviceCertificate } from '../../identity/device.ts'
import { isRelayedAddr } from '../../net/addrs.ts'
import {
  MAILBOX_CODE_PREFIX, MAILBOX_CODE_SECRET_BYTES, MAILBOX_PAIR_DOMAIN, MAX_ADDRS_PER_DEVICE, MAX_MAILBOX_CODE_CHARS
} from '../constants.ts'
import { PairingCode } from './pb/mailbox.ts'
import type { PairRequest } from './pb/mailbox.ts'
import type { AccountKeys } from '../../identity/account.ts'
import type { PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** What a pairing code says. */
export interface PairingCodeInfo {
  /** The mailbox's peer id. */
  peerId: PeerId
  /** The one-time secret (MAILBOX_CODE_SECRET_BYTES bytes). */
  secret: Uint8Array
  /** Where to dial the mailbox; each ends in `/p2p/<peerId>`. */
  addrs: Multiaddr[]
  /** When the code expires, ms since the epoch (display only: the mailbox decides). */
  expiresAt: number
}

/** A new random pairing secret from the platform CSPRNG. */
export function newPairingSecret (): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(MAILBOX_CODE_SECRET_BYTES))
}

/** Addresses a pairing code names at most: two relays' circuits and two direct listeners. */
const MAX_PAIRING_ADDRS = 4

/**
 * The addresses a code names (the fewer, the smaller its QR): relayed ones
 * first (they work from anywhere), then direct ones; no /webrtc ones — the
 * mailbox protocol needs no direct link, and WebRTC is signalled through the
 * circuit that is listed anyway.
 */
function pairingAddrs (addrs: Multiaddr[]): Multiaddr[] {
  const usable = addrs.filter(ma => !ma.getComponents().some(c => c.name === 'webrtc' || c.name === 'webrtc-direct'))
  return [...usable.filter(ma => isRelayedAddr(ma)), ...usable.filter(ma => !isRelayedAddr(ma))].slice(0, MAX_PAIRING_ADDRS)
}

/** The text form of a pairing code, naming at most MAX_PAIRING_ADDRS of the addresses (see pairingAddrs). */
export function formatPairingCode (info: PairingCodeInfo): string {
  if (info.secret.byteLength !== MAILBOX_CODE_SECRET_BYTES) {
    throw new InvalidParametersError(`A pairing secret is ${MAILBOX_CODE_SECRET_BYTES} bytes`)
  }
  const bytes = PairingCode.encode({
    peerId: Uint8Array.from(info.peerId.toMultihash().bytes),
    secret: Uint8Array.from(info.secret),
    addrs: pairingAddrs(info.addrs).map(a => Uint8Array.from(withPeerId(a, info.peerId).bytes)),
    expiresAt: info.expiresAt
  })
  return MAILBOX_CODE_PREFIX + uint8ArrayToString(bytes, 'base32')
}

/**
 * Reads a pairing code's text (surrounding white space is ignored).
 *
 * @throws InvalidPairingCodeError if it is not a Parley mailbox pairing code
 */
export function parsePairingCode (text: string): PairingCodeInfo {
  if (typeof text !== 'string') {
    throw new InvalidPairingCodeError('A pairing code is text starting with "parley-mailbox:"')
  }
  // any case: a QR code carries it in upper case
  const trimmed = text.trim().toLowerCase()
  if (!trimmed.startsWith(MAILBOX_CODE_PREFIX)) {
    throw new InvalidPairingCodeError('This is not a Parley mailbox pairing code: it should start with "parley-mailbox:". Copy the whole code shown by `parley mailbox pair`.')
  }
  if (trimmed.length > MAX_MAILBOX_CODE_CHARS) {
    throw new InvalidPairingCodeError(`This is too long for a pairing code (at most ${MAX_MAILBOX_CODE_CHARS} characters): copy only the code shown by \`parley mailbox pair\`.`)
  }

  let record: PairingCode
  let peerId: PeerId
  try {
    record = PairingCode.decode(uint8ArrayFromString(trimmed.slice(MAILBOX_CODE_PREFIX.length), 'base32'))
    peerId = peerIdFromMultihash(Digest.decode(record.peerId))
  } catch {
    throw new InvalidPairingCodeError('The pairing code is damaged (it does not decode): copy it again, completely.')
  }
  if (record.secret.byteLength !== MAILBOX_CODE_SECRET_BYTES) {
    throw new InvalidPairingCodeError('The pairing code is damaged (its secret has the wrong size): copy it again, completely.')
  }
  if (record.addrs.length > MAX_ADDRS_PER_DEVICE || !Number.isSafeInteger(record.expiresAt)) {
    throw new InvalidPairingCodeError('The pairing code is damaged: copy it again, completely.')
  }

  const addrs: Multiaddr[] = []
  for (const bytes of record.addrs) {
    try {
      addrs.push(withPeerId(multiaddr(bytes), peerId))
    } catch {
      throw new InvalidPairingCodeError('The pairing code holds an address that is not a multiaddr of its mailbox.')
    }
  }

  return { peerId, secret: record.secret, addrs, expiresAt: record.expiresAt }
}

/** `addr` ending in `/p2p/<peerId>`; throws if it names another peer. */
function withPeerId (addr: Multiaddr, peerId: PeerId): Multiaddr {
  const named = addr.getComponents().findLast(c => c.name === 'p2p')?.value
  if (named == null) {
    return addr.encapsulate(`/p2p/${peerId.toString()}`)
  }
  if (named !== peerId.toString()) {
    throw new InvalidParametersError(`The address ${addr.toString()} is not the mailbox's`)
  }
  return addr
}

/**
 * The bytes the account signs to pair: the mailbox's peer id as multihash
 * bytes (self-delimiting: a varint code and a varint length), then the secret.
 */
export function pairingSignedBytes (mailbox: PeerId, secret: Uint8Array): Uint8Array {
  const id = mailbox.toMultihash().bytes
  const out = new Uint8Array(id.byteLength + secret.byteLength)
  out.set(id, 0)
  out.set(secret, id.byteLength)
  return out
}

/** The account's PAIR signature: under MAILBOX_PAIR_DOMAIN over `pairingSignedBytes`. */
export function signPairing (keys: AccountKeys, mailbox: PeerId, secret: Uint8Array): Uint8Array {
  return signAs(keys, MAILBOX_PAIR_DOMAIN, pairingSignedBytes(mailbox, secret))
}

/** Who a verified PAIR request comes from. */
export interface VerifiedPairing {
  accountId: string
  accountPublicKey: Uint8Array
  secret: Uint8Array
}

/**
 * The mailbox's checks of a PAIR request that need no state: sizes, the device
 * certificate (for this account, naming the connection's remote peer), and the
 * account's signature over this mailbox's peer id and the secret.
 *
 * @throws InvalidSignatureError (or InvalidMessageError) saying what is wrong
 */
export function verifyPairRequest (request: PairRequest, mailbox: PeerId, remotePeer: PeerId): VerifiedPairing {
  if (request.secret.byteLength !== MAILBOX_CODE_SECRET_BYTES) {
    throw new InvalidSignatureError(`The pairing secret must be ${MAILBOX_CODE_SECRET_BYTES} bytes`)
  }
  const cert = decodeDeviceCertificate(request.deviceCertificate)
  const { accountId, peerId } = verifyDeviceCertificate(cert, request.accountPublicKey)
  if (!peerId.equals(remotePeer)) {
    throw new InvalidSignatureError('The device certificate names another peer than the one connected')
  }
  if (!verifySignature(request.accountPublicKey, MAILBOX_PAIR_DOMAIN, pairingSignedBytes(mailbox, request.secret), request.signature)) {
    throw new InvalidSignatureError('The pairing signature does not verify for this account and mailbox')
  }
  return { accountId, accountPublicKey: request.accountPublicKey, secret: request.secret }
}

/** The account id of a 32-byte account public key, or undefined if it is not one. */
export function accountIdOf (publicKey: Uint8Array): string | undefined {
  if (publicKey.byteLength !== 32) {
    return undefined
  }
  try {
    return accountIdFromPublicKey(publicKey)
  } catch {
    return undefined
  }
}
