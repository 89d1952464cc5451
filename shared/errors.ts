/**
 * Parley's error classes. Callers check `err.name`, as with libp2p's errors
 * (`InvalidMessageError`, `TimeoutError`, … from `@libp2p/interface`, which we
 * reuse where they fit). Messages say what happened and what to do.
 */

/** The passphrase did not open the vault. Nothing was changed. */
export class WrongPassphraseError extends Error {
  static name = 'WrongPassphraseError'
  override name = 'WrongPassphraseError'
  constructor (message = 'Wrong passphrase: the vault did not open. Nothing was changed; try again.') {
    super(message)
  }
}

/** A string that should be an account id is not one. */
export class InvalidAccountIdError extends Error {
  static name = 'InvalidAccountIdError'
  override name = 'InvalidAccountIdError'
}

/** An invite could not be read or does not verify. */
export class InvalidInviteError extends Error {
  static name = 'InvalidInviteError'
  override name = 'InvalidInviteError'
}

/** A signature (device certificate, record, invite) does not verify. */
export class InvalidSignatureError extends Error {
  static name = 'InvalidSignatureError'
  override name = 'InvalidSignatureError'
}

/** A signed account record is malformed, oversized or not signed by its account. */
export class InvalidRecordError extends Error {
  static name = 'InvalidRecordError'
  override name = 'InvalidRecordError'
}

/** No account exists in this home / store yet. */
export class NoAccountError extends Error {
  static name = 'NoAccountError'
  override name = 'NoAccountError'
}

/** An account already exists where one was about to be created. */
export class AccountExistsError extends Error {
  static name = 'AccountExistsError'
  override name = 'AccountExistsError'
}

/** A name or id does not match any contact. */
export class UnknownContactError extends Error {
  static name = 'UnknownContactError'
  override name = 'UnknownContactError'
}

/** The store was written by a newer schema than this code knows. */
export class SchemaVersionError extends Error {
  static name = 'SchemaVersionError'
  override name = 'SchemaVersionError'
}

/** Another process owns this home's store. */
export class StoreLockedError extends Error {
  static name = 'StoreLockedError'
  override name = 'StoreLockedError'
}
