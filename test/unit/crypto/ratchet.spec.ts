import assert from 'node:assert/strict'
import { generateAccountKeys } from '#shared/identity/account.ts'
import { generateSignedPrekey } from '#shared/crypto/prekeys.ts'
import { x3dhInitiate, x3dhRespond } from '#shared/crypto/x3dh.ts'
import {
  RATCHET_MAX_SKIP,
  RATCHET_MAX_SKIPPED_KEYS,
  canSend,
  decodeRatchetHeader,
  decodeRatchetState,
  encodeRatchetState,
  hasReceived,
  initInitiator,
  initResponder,
  ratchetDecrypt,
  ratchetEncrypt
} from '#shared/crypto/ratchet.ts'
import { RatchetHeader, RatchetStateRecord } from '#shared/crypto/pb/e2e.ts'
import { Pair, decoder, encoder, hex } from './session.ts'
import type { RatchetState } from '#shared/crypto/ratchet.ts'
import type { Sent } from './session.ts'

/** A deep copy, to check later that a state was not changed in place. */
function snapshot (state: RatchetState): RatchetState {
  return structuredClone(state)
}

/** Decrypting `message` with `state` fails with `reason`, and leaves `state` exactly as it was. */
function assertRefused (state: RatchetState, message: Pick<Sent, 'header' | 'ciphertext'>, reason?: string): void {
  const before = snapshot(state)
  assert.throws(() => ratchetDecrypt(state, message.header, message.ciphertext), (err: any) => {
    assert.equal(err.name, 'DecryptionError')
    if (reason != null) {
      assert.equal(err.reason, reason)
    }
    return true
  })
  assert.deepEqual(state, before)
}

describe('double ratchet', () => {
  it('carries a conversation both ways, with a new ratchet key at each turn', () => {
    const pair = Pair.create()
    const aliceKeys = new Set<string>()

    for (let turn = 0; turn < 5; turn++) {
      for (let i = 0; i < 3; i++) {
        const message = pair.send('alice', `alice ${turn}.${i}`)
        aliceKeys.add(hex(decodeRatchetHeader(message.header).dh))
        assert.equal(pair.receive('bob', message), `alice ${turn}.${i}`)
      }
      const reply = pair.send('bob', `bob ${turn}`)
      assert.equal(pair.receive('alice', reply), `bob ${turn}`)
    }

    assert.equal(aliceKeys.size, 5)
    assert.equal(pair.alice.skipped.length, 0)
    assert.equal(pair.bob.skipped.length, 0)
  })

  it('numbers messages in the header: n within a chain, pn of the previous chain', () => {
    const pair = Pair.create()
    const a0 = pair.send('alice', 'a0')
    const a1 = pair.send('alice', 'a1')
    pair.receive('bob', a0)
    pair.receive('bob', a1)
    pair.receive('alice', pair.send('bob', 'b0'))
    const a2 = pair.send('alice', 'a2')

    assert.deepEqual([decodeRatchetHeader(a0.header).n, decodeRatchetHeader(a1.header).n], [0, 1])
    assert.equal(decodeRatchetHeader(a2.header).n, 0)
    assert.equal(decodeRatchetHeader(a2.header).pn, 2)
    assert.notDeepEqual(decodeRatchetHeader(a2.header).dh, decodeRatchetHeader(a0.header).dh)
    assert.ok(a0.header.byteLength <= 64)
    assert.equal(a0.ciphertext.byteLength, 2 + 16)
  })

  it('lets the responder send only after it has decrypted the first message', () => {
    const pair = Pair.create()

    assert.equal(canSend(pair.bob), false)
    assert.throws(() => ratchetEncrypt(pair.bob, encoder.encode('too early')), { name: 'InvalidParametersError' })
    assert.equal(canSend(pair.alice), true)
    assert.equal(hasReceived(pair.alice), false)

    pair.receive('bob', pair.send('alice', 'hello'))
    assert.equal(canSend(pair.bob), true)

    pair.receive('alice', pair.send('bob', 'hi'))
    assert.equal(hasReceived(pair.alice), true)
  })

  it('never changes the state it is given (the caller persists the new one)', () => {
    const pair = Pair.create()
    const alice = snapshot(pair.alice)
    const encrypted = ratchetEncrypt(pair.alice, encoder.encode('one'))
    assert.deepEqual(pair.alice, alice)
    assert.notDeepEqual(encrypted.state, pair.alice)

    const bob = snapshot(pair.bob)
    const decrypted = ratchetDecrypt(pair.bob, encrypted.header, encrypted.ciphertext)
    assert.deepEqual(pair.bob, bob)
    assert.equal(decoder.decode(decrypted.plaintext), 'one')

    // the old state still decrypts the same message: nothing was consumed from it
    assert.equal(decoder.decode(ratchetDecrypt(pair.bob, encrypted.header, encrypted.ciphertext).plaintext), 'one')
  })

  describe('out of order and lost messages', () => {
    it('decrypts a chain received in any order', () => {
      const pair = Pair.create()
      const sent = Array.from({ length: 20 }, (_, i) => pair.send('alice', `m${i}`))
      const order = [5, 0, 19, 3, 1, 2, 18, 4, 6, 17, 7, 8, 16, 9, 15, 10, 14, 11, 13, 12]

      for (const i of order) {
        assert.equal(pair.receive('bob', sent[i]), `m${i}`)
      }
      assert.equal(pair.bob.skipped.length, 0)
    })

    it('decrypts later messages when earlier ones are lost, and keeps only their keys', () => {
      const pair = Pair.create()
      const sent = Array.from({ length: 10 }, (_, i) => pair.send('alice', `m${i}`))

      assert.equal(pair.receive('bob', sent[9]), 'm9')
      assert.equal(pair.bob.skipped.length, 9)
      assert.equal(pair.receive('bob', sent[4]), 'm4')
      assert.equal(pair.bob.skipped.length, 8)
    })

    it('decrypts late messages of a previous chain after the ratchet has turned', () => {
      const pair = Pair.create()
      const first = [pair.send('alice', 'a0'), pair.send('alice', 'a1'), pair.send('alice', 'a2')]
      pair.receive('bob', first[0])
      pair.receive('alice', pair.send('bob', 'b0'))
      const second = pair.send('alice', 'a3 (new chain)')

      // a3 arrives before a1 and a2: its pn tells Bob to keep a1's and a2's keys
      assert.equal(pair.receive('bob', second), 'a3 (new chain)')
      assert.equal(pair.bob.skipped.length, 2)
      pair.receive('alice', pair.send('bob', 'b1'))
      assert.equal(pair.receive('bob', first[2]), 'a2')
      assert.equal(pair.receive('bob', first[1]), 'a1')
      assert.equal(pair.bob.skipped.length, 0)
    })

    it('lets the first message be lost: the second starts the session too', () => {
      const pair = Pair.create()
      pair.send('alice', 'lost')
      assert.equal(pair.receive('bob', pair.send('alice', 'second')), 'second')
      assert.equal(pair.bob.skipped.length, 1)
    })
  })

  describe('skipped-key bounds', () => {
    it(`skips up to ${RATCHET_MAX_SKIP} messages in one chain`, () => {
      const pair = Pair.create()
      let last: Sent | undefined
      for (let i = 0; i <= RATCHET_MAX_SKIP; i++) {
        last = pair.send('alice', `m${i}`)
      }

      assert.equal(pair.receive('bob', last as Sent), `m${RATCHET_MAX_SKIP}`)
      assert.equal(pair.bob.skipped.length, RATCHET_MAX_SKIP)
    })

    it('refuses a message that would skip more, and stores nothing', () => {
      const pair = Pair.create()
      const sent: Sent[] = []
      for (let i = 0; i <= RATCHET_MAX_SKIP + 1; i++) {
        sent.push(pair.send('alice', `m${i}`))
      }

      assertRefused(pair.bob, sent[RATCHET_MAX_SKIP + 1], 'too-many-skipped')
      assert.equal(pair.bob.skipped.length, 0)

      // the session is intact: the sender's retries, in order, get through
      assert.equal(pair.receive('bob', sent[0]), 'm0')
      assert.equal(pair.receive('bob', sent[RATCHET_MAX_SKIP + 1]), `m${RATCHET_MAX_SKIP + 1}`)
    })

    it('refuses a previous-chain count (pn) that would skip more', () => {
      const pair = Pair.create()
      pair.receive('bob', pair.send('alice', 'a0'))
      const bobChain = Array.from({ length: RATCHET_MAX_SKIP + 2 }, (_, i) => pair.send('bob', `b${i}`))
      pair.receive('alice', bobChain[0])
      pair.receive('bob', pair.send('alice', 'a1'))

      // Bob's next chain says pn = 1002; Alice has had only b0 of his previous chain
      const next = pair.send('bob', 'b-next')
      assert.equal(decodeRatchetHeader(next.header).pn, RATCHET_MAX_SKIP + 2)
      assertRefused(pair.alice, next, 'too-many-skipped')
      assert.equal(pair.alice.skipped.length, 0)
    })

    it('stores nothing for a forged message, however much it asks to skip', () => {
      const pair = Pair.create()
      pair.receive('bob', pair.send('alice', 'a0'))
      const genuine = decodeRatchetHeader(pair.send('alice', 'a1').header)

      for (const fields of [{ n: RATCHET_MAX_SKIP - 1 }, { dh: new Uint8Array(32).fill(9), pn: 500, n: 500 }]) {
        const header = RatchetHeader.encode({ ...genuine, ...fields })
        assertRefused(pair.bob, { header, ciphertext: new Uint8Array(40) }, 'unauthenticated')
        assert.equal(pair.bob.skipped.length, 0)
      }
    })

    it(`keeps at most ${RATCHET_MAX_SKIPPED_KEYS} skipped keys in total, dropping the oldest`, () => {
      const pair = Pair.create()
      const chains: Sent[][] = []

      for (let chain = 0; chain < 3; chain++) {
        const sent = Array.from({ length: RATCHET_MAX_SKIP + 1 }, (_, i) => pair.send('alice', `c${chain} m${i}`))
        chains.push(sent)
        pair.receive('bob', sent[RATCHET_MAX_SKIP])
        pair.receive('alice', pair.send('bob', `turn ${chain}`))
        assert.ok(pair.bob.skipped.length <= RATCHET_MAX_SKIPPED_KEYS)
      }

      assert.equal(pair.bob.skipped.length, RATCHET_MAX_SKIPPED_KEYS)
      assertRefused(pair.bob, chains[0][0], undefined)
      assert.equal(pair.receive('bob', chains[1][0]), 'c1 m0')
      assert.equal(pair.receive('bob', chains[2][RATCHET_MAX_SKIP - 1]), `c2 m${RATCHET_MAX_SKIP - 1}`)
    })
  })

  describe('tampering', () => {
    function flipEveryByte (state: RatchetState, message: Sent): number {
      let refused = 0
      for (const part of ['header', 'ciphertext'] as const) {
        for (let i = 0; i < message[part].byteLength; i++) {
          for (const mask of [0x01, 0xff]) {
            const bytes = message[part].slice()
            bytes[i] ^= mask
            assertRefused(state, { ...message, [part]: bytes })
            refused++
          }
        }
      }
      return refused
    }

    it('rejects a change at every byte of a first message\'s header and ciphertext', () => {
      const pair = Pair.create()
      const message = pair.send('alice', 'the first message, from an offline start')

      const refused = flipEveryByte(pair.bob, message)
      assert.equal(refused, 2 * (message.header.byteLength + message.ciphertext.byteLength))
      assert.equal(pair.receive('bob', message), message.text)
    })

    it('rejects a change at every byte of a mid-session message, a truncation and an extension', () => {
      const pair = Pair.create()
      for (let i = 0; i < 3; i++) {
        pair.receive('bob', pair.send('alice', `a${i}`))
        pair.receive('alice', pair.send('bob', `b${i}`))
      }
      pair.send('bob', 'skipped, so that pn and n are not zero')
      const message = pair.send('bob', 'a message in the middle of a conversation')
      assert.ok(decodeRatchetHeader(message.header).n > 0)

      flipEveryByte(pair.alice, message)
      assertRefused(pair.alice, { ...message, ciphertext: message.ciphertext.subarray(0, -1) })
      assertRefused(pair.alice, { ...message, ciphertext: new Uint8Array([...message.ciphertext, 0]) })
      assertRefused(pair.alice, { ...message, header: new Uint8Array([...message.header, 0x20, 0x01]) })
      assertRefused(pair.alice, { ...message, ciphertext: new Uint8Array(0) })
      assertRefused(pair.alice, { header: new Uint8Array(65), ciphertext: message.ciphertext }, 'malformed')
      assert.equal(pair.receive('alice', message), message.text)
    })

    it('keeps a late message\'s key when a forged copy of it arrives first', () => {
      const pair = Pair.create()
      const late = pair.send('alice', 'late')
      pair.receive('bob', pair.send('alice', 'early'))
      const forged = late.ciphertext.slice()
      forged[0] ^= 1

      assertRefused(pair.bob, { ...late, ciphertext: forged }, 'unauthenticated')
      assert.equal(pair.bob.skipped.length, 1)
      assert.equal(pair.receive('bob', late), 'late')
    })

    it('rejects a message of another session, and a header with a low-order ratchet key', () => {
      const one = Pair.create()
      const two = Pair.create()
      one.receive('bob', one.send('alice', 'x'))
      two.receive('bob', two.send('alice', 'y'))

      assertRefused(two.bob, one.send('alice', 'for the other session'), 'unauthenticated')

      const message = one.send('alice', 'z')
      const header = RatchetHeader.encode({ ...decodeRatchetHeader(message.header), dh: new Uint8Array(32) })
      assertRefused(one.bob, { header, ciphertext: message.ciphertext }, 'malformed')
    })
  })

  describe('replay', () => {
    it('decrypts a message once', () => {
      const pair = Pair.create()
      const message = pair.send('alice', 'once')
      pair.receive('bob', message)
      assertRefused(pair.bob, message, 'replay')
    })

    it('decrypts a late (skipped) message once', () => {
      const pair = Pair.create()
      const late = pair.send('alice', 'late')
      pair.receive('bob', pair.send('alice', 'early'))
      pair.receive('bob', late)
      assertRefused(pair.bob, late, 'replay')
    })

    it('refuses a message of a previous chain after the ratchet has turned', () => {
      const pair = Pair.create()
      const old = pair.send('alice', 'old chain')
      pair.receive('bob', old)
      pair.receive('alice', pair.send('bob', 'turn'))
      pair.receive('bob', pair.send('alice', 'new chain'))
      assertRefused(pair.bob, old)
    })
  })

  it('keeps forward secrecy: a later state cannot decrypt an earlier message', () => {
    const pair = Pair.create()
    const early = pair.send('alice', 'early secret')
    const sameChain = pair.send('alice', 'same chain')
    pair.receive('bob', early)
    pair.receive('bob', sameChain)

    // Bob's state is stolen right after: the messages it decrypted stay unreadable to the thief.
    const stolen = snapshot(pair.bob)
    assertRefused(stolen, early)
    assertRefused(stolen, sameChain)

    // ...and after further turns, neither the receiver's nor the sender's state opens them.
    pair.receive('alice', pair.send('bob', 'reply'))
    pair.receive('bob', pair.send('alice', 'again'))
    assertRefused(pair.bob, early)
    assertRefused(pair.bob, sameChain)
  })

  it('heals after a compromise (post-compromise security) once both sides have sent', () => {
    const pair = Pair.create()
    pair.receive('bob', pair.send('alice', 'before'))
    pair.receive('alice', pair.send('bob', 'before, reply'))
    pair.receive('bob', pair.send('alice', 'before, again'))

    // Eve copies Alice's whole state, and keeps following the conversation with it.
    const stolen = snapshot(pair.alice)
    let eve = stolen

    // While the compromise lasts Eve reads Bob's messages: the test is not vacuous.
    const exposed = pair.send('bob', 'exposed')
    eve = ratchetDecrypt(eve, exposed.header, exposed.ciphertext).state
    assert.equal(pair.receive('alice', exposed), 'exposed')

    // Both sides send again: Alice with a ratchet key made after the theft, Bob answering it.
    assert.equal(pair.receive('bob', pair.send('alice', 'healing')), 'healing')
    const after = pair.send('bob', 'after the heal')
    const later = pair.send('bob', 'and later')

    for (const state of [eve, stolen]) {
      assertRefused(state, after)
      assertRefused(state, later)
    }
    assert.equal(pair.receive('alice', after), 'after the heal')
    assert.equal(pair.receive('alice', later), 'and later')
  })

  describe('stored state', () => {
    it('survives encoding mid-session, skipped keys included', () => {
      const pair = Pair.create()
      const late = pair.send('alice', 'late')
      pair.receive('bob', pair.send('alice', 'early'))
      pair.receive('alice', pair.send('bob', 'reply'))

      const bob = decodeRatchetState(encodeRatchetState(pair.bob))
      const alice = decodeRatchetState(encodeRatchetState(pair.alice))
      assert.deepEqual(bob, pair.bob)
      assert.deepEqual(alice, pair.alice)

      pair.bob = bob
      pair.alice = alice
      assert.equal(pair.receive('bob', late), 'late')
      assert.equal(pair.receive('alice', pair.send('bob', 'next')), 'next')
    })

    it('round-trips a fresh responder state (absent keys stay absent)', () => {
      const pair = Pair.create()
      const bob = decodeRatchetState(encodeRatchetState(pair.bob))
      assert.equal(bob.receivingRatchet, undefined)
      assert.equal(bob.sendingChainKey, undefined)
      assert.deepEqual(bob, pair.bob)
    })

    it('refuses damaged, oversized or newer-version bytes', () => {
      const pair = Pair.create()
      const record = RatchetStateRecord.decode(encodeRatchetState(pair.alice))

      assert.throws(() => decodeRatchetState(new Uint8Array(300 * 1024)), { name: 'InvalidMessageError', message: /too large/ })
      assert.throws(() => decodeRatchetState(Uint8Array.of(0x0a, 0xff)), { name: 'InvalidMessageError' })
      assert.throws(() => decodeRatchetState(RatchetStateRecord.encode({ ...record, version: 2 })), { name: 'InvalidMessageError', message: /newer/ })
      assert.throws(() => decodeRatchetState(RatchetStateRecord.encode({ ...record, rootKey: new Uint8Array(31) })), { name: 'InvalidMessageError', message: /root key/ })
      assert.throws(() => decodeRatchetState(RatchetStateRecord.encode({ ...record, associatedData: new Uint8Array(0) })), { name: 'InvalidMessageError' })
    })
  })

  it('checks its inputs when a session starts', () => {
    const alice = generateAccountKeys()
    const bob = generateAccountKeys()
    const prekey = generateSignedPrekey(bob, 1)
    const start = x3dhInitiate(alice, bob.publicKey, prekey.prekey)
    const answer = x3dhRespond(bob, prekey.privateKey, alice.publicKey, start.ephemeralPublic)
    const pairOfKeys = { publicKey: prekey.prekey.publicKey, privateKey: prekey.privateKey }

    assert.throws(() => initInitiator(start.sharedKey.subarray(1), prekey.prekey.publicKey, start.associatedData), { name: 'InvalidParametersError' })
    assert.throws(() => initInitiator(start.sharedKey, prekey.prekey.publicKey, new Uint8Array(0)), { name: 'InvalidParametersError' })
    assert.throws(() => initInitiator(start.sharedKey, new Uint8Array(32), start.associatedData), { name: 'InvalidMessageError' })
    assert.throws(() => initResponder(answer.sharedKey, { ...pairOfKeys, privateKey: new Uint8Array(3) }, answer.associatedData), { name: 'InvalidParametersError' })

    // a session whose two sides disagree on the associated data does not work
    const alices = initInitiator(start.sharedKey, prekey.prekey.publicKey, start.associatedData)
    const bobs = initResponder(answer.sharedKey, pairOfKeys, answer.associatedData.slice().reverse())
    const message = ratchetEncrypt(alices, encoder.encode('bound to AD'))
    assertRefused(bobs, { header: message.header, ciphertext: message.ciphertext }, 'unauthenticated')
  })
})
