import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { Record as Libp2pRecord } from '@libp2p/kad-dht'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { fromString as uint8ArrayFromString } from 'uint8arrays/from-string'
import { encodeSignedPrekey, generateSignedPrekey, verifySignedPrekey } from '#shared/crypto/prekeys.ts'
import { generateAccountKeys, accountIdFromPublicKey, signAs } from '#shared/identity/account.ts'
import { certifyDevice, encodeDeviceCertificate } from '#shared/identity/device.ts'
import {
  ACCOUNT_RECORD_DOMAIN,
  MAX_ADDRS_PER_DEVICE,
  MAX_RECORD_BYTES,
  MAX_RECORD_DEVICES,
  MAX_SIGNED_PREKEY_BYTES,
  RECORD_KEY_PREFIX,
  RECORD_NAMESPACE
} from '#shared/protocol/constants.ts'
import {
  createAccountRecord,
  parseAccountRecord,
  publicKeyFromRecordKey,
  recordKey,
  selectAccountRecord,
  validateAccountRecord
} from '#shared/protocol/record/index.ts'
import { AccountRecord } from '#shared/protocol/record/pb/record.ts'
// kad-dht does not export its record helpers; import the very modules its
// PUT_VALUE handler and GET path run, so the namespace lookup is the real one.
import { verifyRecord } from '../../../node_modules/@libp2p/kad-dht/dist/src/record/validators.js'
import { bestRecord } from '../../../node_modules/@libp2p/kad-dht/dist/src/record/selectors.js'
import type { AccountKeys } from '#shared/identity/account.ts'
import type { PeerId } from '@libp2p/interface'

async function newPeerId (): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

async function device (keys: AccountKeys, addrs = ['/ip4/127.0.0.1/tcp/4001']): Promise<{ peerId: PeerId, entry: { certificate: ReturnType<typeof certifyDevice>, addrs: ReturnType<typeof multiaddr>[] } }> {
  const peerId = await newPeerId()
  return { peerId, entry: { certificate: certifyDevice(keys, peerId), addrs: addrs.map(a => multiaddr(a)) } }
}

/** Change a record and sign it again with `keys`, as a careless or hostile implementation could. */
function resign (bytes: Uint8Array, keys: AccountKeys, change: (record: AccountRecord) => AccountRecord): Uint8Array {
  const changed = { ...change(AccountRecord.decode(bytes)), signature: new Uint8Array(0) }
  return AccountRecord.encode({ ...changed, signature: Uint8Array.from(signAs(keys, ACCOUNT_RECORD_DOMAIN, AccountRecord.encode(changed))) })
}

const validators = { [RECORD_NAMESPACE]: validateAccountRecord }
const selectors = { [RECORD_NAMESPACE]: selectAccountRecord }

describe('account record', () => {
  let alice: AccountKeys

  beforeEach(() => {
    alice = generateAccountKeys()
  })

  it('round-trips devices, addresses, mailboxes and seq', async () => {
    const laptop = await device(alice, ['/ip4/127.0.0.1/tcp/4001', '/dns4/relay.example/tcp/443/wss/p2p-circuit'])
    const phone = await device(alice, [])
    const mailbox = await newPeerId()

    const bytes = createAccountRecord(alice, { seq: 7n, devices: [laptop.entry, phone.entry], mailboxes: [mailbox] })
    const info = parseAccountRecord(bytes, recordKey(alice.publicKey))

    assert.equal(info.accountId, accountIdFromPublicKey(alice.publicKey))
    assert.deepEqual(info.publicKey, alice.publicKey)
    assert.equal(info.seq, 7n)
    assert.deepEqual(info.devices.map(d => d.peerId.toString()), [laptop.peerId.toString(), phone.peerId.toString()])
    assert.deepEqual(info.devices[0].addrs.map(a => a.toString()), ['/ip4/127.0.0.1/tcp/4001', '/dns4/relay.example/tcp/443/wss/p2p-circuit'])
    assert.deepEqual(info.devices[1].addrs, [])
    assert.deepEqual(info.mailboxes.map(p => p.toString()), [mailbox.toString()])
    assert.ok(Math.abs(info.issuedAt - Date.now()) < 60_000)
  })

  describe('signed prekey', () => {
    it('round-trips the account\'s signed prekey, verified; none when not given', async () => {
      const { prekey } = generateSignedPrekey(alice, 3)
      const bytes = createAccountRecord(alice, { seq: 2n, devices: [(await device(alice)).entry], signedPrekey: prekey })
      const info = parseAccountRecord(bytes, recordKey(alice.publicKey))

      assert.deepEqual(info.signedPrekey, prekey)
      assert.ok(info.signedPrekey != null && verifySignedPrekey(alice.publicKey, info.signedPrekey))
      assert.equal('signedPrekey' in parseAccountRecord(createAccountRecord(alice, { seq: 3n, devices: [] })), false)
    })

    it('refuses a prekey signed by another account, even in a record the account signed', () => {
      const mallory = generateAccountKeys()
      const theirs = generateSignedPrekey(mallory, 1).prekey
      const key = recordKey(alice.publicKey)

      assert.throws(() => createAccountRecord(alice, { seq: 1n, devices: [], signedPrekey: theirs }), { name: 'InvalidRecordError', message: /prekey/ })

      const forged = resign(createAccountRecord(alice, { seq: 1n, devices: [] }), alice, record => ({ ...record, signedPrekey: Uint8Array.from(encodeSignedPrekey(theirs)) }))
      assert.throws(() => { validateAccountRecord(key, forged) }, { name: 'InvalidRecordError', message: /prekey that its account did not sign/ })
    })

    it('is covered by the record signature: a swapped prekey is refused, and the selector skips it', async () => {
      const key = recordKey(alice.publicKey)
      const genuine = createAccountRecord(alice, { seq: 1n, devices: [], signedPrekey: generateSignedPrekey(alice, 1).prekey })
      const other = generateSignedPrekey(alice, 2).prekey
      const swapped = AccountRecord.encode({ ...AccountRecord.decode(genuine), seq: 2n, signedPrekey: Uint8Array.from(encodeSignedPrekey(other)) })

      assert.throws(() => { validateAccountRecord(key, swapped) }, { name: 'InvalidRecordError', message: /signature/ })
      assert.equal(await selectAccountRecord(key, [swapped, genuine]), 1)
    })

    it('refuses an altered, oversized or undecodable prekey', () => {
      const key = recordKey(alice.publicKey)
      const base = createAccountRecord(alice, { seq: 1n, devices: [] })
      const prekey = generateSignedPrekey(alice, 1).prekey
      const altered = { ...prekey, id: prekey.id + 1 }

      assert.throws(() => { validateAccountRecord(key, resign(base, alice, r => ({ ...r, signedPrekey: Uint8Array.from(encodeSignedPrekey(altered)) }))) }, { name: 'InvalidRecordError', message: /did not sign/ })
      assert.throws(() => { validateAccountRecord(key, resign(base, alice, r => ({ ...r, signedPrekey: new Uint8Array(MAX_SIGNED_PREKEY_BYTES + 1) }))) }, { name: 'InvalidRecordError', message: /too large/ })
      assert.throws(() => { validateAccountRecord(key, resign(base, alice, r => ({ ...r, signedPrekey: Uint8Array.of(0xff, 0xff) }))) }, { name: 'InvalidRecordError', message: /does not decode/ })
    })
  })

  it('has the key /parley/ followed by the raw public key, from an id or a key', () => {
    const key = recordKey(alice.publicKey)
    assert.deepEqual(key.subarray(0, RECORD_KEY_PREFIX.length), uint8ArrayFromString('/parley/'))
    assert.deepEqual(key.subarray(RECORD_KEY_PREFIX.length), alice.publicKey)
    assert.deepEqual(recordKey(accountIdFromPublicKey(alice.publicKey)), key)
    assert.deepEqual(publicKeyFromRecordKey(key), alice.publicKey)
    assert.throws(() => publicKeyFromRecordKey(uint8ArrayFromString('/pk/abc')), { name: 'InvalidRecordError' })
  })

  it('is refused under another account\'s key', async () => {
    const bob = generateAccountKeys()
    const bytes = createAccountRecord(alice, { seq: 1n, devices: [(await device(alice)).entry] })

    assert.throws(() => parseAccountRecord(bytes, recordKey(bob.publicKey)), { name: 'InvalidRecordError', message: /different account/ })
    assert.throws(() => { validateAccountRecord(recordKey(bob.publicKey), bytes) }, { name: 'InvalidRecordError' })
  })

  it('is refused when altered after signing', async () => {
    const bytes = createAccountRecord(alice, { seq: 1n, devices: [(await device(alice)).entry] })
    const decoded = AccountRecord.decode(bytes)
    const bumped = AccountRecord.encode({ ...decoded, seq: 99n })

    assert.throws(() => parseAccountRecord(bumped, recordKey(alice.publicKey)), { name: 'InvalidRecordError', message: /signature/ })
  })

  it('is refused when signed by another account than the one it names', async () => {
    const mallory = generateAccountKeys()
    const genuine = AccountRecord.decode(createAccountRecord(alice, { seq: 1n, devices: [] }))
    // Mallory signs a record that claims to be Alice's, listing her own device.
    const forged = AccountRecord.decode(createAccountRecord(mallory, { seq: 5n, devices: [(await device(mallory)).entry] }))
    const bytes = AccountRecord.encode({ ...forged, accountPublicKey: genuine.accountPublicKey })

    assert.throws(() => { validateAccountRecord(recordKey(alice.publicKey), bytes) }, { name: 'InvalidRecordError' })
  })

  it('refuses a device certified by another account, even when the record is properly signed', async () => {
    const mallory = generateAccountKeys()
    const theirs = await device(mallory)

    assert.throws(() => createAccountRecord(alice, { seq: 1n, devices: [theirs.entry] }), { name: 'InvalidRecordError', message: /different account/ })

    // The same record built and signed by hand, as another implementation might.
    const unsigned = {
      accountPublicKey: Uint8Array.from(alice.publicKey),
      seq: 1n,
      devices: [{ certificate: Uint8Array.from(encodeDeviceCertificate(theirs.entry.certificate)), addrs: [] }],
      mailboxes: [],
      issuedAt: Date.now()
    }
    const signature = Uint8Array.from(signAs(alice, ACCOUNT_RECORD_DOMAIN, AccountRecord.encode(unsigned)))
    const bytes = AccountRecord.encode({ ...unsigned, signature })
    assert.throws(() => { validateAccountRecord(recordKey(alice.publicKey), bytes) }, { name: 'InvalidRecordError', message: /different account/ })
  })

  it('refuses a device listed twice', async () => {
    const laptop = await device(alice)
    assert.throws(() => createAccountRecord(alice, { seq: 1n, devices: [laptop.entry, laptop.entry] }), { name: 'InvalidRecordError', message: /twice/ })
  })

  it('enforces the device, address and size limits', async () => {
    const many = await Promise.all(Array.from({ length: MAX_RECORD_DEVICES + 1 }, async () => (await device(alice, [])).entry))
    assert.throws(() => createAccountRecord(alice, { seq: 1n, devices: many }), { name: 'InvalidRecordError', message: /too many/ })

    const addrs = Array.from({ length: MAX_ADDRS_PER_DEVICE + 1 }, (_, i) => `/ip4/127.0.0.1/tcp/${4000 + i}`)
    const chatty = (await device(alice, addrs)).entry
    assert.throws(() => createAccountRecord(alice, { seq: 1n, devices: [chatty] }), { name: 'InvalidRecordError', message: /too many/ })

    // Within the count limits but over the byte limit: long DNS names.
    const long = Array.from({ length: MAX_ADDRS_PER_DEVICE }, (_, i) => `/dns4/${'a'.repeat(200)}${i}.example/tcp/443/wss`)
    const big = await Promise.all(Array.from({ length: 4 }, async () => (await device(alice, long)).entry))
    assert.throws(() => createAccountRecord(alice, { seq: 1n, devices: big }), { name: 'InvalidRecordError', message: new RegExp(`at most ${MAX_RECORD_BYTES}`) })
  })

  it('refuses garbage', () => {
    assert.throws(() => parseAccountRecord(Uint8Array.of(0xff, 0xff, 0xff), recordKey(alice.publicKey)), { name: 'InvalidRecordError' })
    assert.throws(() => parseAccountRecord(new Uint8Array(0), recordKey(alice.publicKey)), { name: 'InvalidRecordError' })
  })

  describe('selector', () => {
    it('picks the valid record with the highest seq, the first on ties', async () => {
      const key = recordKey(alice.publicKey)
      const laptop = (await device(alice)).entry
      const r3 = createAccountRecord(alice, { seq: 3n, devices: [laptop] })
      const r9 = createAccountRecord(alice, { seq: 9n, devices: [laptop] })
      const r9b = createAccountRecord(alice, { seq: 9n, devices: [] })
      const forged = AccountRecord.encode({ ...AccountRecord.decode(r3), seq: 100n })

      assert.equal(await selectAccountRecord(key, [r3, r9, forged, r9b]), 1)
      assert.equal(await selectAccountRecord(key, [r9b, r3, r9]), 0)
      assert.equal(await selectAccountRecord(key, [forged, r3]), 1)
      await assert.rejects(async () => selectAccountRecord(key, [forged]), { name: 'InvalidRecordError' })
    })
  })

  describe('with kad-dht\'s own record helpers', () => {
    it('routes a binary /parley/ key to our validator and accepts a valid record', async () => {
      // Find a key whose binary part contains '/' and invalid UTF-8, the cases
      // that could confuse kad-dht's text split of the key.
      let keys = alice
      while (!(keys.publicKey.includes(0x2f) && keys.publicKey.some(b => b >= 0x80))) {
        keys = generateAccountKeys()
      }
      const key = recordKey(keys.publicKey)
      const bytes = createAccountRecord(keys, { seq: 1n, devices: [(await device(keys)).entry] })

      await verifyRecord(validators, new Libp2pRecord(key, bytes, new Date()))
    })

    it('rejects, through kad-dht, a record signed by another account', async () => {
      const mallory = generateAccountKeys()
      const bytes = createAccountRecord(mallory, { seq: 1n, devices: [] })

      await assert.rejects(verifyRecord(validators, new Libp2pRecord(recordKey(alice.publicKey), bytes, new Date())), { name: 'InvalidRecordError' })
    })

    it('selects the highest seq through kad-dht', async () => {
      const key = recordKey(alice.publicKey)
      const r1 = createAccountRecord(alice, { seq: 1n, devices: [] })
      const r2 = createAccountRecord(alice, { seq: 2n, devices: [] })

      assert.equal(await bestRecord(selectors, key, [r1, r2]), 1)
    })
  })
})
