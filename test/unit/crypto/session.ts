/**
 * Test helpers for the end-to-end crypto specs: two accounts with a fresh
 * session between them, and a fixed random source for reproducible runs.
 */

import { toString as uint8ArrayToString } from 'uint8arrays/to-string'
import { fromString as uint8ArrayFromString } from 'uint8arrays/from-string'
import { generateAccountKeys } from '#shared/identity/account.ts'
import { generateSignedPrekey } from '#shared/crypto/prekeys.ts'
import { x3dhInitiate, x3dhRespond } from '#shared/crypto/x3dh.ts'
import { initInitiator, initResponder, ratchetDecrypt, ratchetEncrypt } from '#shared/crypto/ratchet.ts'
import type { AccountKeys } from '#shared/identity/account.ts'
import type { RandomSource } from '#shared/crypto/dh.ts'
import type { RatchetState } from '#shared/crypto/ratchet.ts'

export const encoder = new TextEncoder()
export const decoder = new TextDecoder()

export const hex = (bytes: Uint8Array): string => uint8ArrayToString(bytes, 'base16')
export const fromHex = (text: string): Uint8Array => uint8ArrayFromString(text, 'base16')

/** A random source that hands out `values` in order, and fails loudly if asked for anything else. */
export function fixedRandom (values: Uint8Array[]): RandomSource {
  const queue = values.map(value => value.slice())
  return (length: number) => {
    const next = queue.shift()
    if (next == null || next.byteLength !== length) {
      throw new Error(`fixedRandom: asked for ${length} bytes, ${next == null ? 'none left' : `next value has ${next.byteLength}`}`)
    }
    return next
  }
}

/** One message on the wire. */
export interface Sent {
  header: Uint8Array
  ciphertext: Uint8Array
  text: string
}

/** Alice (initiator) and Bob (responder), with Alice's and Bob's states held mutably for the test. */
export class Pair {
  alice: RatchetState
  bob: RatchetState
  readonly aliceKeys: AccountKeys
  readonly bobKeys: AccountKeys

  private constructor (aliceKeys: AccountKeys, bobKeys: AccountKeys, alice: RatchetState, bob: RatchetState) {
    this.aliceKeys = aliceKeys
    this.bobKeys = bobKeys
    this.alice = alice
    this.bob = bob
  }

  /** A session as a first message would start it: X3DH, then both ratchets initialised. */
  static create (): Pair {
    const aliceKeys = generateAccountKeys()
    const bobKeys = generateAccountKeys()
    const prekey = generateSignedPrekey(bobKeys, 7)
    const start = x3dhInitiate(aliceKeys, bobKeys.publicKey, prekey.prekey)
    const answer = x3dhRespond(bobKeys, prekey.privateKey, aliceKeys.publicKey, start.ephemeralPublic)

    return new Pair(
      aliceKeys,
      bobKeys,
      initInitiator(start.sharedKey, prekey.prekey.publicKey, start.associatedData),
      initResponder(answer.sharedKey, { publicKey: prekey.prekey.publicKey, privateKey: prekey.privateKey }, answer.associatedData)
    )
  }

  /** `from` encrypts `text`; its state advances. */
  send (from: 'alice' | 'bob', text: string): Sent {
    const { state, header, ciphertext } = ratchetEncrypt(this[from], encoder.encode(text))
    this[from] = state
    return { header, ciphertext, text }
  }

  /** `to` decrypts `message`; its state advances only if that succeeds. */
  receive (to: 'alice' | 'bob', message: Pick<Sent, 'header' | 'ciphertext'>): string {
    const { state, plaintext } = ratchetDecrypt(this[to], message.header, message.ciphertext)
    this[to] = state
    return decoder.decode(plaintext)
  }
}
