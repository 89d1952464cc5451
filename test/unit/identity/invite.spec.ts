import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { toString as uint8ArrayToString } from 'uint8arrays/to-string'
import { fromString as uint8ArrayFromString } from 'uint8arrays/from-string'
import { encodeSignedPrekey, generateSignedPrekey, verifySignedPrekey } from '#shared/crypto/prekeys.ts'
import { accountIdFromPublicKey, generateAccountKeys, signAs } from '#shared/identity/account.ts'
import { certifyDevice } from '#shared/identity/device.ts'
import { createInvite, parseInvite } from '#shared/identity/invite.ts'
import { Invite } from '#shared/identity/pb/identity.ts'
import { INVITE_DOMAIN, MAX_ADDRS_PER_DEVICE, MAX_NAME_BYTES, MAX_RECORD_DEVICES, MAX_SIGNED_PREKEY_BYTES } from '#shared/protocol/constants.ts'
import type { AccountKeys } from '#shared/identity/account.ts'
import type { PeerId } from '@libp2p/interface'

async function newPeerId (): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

const RELAY = '/ip4/127.0.0.1/tcp/9001/ws/p2p/12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN/p2p-circuit'

function reencode (text: string, change: (invite: Invite) => Invite): string {
  const invite = Invite.decode(uint8ArrayFromString(text.slice('parley:'.length), 'base64url'))
  return 'parley:' + uint8ArrayToString(Invite.encode(change(invite)), 'base64url')
}

/** Change an invite and sign it again with `keys`, as a careless or hostile implementation could. */
function resign (text: string, keys: AccountKeys, change: (invite: Invite) => Invite): string {
  return reencode(text, invite => {
    const changed = { ...change(invite), signature: new Uint8Array(0) }
    return { ...changed, signature: Uint8Array.from(signAs(keys, INVITE_DOMAIN, Invite.encode(changed))) }
  })
}

describe('invite', () => {
  let alice: AccountKeys
  let laptop: PeerId
  let text: string

  beforeEach(async () => {
    alice = generateAccountKeys()
    laptop = await newPeerId()
    text = createInvite(alice, { name: 'Alice 🌷', devices: [certifyDevice(alice, laptop)], addrs: [multiaddr(RELAY)] })
  })

  it('round-trips name, devices and address hints', () => {
    assert.match(text, /^parley:[A-Za-z0-9_-]+$/)
    const info = parseInvite(text)

    assert.equal(info.accountId, accountIdFromPublicKey(alice.publicKey))
    assert.deepEqual(info.publicKey, alice.publicKey)
    assert.equal(info.name, 'Alice 🌷')
    assert.equal(info.devices.length, 1)
    assert.ok(info.devices[0].peerId.equals(laptop))
    assert.deepEqual(info.addrs.map(a => a.toString()), [RELAY])
    assert.ok(Math.abs(info.issuedAt - Date.now()) < 60_000)
  })

  it('has no signed prekey unless one was given', () => {
    assert.equal('signedPrekey' in parseInvite(text), false)
  })

  describe('signed prekey', () => {
    it('round-trips the account\'s signed prekey, verified', () => {
      const { prekey } = generateSignedPrekey(alice, 7)
      const withPrekey = createInvite(alice, { name: 'Alice', devices: [certifyDevice(alice, laptop)], addrs: [], signedPrekey: prekey })
      const info = parseInvite(withPrekey)

      assert.deepEqual(info.signedPrekey, prekey)
      assert.ok(info.signedPrekey != null && verifySignedPrekey(alice.publicKey, info.signedPrekey))
    })

    it('refuses a prekey signed by another account, even in an invite the account signed', () => {
      const mallory = generateAccountKeys()
      const theirs = generateSignedPrekey(mallory, 1).prekey

      assert.throws(() => createInvite(alice, { name: 'Alice', devices: [], addrs: [], signedPrekey: theirs }), { name: 'InvalidInviteError', message: /prekey/ })

      const forged = resign(text, alice, invite => ({ ...invite, signedPrekey: Uint8Array.from(encodeSignedPrekey(theirs)) }))
      assert.throws(() => parseInvite(forged), { name: 'InvalidInviteError', message: /prekey that its account did not sign/ })
    })

    it('is covered by the invite signature: a swapped prekey is refused', () => {
      const mine = generateSignedPrekey(alice, 1).prekey
      const other = generateSignedPrekey(alice, 2).prekey
      const withPrekey = createInvite(alice, { name: 'Alice', devices: [], addrs: [], signedPrekey: mine })

      // Another valid prekey of the same account, without re-signing the invite.
      const swapped = reencode(withPrekey, invite => ({ ...invite, signedPrekey: Uint8Array.from(encodeSignedPrekey(other)) }))
      assert.throws(() => parseInvite(swapped), { name: 'InvalidInviteError', message: /signature does not verify/ })
      const removed = reencode(withPrekey, invite => ({ ...invite, signedPrekey: new Uint8Array(0) }))
      assert.throws(() => parseInvite(removed), { name: 'InvalidInviteError', message: /signature does not verify/ })
    })

    it('refuses an altered, oversized or undecodable prekey', () => {
      const prekey = generateSignedPrekey(alice, 1).prekey
      const altered = { ...prekey, createdAt: prekey.createdAt + 1 }
      assert.throws(() => parseInvite(resign(text, alice, invite => ({ ...invite, signedPrekey: Uint8Array.from(encodeSignedPrekey(altered)) }))), { name: 'InvalidInviteError', message: /did not sign/ })

      const oversized = new Uint8Array(MAX_SIGNED_PREKEY_BYTES + 1)
      assert.throws(() => parseInvite(resign(text, alice, invite => ({ ...invite, signedPrekey: oversized }))), { name: 'InvalidInviteError', message: /too large/ })

      assert.throws(() => parseInvite(resign(text, alice, invite => ({ ...invite, signedPrekey: Uint8Array.of(0xff, 0xff) }))), { name: 'InvalidInviteError', message: /does not decode/ })
    })
  })

  it('is read from the bare code, links and padded or wrapped text', () => {
    const code = text.slice('parley:'.length)
    const forms = [
      code,
      `  ${text}\n`,
      `http://localhost:5173/#invite=${code}`,
      `https://parley.example/add?invite=${code}&from=qr`,
      `https://parley.example/#invite=${text}`,
      `PARLEY:${code}`,
      `parley:${code.slice(0, 40)}\n${code.slice(40)}`
    ]

    for (const form of forms) {
      assert.equal(parseInvite(form).accountId, accountIdFromPublicKey(alice.publicKey), form)
    }
  })

  it('rejects an invite whose name was changed', () => {
    const tampered = reencode(text, invite => ({ ...invite, name: 'Bank support' }))
    assert.throws(() => parseInvite(tampered), { name: 'InvalidInviteError', message: /signature does not verify/ })
  })

  it('rejects an invite re-signed by someone else under the same account', () => {
    const mallory = generateAccountKeys()
    const theirs = createInvite(mallory, { name: 'Alice', devices: [], addrs: [] })
    const spoofed = reencode(theirs, invite => ({ ...invite, accountPublicKey: Uint8Array.from(alice.publicKey) }))
    assert.throws(() => parseInvite(spoofed), { name: 'InvalidInviteError' })
  })

  it('refuses a device of another account', async () => {
    const mallory = generateAccountKeys()
    const theirDevice = certifyDevice(mallory, await newPeerId())
    assert.throws(() => createInvite(alice, { name: 'Alice', devices: [theirDevice], addrs: [] }), { name: 'InvalidInviteError', message: /different account/ })
  })

  it('rejects damaged, truncated and foreign text with a helpful message', () => {
    assert.throws(() => parseInvite(''), { name: 'InvalidInviteError', message: /empty/ })
    assert.throws(() => parseInvite(text.slice(0, text.length - 20)), { name: 'InvalidInviteError', message: /copied fully|signature/ })
    assert.throws(() => parseInvite('parley:not an invite!'), { name: 'InvalidInviteError', message: /characters/ })
    assert.throws(() => parseInvite('https://example.com/?page=2'), { name: 'InvalidInviteError' })
    assert.throws(() => parseInvite('https://example.com/#invite='), { name: 'InvalidInviteError', message: /no invite code/ })
  })

  it('enforces the size, name, device and address limits', async () => {
    assert.throws(() => parseInvite('parley:' + 'A'.repeat(10_000)), { name: 'InvalidInviteError', message: /too long/ })
    assert.throws(() => createInvite(alice, { name: 'x'.repeat(MAX_NAME_BYTES + 1), devices: [], addrs: [] }), { name: 'InvalidInviteError', message: /name is too long/ })

    const addrs = Array.from({ length: MAX_ADDRS_PER_DEVICE + 1 }, (_, i) => multiaddr(`/ip4/127.0.0.1/tcp/${4000 + i}`))
    assert.throws(() => createInvite(alice, { name: 'Alice', devices: [], addrs }), { name: 'InvalidInviteError', message: /too many/ })

    const devices = await Promise.all(Array.from({ length: MAX_RECORD_DEVICES + 1 }, async () => certifyDevice(alice, await newPeerId())))
    assert.throws(() => createInvite(alice, { name: 'Alice', devices, addrs: [] }), { name: 'InvalidInviteError', message: /too many/ })
  })
})
