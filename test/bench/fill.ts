/**
 * Fills a store with many received messages, fast, for the start-up measure.
 *
 * Going through `ParleyStore.addIncoming` costs ~100 µs a message here, most of
 * it building ids, protobufs and at-rest seals, so a million would take
 * minutes. This writes the same keys and values the store writes (messages +
 * message-ids, see docs/storage.md), in batches, with three short cuts that
 * are checked against the real code on the first message of every batch:
 *
 * - message ids: random bytes drawn in bulk, base32 by a table (checked
 *   against `uint8arrays` base32 and `isMessageId`);
 * - values: one StoredMessage encoding patched per message (id, clock), since
 *   every other field is the same (checked byte for byte against protons);
 * - the at-rest seal (message values are sealed under the storage key,
 *   crypto/seal.ts): the sealing key derived once rather than per value,
 *   nonces drawn in bulk, and XChaCha20-Poly1305 as HChaCha20 (noble) +
 *   node:crypto's ChaCha20-Poly1305, ~5× faster than noble's on small values
 *   (checked: the value opens with `openAtRest` under its context, to the
 *   protons encoding).
 *
 * The last batch goes through `store.addIncoming` itself, so the conversation
 * record (clock, last message) is the store's own.
 */

import { createCipheriv } from 'node:crypto'
import { hchacha } from '@noble/ciphers/chacha.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { equals as uint8ArrayEquals } from 'uint8arrays/equals'
import { toString as uint8ArrayToString } from 'uint8arrays/to-string'
import { AEAD_NONCE_BYTES } from '#shared/crypto/aead.ts'
import { domainMessage } from '#shared/crypto/domain.ts'
import { AT_REST_VERSION, openAtRest } from '#shared/crypto/seal.ts'
import { AT_REST_DOMAIN, AT_REST_KEY_INFO } from '#shared/protocol/constants.ts'
import { isMessageId, sealContext } from '#shared/store/index.ts'
import { MESSAGE_ID_BYTES, SYNC_WRITE, messageIdKey, messageKey, sublevels } from '#shared/store/keys.ts'
import * as pb from '#shared/store/pb/store.ts'
import type { ParleyStore, StoreDatabase } from '#shared/store/index.ts'
import type { BatchOperation } from '#shared/store/keys.ts'

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567'
const ID_CHARS = 26
/** getRandomValues gives at most 65,536 bytes a call. */
const RANDOM_CHUNK = 4096 * MESSAGE_ID_BYTES

export const STORED_TEXT = `a stored message: ${'lorem ipsum dolor sit amet '.repeat(3)}`

/** RFC 4648 base32, lowercase, no padding, of 16 bytes → 26 characters. */
function base32Id (bytes: Uint8Array, offset: number): string {
  let out = ''
  let bits = 0
  let value = 0
  for (let i = offset; i < offset + MESSAGE_ID_BYTES; i++) {
    value = (value << 8) | bytes[i]
    bits += 8
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
    value &= (1 << bits) - 1
  }
  if (bits > 0) {
    out += BASE32[(value << (5 - bits)) & 31]
  }
  return out
}

function randomIds (count: number): string[] {
  const ids: string[] = []
  const bytes = new Uint8Array(RANDOM_CHUNK)
  while (ids.length < count) {
    crypto.getRandomValues(bytes)
    for (let at = 0; at + MESSAGE_ID_BYTES <= bytes.length && ids.length < count; at += MESSAGE_ID_BYTES) {
      ids.push(base32Id(bytes, at))
    }
    if (base32Id(bytes, 0) !== uint8ArrayToString(bytes.subarray(0, MESSAGE_ID_BYTES), 'base32')) {
      throw new Error('the bench base32 ids differ from the store\'s (uint8arrays base32)')
    }
  }
  return ids
}

function varint (value: number): number[] {
  const out: number[] = []
  let v = value
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80)
    v = Math.floor(v / 0x80)
  }
  out.push(v)
  return out
}

/** What protons writes for one received message, with the id and clock as holes. */
class MessageTemplate {
  private readonly head: Uint8Array
  private readonly middle: Uint8Array
  private readonly tail: Uint8Array

  constructor (private readonly conversation: string, private readonly at: number) {
    const text = new TextEncoder()
    const str = (tag: number, s: string): number[] => { const b = text.encode(s); return [tag, ...varint(b.length), ...b] }
    this.head = Uint8Array.from([10, ID_CHARS])
    this.middle = Uint8Array.from([
      ...str(18, conversation), 24, 1, ...str(34, conversation), ...str(42, STORED_TEXT), 48, 3, 56
    ])
    this.tail = Uint8Array.from([64, ...varint(at), 72, ...varint(at)])
  }

  encode (id: string, clock: number): Uint8Array {
    const clockBytes = varint(clock)
    const out = new Uint8Array(this.head.length + ID_CHARS + this.middle.length + clockBytes.length + this.tail.length)
    let o = 0
    out.set(this.head, o); o += this.head.length
    for (let i = 0; i < ID_CHARS; i++) {
      out[o++] = id.charCodeAt(i)
    }
    out.set(this.middle, o); o += this.middle.length
    out.set(clockBytes, o); o += clockBytes.length
    out.set(this.tail, o)
    return out
  }

  /** The same message through the generated codec. */
  reference (id: string, clock: number): Uint8Array {
    return pb.StoredMessage.encode({
      id,
      conversation: this.conversation,
      direction: pb.Direction.DIRECTION_IN,
      sender: this.conversation,
      text: STORED_TEXT,
      state: pb.MessageState.MESSAGE_STATE_RECEIVED,
      clock: BigInt(clock),
      sentAt: BigInt(this.at),
      receivedAt: BigInt(this.at)
    })
  }
}

/** "expand 32-byte k", the ChaCha constants. */
const SIGMA = new Uint32Array([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574])

/** Little-endian 32-bit words of `bytes` (a copy). */
function words (bytes: Uint8Array): Uint32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return Uint32Array.from({ length: bytes.byteLength / 4 }, (_, i) => view.getUint32(4 * i, true))
}

/** `sealAtRest` (crypto/seal.ts) with the sealing key derived once, nonces drawn in bulk and a faster ChaCha. */
class AtRestSealer {
  private readonly keyWords: Uint32Array
  private readonly nonces = new Uint8Array(Math.floor(65_536 / AEAD_NONCE_BYTES) * AEAD_NONCE_BYTES)
  private nonceAt = this.nonces.length
  private readonly subkey = new Uint32Array(8)

  constructor (storageKey: Uint8Array) {
    this.keyWords = words(hkdf(sha256, storageKey, undefined, new TextEncoder().encode(AT_REST_KEY_INFO), 32))
  }

  /** XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha): ChaCha20-Poly1305 under HChaCha20(key, nonce[0..16]), nonce 0⁴ ‖ nonce[16..24]. */
  private xchacha (nonce: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): Uint8Array {
    hchacha(SIGMA, this.keyWords, words(nonce.subarray(0, 16)), this.subkey)
    const subkey = new Uint8Array(32)
    const view = new DataView(subkey.buffer)
    this.subkey.forEach((word, i) => { view.setUint32(4 * i, word, true) })
    const iv = new Uint8Array(12)
    iv.set(nonce.subarray(16), 4)
    const cipher = createCipheriv('chacha20-poly1305', subkey, iv, { authTagLength: 16 })
    cipher.setAAD(ad, { plaintextLength: plaintext.byteLength })
    const head = cipher.update(plaintext)
    const tail = cipher.final()
    const out = new Uint8Array(head.byteLength + tail.byteLength + 16)
    out.set(head, 0)
    out.set(tail, head.byteLength)
    out.set(cipher.getAuthTag(), head.byteLength + tail.byteLength)
    return out
  }

  seal (plaintext: Uint8Array, context: string): Uint8Array {
    if (this.nonceAt === this.nonces.length) {
      crypto.getRandomValues(this.nonces)
      this.nonceAt = 0
    }
    const nonce = this.nonces.subarray(this.nonceAt, this.nonceAt + AEAD_NONCE_BYTES)
    this.nonceAt += AEAD_NONCE_BYTES
    const ad = domainMessage(AT_REST_DOMAIN, new TextEncoder().encode(context))
    const ciphertext = this.xchacha(nonce, plaintext, ad)
    const sealed = new Uint8Array(1 + AEAD_NONCE_BYTES + ciphertext.byteLength)
    sealed[0] = AT_REST_VERSION
    sealed.set(nonce, 1)
    sealed.set(ciphertext, 1 + AEAD_NONCE_BYTES)
    return sealed
  }
}

/**
 * Writes `count` received messages from `conversation` (a contact already in
 * the store) with clocks 1…count. `db` is the store's database, open, and
 * `store` is unlocked with `storageKey`.
 */
export async function fillMessages (store: ParleyStore, db: StoreDatabase, conversation: string, count: number, batchSize: number, storageKey: Uint8Array): Promise<void> {
  const subs = sublevels(db)
  const at = Date.now()
  const template = new MessageTemplate(conversation, at)
  const sealer = new AtRestSealer(storageKey)
  const direct = Math.max(0, count - batchSize)

  for (let written = 0; written < direct; written += batchSize) {
    const n = Math.min(batchSize, direct - written)
    const ids = randomIds(n)
    const operations: BatchOperation[] = []
    for (let i = 0; i < n; i++) {
      const id = ids[i]
      const clock = written + i + 1
      const key = messageKey(conversation, clock, id)
      const context = sealContext('messages', key)
      const encoded = template.encode(id, clock)
      const value = sealer.seal(encoded, context)
      if (i === 0 && (!isMessageId(id) || !uint8ArrayEquals(encoded, template.reference(id, clock)) ||
          !uint8ArrayEquals(openAtRest(storageKey, value, context), encoded))) {
        throw new Error('the bench fill no longer writes what the store writes: update test/bench/fill.ts')
      }
      operations.push(
        { type: 'put', sublevel: subs.messages, key, value },
        { type: 'put', sublevel: subs.messageIds, key: messageIdKey(conversation, id), value: pb.MessageRef.encode({ clock: BigInt(clock) }) }
      )
    }
    await db.batch(operations, SYNC_WRITE)
  }

  const last = count - direct
  const ids = randomIds(last)
  await store.addIncoming(ids.map((id, i) => ({
    id, conversation, sender: conversation, text: STORED_TEXT, clock: direct + i + 1, sentAt: at
  })))
}
