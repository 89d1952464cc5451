import assert from 'node:assert/strict'
import { accountIdFromPublicKey, generateAccountKeys } from '#shared/identity/account.ts'
import {
  combineFingerprints,
  fingerprintDigits,
  fingerprintHash,
  safetyNumber
} from '#shared/crypto/safety-number.ts'
import { encoder, fromHex, hex } from './session.ts'
import type { AccountKeys } from '#shared/identity/account.ts'

function account (): { keys: AccountKeys, id: string } {
  const keys = generateAccountKeys()
  return { keys, id: accountIdFromPublicKey(keys.publicKey) }
}

describe('safety numbers', () => {
  it('reproduce Signal\'s published numeric fingerprint vector', () => {
    // libsignal NumericFingerprintGeneratorTest (5200 iterations, stable ids are phone numbers,
    // keys are Signal's 33-byte serialized Curve25519 keys)
    const aliceKey = fromHex('0506863bc66d02b40d27b8d49ca7c09e9239236f9d7d25d6fcca5ce13c7064d868')
    const bobKey = fromHex('05f781b6fb32fed9ba1cf2de978d4d5da28dc34046ae814402b5c0dbd96fda907b')
    const alice = fingerprintDigits(aliceKey, encoder.encode('+14152222222'))
    const bob = fingerprintDigits(bobKey, encoder.encode('+14153333333'))

    assert.equal(combineFingerprints(alice, bob), '300354477692869396892869876765458257569162576843440918079131')
    assert.equal(combineFingerprints(bob, alice), '300354477692869396892869876765458257569162576843440918079131')
    // the scannable form carries the first 32 bytes of each hash
    assert.equal(hex(fingerprintHash(aliceKey, encoder.encode('+14152222222')).subarray(0, 32)), '1e301a0353dce3dbe7684cb8336e85136cdc0ee96219494ada305d62a7bd61df')
    assert.equal(hex(fingerprintHash(bobKey, encoder.encode('+14153333333')).subarray(0, 32)), 'd62cbf73a11592015b6b9f1682ac306fea3aaf3885b84d12bca631e9d4fb3a4d')
  })

  it('is the same on both sides: 60 digits in 12 groups of 5', () => {
    const alice = account()
    const bob = account()
    const seenByAlice = safetyNumber(alice.keys.publicKey, alice.id, bob.keys.publicKey, bob.id)
    const seenByBob = safetyNumber(bob.keys.publicKey, bob.id, alice.keys.publicKey, alice.id)

    assert.equal(seenByAlice, seenByBob)
    assert.match(seenByAlice, /^(\d{5} ){11}\d{5}$/)
  })

  it('changes when either account key changes', () => {
    const alice = account()
    const bob = account()
    const mallory = account()
    const genuine = safetyNumber(alice.keys.publicKey, alice.id, bob.keys.publicKey, bob.id)

    // Mallory in the middle: Alice sees Mallory's key as Bob's, Bob sees Mallory's as Alice's
    const aliceView = safetyNumber(alice.keys.publicKey, alice.id, mallory.keys.publicKey, mallory.id)
    const bobView = safetyNumber(bob.keys.publicKey, bob.id, mallory.keys.publicKey, mallory.id)

    assert.notEqual(aliceView, genuine)
    assert.notEqual(bobView, genuine)
    assert.notEqual(aliceView, bobView)
  })

  it('refuses an account id that is not the id of the key given with it', () => {
    const alice = account()
    const bob = account()

    assert.throws(() => safetyNumber(alice.keys.publicKey, bob.id, bob.keys.publicKey, bob.id), { name: 'InvalidParametersError' })
    assert.throws(() => safetyNumber(alice.keys.publicKey, alice.id, new Uint8Array(31), bob.id), { name: 'InvalidParametersError' })
  })

  it('spreads digits over 0–9 in every group position (5-byte chunks, not 2)', () => {
    const leading = new Set<string>()
    for (let i = 0; i < 30; i++) {
      const { keys, id } = account()
      const digits = fingerprintDigits(keys.publicKey, encoder.encode(id), 1)
      for (let group = 0; group < 6; group++) {
        leading.add(digits[group * 5])
      }
    }
    assert.equal(leading.size, 10)
  })
})
