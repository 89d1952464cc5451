import assert from 'node:assert/strict'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { accountKeysFromPrivateKey } from '#shared/identity/account.ts'
import { SealedVault } from '#shared/identity/pb/identity.ts'
import { newVaultSecrets, openVault, sealVault } from '#shared/identity/vault.ts'
import type { VaultSecrets } from '#shared/identity/vault.ts'

// Low scrypt cost keeps the tests fast; the format is the same at any cost.
const logN = 10

describe('vault', () => {
  let secrets: VaultSecrets

  before(async () => {
    secrets = newVaultSecrets(privateKeyToProtobuf(await generateKeyPair('Ed25519')))
  })

  it('gives back the secrets with the right passphrase', async () => {
    const sealed = await sealVault(secrets, 'correct horse battery staple', { logN })
    const opened = await openVault(sealed, 'correct horse battery staple')

    assert.deepEqual(opened, secrets)
    assert.doesNotThrow(() => accountKeysFromPrivateKey(opened.accountPrivateKey))
  })

  it('reads its cost from the vault itself', async () => {
    const sealed = await sealVault(secrets, 'pass', { logN: 12 })
    assert.equal(SealedVault.decode(sealed).logN, 12)
    assert.deepEqual(await openVault(sealed, 'pass'), secrets)
  })

  it('makes fresh, independent secrets', () => {
    const a = newVaultSecrets(secrets.devicePrivateKey)
    const b = newVaultSecrets(secrets.devicePrivateKey)

    assert.notDeepEqual(a.accountPrivateKey, b.accountPrivateKey)
    assert.notDeepEqual(a.storageKey, b.storageKey)
    assert.equal(a.storageKey.byteLength, 32)
  })

  it('does not contain the secrets in the clear', async () => {
    const sealed = await sealVault(secrets, 'pass', { logN })
    const hex = Buffer.from(sealed).toString('hex')

    assert.equal(hex.includes(Buffer.from(secrets.accountPrivateKey).toString('hex')), false)
    assert.equal(hex.includes(Buffer.from(secrets.storageKey).toString('hex')), false)
  })

  it('opens the same passphrase typed in another Unicode form', async () => {
    const sealed = await sealVault(secrets, 'caf\u00e9', { logN })
    assert.deepEqual(await openVault(sealed, 'cafe\u0301'), secrets)
  })

  it('refuses a wrong passphrase with WrongPassphraseError', async () => {
    const sealed = await sealVault(secrets, 'right', { logN })
    await assert.rejects(openVault(sealed, 'wrong'), { name: 'WrongPassphraseError' })
  })

  it('refuses an empty passphrase, to seal or to open', async () => {
    await assert.rejects(sealVault(secrets, '', { logN }), { name: 'EmptyPassphraseError' })
    await assert.rejects(sealVault(secrets, '   ', { logN }), { name: 'EmptyPassphraseError' })
    const sealed = await sealVault(secrets, 'pass', { logN })
    await assert.rejects(openVault(sealed, ''), { name: 'EmptyPassphraseError' })
  })

  it('refuses an altered ciphertext or header', async () => {
    const sealed = await sealVault(secrets, 'pass', { logN })
    const vault = SealedVault.decode(sealed)

    const flipped = vault.ciphertext.slice()
    flipped[5] ^= 1
    await assert.rejects(openVault(SealedVault.encode({ ...vault, ciphertext: flipped }), 'pass'), { name: 'WrongPassphraseError' })

    const salt = vault.salt.slice()
    salt[0] ^= 1
    await assert.rejects(openVault(SealedVault.encode({ ...vault, salt }), 'pass'), { name: 'WrongPassphraseError' })

    await assert.rejects(openVault(SealedVault.encode({ ...vault, logN: 11 }), 'pass'), { name: 'WrongPassphraseError' })
    await assert.rejects(openVault(SealedVault.encode({ ...vault, version: 2 }), 'pass'), { name: 'InvalidVaultError', message: /version/ })
    await assert.rejects(openVault(SealedVault.encode({ ...vault, nonce: vault.nonce.subarray(1) }), 'pass'), { name: 'InvalidVaultError' })
    await assert.rejects(openVault(sealed.subarray(0, sealed.byteLength - 4), 'pass'), { name: /InvalidVaultError|WrongPassphraseError/ })
    await assert.rejects(openVault(Uint8Array.of(0xff, 0xff), 'pass'), { name: 'InvalidVaultError' })
  })

  it('refuses a hostile cost before running the KDF', async () => {
    const vault = SealedVault.decode(await sealVault(secrets, 'pass', { logN }))

    // 2^40 · 1 KiB would be a petabyte: refused from the header alone, so the
    // error is about the parameters, not about memory or the passphrase.
    for (const hostile of [{ logN: 40 }, { logN: 21 }, { logN: 4 }, { r: 1024 }, { p: 64 }, { kdf: 'argon2id' }]) {
      await assert.rejects(openVault(SealedVault.encode({ ...vault, ...hostile }), 'pass'), { name: 'InvalidVaultError' }, JSON.stringify(hostile))
    }

    await assert.rejects(openVault(new Uint8Array(64 * 1024), 'pass'), { name: 'InvalidVaultError', message: /too large/ })
  })

  it('refuses to seal with a cost outside the bounds', async () => {
    await assert.rejects(sealVault(secrets, 'pass', { logN: 9 }), { name: 'InvalidParametersError' })
    await assert.rejects(sealVault(secrets, 'pass', { logN: 23 }), { name: 'InvalidParametersError' })
  })
})
