/**
 * Creating an account ("registration") and unlocking it ("login"): the vault
 * in the store holds the account key, the device key and the storage key,
 * sealed under the passphrase.
 */

import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { InvalidParametersError } from '@libp2p/interface'
import { AccountExistsError, NoAccountError } from '../errors.ts'
import { accountIdFromPublicKey, accountKeysFromPrivateKey } from '../identity/account.ts'
import { certifyDevice } from '../identity/device.ts'
import { newVaultSecrets, openVault, sealVault } from '../identity/vault.ts'
import { MAX_NAME_BYTES } from '../protocol/constants.ts'
import type { AccountKeys } from '../identity/account.ts'
import type { DeviceCertificate } from '../identity/pb/identity.ts'
import type { VaultSecrets } from '../identity/vault.ts'
import type { ParleyStore, Profile } from '../store/index.ts'
import type { PeerId, PrivateKey } from '@libp2p/interface'

/** An account whose vault is open: everything a running peer needs. */
export interface UnlockedAccount {
  readonly profile: Profile
  readonly keys: AccountKeys
  readonly deviceKey: PrivateKey
  readonly peerId: PeerId
  /** This device's certificate, signed by the account key. */
  readonly certificate: DeviceCertificate
  readonly secrets: VaultSecrets
}

export interface CreateAccountInit {
  name: string
  passphrase: string
  /** scrypt cost (2^logN); the vault's default when not given. */
  kdfLogN?: number
}

export async function createAccount (store: ParleyStore, init: CreateAccountInit): Promise<UnlockedAccount> {
  const name = validateName(init.name)
  if (await store.getVault() != null) {
    throw new AccountExistsError('An account already exists here; use another home directory to create a second one.')
  }
  const deviceKey = await generateKeyPair('Ed25519')
  const secrets = newVaultSecrets(privateKeyToProtobuf(deviceKey))
  const sealed = await sealVault(secrets, init.passphrase, { logN: init.kdfLogN })
  const keys = accountKeysFromPrivateKey(secrets.accountPrivateKey)
  const peerId = peerIdFromPrivateKey(deviceKey)
  const profile: Profile = {
    accountId: accountIdFromPublicKey(keys.publicKey),
    name,
    peerId: peerId.toString(),
    createdAt: Date.now(),
    recordSeq: 0
  }
  await store.createIdentity(profile, sealed)
  return assemble(profile, secrets)
}

/** Opens the vault: WrongPassphraseError if the passphrase is wrong, NoAccountError if there is none. */
export async function unlockAccount (store: ParleyStore, passphrase: string): Promise<UnlockedAccount> {
  const [sealed, profile] = await Promise.all([store.getVault(), store.getProfile()])
  if (sealed == null || profile == null) {
    throw new NoAccountError('No account here yet: run `parley init --name NAME` first.')
  }
  const secrets = await openVault(sealed, passphrase)
  return assemble(profile, secrets)
}

function assemble (profile: Profile, secrets: VaultSecrets): UnlockedAccount {
  const keys = accountKeysFromPrivateKey(secrets.accountPrivateKey)
  const deviceKey = privateKeyFromProtobuf(secrets.devicePrivateKey)
  const peerId = peerIdFromPrivateKey(deviceKey)
  // issued at the account's creation, so the certificate is the same on every unlock
  const certificate = certifyDevice(keys, peerId, profile.createdAt)
  return { profile, keys, deviceKey, peerId, certificate, secrets }
}

/** Display names: trimmed, non-empty, no control characters, bounded. */
export function validateName (name: string): string {
  const trimmed = name.normalize('NFC').trim()
  if (trimmed === '') {
    throw new InvalidParametersError('A display name cannot be empty.')
  }
  if (/\p{Cc}/u.test(trimmed)) {
    throw new InvalidParametersError('A display name cannot contain control characters.')
  }
  if (new TextEncoder().encode(trimmed).byteLength > MAX_NAME_BYTES) {
    throw new InvalidParametersError(`A display name can be at most ${MAX_NAME_BYTES} bytes.`)
  }
  return trimmed
}

/** A name received from the network: made displayable, never rejected. */
export function sanitizeName (name: string, fallback: string): string {
  try {
    return validateName(name.replace(/\p{Cc}/gu, ' '))
  } catch {
    return fallback
  }
}
