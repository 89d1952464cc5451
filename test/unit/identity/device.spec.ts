import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { accountIdFromPublicKey, generateAccountKeys } from '#shared/identity/account.ts'
import {
  certifyDevice,
  decodeDeviceCertificate,
  encodeDeviceCertificate,
  verifyDeviceCertificate
} from '#shared/identity/device.ts'
import type { PeerId } from '@libp2p/interface'

async function newPeerId (): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

describe('device certificate', () => {
  it('certifies a peer for an account, and survives encoding', async () => {
    const keys = generateAccountKeys()
    const peerId = await newPeerId()
    const cert = decodeDeviceCertificate(encodeDeviceCertificate(certifyDevice(keys, peerId, 1_700_000_000_000)))

    const verified = verifyDeviceCertificate(cert)
    assert.equal(verified.accountId, accountIdFromPublicKey(keys.publicKey))
    assert.ok(verified.peerId.equals(peerId))
    assert.equal(cert.issuedAt, 1_700_000_000_000)
    assert.doesNotThrow(() => verifyDeviceCertificate(cert, keys.publicKey))
  })

  it('rejects a certificate whose peer id was swapped', async () => {
    const keys = generateAccountKeys()
    const cert = certifyDevice(keys, await newPeerId())
    const forged = { ...cert, peerId: Uint8Array.from((await newPeerId()).toMultihash().bytes) }

    assert.throws(() => verifyDeviceCertificate(forged), { name: 'InvalidSignatureError' })
  })

  it('rejects a certificate whose issue time was changed', async () => {
    const cert = certifyDevice(generateAccountKeys(), await newPeerId(), 1000)
    assert.throws(() => verifyDeviceCertificate({ ...cert, issuedAt: 2000 }), { name: 'InvalidSignatureError' })
  })

  it('rejects a certificate that claims an account which did not sign it', async () => {
    const alice = generateAccountKeys()
    const mallory = generateAccountKeys()
    const cert = certifyDevice(mallory, await newPeerId())

    assert.throws(() => verifyDeviceCertificate({ ...cert, accountPublicKey: Uint8Array.from(alice.publicKey) }), { name: 'InvalidSignatureError' })
  })

  it('rejects a valid certificate of another account when one is expected', async () => {
    const alice = generateAccountKeys()
    const cert = certifyDevice(generateAccountKeys(), await newPeerId())

    assert.throws(() => verifyDeviceCertificate(cert, alice.publicKey), { name: 'InvalidSignatureError', message: /different account/ })
  })

  it('refuses non-Ed25519 device peer ids and malformed bytes', async () => {
    const keys = generateAccountKeys()
    const secp = peerIdFromPrivateKey(await generateKeyPair('secp256k1'))

    assert.throws(() => certifyDevice(keys, secp), { name: 'InvalidMessageError' })
    const cert = certifyDevice(keys, await newPeerId())
    assert.throws(() => verifyDeviceCertificate({ ...cert, peerId: Uint8Array.of(1, 2, 3) }), { name: 'InvalidSignatureError' })
    assert.throws(() => decodeDeviceCertificate(new Uint8Array(1000)), { name: 'InvalidMessageError' })
    assert.throws(() => decodeDeviceCertificate(Uint8Array.of(0x0a, 0xff)), { name: 'InvalidMessageError' })
  })
})
