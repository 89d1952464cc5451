import assert from 'node:assert/strict'
import { fromString as uint8ArrayFromString } from 'uint8arrays/from-string'
import {
  MESSAGE_ID_PATTERN, counterHex, isMessageId, messageIdKey, messageKey, messageRange, newMessageId, outboxKey, outboxRange
} from '#shared/store/keys.ts'

function inRange (key: string, range: { gte: string, lt: string }): boolean {
  return key >= range.gte && key < range.lt
}

describe('store keys', () => {
  it('makes message ids of 16 random bytes in lowercase base32', () => {
    const ids = new Set<string>()

    for (let i = 0; i < 200; i++) {
      const id = newMessageId()
      assert.match(id, MESSAGE_ID_PATTERN)
      assert.equal(uint8ArrayFromString(id, 'base32').byteLength, 16)
      ids.add(id)
    }

    assert.equal(ids.size, 200)
  })

  it('accepts only the canonical id spelling', () => {
    const id = newMessageId()
    assert.ok(isMessageId(id))
    assert.ok(!isMessageId(id.toUpperCase()))
    assert.ok(!isMessageId(id.slice(0, 25)))
    assert.ok(!isMessageId(id + 'a'))
    // The 26th character carries 3 bits; its low two bits must be zero.
    assert.ok(!isMessageId(id.slice(0, 25) + 'b'))
    assert.ok(!isMessageId(id.slice(0, 25) + '!'))
  })

  it('sorts message keys by clock as a number, then by id', () => {
    const a = 'a'.repeat(26)
    const b = 'b'.repeat(25) + 'a'
    const keys = [
      messageKey('alice', 10, a),
      messageKey('alice', 2, b),
      messageKey('alice', 2, a),
      messageKey('alice', 0x100000000, a)
    ]

    assert.deepEqual([...keys].sort(), [keys[2], keys[1], keys[0], keys[3]])
  })

  it('keeps one conversation\'s keys apart from another whose id it prefixes', () => {
    const id = newMessageId()
    assert.ok(inRange(messageKey('ab', 5, id), messageRange('ab')))
    assert.ok(!inRange(messageKey('abc', 5, id), messageRange('ab')))
    assert.ok(!inRange(messageKey('a', 5, id), messageRange('ab')))
    assert.ok(!inRange(messageIdKey('abc', id), messageRange('ab')))
    assert.ok(inRange(outboxKey('ab', 1), outboxRange('ab')))
    assert.ok(!inRange(outboxKey('ab-c', 1), outboxRange('ab')))
  })

  it('writes counters as fixed-width hex and refuses what is not a safe count', () => {
    assert.equal(counterHex(255), '00000000000000ff')
    assert.equal(counterHex(Number.MAX_SAFE_INTEGER).length, 16)
    assert.throws(() => counterHex(-1), { name: 'InvalidParametersError' })
    assert.throws(() => counterHex(1.5), { name: 'InvalidParametersError' })
    assert.throws(() => counterHex(Number.MAX_SAFE_INTEGER + 1), { name: 'InvalidParametersError' })
  })
})
