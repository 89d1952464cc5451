/**
 * Parley identity: accounts, devices, invites and the passphrase vault.
 * docs/identity.md describes every format.
 */

export {
  ACCOUNT_ID_CHECKSUM_TAG,
  ACCOUNT_ID_VERSION,
  accountIdFromPublicKey,
  accountKeysFromPrivateKey,
  generateAccountKeys,
  isAccountId,
  publicKeyFromAccountId,
  signAs,
  verifySignature
} from './account.ts'
export type { AccountKeys } from './account.ts'

export {
  DeviceCertificate,
  MAX_DEVICE_CERT_BYTES,
  certifyDevice,
  decodeDeviceCertificate,
  encodeDeviceCertificate,
  verifyDeviceCertificate
} from './device.ts'

export { INVITE_SCHEME, createInvite, parseInvite } from './invite.ts'
export type { InviteInfo, InviteInit } from './invite.ts'

export {
  SCRYPT_DEFAULT_LOG_N,
  SCRYPT_MAX_LOG_N,
  SCRYPT_MIN_LOG_N,
  VAULT_VERSION,
  newVaultSecrets,
  openVault,
  sealVault
} from './vault.ts'
export type { SealOptions, VaultSecrets } from './vault.ts'
