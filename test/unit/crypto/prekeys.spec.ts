import assert from 'node:assert/strict'
import { generateAccountKeys, signAs } from '#shared/identity/account.ts'
import { DEVICE_CERT_DOMAIN } from '#shared/protocol/constants.ts'
import {
  SIGNED_PREKEY_GRACE_MS,
  SIGNED_PREKEY_ROTATION_MS,
  SignedPrekey,
  decodeSignedPrekey,
  decodeSignedPrekeyPair,
  encodeSignedPrekey,
  encodeSignedPrekeyPair,
  generateSignedPrekey,
  isPastGrace,
  shouldRotate,
  verifySignedPrekey
} from '#shared/crypto/prekeys.ts'
import { x25519KeyPairFromPrivateKey } from '#shared/crypto/dh.ts'

const DAY = 24 * 60 * 60 * 1000

describe('signed prekeys', () => {
  it('are signed by the account and survive encoding', () => {
    const keys = generateAccountKeys()
    const { prekey, privateKey } = generateSignedPrekey(keys, 42, 1_700_000_000_000)
    const decoded = decodeSignedPrekey(encodeSignedPrekey(prekey))

    assert.equal(decoded.id, 42)
    assert.equal(decoded.createdAt, 1_700_000_000_000)
    assert.deepEqual(decoded.publicKey, x25519KeyPairFromPrivateKey(privateKey).publicKey)
    assert.ok(verifySignedPrekey(keys.publicKey, decoded))
  })

  it('gives every prekey a new key pair', () => {
    const keys = generateAccountKeys()
    const one = generateSignedPrekey(keys, 1)
    const two = generateSignedPrekey(keys, 2)

    assert.notDeepEqual(one.prekey.publicKey, two.prekey.publicKey)
    assert.notDeepEqual(one.privateKey, two.privateKey)
  })

  it('refuses a prekey with any field changed', () => {
    const keys = generateAccountKeys()
    const { prekey } = generateSignedPrekey(keys, 1, 1000)
    const otherKey = generateSignedPrekey(keys, 1, 1000).prekey.publicKey
    const signature = prekey.signature.slice()
    signature[10] ^= 1

    assert.equal(verifySignedPrekey(keys.publicKey, { ...prekey, id: 2 }), false)
    assert.equal(verifySignedPrekey(keys.publicKey, { ...prekey, createdAt: 1001 }), false)
    assert.equal(verifySignedPrekey(keys.publicKey, { ...prekey, publicKey: otherKey }), false)
    assert.equal(verifySignedPrekey(keys.publicKey, { ...prekey, signature }), false)
  })

  it('refuses a prekey signed by another account, or under another domain', () => {
    const keys = generateAccountKeys()
    const mallory = generateAccountKeys()
    const { prekey } = generateSignedPrekey(mallory, 1, 1000)

    assert.equal(verifySignedPrekey(keys.publicKey, prekey), false)

    // the same bytes signed for another purpose (a device certificate) are not a prekey signature
    const unsigned = SignedPrekey.encode({ id: prekey.id, publicKey: prekey.publicKey, createdAt: prekey.createdAt })
    const wrongDomain = { ...prekey, signature: Uint8Array.from(signAs(mallory, DEVICE_CERT_DOMAIN, unsigned)) }
    assert.equal(verifySignedPrekey(mallory.publicKey, wrongDomain), false)
  })

  it('returns false, never throws, on malformed input', () => {
    const keys = generateAccountKeys()
    const { prekey } = generateSignedPrekey(keys, 1, 1000)

    assert.equal(verifySignedPrekey(keys.publicKey, { ...prekey, publicKey: prekey.publicKey.slice(0, 31) }), false)
    assert.equal(verifySignedPrekey(keys.publicKey, { ...prekey, signature: new Uint8Array(0) }), false)
    assert.equal(verifySignedPrekey(keys.publicKey, { ...prekey, id: -1 }), false)
    assert.equal(verifySignedPrekey(keys.publicKey, { ...prekey, createdAt: 2 ** 60 }), false)
    assert.equal(verifySignedPrekey(new Uint8Array(5), prekey), false)
  })

  it('refuses oversized or garbage wire bytes before use', () => {
    assert.throws(() => decodeSignedPrekey(new Uint8Array(4096)), { name: 'InvalidMessageError', message: /too large/ })
    assert.throws(() => decodeSignedPrekey(Uint8Array.of(0x0a, 0xff)), { name: 'InvalidMessageError' })
  })

  it('refuses an id that is not a uint32 or a bad creation time when generating', () => {
    const keys = generateAccountKeys()
    assert.throws(() => generateSignedPrekey(keys, 2 ** 32), { name: 'InvalidParametersError' })
    assert.throws(() => generateSignedPrekey(keys, 1.5), { name: 'InvalidParametersError' })
    assert.throws(() => generateSignedPrekey(keys, 1, -1), { name: 'InvalidParametersError' })
  })

  it('stores one\'s own prekey with its private key, and notices a mismatched pair', () => {
    const keys = generateAccountKeys()
    const pair = generateSignedPrekey(keys, 3, 5000)
    const back = decodeSignedPrekeyPair(encodeSignedPrekeyPair(pair))

    assert.deepEqual(back.privateKey, pair.privateKey)
    assert.deepEqual(back.prekey, pair.prekey)

    const other = generateSignedPrekey(keys, 3, 5000)
    const mismatched = encodeSignedPrekeyPair({ prekey: pair.prekey, privateKey: other.privateKey })
    assert.throws(() => decodeSignedPrekeyPair(mismatched), { name: 'InvalidMessageError', message: /does not match/ })
  })

  describe('rotation', () => {
    it('rotates after 7 days', () => {
      const created = 1_700_000_000_000
      assert.equal(SIGNED_PREKEY_ROTATION_MS, 7 * DAY)
      assert.equal(shouldRotate({ createdAt: created }, created), false)
      assert.equal(shouldRotate({ createdAt: created }, created + 7 * DAY - 1), false)
      assert.equal(shouldRotate({ createdAt: created }, created + 7 * DAY), true)
    })

    it('rotates a prekey dated in the future (the clock moved back), since its age is unknown', () => {
      assert.equal(shouldRotate({ createdAt: 2_000_000 }, 1_000_000), true)
    })

    it('keeps a replaced prekey for a 30-day grace period', () => {
      const retired = 1_700_000_000_000
      assert.equal(SIGNED_PREKEY_GRACE_MS, 30 * DAY)
      assert.equal(isPastGrace(retired, retired + 30 * DAY - 1), false)
      assert.equal(isPastGrace(retired, retired + 30 * DAY), true)
    })
  })
})
