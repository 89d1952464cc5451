import assert from 'node:assert/strict'
import { MemoryLevel } from 'memory-level'
import { encodeDeviceCertificate, generateAccountKeys, signAs } from '#shared/identity/index.ts'
import { createAccount } from '#shared/messenger/index.ts'
import { createReceipts, verifyReceipt } from '#shared/messenger/receipts.ts'
import { MAX_RECEIPT_IDS, RECEIPT_DOMAIN } from '#shared/protocol/constants.ts'
import { Envelope, SignedReceipt } from '#shared/protocol/dm/pb/dm.ts'
import { MailboxStatus } from '#shared/protocol/mailbox/index.ts'
import { newMessageId, ParleyStore } from '#shared/store/index.ts'
import { befriend, KDF_LOG_N, newMessenger, nextEvents, PASSPHRASE, pairWith, startClient, startMailboxPeer } from './fixtures.ts'
import type { MailboxPeer } from './fixtures.ts'
import type { Messenger, PeerNode, UnlockedAccount } from '#shared/messenger/index.ts'
import type { StoredMessage } from '#shared/store/index.ts'

const ENVELOPE_VERSION = 2

const isInvalidMessage = (err: any): boolean => err.name === 'InvalidMessageError'

function ids (n: number): string[] {
  return Array.from({ length: n }, () => newMessageId())
}

/**
 * A receipt envelope whose signature is valid for whatever it names: the
 * rules that refuse it must then be the ones under test, not the signature.
 */
function signedReceipt (account: UnlockedAccount, recipient: Uint8Array, named: string[], envelopeId = newMessageId()): Envelope {
  const signature = signAs(account.keys, RECEIPT_DOMAIN, SignedReceipt.encode({ recipient: new Uint8Array(recipient), envelopeId, ids: named }))
  return {
    version: ENVELOPE_VERSION,
    sender: new Uint8Array(encodeDeviceCertificate(account.certificate)),
    recipient: new Uint8Array(recipient),
    id: envelopeId,
    ratchetHeader: new Uint8Array(0),
    ciphertext: new Uint8Array(0),
    receipt: { ids: named, signature: new Uint8Array(signature) }
  }
}

describe('delivery receipts', () => {
  let bob: UnlockedAccount
  const alice = generateAccountKeys()

  before(async () => {
    const store = await ParleyStore.open(new MemoryLevel<string, Uint8Array>({ keyEncoding: 'utf8', valueEncoding: 'view' }))
    bob = await createAccount(store, { name: 'Bob', passphrase: PASSPHRASE, kdfLogN: KDF_LOG_N })
  })

  it('a receipt from createReceipts verifies with the signer\'s key, after encoding, and gives its ids', () => {
    const named = ids(3)
    const envelopes = createReceipts(bob, ENVELOPE_VERSION, alice.publicKey, named)
    assert.equal(envelopes.length, 1)
    const [envelope] = envelopes
    assert.deepEqual(envelope.recipient, alice.publicKey)
    assert.deepEqual(envelope.sender, encodeDeviceCertificate(bob.certificate))
    assert.equal(envelope.ciphertext.byteLength, 0, 'a receipt carries no message')
    assert.deepEqual(verifyReceipt(Envelope.decode(Envelope.encode(envelope)), bob.keys.publicKey), named)
  })

  it('gives each id once when a receipt names one twice', () => {
    const [a, b] = ids(2)
    assert.deepEqual(verifyReceipt(signedReceipt(bob, alice.publicKey, [a, b, a]), bob.keys.publicKey), [a, b])
  })

  it('refuses a receipt under another key than the signer\'s', () => {
    const [envelope] = createReceipts(bob, ENVELOPE_VERSION, alice.publicKey, ids(2))
    assert.throws(() => verifyReceipt(envelope, generateAccountKeys().publicKey), isInvalidMessage)
    assert.throws(() => verifyReceipt(envelope, alice.publicKey), isInvalidMessage, 'the recipient\'s key is not the signer\'s')
  })

  it('refuses a receipt whose id list was changed: an id replaced, dropped or added', () => {
    const named = ids(3)
    const [envelope] = createReceipts(bob, ENVELOPE_VERSION, alice.publicKey, named)
    const withIds = (list: string[]): Envelope => ({ ...envelope, receipt: { ids: list, signature: envelope.receipt?.signature ?? new Uint8Array() } })
    assert.doesNotThrow(() => verifyReceipt(withIds([...named]), bob.keys.publicKey))
    assert.throws(() => verifyReceipt(withIds([named[0], newMessageId(), named[2]]), bob.keys.publicKey), isInvalidMessage)
    assert.throws(() => verifyReceipt(withIds(named.slice(0, 2)), bob.keys.publicKey), isInvalidMessage)
    assert.throws(() => verifyReceipt(withIds([...named, newMessageId()]), bob.keys.publicKey), isInvalidMessage)
  })

  it('refuses a receipt whose recipient or envelope id was changed', () => {
    const [envelope] = createReceipts(bob, ENVELOPE_VERSION, alice.publicKey, ids(2))
    assert.throws(() => verifyReceipt({ ...envelope, recipient: new Uint8Array(generateAccountKeys().publicKey) }, bob.keys.publicKey), isInvalidMessage)
    assert.throws(() => verifyReceipt({ ...envelope, id: newMessageId() }, bob.keys.publicKey), isInvalidMessage)
  })

  it('refuses a receipt that carries a message (ciphertext, ratchet header or prekey)', () => {
    const envelope = signedReceipt(bob, alice.publicKey, ids(1))
    assert.doesNotThrow(() => verifyReceipt(envelope, bob.keys.publicKey))
    assert.throws(() => verifyReceipt({ ...envelope, ciphertext: new Uint8Array([1, 2, 3]) }, bob.keys.publicKey), isInvalidMessage)
    assert.throws(() => verifyReceipt({ ...envelope, ratchetHeader: new Uint8Array([1]) }, bob.keys.publicKey), isInvalidMessage)
    assert.throws(() => verifyReceipt({ ...envelope, prekey: { ephemeral: new Uint8Array(32), prekeyId: 1 } }, bob.keys.publicKey), isInvalidMessage)
  })

  it('refuses signed receipts naming no id, more than MAX_RECEIPT_IDS ids, or a malformed id; takes exactly MAX_RECEIPT_IDS', () => {
    assert.equal(verifyReceipt(signedReceipt(bob, alice.publicKey, ids(MAX_RECEIPT_IDS)), bob.keys.publicKey).length, MAX_RECEIPT_IDS)
    assert.throws(() => verifyReceipt(signedReceipt(bob, alice.publicKey, []), bob.keys.publicKey), isInvalidMessage)
    assert.throws(() => verifyReceipt(signedReceipt(bob, alice.publicKey, ids(MAX_RECEIPT_IDS + 1)), bob.keys.publicKey), isInvalidMessage)
    assert.throws(() => verifyReceipt(signedReceipt(bob, alice.publicKey, [newMessageId(), 'not a message id']), bob.keys.publicKey), isInvalidMessage)
    assert.throws(() => verifyReceipt(signedReceipt(bob, alice.publicKey, [newMessageId().toUpperCase()]), bob.keys.publicKey), isInvalidMessage)
  })

  it('refuses an envelope that is not a receipt', () => {
    const { receipt: _, ...message } = signedReceipt(bob, alice.publicKey, ids(1))
    assert.throws(() => verifyReceipt(message, bob.keys.publicKey), isInvalidMessage)
  })

  it('splits more than MAX_RECEIPT_IDS ids over several envelopes, each verifying; none for no ids', () => {
    const named = ids(2 * MAX_RECEIPT_IDS + 1)
    const envelopes = createReceipts(bob, ENVELOPE_VERSION, alice.publicKey, named)
    assert.deepEqual(envelopes.map(e => e.receipt?.ids.length), [MAX_RECEIPT_IDS, MAX_RECEIPT_IDS, 1])
    assert.deepEqual(envelopes.flatMap(e => verifyReceipt(e, bob.keys.publicKey)), named)
    assert.equal(new Set(envelopes.map(e => e.id)).size, 3, 'each envelope has its own id')
    assert.deepEqual(createReceipts(bob, ENVELOPE_VERSION, alice.publicKey, []), [])
  })
})

describe('delivery receipts: messenger', function () {
  this.timeout(20_000)

  let mailbox: MailboxPeer
  const messengers: Messenger[] = []
  const clients: PeerNode[] = []

  beforeEach(async () => {
    mailbox = await startMailboxPeer()
  })

  afterEach(async () => {
    await Promise.all(messengers.splice(0).map(async m => m.stop()))
    await Promise.all(clients.splice(0).map(async c => c.stop()))
    await mailbox.stop()
  })

  it('a receipt from a contact naming another conversation\'s message marks nothing delivered', async () => {
    const [alice, bob, carol] = await Promise.all(['Alice', 'Bob', 'Carol'].map(async name => newMessenger(name, mailbox)))
    messengers.push(alice, bob, carol)
    await alice.start()
    await pairWith(alice, mailbox)
    // Bob and Carol never start: what Alice sends them stays pending
    await befriend(alice, bob)
    await befriend(alice, carol)
    const toBob = await alice.send(bob.accountId, 'for Bob')
    const toCarol = await alice.send(carol.accountId, 'for Carol')
    await alice.stop()

    const client = await startClient(mailbox)
    clients.push(client)
    const deposit = async (receipt: Envelope): Promise<void> => {
      const result = await client.services.mailbox.deposit(mailbox.peerId, {
        recipient: alice.account.keys.publicKey, messageId: receipt.id, envelope: Envelope.encode(receipt)
      }, { signal: AbortSignal.timeout(5_000) })
      assert.equal(result.status, MailboxStatus.OK)
    }
    // Bob's genuine signature, over the id of Alice's message to Carol; then, after it, a good one
    const [crossed] = createReceipts(bob.account, ENVELOPE_VERSION, alice.account.keys.publicKey, [toCarol.id])
    const [good] = createReceipts(bob.account, ENVELOPE_VERSION, alice.account.keys.publicKey, [toBob.id])
    await deposit(crossed)
    await deposit(good)

    const deliveredEvents: StoredMessage[] = []
    alice.addEventListener('message:delivered', (evt) => { deliveredEvents.push(evt.detail) })
    const delivered = nextEvents<StoredMessage>(alice, 'message:delivered', m => m.id === toBob.id, 1)
    const acked = nextEvents<{ accountId: string, deleted: number }>(mailbox.service, 'mailbox:acked', a => a.accountId === alice.accountId, 1)
    // the drain at start takes both, in deposit order: the crossed receipt before the good one
    await alice.start()
    await delivered
    await acked

    assert.deepEqual(deliveredEvents.map(m => m.id), [toBob.id])
    assert.deepEqual((await alice.history(carol.accountId)).map(m => [m.id, m.state]), [[toCarol.id, 'pending']])
    assert.deepEqual((await alice.store.outbox(carol.accountId)).map(e => e.messageId), [toCarol.id], 'still queued for Carol')
    assert.deepEqual((await alice.history(bob.accountId)).map(m => [m.id, m.state]), [[toBob.id, 'delivered']])
    assert.equal(mailbox.store.account(alice.accountId)?.items, 0, 'both receipts were acked')
  })
})
