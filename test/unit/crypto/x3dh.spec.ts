import assert from 'node:assert/strict'
import { concat as uint8ArrayConcat } from 'uint8arrays/concat'
import { generateAccountKeys } from '#shared/identity/account.ts'
import { generateSignedPrekey, signPrekey } from '#shared/crypto/prekeys.ts'
import { x3dhInitiate, x3dhRespond } from '#shared/crypto/x3dh.ts'
import { fromHex } from './session.ts'

describe('X3DH-style session start', () => {
  it('gives both sides the same shared key and associated data, with the responder offline', () => {
    const alice = generateAccountKeys()
    const bob = generateAccountKeys()
    const prekey = generateSignedPrekey(bob, 9)

    // Alice needs only what Bob published: his account key and signed prekey.
    const start = x3dhInitiate(alice, bob.publicKey, prekey.prekey)
    const answer = x3dhRespond(bob, prekey.privateKey, alice.publicKey, start.ephemeralPublic)

    assert.equal(start.sharedKey.byteLength, 32)
    assert.deepEqual(answer.sharedKey, start.sharedKey)
    assert.equal(start.prekeyId, 9)
    assert.deepEqual(start.associatedData, uint8ArrayConcat([alice.publicKey, bob.publicKey]))
    assert.deepEqual(answer.associatedData, start.associatedData)
  })

  it('uses a fresh ephemeral key, so two starts give two different keys', () => {
    const alice = generateAccountKeys()
    const bob = generateAccountKeys()
    const prekey = generateSignedPrekey(bob, 1)

    const one = x3dhInitiate(alice, bob.publicKey, prekey.prekey)
    const two = x3dhInitiate(alice, bob.publicKey, prekey.prekey)

    assert.notDeepEqual(one.ephemeralPublic, two.ephemeralPublic)
    assert.notDeepEqual(one.sharedKey, two.sharedKey)
  })

  it('refuses a prekey not signed by the recipient (a substituted prekey)', () => {
    const alice = generateAccountKeys()
    const bob = generateAccountKeys()
    const mallory = generateAccountKeys()
    const malloryPrekey = generateSignedPrekey(mallory, 1).prekey
    const bobPrekey = generateSignedPrekey(bob, 1).prekey

    assert.throws(() => x3dhInitiate(alice, bob.publicKey, malloryPrekey), { name: 'InvalidSignatureError' })
    assert.throws(() => x3dhInitiate(alice, bob.publicKey, { ...bobPrekey, publicKey: malloryPrekey.publicKey }), { name: 'InvalidSignatureError' })
  })

  it('gives a different key to anyone who lacks a private key involved', () => {
    const alice = generateAccountKeys()
    const bob = generateAccountKeys()
    const mallory = generateAccountKeys()
    const prekey = generateSignedPrekey(bob, 1)
    const otherPrekey = generateSignedPrekey(bob, 2)
    const start = x3dhInitiate(alice, bob.publicKey, prekey.prekey)

    // Mallory's ephemeral key sent as if from Alice: Bob derives a key Mallory cannot know (DH1 needs Alice's identity key).
    const forged = x3dhInitiate(mallory, bob.publicKey, prekey.prekey)
    assert.notDeepEqual(x3dhRespond(bob, prekey.privateKey, alice.publicKey, forged.ephemeralPublic).sharedKey, forged.sharedKey)

    // Another prekey, or another recipient, does not reproduce Alice's key.
    assert.notDeepEqual(x3dhRespond(bob, otherPrekey.privateKey, alice.publicKey, start.ephemeralPublic).sharedKey, start.sharedKey)
    assert.notDeepEqual(x3dhRespond(mallory, prekey.privateKey, alice.publicKey, start.ephemeralPublic).sharedKey, start.sharedKey)
  })

  it('refuses unusable keys from the network', () => {
    const alice = generateAccountKeys()
    const bob = generateAccountKeys()
    const prekey = generateSignedPrekey(bob, 1)
    const zero = new Uint8Array(32)

    assert.throws(() => x3dhRespond(bob, prekey.privateKey, alice.publicKey, zero), { name: 'InvalidMessageError' })
    assert.throws(() => x3dhRespond(bob, prekey.privateKey, alice.publicKey, new Uint8Array(31).fill(9)), { name: 'InvalidMessageError' })
    assert.throws(() => x3dhRespond(bob, prekey.privateKey, new Uint8Array(32).fill(0xff), new Uint8Array(32).fill(9)), { name: 'InvalidMessageError' })
    assert.throws(() => x3dhInitiate(alice, new Uint8Array(31), prekey.prekey), { name: 'InvalidMessageError' })

    // a correctly signed prekey whose key is of low order: signed by its (hostile) owner
    const hostile = generateAccountKeys()
    const lowOrder = fromHex('e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800')
    const signedLowOrder = signPrekey(hostile, 1, { publicKey: lowOrder, privateKey: new Uint8Array(32) }, 1000).prekey
    assert.throws(() => x3dhInitiate(alice, hostile.publicKey, signedLowOrder), { name: 'InvalidMessageError' })
  })
})
