/**
 * Invites: what users share (text, link, QR code) to become contacts. An
 * invite names the account, a display name, the account's certified devices,
 * address hints and optionally its signed prekey (to start an end-to-end
 * session while it is offline), signed by the account key (docs/identity.md).
 */

import { multiaddr } from '@multiformats/multiaddr'
import { toString as uint8ArrayToString } from 'uint8arrays/to-string'
import { fromString as uint8ArrayFromString } from 'uint8arrays/from-string'
import { InvalidInviteError } from '#shared/errors.ts'
import {
  INVITE_DOMAIN,
  MAX_ADDRS_PER_DEVICE,
  MAX_INVITE_BYTES,
  MAX_NAME_BYTES,
  MAX_RECORD_DEVICES
} from '#shared/protocol/constants.ts'
import { decodeSignedPrekey, encodeSignedPrekey, verifySignedPrekey } from '#shared/crypto/prekeys.ts'
import { ED25519_PUBLIC_KEY_BYTES } from '#shared/crypto/signing.ts'
import { accountIdFromPublicKey, signAs, verifySignature } from './account.ts'
import { verifyDeviceCertificate } from './device.ts'
import { Invite } from './pb/identity.ts'
import type { AccountKeys } from './account.ts'
import type { DeviceCertificate } from './device.ts'
import type { SignedPrekey } from '#shared/crypto/prekeys.ts'
import type { PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** The scheme of an invite's text form: `parley:<base64url>`. */
export const INVITE_SCHEME = 'parley:'

/** Longest invite code we try to decode: base64url of MAX_INVITE_BYTES. */
const MAX_INVITE_CODE_CHARS = Math.ceil(MAX_INVITE_BYTES * 4 / 3)
const BASE64URL = /^[A-Za-z0-9_-]+$/
const encoder = new TextEncoder()

/** A parsed, verified invite. */
export interface InviteInfo {
  accountId: string
  publicKey: Uint8Array
  /** The display name the inviter chose; untrusted text, render it as text. */
  name: string
  devices: Array<{ peerId: PeerId, certificate: DeviceCertificate }>
  /** Dial hints, e.g. relay circuit addresses. */
  addrs: Multiaddr[]
  /** ms since the Unix epoch */
  issuedAt: number
  /** The account's signed prekey, verified under its account key; absent if the invite carries none. */
  signedPrekey?: SignedPrekey
}

/** What goes into an invite. */
export interface InviteInit {
  name: string
  devices: DeviceCertificate[]
  addrs: Multiaddr[]
  /** ms since the Unix epoch; default now */
  issuedAt?: number
  /** The account's current signed prekey (signed by the same account key); default none */
  signedPrekey?: SignedPrekey
}

/** The bytes an invite's signature covers: its encoding with `signature` unset. */
function signedBytes (invite: Invite): Uint8Array {
  return Invite.encode({ ...invite, signature: new Uint8Array(0) })
}

/**
 * Create the text form of an invite, `parley:<base64url(protobuf)>`.
 *
 * @throws InvalidInviteError if it would break a limit, or lists a device or
 *   a prekey that is not this account's
 */
export function createInvite (keys: AccountKeys, init: InviteInit): string {
  const invite: Invite = {
    accountPublicKey: Uint8Array.from(keys.publicKey),
    name: init.name,
    devices: init.devices,
    addrs: init.addrs.map(addr => Uint8Array.from(addr.bytes)),
    issuedAt: init.issuedAt ?? Date.now(),
    signature: new Uint8Array(0),
    signedPrekey: init.signedPrekey == null ? new Uint8Array(0) : Uint8Array.from(encodeSignedPrekey(init.signedPrekey))
  }

  invite.signature = Uint8Array.from(signAs(keys, INVITE_DOMAIN, signedBytes(invite)))
  const text = INVITE_SCHEME + uint8ArrayToString(Invite.encode(invite), 'base64url')

  // Hold our own invite to the rules every reader applies.
  parseInvite(text)
  return text
}

/** Find the invite code in what the user pasted or scanned. */
function extractCode (input: string): string {
  let text = input.trim()

  if (/invite=/.test(text) && /^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let url: URL
    try {
      url = new URL(text)
    } catch {
      throw new InvalidInviteError('Not a Parley invite: the link is not a valid URL — was it copied fully?')
    }

    const code = url.searchParams.get('invite') ?? new URLSearchParams(url.hash.replace(/^#/, '')).get('invite')
    if (code == null || code === '') {
      throw new InvalidInviteError('Not a Parley invite: the link has no invite code in it')
    }
    text = code.trim()
  }

  if (text.slice(0, INVITE_SCHEME.length).toLowerCase() === INVITE_SCHEME) {
    text = text.slice(INVITE_SCHEME.length)
  }

  // Codes wrapped over several lines by a mail client or chat app.
  return text.replace(/\s+/g, '')
}

function decodeInvite (code: string): Invite {
  if (code.length === 0) {
    throw new InvalidInviteError('Not a Parley invite: it is empty. Paste the whole invite text or link.')
  }

  if (code.length > MAX_INVITE_CODE_CHARS) {
    throw new InvalidInviteError(`Not a Parley invite: too long (an invite is at most ${MAX_INVITE_BYTES} bytes)`)
  }

  if (!BASE64URL.test(code)) {
    throw new InvalidInviteError('Not a Parley invite: it contains characters an invite never has — was it changed or copied from the wrong place?')
  }

  let bytes: Uint8Array
  try {
    bytes = uint8ArrayFromString(code, 'base64url')
  } catch {
    throw new InvalidInviteError('Not a Parley invite: the code does not decode — was it copied fully?')
  }

  try {
    return Invite.decode(bytes, {
      limits: { devices: MAX_RECORD_DEVICES, addrs: MAX_ADDRS_PER_DEVICE }
    })
  } catch (err: any) {
    if (err.name === 'MaxLengthError') {
      throw new InvalidInviteError(`Invite lists too many entries (at most ${MAX_RECORD_DEVICES} devices and ${MAX_ADDRS_PER_DEVICE} addresses)`)
    }
    throw new InvalidInviteError('Not a Parley invite: the code does not decode — was it copied fully?')
  }
}

/**
 * Read and verify an invite: `parley:<code>`, the bare code, or any link
 * with `invite=<code>` in its query or fragment (for example
 * `http://localhost:5173/#invite=…`). Surrounding whitespace is ignored.
 *
 * @throws InvalidInviteError saying what is wrong and what to do
 */
export function parseInvite (text: string): InviteInfo {
  const invite = decodeInvite(extractCode(text))
  const publicKey = invite.accountPublicKey

  if (publicKey.byteLength !== ED25519_PUBLIC_KEY_BYTES) {
    throw new InvalidInviteError('Not a Parley invite: it names no valid account key')
  }

  if (encoder.encode(invite.name).byteLength > MAX_NAME_BYTES) {
    throw new InvalidInviteError(`Invite name is too long (at most ${MAX_NAME_BYTES} bytes)`)
  }

  if (!Number.isSafeInteger(invite.issuedAt) || invite.issuedAt < 0) {
    throw new InvalidInviteError('Invite is malformed: bad issue time')
  }

  if (!verifySignature(publicKey, INVITE_DOMAIN, signedBytes(invite), invite.signature)) {
    throw new InvalidInviteError('Invite signature does not verify: it was altered or damaged. Ask for a fresh invite.')
  }

  const seen = new Set<string>()
  const devices = invite.devices.map(certificate => {
    let peerId: PeerId
    try {
      peerId = verifyDeviceCertificate(certificate, publicKey).peerId
    } catch (err: any) {
      throw new InvalidInviteError(`Invite lists a device it cannot vouch for: ${err.message}`)
    }

    if (seen.has(peerId.toString())) {
      throw new InvalidInviteError(`Invite lists device ${peerId} twice`)
    }
    seen.add(peerId.toString())

    return { peerId, certificate }
  })

  const addrs = invite.addrs.map(bytes => {
    try {
      return multiaddr(bytes)
    } catch {
      throw new InvalidInviteError('Invite is malformed: an address hint is not a multiaddr')
    }
  })

  const info: InviteInfo = {
    accountId: accountIdFromPublicKey(publicKey),
    publicKey,
    name: invite.name,
    devices,
    addrs,
    issuedAt: invite.issuedAt
  }

  if (invite.signedPrekey.byteLength > 0) {
    info.signedPrekey = parsePrekey(invite.signedPrekey, publicKey)
  }

  return info
}

/** The invite's signed prekey: within its size limit, and signed by the invite's account. */
function parsePrekey (bytes: Uint8Array, accountPublicKey: Uint8Array): SignedPrekey {
  let prekey: SignedPrekey
  try {
    prekey = decodeSignedPrekey(bytes)
  } catch (err: any) {
    throw new InvalidInviteError(`Invite is malformed: ${err.message}`)
  }

  if (!verifySignedPrekey(accountPublicKey, prekey)) {
    throw new InvalidInviteError('Invite carries a prekey that its account did not sign. Ask for a fresh invite.')
  }

  return prekey
}
