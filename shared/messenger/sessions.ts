/**
 * End-to-end sessions (docs/protocols/e2e.md): our signed prekeys, and per
 * conversation the Double Ratchet sessions that encrypt what we send and
 * decrypt what we receive. Everything here is sealed at rest by the store.
 *
 * Callers serialise per conversation (KeyedLock): a session state is read,
 * used once, and the next state is written in the same batch as the message
 * it encrypted or decrypted.
 */

import { InvalidParametersError } from '@libp2p/interface'
import { decodeSignedPrekey, decodeSignedPrekeyPair, encodeSignedPrekeyPair, generateSignedPrekey, isPastGrace, shouldRotate } from '../crypto/prekeys.ts'
import { decodeRatchetState, encodeRatchetState, hasReceived, initInitiator, initResponder, ratchetDecrypt, ratchetEncrypt } from '../crypto/ratchet.ts'
import { x3dhInitiate, x3dhRespond } from '../crypto/x3dh.ts'
import { DecryptionError } from '../errors.ts'
import { KeyedLock } from './lock.ts'
import { OwnPrekeys, SessionRecord } from './pb/session.ts'
import type { Session } from './pb/session.ts'
import type { SignedPrekey, SignedPrekeyPair } from '../crypto/prekeys.ts'
import type { AccountKeys } from '../identity/account.ts'
import type { Envelope } from '../protocol/dm/index.ts'
import type { Contact, ParleyStore } from '../store/index.ts'

/** Earlier sessions kept per conversation for decrypting (see session.proto). */
export const MAX_PREVIOUS_SESSIONS = 4

const PREKEYS_SECRET = 'prekeys'

/** No session with the contact, and no prekey of theirs to start one. */
export class NoPrekeyError extends Error {
  static override name = 'NoPrekeyError'
  override name = 'NoPrekeyError'
}

/** What one encryption produced: the envelope's crypto fields and the next session record. */
export interface Sealed {
  ratchetHeader: Uint8Array
  ciphertext: Uint8Array
  prekey?: { ephemeral: Uint8Array, prekeyId: number }
  session: Uint8Array
}

/** What one decryption produced. */
export interface Opened {
  plaintext: Uint8Array
  session: Uint8Array
}

export class Sessions {
  private readonly store: ParleyStore
  private readonly keys: AccountKeys
  private readonly prekeyLock = new KeyedLock()

  constructor (store: ParleyStore, keys: AccountKeys) {
    this.store = store
    this.keys = keys
  }

  /**
   * Our current signed prekey: made on first use, replaced when it is older
   * than the rotation period. Retired ones still open first messages until
   * the grace period is over, then they are deleted.
   */
  async currentPrekey (now = Date.now()): Promise<SignedPrekey> {
    // one at a time: two concurrent rotations would each keep a different new prekey
    return this.prekeyLock.run('prekeys', async () => this.rotatePrekey(now))
  }

  private async rotatePrekey (now: number): Promise<SignedPrekey> {
    const keys = await this.ownPrekeys()
    const current = keys.find(k => k.retiredAt === 0)
    if (current != null) {
      const pair = decodeSignedPrekeyPair(current.pair)
      if (!shouldRotate(pair.prekey, now)) {
        return pair.prekey
      }
    }
    const lastId = keys.reduce((max, k) => Math.max(max, decodeSignedPrekeyPair(k.pair).prekey.id), 0)
    const fresh = generateSignedPrekey(this.keys, lastId + 1, now)
    const kept = keys
      .map(k => k.retiredAt === 0 ? { ...k, retiredAt: now } : k)
      .filter(k => !isPastGrace(k.retiredAt, now))
    await this.store.putSecret(PREKEYS_SECRET, OwnPrekeys.encode({
      keys: [{ pair: new Uint8Array(encodeSignedPrekeyPair(fresh)), retiredAt: 0 }, ...kept]
    }))
    return fresh.prekey
  }

  /** Our prekey pair with this id, if we still have it. */
  async prekeyPair (id: number): Promise<SignedPrekeyPair | undefined> {
    for (const k of await this.ownPrekeys()) {
      const pair = decodeSignedPrekeyPair(k.pair)
      if (pair.prekey.id === id) {
        return pair
      }
    }
    return undefined
  }

  /**
   * Prepares the encryption of one message to `contact`: loads the session, or
   * starts one from the contact's signed prekey (X3DH). The returned function
   * is synchronous, to be run once inside the store's batch.
   */
  async sealer (contact: Contact): Promise<(plaintext: Uint8Array) => Sealed> {
    const record = await this.record(contact.accountId)
    let current = record.current
    if (current == null) {
      if (contact.prekey == null) {
        throw new NoPrekeyError(`No encrypted session with ${contact.name} yet, and no prekey of theirs to start one: add them again from a fresh invite.`)
      }
      const prekey = decodeSignedPrekey(contact.prekey)
      const start = x3dhInitiate(this.keys, contact.publicKey, prekey)
      const state = initInitiator(start.sharedKey, prekey.publicKey, start.associatedData)
      current = { ratchet: new Uint8Array(encodeRatchetState(state)), ephemeral: new Uint8Array(start.ephemeralPublic), prekeyId: start.prekeyId }
    }
    const session = current
    const state = decodeRatchetState(session.ratchet)
    let used = false
    return (plaintext) => {
      if (used) {
        throw new InvalidParametersError('A session state encrypts one message only')
      }
      used = true
      const result = ratchetEncrypt(state, plaintext)
      const next: Session = { ...session, ratchet: new Uint8Array(encodeRatchetState(result.state)) }
      return {
        ratchetHeader: result.header,
        ciphertext: result.ciphertext,
        prekey: session.ephemeral != null && session.prekeyId != null ? { ephemeral: session.ephemeral, prekeyId: session.prekeyId } : undefined,
        session: SessionRecord.encode({ current: next, previous: record.previous })
      }
    }
  }

  /**
   * Decrypts an envelope from the account with `senderPublicKey`: with the
   * current session, an earlier one, or — for a first message — a new session
   * from our prekey. The session that worked becomes the current one. Throws
   * DecryptionError if none does; nothing is changed then.
   */
  async open (conversation: string, senderPublicKey: Uint8Array, envelope: Envelope): Promise<Opened> {
    const record = await this.record(conversation)
    const sessions = [record.current, ...record.previous].filter((s): s is Session => s != null)

    for (const [index, session] of sessions.entries()) {
      let result
      try {
        result = ratchetDecrypt(decodeRatchetState(session.ratchet), envelope.ratchetHeader, envelope.ciphertext)
      } catch (err: any) {
        if (err.name === 'DecryptionError' || err.name === 'InvalidMessageError') {
          continue
        }
        throw err
      }
      const updated: Session = hasReceived(result.state)
        ? { ratchet: new Uint8Array(encodeRatchetState(result.state)) }
        : { ...session, ratchet: new Uint8Array(encodeRatchetState(result.state)) }
      const others = sessions.filter((_, i) => i !== index)
      return { plaintext: result.plaintext, session: encodeRecord(updated, others) }
    }

    if (envelope.prekey != null) {
      const pair = await this.prekeyPair(envelope.prekey.prekeyId)
      if (pair == null) {
        throw new DecryptionError(`first message for prekey ${envelope.prekey.prekeyId}, which we no longer have`, 'unauthenticated')
      }
      let result
      try {
        const { sharedKey, associatedData } = x3dhRespond(this.keys, pair.privateKey, senderPublicKey, envelope.prekey.ephemeral)
        const state = initResponder(sharedKey, { publicKey: pair.prekey.publicKey, privateKey: pair.privateKey }, associatedData)
        result = ratchetDecrypt(state, envelope.ratchetHeader, envelope.ciphertext)
      } catch (err: any) {
        if (err.name === 'DecryptionError') {
          throw err
        }
        throw new DecryptionError(`first message does not start a session: ${err.message}`, 'malformed')
      }
      return {
        plaintext: result.plaintext,
        session: encodeRecord({ ratchet: new Uint8Array(encodeRatchetState(result.state)) }, sessions)
      }
    }
    throw new DecryptionError('no session of ours decrypts this message', 'unauthenticated')
  }

  private async record (conversation: string): Promise<SessionRecord> {
    const bytes = await this.store.getSession(conversation)
    return bytes == null ? { previous: [] } : SessionRecord.decode(bytes)
  }

  private async ownPrekeys (): Promise<OwnPrekeys['keys']> {
    const bytes = await this.store.getSecret(PREKEYS_SECRET)
    return bytes == null ? [] : OwnPrekeys.decode(bytes).keys
  }
}

function encodeRecord (current: Session, previous: Session[]): Uint8Array {
  return SessionRecord.encode({ current, previous: previous.slice(0, MAX_PREVIOUS_SESSIONS) })
}
