/**
 * The vault: this device's private keys at rest, sealed with a key derived
 * from the user's passphrase (scrypt, then XChaCha20-Poly1305).
 * "Registration" creates and seals them; "login" opens the vault.
 * The format is in docs/identity.md.
 */

import { InvalidParametersError } from '@libp2p/interface'
import { EmptyPassphraseError, InvalidVaultError, WrongPassphraseError } from '#shared/errors.ts'
import { MAX_VAULT_BYTES, VAULT_DOMAIN } from '#shared/protocol/constants.ts'
import { AEAD_NONCE_BYTES, open, randomNonce, seal } from '#shared/crypto/aead.ts'
import { domainMessage } from '#shared/crypto/domain.ts'
import {
  SCRYPT_DEFAULT_LOG_N,
  SCRYPT_MAX_LOG_N,
  SCRYPT_MIN_LOG_N,
  SCRYPT_P,
  SCRYPT_R,
  checkScryptParams,
  deriveKey
} from '#shared/crypto/kdf.ts'
import { randomBytes } from '#shared/crypto/random.ts'
import { generateAccountKeys } from './account.ts'
import { SealedVault, VaultContents } from './pb/identity.ts'

export { SCRYPT_DEFAULT_LOG_N, SCRYPT_MAX_LOG_N, SCRYPT_MIN_LOG_N }

/** The secrets a vault keeps. Never log them. */
export interface VaultSecrets {
  /** Ed25519 seed of the account, 32 bytes */
  accountPrivateKey: Uint8Array
  /** This device's libp2p private key, as `privateKeyToProtobuf` bytes */
  devicePrivateKey: Uint8Array
  /** 32 random bytes, for sealing data at rest */
  storageKey: Uint8Array
}

export interface SealOptions {
  /**
   * scrypt cost: N = 2^logN (r = 8, p = 1), about 128 · 2^logN bytes of
   * memory. Tests use 10–12 for speed.
   *
   * @default 17
   */
  logN?: number
}

/** Vault format version. */
export const VAULT_VERSION = 1

const KDF_NAME = 'scrypt'
const SALT_BYTES = 16
const KEY_BYTES = 32
const STORAGE_KEY_BYTES = 32
const ACCOUNT_KEY_BYTES = 32

const encoder = new TextEncoder()

/**
 * Passphrases are normalised to Unicode NFC before use (as RFC 8265's
 * OpaqueString profile does), so the same passphrase typed on another
 * keyboard or OS opens the vault.
 */
function passphraseBytes (passphrase: string): Uint8Array {
  if (passphrase.trim().length === 0) {
    throw new EmptyPassphraseError()
  }

  return encoder.encode(passphrase.normalize('NFC'))
}

/** Associated data: the header (every field but the ciphertext), domain-separated. */
function associatedData (header: Omit<SealedVault, 'ciphertext'>): Uint8Array {
  return domainMessage(VAULT_DOMAIN, SealedVault.encode(header))
}

/** Fresh secrets for a new account on this device: a new account key and storage key. */
export function newVaultSecrets (devicePrivateKey: Uint8Array): VaultSecrets {
  return {
    accountPrivateKey: generateAccountKeys().privateKey,
    devicePrivateKey: devicePrivateKey.slice(),
    storageKey: randomBytes(STORAGE_KEY_BYTES)
  }
}

function checkSecrets (secrets: VaultContents): void {
  if (secrets.accountPrivateKey.byteLength !== ACCOUNT_KEY_BYTES) {
    throw new InvalidVaultError(`Vault secrets are malformed: the account key is not ${ACCOUNT_KEY_BYTES} bytes`)
  }

  if (secrets.storageKey.byteLength !== STORAGE_KEY_BYTES) {
    throw new InvalidVaultError(`Vault secrets are malformed: the storage key is not ${STORAGE_KEY_BYTES} bytes`)
  }

  if (secrets.devicePrivateKey.byteLength === 0) {
    throw new InvalidVaultError('Vault secrets are malformed: the device key is missing')
  }
}

/**
 * Seal `secrets` with `passphrase`. The result is what gets stored.
 *
 * @throws EmptyPassphraseError if the passphrase is empty or only whitespace
 * @throws InvalidParametersError if `logN` is outside 10..20
 */
export async function sealVault (secrets: VaultSecrets, passphrase: string, options: SealOptions = {}): Promise<Uint8Array> {
  const password = passphraseBytes(passphrase)
  const contents: VaultContents = {
    accountPrivateKey: Uint8Array.from(secrets.accountPrivateKey),
    devicePrivateKey: Uint8Array.from(secrets.devicePrivateKey),
    storageKey: Uint8Array.from(secrets.storageKey)
  }
  checkSecrets(contents)

  const header = {
    version: VAULT_VERSION,
    kdf: KDF_NAME,
    logN: options.logN ?? SCRYPT_DEFAULT_LOG_N,
    r: SCRYPT_R,
    p: SCRYPT_P,
    salt: Uint8Array.from(randomBytes(SALT_BYTES)),
    nonce: Uint8Array.from(randomNonce())
  }
  checkScryptParams(header)

  const key = await deriveKey(password, header.salt, header, KEY_BYTES)
  const ciphertext = seal(key, header.nonce, VaultContents.encode(contents), associatedData(header))
  key.fill(0)

  const sealed = SealedVault.encode({ ...header, ciphertext: Uint8Array.from(ciphertext) })
  if (sealed.byteLength > MAX_VAULT_BYTES) {
    throw new InvalidParametersError(`The secrets are too large for a vault (${sealed.byteLength} bytes sealed, at most ${MAX_VAULT_BYTES})`)
  }
  return sealed
}

/** Decode and check a sealed vault's header, without running the KDF. */
function readSealed (sealed: Uint8Array): SealedVault {
  if (sealed.byteLength > MAX_VAULT_BYTES) {
    throw new InvalidVaultError(`Not a Parley vault: too large (${sealed.byteLength} bytes, at most ${MAX_VAULT_BYTES})`)
  }

  let vault: SealedVault
  try {
    vault = SealedVault.decode(sealed)
  } catch {
    throw new InvalidVaultError('Not a Parley vault: it does not decode. The file is damaged; restore it from a backup.')
  }

  if (vault.version !== VAULT_VERSION) {
    throw new InvalidVaultError(`Unknown vault version ${vault.version}: it was written by a newer Parley; update this app`)
  }

  if (vault.kdf !== KDF_NAME) {
    throw new InvalidVaultError(`Unknown vault key derivation "${vault.kdf.slice(0, 32)}"`)
  }

  try {
    checkScryptParams(vault)
  } catch (err: any) {
    throw new InvalidVaultError(`Vault refused before unlocking: ${err.message}. The file is damaged or not from Parley.`)
  }

  if (vault.salt.byteLength !== SALT_BYTES || vault.nonce.byteLength !== AEAD_NONCE_BYTES) {
    throw new InvalidVaultError('Not a Parley vault: bad salt or nonce length. The file is damaged.')
  }

  return vault
}

/**
 * Open a sealed vault with `passphrase`. The scrypt parameters are read from
 * the vault and checked (cost bounded to 2^10..2^20) before any work is done.
 *
 * @throws EmptyPassphraseError if the passphrase is empty or only whitespace
 * @throws InvalidVaultError if the vault is malformed or its parameters are out of bounds
 * @throws WrongPassphraseError if it does not open: a wrong passphrase (or,
 *   indistinguishably, an altered ciphertext or header)
 */
export async function openVault (sealed: Uint8Array, passphrase: string): Promise<VaultSecrets> {
  const password = passphraseBytes(passphrase)
  const { ciphertext, ...header } = readSealed(sealed)

  const key = await deriveKey(password, header.salt, header, KEY_BYTES)
  const plaintext = open(key, header.nonce, ciphertext, associatedData(header))
  key.fill(0)

  if (plaintext == null) {
    throw new WrongPassphraseError()
  }

  try {
    let contents: VaultContents
    try {
      contents = VaultContents.decode(plaintext)
    } catch {
      throw new InvalidVaultError('The vault opened but its contents do not decode')
    }
    checkSecrets(contents)

    // The decoded fields are views into `plaintext`: copy them out before wiping it.
    return {
      accountPrivateKey: contents.accountPrivateKey.slice(),
      devicePrivateKey: contents.devicePrivateKey.slice(),
      storageKey: contents.storageKey.slice()
    }
  } finally {
    plaintext.fill(0)
  }
}
