/**
 * The signed, sequence-numbered account record that an account publishes in
 * the DHT: its devices (with certificates and addresses), mailboxes and
 * signed prekey. docs/protocols/account-record.md is the normative description.
 */

import { peerIdFromMultihash } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import * as Digest from 'multiformats/hashes/digest'
import { concat as uint8ArrayConcat } from 'uint8arrays/concat'
import { equals as uint8ArrayEquals } from 'uint8arrays/equals'
import { fromString as uint8ArrayFromString } from 'uint8arrays/from-string'
import { InvalidRecordError } from '#shared/errors.ts'
import {
  ACCOUNT_RECORD_DOMAIN,
  MAX_ADDRS_PER_DEVICE,
  MAX_RECORD_BYTES,
  MAX_RECORD_DEVICES,
  MAX_RECORD_MAILBOXES,
  RECORD_KEY_PREFIX
} from '#shared/protocol/constants.ts'
import { decodeSignedPrekey, encodeSignedPrekey, verifySignedPrekey } from '#shared/crypto/prekeys.ts'
import { ED25519_PUBLIC_KEY_BYTES } from '#shared/crypto/signing.ts'
import { accountIdFromPublicKey, publicKeyFromAccountId, signAs, verifySignature } from '#shared/identity/account.ts'
import { decodeDeviceCertificate, encodeDeviceCertificate, verifyDeviceCertificate } from '#shared/identity/device.ts'
import { AccountRecord } from './pb/record.ts'
import type { SignedPrekey } from '#shared/crypto/prekeys.ts'
import type { AccountKeys } from '#shared/identity/account.ts'
import type { DeviceCertificate } from '#shared/identity/device.ts'
import type { PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

const keyPrefix = uint8ArrayFromString(RECORD_KEY_PREFIX)

/** A parsed, verified account record. */
export interface AccountRecordInfo {
  accountId: string
  publicKey: Uint8Array
  /** Higher replaces lower; the DHT keeps the highest it has seen. */
  seq: bigint
  devices: Array<{ peerId: PeerId, certificate: DeviceCertificate, addrs: Multiaddr[] }>
  /** Always-on peers that accept deposits for this account while its devices are offline. */
  mailboxes: PeerId[]
  /** When the account signed it, ms since the Unix epoch (informational; ordering is by `seq`). */
  issuedAt: number
  /** The account's current signed prekey, verified under its account key; absent if the record carries none. */
  signedPrekey?: SignedPrekey
}

/** What an account puts in a new record. */
export interface AccountRecordInit {
  /** Must be higher than the seq of every record this account published before. */
  seq: bigint
  devices: Array<{ certificate: DeviceCertificate, addrs: Multiaddr[] }>
  mailboxes?: PeerId[]
  /** ms since the Unix epoch; default now */
  issuedAt?: number
  /** The account's current signed prekey (signed by the same account key); default none */
  signedPrekey?: SignedPrekey
}

/** The DHT key of an account's record: `utf8('/parley/') || publicKey (32 bytes)`. */
export function recordKey (accountIdOrPublicKey: string | Uint8Array): Uint8Array {
  const publicKey = typeof accountIdOrPublicKey === 'string' ? publicKeyFromAccountId(accountIdOrPublicKey) : accountIdOrPublicKey

  if (publicKey.byteLength !== ED25519_PUBLIC_KEY_BYTES) {
    throw new InvalidRecordError(`An account public key is ${ED25519_PUBLIC_KEY_BYTES} bytes, got ${publicKey.byteLength}`)
  }

  return uint8ArrayConcat([keyPrefix, publicKey])
}

/**
 * The account public key a record key names.
 *
 * @throws InvalidRecordError if `key` is not `'/parley/' || 32 bytes`
 */
export function publicKeyFromRecordKey (key: Uint8Array): Uint8Array {
  if (key.byteLength !== keyPrefix.byteLength + ED25519_PUBLIC_KEY_BYTES ||
    !uint8ArrayEquals(key.subarray(0, keyPrefix.byteLength), keyPrefix)) {
    throw new InvalidRecordError(`Not an account record key: expected ${RECORD_KEY_PREFIX} followed by a ${ED25519_PUBLIC_KEY_BYTES}-byte public key`)
  }

  return key.slice(keyPrefix.byteLength)
}

/** The bytes the record signature covers: its encoding with `signature` unset. */
function signedBytes (record: AccountRecord): Uint8Array {
  return AccountRecord.encode({ ...record, signature: new Uint8Array(0) })
}

/**
 * Create and sign a record. The result is what goes into the DHT under
 * {@link recordKey}.
 *
 * @throws InvalidRecordError if it would break a limit, or lists a certificate
 *   or a prekey that is not this account's
 */
export function createAccountRecord (keys: AccountKeys, init: AccountRecordInit): Uint8Array {
  const mailboxes = init.mailboxes ?? []
  const issuedAt = init.issuedAt ?? Date.now()

  if (init.seq < 0n || init.seq >= 2n ** 64n) {
    throw new InvalidRecordError('Record seq must fit in an unsigned 64-bit integer')
  }

  const record: AccountRecord = {
    accountPublicKey: Uint8Array.from(keys.publicKey),
    seq: init.seq,
    devices: init.devices.map(({ certificate, addrs }) => ({
      certificate: Uint8Array.from(encodeDeviceCertificate(certificate)),
      addrs: addrs.map(addr => Uint8Array.from(addr.bytes))
    })),
    mailboxes: mailboxes.map(peerId => Uint8Array.from(peerId.toMultihash().bytes)),
    issuedAt,
    signature: new Uint8Array(0),
    signedPrekey: init.signedPrekey == null ? new Uint8Array(0) : Uint8Array.from(encodeSignedPrekey(init.signedPrekey))
  }

  record.signature = Uint8Array.from(signAs(keys, ACCOUNT_RECORD_DOMAIN, signedBytes(record)))
  const bytes = AccountRecord.encode(record)

  // Check our own output with the same rules every peer applies, so we never
  // publish a record the DHT would refuse.
  parseAccountRecord(bytes, recordKey(keys.publicKey))
  return bytes
}

function decodeRecord (bytes: Uint8Array): AccountRecord {
  if (bytes.byteLength > MAX_RECORD_BYTES) {
    throw new InvalidRecordError(`Account record is too large: ${bytes.byteLength} bytes, at most ${MAX_RECORD_BYTES}`)
  }

  try {
    return AccountRecord.decode(bytes, {
      limits: {
        devices: MAX_RECORD_DEVICES,
        mailboxes: MAX_RECORD_MAILBOXES,
        devices$: { addrs: MAX_ADDRS_PER_DEVICE }
      }
    })
  } catch (err: any) {
    if (err.name === 'MaxLengthError') {
      throw new InvalidRecordError(`Account record lists too many entries (at most ${MAX_RECORD_DEVICES} devices, ${MAX_ADDRS_PER_DEVICE} addresses each, ${MAX_RECORD_MAILBOXES} mailboxes)`)
    }
    throw new InvalidRecordError(`Account record does not decode: ${err.message}`)
  }
}

function parsePeerId (bytes: Uint8Array, what: string): PeerId {
  try {
    return peerIdFromMultihash(Digest.decode(bytes))
  } catch {
    throw new InvalidRecordError(`Account record is malformed: ${what} is not a peer id`)
  }
}

function parseAddr (bytes: Uint8Array): Multiaddr {
  try {
    return multiaddr(bytes)
  } catch {
    throw new InvalidRecordError('Account record is malformed: a device address is not a multiaddr')
  }
}

function parsePrekey (bytes: Uint8Array, accountPublicKey: Uint8Array): SignedPrekey {
  let prekey: SignedPrekey
  try {
    prekey = decodeSignedPrekey(bytes)
  } catch (err: any) {
    throw new InvalidRecordError(`Account record is malformed: ${err.message}`)
  }

  if (!verifySignedPrekey(accountPublicKey, prekey)) {
    throw new InvalidRecordError('Account record carries a prekey that its account did not sign')
  }

  return prekey
}

/**
 * Decode and verify a record: size and count limits, the account's
 * signature, the signed prekey (if any: its size, and signed by this
 * account), every device certificate (valid, and for this account), no
 * device or mailbox listed twice, and — when `key` is given — that the record
 * is for the account its DHT key names.
 *
 * @throws InvalidRecordError saying what is wrong
 */
export function parseAccountRecord (bytes: Uint8Array, key?: Uint8Array): AccountRecordInfo {
  const expectedPublicKey = key == null ? undefined : publicKeyFromRecordKey(key)
  const record = decodeRecord(bytes)
  const publicKey = record.accountPublicKey

  if (publicKey.byteLength !== ED25519_PUBLIC_KEY_BYTES) {
    throw new InvalidRecordError(`Account record is malformed: its account key is not ${ED25519_PUBLIC_KEY_BYTES} bytes`)
  }

  if (expectedPublicKey != null && !uint8ArrayEquals(expectedPublicKey, publicKey)) {
    throw new InvalidRecordError('Account record is for a different account than its DHT key')
  }

  if (!Number.isSafeInteger(record.issuedAt) || record.issuedAt < 0) {
    throw new InvalidRecordError('Account record is malformed: bad issue time')
  }

  if (!verifySignature(publicKey, ACCOUNT_RECORD_DOMAIN, signedBytes(record), record.signature)) {
    throw new InvalidRecordError('Account record signature does not verify: it was not signed by this account or was altered')
  }

  const signedPrekey = record.signedPrekey.byteLength > 0 ? parsePrekey(record.signedPrekey, publicKey) : undefined

  const seenDevices = new Set<string>()
  const devices = record.devices.map(entry => {
    let certificate: DeviceCertificate
    let peerId: PeerId
    try {
      certificate = decodeDeviceCertificate(entry.certificate)
      peerId = verifyDeviceCertificate(certificate, publicKey).peerId
    } catch (err: any) {
      throw new InvalidRecordError(`Account record lists a device it cannot vouch for: ${err.message}`)
    }

    if (seenDevices.has(peerId.toString())) {
      throw new InvalidRecordError(`Account record lists device ${peerId} twice`)
    }
    seenDevices.add(peerId.toString())

    return { peerId, certificate, addrs: entry.addrs.map(parseAddr) }
  })

  const seenMailboxes = new Set<string>()
  const mailboxes = record.mailboxes.map(bytes => {
    const peerId = parsePeerId(bytes, 'a mailbox')
    if (seenMailboxes.has(peerId.toString())) {
      throw new InvalidRecordError(`Account record lists mailbox ${peerId} twice`)
    }
    seenMailboxes.add(peerId.toString())
    return peerId
  })

  const info: AccountRecordInfo = {
    accountId: accountIdFromPublicKey(publicKey),
    publicKey,
    seq: record.seq,
    devices,
    mailboxes,
    issuedAt: record.issuedAt
  }

  if (signedPrekey != null) {
    info.signedPrekey = signedPrekey
  }

  return info
}
