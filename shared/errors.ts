/**
 * Parley's error classes. Callers check `err.name`, as with libp2p's errors
 * (`InvalidMessageError`, `TimeoutError`, … from `@libp2p/interface`, which we
 * reuse where they fit). Messages say what happened and what to do.
 */

/** The passphrase did not open the vault. Nothing was changed. */
export class WrongPassphraseError extends Error {
  static override name = 'WrongPassphraseError'
  override name = 'WrongPassphraseError'
  constructor (message = 'Wrong passphrase: the vault did not open. Nothing was changed; try again.') {
    super(message)
  }
}

/** A string that should be an account id is not one. */
export class InvalidAccountIdError extends Error {
  static override name = 'InvalidAccountIdError'
  override name = 'InvalidAccountIdError'
}

/** An invite could not be read or does not verify. */
export class InvalidInviteError extends Error {
  static override name = 'InvalidInviteError'
  override name = 'InvalidInviteError'
}

/** A signature (device certificate, record, invite) does not verify. */
export class InvalidSignatureError extends Error {
  static override name = 'InvalidSignatureError'
  override name = 'InvalidSignatureError'
}

/** A signed account record is malformed, oversized or not signed by its account. */
export class InvalidRecordError extends Error {
  static override name = 'InvalidRecordError'
  override name = 'InvalidRecordError'
}

/** No account exists in this home / store yet. */
export class NoAccountError extends Error {
  static override name = 'NoAccountError'
  override name = 'NoAccountError'
}

/** An account already exists where one was about to be created. */
export class AccountExistsError extends Error {
  static override name = 'AccountExistsError'
  override name = 'AccountExistsError'
}

/** A name or id does not match any contact. */
export class UnknownContactError extends Error {
  static override name = 'UnknownContactError'
  override name = 'UnknownContactError'
}

/** The store was written by a newer schema than this code knows. */
export class SchemaVersionError extends Error {
  static override name = 'SchemaVersionError'
  override name = 'SchemaVersionError'
}

/** Another process owns this home's store. */
export class StoreLockedError extends Error {
  static override name = 'StoreLockedError'
  override name = 'StoreLockedError'
}

/**
 * A stored key file (e.g. a relay's `peer-key`) exists but cannot be read as a
 * key. It is never replaced automatically: replacing it would change the
 * node's identity.
 */
export class KeyFileError extends Error {
  static override name = 'KeyFileError'
  override name = 'KeyFileError'
}

/** A passphrase was refused before use (for now: it is empty). */
export class EmptyPassphraseError extends Error {
  static override name = 'EmptyPassphraseError'
  override name = 'EmptyPassphraseError'
  constructor (message = 'The passphrase is empty: choose a passphrase to protect your keys on this device.') {
    super(message)
  }
}

/** A sealed vault is not one this code can open: damaged, truncated, or from an unknown version. */
export class InvalidVaultError extends Error {
  static override name = 'InvalidVaultError'
  override name = 'InvalidVaultError'
}

/** Why a ciphertext was refused: see {@link DecryptionError}. */
export type DecryptionFailure =
  /** the header or sealed record is not in the format (wrong size, does not decode, unknown version) */
  | 'malformed'
  /** the AEAD tag does not verify: altered, for another session or key, or a forgery */
  | 'unauthenticated'
  /** its message key was already used (a replay) or was dropped (too old) */
  | 'replay'
  /** it asks us to derive and keep more skipped-message keys than the bound allows */
  | 'too-many-skipped'

/**
 * A message or a sealed record did not decrypt. Nothing was changed (a
 * ratchet state passed in is untouched and still valid); `reason` says why.
 */
export class DecryptionError extends Error {
  static override name = 'DecryptionError'
  override name = 'DecryptionError'
  readonly reason: DecryptionFailure

  constructor (message: string, reason: DecryptionFailure) {
    super(message)
    this.reason = reason
  }
}

/**
 * The store was asked to read or write sealed data (messages, conversations,
 * sessions, secrets) before it was given the vault's storage key. Nothing was
 * changed.
 */
export class VaultLockedError extends Error {
  static override name = 'VaultLockedError'
  override name = 'VaultLockedError'
  constructor (message = 'The vault is locked: unlock the account first') {
    super(message)
  }
}

/** A mailbox pairing code could not be read (not one, or damaged). */
export class InvalidPairingCodeError extends Error {
  static override name = 'InvalidPairingCodeError'
  override name = 'InvalidPairingCodeError'
}

/** A mailbox answered a request with a refusal (`status`: 'NOT_ACCEPTING', 'EXPIRED_CODE', …; docs/protocols/mailbox.md). */
export class MailboxRefusedError extends Error {
  static override name = 'MailboxRefusedError'
  override name = 'MailboxRefusedError'
  readonly status: string
  constructor (message: string, status: string) {
    super(message)
    this.status = status
  }
}
