/**
 * The curve primitives we rely on, checked against their published vectors:
 * if the library (or how we call it) ever changes behaviour, this fails
 * before any protocol test does.
 */

import assert from 'node:assert/strict'
import { ed25519, x25519 } from '@noble/curves/ed25519.js'
import { accountKeysFromPrivateKey } from '#shared/identity/account.ts'
import { dh, identityDhPrivateKey, identityDhPublicKey, x25519KeyPairFromPrivateKey } from '#shared/crypto/dh.ts'
import { fromHex, hex } from './session.ts'

describe('crypto primitives', () => {
  describe('X25519 (RFC 7748)', () => {
    it('matches the §5.2 scalar multiplication vectors', () => {
      assert.equal(
        hex(x25519.scalarMult(
          fromHex('a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4'),
          fromHex('e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c'))),
        'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552')
      assert.equal(
        hex(x25519.scalarMult(
          fromHex('4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d'),
          fromHex('e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493'))),
        '95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957')
    })

    it('matches the §5.2 iterated vector after 1 and 1000 iterations', () => {
      let k: Uint8Array = fromHex('0900000000000000000000000000000000000000000000000000000000000000')
      let u: Uint8Array = k.slice()
      const after: Record<number, string> = {}
      for (let i = 1; i <= 1000; i++) {
        const next = x25519.scalarMult(k, u)
        u = k
        k = next
        if (i === 1 || i === 1000) {
          after[i] = hex(k)
        }
      }

      assert.equal(after[1], '422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079')
      assert.equal(after[1000], '684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51')
    })

    it('matches the §6.1 Diffie-Hellman vector through our dh()', () => {
      const alice = x25519KeyPairFromPrivateKey(fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'))
      const bob = x25519KeyPairFromPrivateKey(fromHex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb'))

      assert.equal(hex(alice.publicKey), '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a')
      assert.equal(hex(bob.publicKey), 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f')
      assert.equal(hex(dh(alice.privateKey, bob.publicKey)), '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742')
      assert.equal(hex(dh(bob.privateKey, alice.publicKey)), '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742')
    })

    it('refuses low-order public keys instead of agreeing on a zero secret', () => {
      const mine = x25519KeyPairFromPrivateKey(new Uint8Array(32).fill(0x42))
      const lowOrder = [
        '0000000000000000000000000000000000000000000000000000000000000000',
        '0100000000000000000000000000000000000000000000000000000000000000',
        'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
        '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
        'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
        'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'
      ]

      for (const key of lowOrder) {
        assert.throws(() => dh(mine.privateKey, fromHex(key)), { name: 'InvalidMessageError' }, key)
      }
      assert.throws(() => dh(mine.privateKey, new Uint8Array(31)), { name: 'InvalidMessageError' })
    })
  })

  describe('Ed25519 (RFC 8032)', () => {
    it('matches §7.1 test 1', () => {
      const seed = fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60')
      const publicKey = ed25519.getPublicKey(seed)
      const signature = ed25519.sign(new Uint8Array(0), seed)

      assert.equal(hex(publicKey), 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a')
      assert.equal(hex(signature), 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b')
      assert.ok(ed25519.verify(signature, new Uint8Array(0), publicKey, { zip215: false }))
    })
  })

  describe('Ed25519 → X25519 (the identity DH key)', () => {
    it('matches libsodium\'s crypto_sign_ed25519_{pk,sk}_to_curve25519 vector', () => {
      // libsodium test/default/ed25519_convert.{c,exp}
      const keys = accountKeysFromPrivateKey(fromHex('421151a459faeade3d247115f94aedae42318124095afabe4d1451a559faedee'))

      assert.equal(hex(keys.publicKey), 'b5076a8474a832daee4dd5b4040983b6623b5f344aca57d4d6ee4baf3f259e6e')
      assert.equal(hex(identityDhPublicKey(keys.publicKey)), 'f1814f0e8ff1043d8a44d25babff3cedcae6c22c3edaa48f857ae70de2baae50')
      assert.equal(hex(identityDhPrivateKey(keys)), '8052030376d47112be7f73ed7a019293dd12ad910b654455798b4667d73de166')
    })

    it('gives a key pair: the converted private key has the converted public key', () => {
      for (let i = 0; i < 8; i++) {
        const keys = accountKeysFromPrivateKey(crypto.getRandomValues(new Uint8Array(32)))
        assert.deepEqual(x25519.getPublicKey(identityDhPrivateKey(keys)), identityDhPublicKey(keys.publicKey))
      }
    })

    it('refuses an account key that is not an Ed25519 point', () => {
      assert.throws(() => identityDhPublicKey(new Uint8Array(31)), { name: 'InvalidMessageError' })
      // y = 2 is not on the curve
      assert.throws(() => identityDhPublicKey(fromHex('0200000000000000000000000000000000000000000000000000000000000000')), { name: 'InvalidMessageError' })
    })
  })
})
