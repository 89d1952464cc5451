/**
 * Parley's own end-to-end test vectors (test/vectors/e2e-v1.json), for
 * another implementation to reproduce. Each value is checked twice: through
 * our API with the vector's fixed private keys, and re-derived here from the
 * formulas of docs/protocols/e2e.md with the @noble primitives directly, so
 * the file describes the protocol, not just this code.
 */

import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { x25519 } from '@noble/curves/ed25519.js'
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { concat as uint8ArrayConcat } from 'uint8arrays/concat'
import { accountIdFromPublicKey, accountKeysFromPrivateKey } from '#shared/identity/account.ts'
import { x25519KeyPairFromPrivateKey } from '#shared/crypto/dh.ts'
import {
  decodeSignedPrekey,
  encodeSignedPrekey,
  identityDhPrivateKey,
  identityDhPublicKey,
  signPrekey,
  verifySignedPrekey
} from '#shared/crypto/prekeys.ts'
import { x3dhInitiate, x3dhRespond } from '#shared/crypto/x3dh.ts'
import { decodeRatchetHeader, initInitiator, initResponder, ratchetDecrypt, ratchetEncrypt } from '#shared/crypto/ratchet.ts'
import { safetyNumber } from '#shared/crypto/safety-number.ts'
import { decoder, encoder, fixedRandom, fromHex, hex } from './session.ts'
import type { RatchetState } from '#shared/crypto/ratchet.ts'

interface VectorMessage {
  from: 'alice' | 'bob'
  plaintext: string
  header: { dh: string, pn: number, n: number, encoded: string }
  rootKey: string
  chainKey: string
  messageKey: string
  aeadKey: string
  nonce: string
  associatedData: string
  ciphertext: string
}

const vectors = JSON.parse(readFileSync(new URL('../../vectors/e2e-v1.json', import.meta.url), 'utf8'))
const { alice: va, bob: vb, x3dh: vx } = vectors
const messages: VectorMessage[] = vectors.ratchet.messages

const alice = accountKeysFromPrivateKey(fromHex(va.accountSeed))
const bob = accountKeysFromPrivateKey(fromHex(vb.accountSeed))
const prekeyPair = x25519KeyPairFromPrivateKey(fromHex(vb.signedPrekey.privateKey))
const aliceDraws = Object.values(va.randomDraws as Record<string, string>).map(fromHex)
const bobDraws = Object.values(vb.randomDraws as Record<string, string>).map(fromHex)

const info = (text: string): Uint8Array => encoder.encode(text)

describe('end-to-end test vectors (test/vectors/e2e-v1.json)', () => {
  it('accounts and identity DH keys', () => {
    assert.equal(hex(alice.publicKey), va.accountPublicKey)
    assert.equal(hex(bob.publicKey), vb.accountPublicKey)
    assert.equal(accountIdFromPublicKey(alice.publicKey), va.accountId)
    assert.equal(accountIdFromPublicKey(bob.publicKey), vb.accountId)
    assert.equal(hex(identityDhPrivateKey(alice)), va.identityDhPrivateKey)
    assert.equal(hex(identityDhPublicKey(alice.publicKey)), va.identityDhPublicKey)
    assert.equal(hex(identityDhPrivateKey(bob)), vb.identityDhPrivateKey)
    assert.equal(hex(identityDhPublicKey(bob.publicKey)), vb.identityDhPublicKey)
    assert.equal(hex(x25519.getPublicKey(fromHex(vb.identityDhPrivateKey))), vb.identityDhPublicKey)
  })

  it('signed prekey: encoding and signature', () => {
    const { prekey } = signPrekey(bob, vb.signedPrekey.id, prekeyPair, vb.signedPrekey.createdAt)

    assert.equal(hex(prekey.publicKey), vb.signedPrekey.publicKey)
    assert.equal(hex(prekey.signature), vb.signedPrekey.signature)
    assert.equal(hex(encodeSignedPrekey(prekey)), vb.signedPrekey.encoded)
    assert.ok(verifySignedPrekey(bob.publicKey, decodeSignedPrekey(fromHex(vb.signedPrekey.encoded))))
  })

  it('X3DH: the spec formula and both sides of our API give the shared key', () => {
    const spk = fromHex(vb.signedPrekey.publicKey)
    const ephemeral = aliceDraws[0]
    const dh1 = x25519.getSharedSecret(fromHex(va.identityDhPrivateKey), spk)
    const dh2 = x25519.getSharedSecret(ephemeral, fromHex(vb.identityDhPublicKey))
    const dh3 = x25519.getSharedSecret(ephemeral, spk)
    const sk = hkdf(sha256, uint8ArrayConcat([new Uint8Array(32).fill(0xff), dh1, dh2, dh3]), new Uint8Array(32), info('parley/x3dh/v1'), 32)

    assert.deepEqual([hex(dh1), hex(dh2), hex(dh3), hex(sk)], [vx.dh1, vx.dh2, vx.dh3, vx.sharedKey])

    const prekey = decodeSignedPrekey(fromHex(vb.signedPrekey.encoded))
    const start = x3dhInitiate(alice, bob.publicKey, prekey, { randomBytes: fixedRandom([ephemeral]) })
    const answer = x3dhRespond(bob, prekeyPair.privateKey, alice.publicKey, fromHex(vx.ephemeralPublicKey))

    assert.equal(hex(start.ephemeralPublic), vx.ephemeralPublicKey)
    assert.equal(start.prekeyId, vx.prekeyId)
    assert.equal(hex(start.sharedKey), vx.sharedKey)
    assert.equal(hex(answer.sharedKey), vx.sharedKey)
    assert.equal(hex(start.associatedData), vx.associatedData)
    assert.equal(hex(answer.associatedData), vx.associatedData)
  })

  it('ratchet: the key schedule of each message, from the spec formulas', () => {
    const kdfRk = (rk: Uint8Array, dhOut: Uint8Array): Uint8Array[] => {
      const okm = hkdf(sha256, dhOut, rk, info('parley/ratchet/rk/v1'), 64)
      return [okm.subarray(0, 32), okm.subarray(32)]
    }
    const messageKey = (ck: Uint8Array): Uint8Array => hmac(sha256, ck, Uint8Array.of(0x01))
    const nextChainKey = (ck: Uint8Array): Uint8Array => hmac(sha256, ck, Uint8Array.of(0x02))

    // Alice's first sending chain: KDF_RK(SK, DH(her first ratchet key, Bob's signed prekey))
    const [rk1, aliceChain] = kdfRk(fromHex(vx.sharedKey), x25519.getSharedSecret(aliceDraws[1], fromHex(vb.signedPrekey.publicKey)))
    // Bob's first sending chain, after his DH ratchet step on Alice's first key
    const [rk2, bobChain] = kdfRk(rk1, x25519.getSharedSecret(bobDraws[0], x25519.getPublicKey(aliceDraws[1])))

    const schedule = [
      { rootKey: rk1, chainKey: aliceChain },
      { rootKey: rk1, chainKey: nextChainKey(aliceChain) },
      { rootKey: rk2, chainKey: bobChain }
    ]

    messages.forEach((message, i) => {
      assert.equal(hex(schedule[i].rootKey), message.rootKey, `message ${i + 1} root key`)
      assert.equal(hex(schedule[i].chainKey), message.chainKey, `message ${i + 1} chain key`)
      const mk = messageKey(schedule[i].chainKey)
      assert.equal(hex(mk), message.messageKey, `message ${i + 1} message key`)

      const okm = hkdf(sha256, mk, new Uint8Array(32), info('parley/ratchet/msg/v1'), 56)
      assert.equal(hex(okm.subarray(0, 32)), message.aeadKey)
      assert.equal(hex(okm.subarray(32)), message.nonce)

      const ad = uint8ArrayConcat([fromHex(vx.associatedData), fromHex(message.header.encoded)])
      assert.equal(hex(ad), message.associatedData)
      const plaintext = xchacha20poly1305(fromHex(message.aeadKey), fromHex(message.nonce), ad).decrypt(fromHex(message.ciphertext))
      assert.equal(decoder.decode(plaintext), message.plaintext)
    })
  })

  it('ratchet: our API produces the same headers and ciphertexts, and the other side reads them', () => {
    const aliceRandom = fixedRandom(aliceDraws.slice(1))
    const bobRandom = fixedRandom(bobDraws)
    const states: Record<'alice' | 'bob', RatchetState> = {
      alice: initInitiator(fromHex(vx.sharedKey), fromHex(vb.signedPrekey.publicKey), fromHex(vx.associatedData), { randomBytes: aliceRandom }),
      bob: initResponder(fromHex(vx.sharedKey), prekeyPair, fromHex(vx.associatedData))
    }

    for (const message of messages) {
      const to = message.from === 'alice' ? 'bob' : 'alice'
      const sent = ratchetEncrypt(states[message.from], encoder.encode(message.plaintext))
      states[message.from] = sent.state

      const header = decodeRatchetHeader(sent.header)
      assert.deepEqual({ dh: hex(header.dh), pn: header.pn, n: header.n, encoded: hex(sent.header) }, message.header)
      assert.equal(hex(sent.ciphertext), message.ciphertext)

      const received = ratchetDecrypt(states[to], fromHex(message.header.encoded), fromHex(message.ciphertext), { randomBytes: to === 'alice' ? aliceRandom : bobRandom })
      states[to] = received.state
      assert.equal(decoder.decode(received.plaintext), message.plaintext)
    }
  })

  it('safety number', () => {
    assert.equal(safetyNumber(alice.publicKey, va.accountId, bob.publicKey, vb.accountId), vectors.safetyNumber)
    assert.equal(safetyNumber(bob.publicKey, vb.accountId, alice.publicKey, va.accountId), vectors.safetyNumber)
  })
})
