import assert from 'node:assert/strict'
import { AT_REST_OVERHEAD, openAtRest, sealAtRest } from '#shared/crypto/seal.ts'
import { decoder, encoder } from './session.ts'

const storageKey = crypto.getRandomValues(new Uint8Array(32))
const context = 'messages/3TYHQTaCeiXX8V9mvBXTechJ6eqJPDK8fqfxu3ycdwL6yLVkoo/ab2cd3ef4gh5ij6kl7mn2op3qa'

function assertRefused (fn: () => unknown, reason: string): void {
  assert.throws(fn, (err: any) => {
    assert.equal(err.name, 'DecryptionError')
    assert.equal(err.reason, reason)
    return true
  })
}

describe('sealing at rest', () => {
  it('opens what it sealed, with the same key and context', () => {
    const sealed = sealAtRest(storageKey, encoder.encode('a message body'), context)

    assert.equal(sealed.byteLength, 'a message body'.length + AT_REST_OVERHEAD)
    assert.equal(decoder.decode(openAtRest(storageKey, sealed, context)), 'a message body')
    assert.deepEqual(openAtRest(storageKey, sealAtRest(storageKey, new Uint8Array(0), context), context), new Uint8Array(0))
  })

  it('never writes the plaintext, and uses a new nonce every time', () => {
    const plaintext = encoder.encode('canary-7f3a canary-7f3a canary-7f3a')
    const one = sealAtRest(storageKey, plaintext, context)
    const two = sealAtRest(storageKey, plaintext, context)

    assert.notDeepEqual(one, two)
    assert.ok(!Buffer.from(one).includes(Buffer.from('canary')))
    assert.deepEqual(openAtRest(storageKey, two, context), plaintext)
  })

  it('does not open under another context (a record moved in the store) or another key', () => {
    const sealed = sealAtRest(storageKey, encoder.encode('x'), 'sessions/alice')

    assertRefused(() => openAtRest(storageKey, sealed, 'sessions/bob'), 'unauthenticated')
    assertRefused(() => openAtRest(crypto.getRandomValues(new Uint8Array(32)), sealed, 'sessions/alice'), 'unauthenticated')
  })

  it('rejects a change at every byte', () => {
    const sealed = sealAtRest(storageKey, encoder.encode('ratchet state bytes'), context)

    for (let i = 0; i < sealed.byteLength; i++) {
      const altered = sealed.slice()
      altered[i] ^= 0x01
      assert.throws(() => openAtRest(storageKey, altered, context), { name: 'DecryptionError' }, `byte ${i}`)
    }
  })

  it('says when a record is truncated or from an unknown format', () => {
    const sealed = sealAtRest(storageKey, encoder.encode('x'), context)

    assertRefused(() => openAtRest(storageKey, sealed.subarray(0, AT_REST_OVERHEAD - 1), context), 'malformed')
    assertRefused(() => openAtRest(storageKey, Uint8Array.of(2, ...sealed.subarray(1)), context), 'malformed')
  })

  it('refuses a wrong-sized key and an empty context', () => {
    assert.throws(() => sealAtRest(new Uint8Array(16), encoder.encode('x'), context), { name: 'InvalidParametersError' })
    assert.throws(() => sealAtRest(storageKey, encoder.encode('x'), ''), { name: 'InvalidParametersError' })
  })
})
