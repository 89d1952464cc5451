/**
 * Fills a store with many received messages, fast, for the start-up measure.
 *
 * Going through `ParleyStore.addIncoming` costs ~100 µs a message here, most of
 * it building ids and protobufs, so a million would take minutes. This writes
 * the same keys and values the store writes (messages + message-ids, see
 * docs/storage.md), in batches, with two short cuts that are checked against
 * the real code on the first message of every batch:
 *
 * - message ids: random bytes drawn in bulk, base32 by a table (checked
 *   against `uint8arrays` base32 and `isMessageId`);
 * - values: one StoredMessage encoding patched per message (id, clock), since
 *   every other field is the same (checked byte for byte against protons).
 *
 * The last batch goes through `store.addIncoming` itself, so the conversation
 * record (clock, last message) is the store's own.
 */

import { equals as uint8ArrayEquals } from 'uint8arrays/equals'
import { toString as uint8ArrayToString } from 'uint8arrays/to-string'
import { isMessageId } from '#shared/store/index.ts'
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

/**
 * Writes `count` received messages from `conversation` (a contact already in
 * the store) with clocks 1…count. `db` is the store's database, open.
 */
export async function fillMessages (store: ParleyStore, db: StoreDatabase, conversation: string, count: number, batchSize: number): Promise<void> {
  const subs = sublevels(db)
  const at = Date.now()
  const template = new MessageTemplate(conversation, at)
  const direct = Math.max(0, count - batchSize)

  for (let written = 0; written < direct; written += batchSize) {
    const n = Math.min(batchSize, direct - written)
    const ids = randomIds(n)
    const operations: BatchOperation[] = []
    for (let i = 0; i < n; i++) {
      const id = ids[i]
      const clock = written + i + 1
      const value = template.encode(id, clock)
      if (i === 0 && (!isMessageId(id) || !uint8ArrayEquals(value, template.reference(id, clock)))) {
        throw new Error('the bench fill no longer writes what the store writes: update test/bench/fill.ts')
      }
      operations.push(
        { type: 'put', sublevel: subs.messages, key: messageKey(conversation, clock, id), value },
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
