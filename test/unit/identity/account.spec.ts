import assert from 'node:assert/strict'
import { toString as uint8ArrayToString } from 'uint8arrays/to-string'
import { fromString as uint8ArrayFromString } from 'uint8arrays/from-string'
import {
  accountIdFromPublicKey,
  accountKeysFromPrivateKey,
  generateAccountKeys,
  isAccountId,
  publicKeyFromAccountId,
  signAs,
  verifySignature
} from '#shared/identity/account.ts'
import { DEVICE_CERT_DOMAIN, INVITE_DOMAIN } from '#shared/protocol/constants.ts'

const encoder = new TextEncoder()

describe('account', () => {
  it('round-trips an account id to its public key', () => {
    const keys = generateAccountKeys()
    const id = accountIdFromPublicKey(keys.publicKey)

    assert.match(id, /^[1-9A-HJ-NP-Za-km-z]{49,51}$/)
    assert.deepEqual(publicKeyFromAccountId(id), keys.publicKey)
    assert.deepEqual(publicKeyFromAccountId(`  ${id}\n`), keys.publicKey)
    assert.ok(isAccountId(id))
  })

  it('recovers the same account from its stored private key', () => {
    const keys = generateAccountKeys()
    const again = accountKeysFromPrivateKey(keys.privateKey)

    assert.deepEqual(again.publicKey, keys.publicKey)
    assert.equal(accountIdFromPublicKey(again.publicKey), accountIdFromPublicKey(keys.publicKey))
  })

  it('has a stable id format: version byte, key, checksum', () => {
    const publicKey = accountKeysFromPrivateKey(new Uint8Array(32).fill(7)).publicKey
    const bytes = uint8ArrayFromString(accountIdFromPublicKey(publicKey), 'base58btc')

    assert.equal(bytes.byteLength, 37)
    assert.equal(bytes[0], 0x01)
    assert.deepEqual(bytes.subarray(1, 33), publicKey)
  })

  it('catches a one-character typo with the checksum', () => {
    const id = accountIdFromPublicKey(generateAccountKeys().publicKey)
    const i = 20
    const typo = id.slice(0, i) + (id[i] === 'a' ? 'b' : 'a') + id.slice(i + 1)

    assert.throws(() => publicKeyFromAccountId(typo), { name: 'InvalidAccountIdError', message: /checksum mismatch/ })
    assert.equal(isAccountId(typo), false)
  })

  it('says what is wrong with things that are not ids', () => {
    const id = accountIdFromPublicKey(generateAccountKeys().publicKey)

    assert.throws(() => publicKeyFromAccountId(''), { name: 'InvalidAccountIdError', message: /empty/ })
    assert.throws(() => publicKeyFromAccountId(id.slice(0, -3)), { name: 'InvalidAccountIdError', message: /copied fully/ })
    assert.throws(() => publicKeyFromAccountId(id.slice(0, 10) + '0' + id.slice(11)), { name: 'InvalidAccountIdError', message: /characters/ })
    assert.throws(() => publicKeyFromAccountId(id + id), { name: 'InvalidAccountIdError' })

    // A well-formed id of an unknown version
    const bytes = uint8ArrayFromString(id, 'base58btc')
    bytes[0] = 0x02
    assert.throws(() => publicKeyFromAccountId(uint8ArrayToString(bytes, 'base58btc')), { name: 'InvalidAccountIdError', message: /version/ })
  })

  it('verifies a signature only under the domain it was made for', () => {
    const keys = generateAccountKeys()
    const data = encoder.encode('hello')
    const signature = signAs(keys, DEVICE_CERT_DOMAIN, data)

    assert.ok(verifySignature(keys.publicKey, DEVICE_CERT_DOMAIN, data, signature))
    assert.equal(verifySignature(keys.publicKey, INVITE_DOMAIN, data, signature), false)
    assert.equal(verifySignature(keys.publicKey, DEVICE_CERT_DOMAIN, encoder.encode('hellO'), signature), false)
    assert.equal(verifySignature(generateAccountKeys().publicKey, DEVICE_CERT_DOMAIN, data, signature), false)
  })

  it('does not let the domain/data boundary shift', () => {
    const keys = generateAccountKeys()
    // 'parley/a' + 'b...' must not verify as 'parley/ab' + '...'
    const signature = signAs(keys, 'parley/a', encoder.encode('b'))

    assert.equal(verifySignature(keys.publicKey, 'parley/ab', new Uint8Array(0), signature), false)
    assert.throws(() => signAs(keys, 'parley/a\u0000b', new Uint8Array(0)), { name: 'InvalidParametersError' })
  })

  it('returns false rather than throwing on malformed signatures and keys', () => {
    const keys = generateAccountKeys()
    const data = encoder.encode('x')

    assert.equal(verifySignature(keys.publicKey, DEVICE_CERT_DOMAIN, data, new Uint8Array(3)), false)
    assert.equal(verifySignature(new Uint8Array(5), DEVICE_CERT_DOMAIN, data, new Uint8Array(64)), false)
    assert.equal(verifySignature(new Uint8Array(32).fill(0xff), DEVICE_CERT_DOMAIN, data, new Uint8Array(64)), false)
  })
})
