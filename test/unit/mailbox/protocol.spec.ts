/**
 * `/parley/mailbox/1.0.0` end to end in memory (harness.ts): pairing,
 * deposits, drains and bad input, through the protocol to the service and
 * store; raw length-prefixed streams send what a broken or hostile peer would.
 */

import assert from 'node:assert/strict'
import { encodeDeviceCertificate } from '#shared/identity/index.ts'
import { MAILBOX_CODE_TTL_MS, MAX_DM_FRAME_BYTES, MAX_MAILBOX_REQUEST_BYTES } from '#shared/protocol/constants.ts'
import { Envelope } from '#shared/protocol/dm/index.ts'
import { MailboxStatus, formatPairingCode, newPairingSecret, parsePairingCode } from '#shared/protocol/mailbox/index.ts'
import { Request, Response } from '#shared/protocol/mailbox/pb/mailbox.ts'
import { newMessageId } from '#shared/store/index.ts'
import { drainAll, envelopeBytes, newDevice, newPeerId, pair, startMailbox, textEncoder } from './harness.ts'
import type { Device, Harness } from './harness.ts'
import type { DrainedItem } from '#shared/protocol/mailbox/index.ts'
import type { PeerId } from '@libp2p/interface'

describe('mailbox protocol and service', () => {
  let alice: Device
  let bob: Device

  beforeEach(async () => {
    alice = await newDevice()
    bob = await newDevice()
  })

  describe('pairing', () => {
    it('pairs with a fresh code, once: the code binds the mailbox\'s peer id and a single-use secret', async () => {
      const h = await startMailbox()
      const { code, expiresAt } = await h.service.createPairingCode()
      const info = parsePairingCode(code)
      assert.ok(info.peerId.equals(h.mailboxPeer))
      assert.equal(info.secret.byteLength, 16)
      assert.equal(expiresAt, h.clock.now() + MAILBOX_CODE_TTL_MS)
      assert.match(code, /^parley-mailbox:[a-z2-7]+$/)

      const result = await h.client(bob.peerId).pair(code, bob)
      assert.equal(result.status, MailboxStatus.OK)
      assert.ok(result.mailbox.peerId.equals(h.mailboxPeer))
      assert.equal(result.retentionMs, h.store.limits.retentionMs)
      assert.equal(h.store.isPaired(bob.accountId), true)

      const carol = await newDevice()
      const reused = await h.client(carol.peerId).pair(code, carol)
      assert.equal(reused.status, MailboxStatus.EXPIRED_CODE)
      assert.equal(h.store.isPaired(carol.accountId), false)
    })

    it('reads only whole pairing codes', async () => {
      const h = await startMailbox()
      const { code } = await h.service.createPairingCode()
      assert.ok(parsePairingCode(`  ${code.toUpperCase().replace('PARLEY-MAILBOX:', 'parley-mailbox:')}\n`).peerId.equals(h.mailboxPeer), 'white space and case do not matter')
      assert.ok(parsePairingCode(code.toUpperCase()).peerId.equals(h.mailboxPeer), 'the upper-case form a QR code carries')
      for (const bad of ['', 'hello', code.slice(0, -10), 'parley-mailbox:', `parley-mailbox:${'a'.repeat(5000)}`, code.replace('parley-mailbox:', 'parley:')]) {
        assert.throws(() => parsePairingCode(bad), { name: 'InvalidPairingCodeError' }, bad.slice(0, 40))
      }
      await assert.rejects(h.client(bob.peerId).pair('parley-mailbox:abc', bob), { name: 'InvalidPairingCodeError' })
    })

    it('refuses an expired code', async () => {
      const h = await startMailbox()
      const { code } = await h.service.createPairingCode()
      h.clock.advance(MAILBOX_CODE_TTL_MS)
      assert.equal((await h.client(bob.peerId).pair(code, bob)).status, MailboxStatus.EXPIRED_CODE)
      assert.equal(h.store.isPaired(bob.accountId), false)
    })

    it('never talks to a peer other than the one the code names', async () => {
      const h = await startMailbox()
      const { code } = await h.service.createPairingCode()
      const impostor = await newPeerId()
      await assert.rejects(h.client(bob.peerId, impostor).pair(code, bob), { name: 'UnexpectedPeerError' })
      assert.equal(h.server.stats.requests, 0, 'nothing was sent')
    })

    it('refuses a device certificate that names another peer than the connected one', async () => {
      const h = await startMailbox()
      const { code } = await h.service.createPairingCode()
      const mallory = await newPeerId()
      const result = await h.client(mallory).pair(code, bob)
      assert.equal(result.status, MailboxStatus.INVALID)
      assert.equal(h.store.isPaired(bob.accountId), false)
      assert.equal(h.service.stats.pairFailures, 1)
      // the code is not used up by a failed attempt
      assert.equal((await h.client(bob.peerId).pair(code, bob)).status, MailboxStatus.OK)
    })

    it('rate-limits guessing per peer and counts it, without locking out other peers', async () => {
      const h = await startMailbox()
      const { code } = await h.service.createPairingCode()
      const mallory = await newDevice()
      const guess = (): string => formatPairingCode({ peerId: h.mailboxPeer, secret: newPairingSecret(), addrs: [], expiresAt: 0 })

      for (let i = 0; i < 5; i++) {
        assert.equal((await h.client(mallory.peerId).pair(guess(), mallory)).status, MailboxStatus.INVALID)
      }
      const limited = await h.client(mallory.peerId).pair(code, mallory)
      assert.equal(limited.status, MailboxStatus.RATE_LIMITED, 'even the right code is refused while limited')
      assert.ok((limited.retryAfterMs ?? 0) > 0)
      assert.equal(h.store.isPaired(mallory.accountId), false)
      assert.equal(h.service.stats.pairFailures, 5)
      assert.equal(h.service.stats.pairRateLimited, 1)

      assert.equal((await h.client(bob.peerId).pair(code, bob)).status, MailboxStatus.OK)

      h.clock.advance(limited.retryAfterMs ?? 0)
      assert.equal((await h.client(mallory.peerId).pair(guess(), mallory)).status, MailboxStatus.INVALID, 'the window passed')
    })

    it('limits failed attempts from all peers together', async () => {
      const h = await startMailbox({ service: { pairRateLimit: { perPeer: 100, total: 3 } } })
      for (let i = 0; i < 3; i++) {
        const guesser = await newDevice()
        const code = formatPairingCode({ peerId: h.mailboxPeer, secret: newPairingSecret(), addrs: [], expiresAt: 0 })
        assert.equal((await h.client(guesser.peerId).pair(code, guesser)).status, MailboxStatus.INVALID)
      }
      const { code } = await h.service.createPairingCode()
      assert.equal((await h.client(bob.peerId).pair(code, bob)).status, MailboxStatus.RATE_LIMITED)
    })

    it('unpairs on request of a device of the account, deleting what was held', async () => {
      const h = await startMailbox()
      await pair(h, bob)
      const mailbox = h.client(alice.peerId)
      const deposit = async (): Promise<MailboxStatus> => {
        const id = newMessageId()
        return (await mailbox.deposit(h.mailboxPeer, { recipient: bob.keys.publicKey, messageId: id, envelope: envelopeBytes(alice, bob.keys.publicKey, id) })).status
      }
      assert.equal(await deposit(), MailboxStatus.OK)

      assert.equal(await h.client(bob.peerId).unpair(h.mailboxPeer, bob), MailboxStatus.OK)
      assert.equal(h.store.isPaired(bob.accountId), false)
      assert.equal(h.store.usage().items, 0)
      assert.equal(await deposit(), MailboxStatus.NOT_PAIRED)
      assert.equal(await h.client(bob.peerId).unpair(h.mailboxPeer, bob), MailboxStatus.NOT_PAIRED)
    })
  })

  describe('deposits', () => {
    it('refuses an unpaired recipient, an oversized envelope and malformed ones, with their statuses', async () => {
      const h = await startMailbox()
      const mailbox = h.client(alice.peerId)
      const deposit = async (recipient: Uint8Array, messageId: string, envelope: Uint8Array): Promise<MailboxStatus> =>
        (await mailbox.deposit(h.mailboxPeer, { recipient, messageId, envelope })).status

      const id = newMessageId()
      assert.equal(await deposit(bob.keys.publicKey, id, envelopeBytes(alice, bob.keys.publicKey, id)), MailboxStatus.NOT_PAIRED)
      await pair(h, bob)
      const big = envelopeBytes(alice, bob.keys.publicKey, id, 'x'.repeat(MAX_DM_FRAME_BYTES))
      assert.equal(await deposit(bob.keys.publicKey, id, big), MailboxStatus.TOO_LARGE)
      assert.equal(await deposit(bob.keys.publicKey, id, new Uint8Array([0xff, 0xff, 0xff])), MailboxStatus.INVALID, 'not an envelope')
      assert.equal(await deposit(bob.keys.publicKey, id, envelopeBytes(alice, bob.keys.publicKey)), MailboxStatus.INVALID, 'another id inside')
      assert.equal(await deposit(bob.keys.publicKey, id, envelopeBytes(alice, alice.keys.publicKey, id)), MailboxStatus.INVALID, 'for another account inside')
      assert.equal(await deposit(bob.keys.publicKey, 'not-an-id', envelopeBytes(alice, bob.keys.publicKey, 'not-an-id')), MailboxStatus.INVALID)
      assert.equal(await deposit(new Uint8Array(31), id, envelopeBytes(alice, bob.keys.publicKey, id)), MailboxStatus.INVALID)
      assert.equal(h.store.usage().items, 0, 'nothing was stored')
      assert.equal(await deposit(bob.keys.publicKey, id, envelopeBytes(alice, bob.keys.publicKey, id)), MailboxStatus.OK)
    })

    it('answers a re-deposit OK (duplicate) and stores nothing new', async () => {
      const h = await startMailbox()
      await pair(h, bob)
      const mailbox = h.client(alice.peerId)
      const id = newMessageId()
      const envelope = envelopeBytes(alice, bob.keys.publicKey, id)
      const first = await mailbox.deposit(h.mailboxPeer, { recipient: bob.keys.publicKey, messageId: id, envelope })
      const again = await mailbox.deposit(h.mailboxPeer, { recipient: bob.keys.publicKey, messageId: id, envelope })
      assert.deepEqual([first.status, first.duplicate], [MailboxStatus.OK, false])
      assert.deepEqual([again.status, again.duplicate], [MailboxStatus.OK, true])
      assert.deepEqual(h.store.usage(), { accounts: 1, items: 1, bytes: envelope.byteLength, senders: 1 })
      assert.equal(h.service.stats.duplicateDeposits, 1)
    })

    it('counts a deposit against the sender account when its certificate names the depositing peer, else the peer', async () => {
      const h = await startMailbox()
      await pair(h, bob)
      const own = envelopeBytes(alice, bob.keys.publicKey)
      await h.client(alice.peerId).deposit(h.mailboxPeer, { recipient: bob.keys.publicKey, messageId: Envelope.decode(own).id, envelope: own })
      const relayer = await newPeerId()
      const forwarded = envelopeBytes(alice, bob.keys.publicKey)
      await h.client(relayer).deposit(h.mailboxPeer, { recipient: bob.keys.publicKey, messageId: Envelope.decode(forwarded).id, envelope: forwarded })
      assert.equal(h.store.senderUsage(`account:${alice.accountId}`).items, 1)
      assert.equal(h.store.senderUsage(`peer:${relayer.toString()}`).items, 1)
    })

    it('refuses over the sender\'s quota (QUOTA_EXCEEDED) and over the recipient\'s (MAILBOX_FULL)', async () => {
      const h = await startMailbox({ store: { senderItems: 2, accountItems: 3 } })
      await pair(h, bob)
      const carol = await newDevice()
      const from = async (sender: Device): Promise<MailboxStatus> => {
        const id = newMessageId()
        return (await h.client(sender.peerId).deposit(h.mailboxPeer, { recipient: bob.keys.publicKey, messageId: id, envelope: envelopeBytes(sender, bob.keys.publicKey, id) })).status
      }
      assert.equal(await from(alice), MailboxStatus.OK)
      assert.equal(await from(alice), MailboxStatus.OK)
      assert.equal(await from(alice), MailboxStatus.QUOTA_EXCEEDED)
      assert.equal(await from(carol), MailboxStatus.OK)
      assert.equal(await from(carol), MailboxStatus.MAILBOX_FULL)
      assert.deepEqual(h.service.stats.refusedDeposits, { QUOTA_EXCEEDED: 1, MAILBOX_FULL: 1 })
      assert.equal(h.store.usage().items, 3)
    })

    it('answers NOT_ACCEPTING while the owner has turned deposits off', async () => {
      const h = await startMailbox()
      await pair(h, bob)
      h.service.setAccepting(false)
      const id = newMessageId()
      const result = await h.client(alice.peerId).deposit(h.mailboxPeer, { recipient: bob.keys.publicKey, messageId: id, envelope: envelopeBytes(alice, bob.keys.publicKey, id) })
      assert.equal(result.status, MailboxStatus.NOT_ACCEPTING)
    })

    it('pipelines deposits on one shared stream, each answered in order', async () => {
      const h = await startMailbox()
      await pair(h, bob)
      const mailbox = h.client(alice.peerId)
      const ids = Array.from({ length: 40 }, () => newMessageId())
      const results = await Promise.all(ids.map(async id => mailbox.deposit(h.mailboxPeer, { recipient: bob.keys.publicKey, messageId: id, envelope: envelopeBytes(alice, bob.keys.publicKey, id) })))
      assert.ok(results.every(r => r.status === MailboxStatus.OK && !r.duplicate))
      assert.deepEqual((await drainAll(h, bob)).flat().sort(), [...ids].sort())
    })
  })

  describe('drains', () => {
    async function depositMany (h: Harness, n: number): Promise<string[]> {
      const mailbox = h.client(alice.peerId)
      const ids: string[] = []
      for (let i = 0; i < n; i++) {
        const id = newMessageId()
        ids.push(id)
        assert.equal((await mailbox.deposit(h.mailboxPeer, { recipient: bob.keys.publicKey, messageId: id, envelope: envelopeBytes(alice, bob.keys.publicKey, id, `n${i}`) })).status, MailboxStatus.OK)
      }
      return ids
    }

    it('hands out pages in deposit order and deletes what the device acked', async () => {
      const h = await startMailbox()
      await pair(h, bob)
      const ids = await depositMany(h, 7)
      const acked: string[][] = []
      const pages: DrainedItem[][] = []
      const result = await h.client(bob.peerId).drain(h.mailboxPeer, bob, async (items) => {
        pages.push(items)
        return undefined
      }, { pageItems: 3, onAcked: (acks) => { acked.push(acks) } })

      assert.deepEqual(result, { status: MailboxStatus.OK, received: 7, acked: 7 })
      assert.deepEqual(pages.map(p => p.map(i => i.messageId)), [ids.slice(0, 3), ids.slice(3, 6), ids.slice(6)])
      assert.deepEqual(acked, [ids.slice(0, 3), ids.slice(3, 6), ids.slice(6)])
      assert.deepEqual(Envelope.decode(pages[0][0].envelope).ciphertext, textEncoder.encode('n0'), 'the envelope as deposited')
      assert.equal(h.store.usage().items, 0)
      assert.deepEqual(await drainAll(h, bob), [])
      const device = h.service.status().accounts[0].devices.find(d => d.peerId === bob.peerId.toString())
      assert.equal(device?.acked, 7)
    })

    it('deletes nothing without an ack: what was not acked comes again in the next drain, not in this one', async () => {
      const h = await startMailbox()
      await pair(h, bob)
      const ids = await depositMany(h, 5)
      const seen: string[] = []
      const partial = await h.client(bob.peerId).drain(h.mailboxPeer, bob, async (items) => {
        seen.push(...items.map(i => i.messageId))
        return items.slice(0, 1).map(i => i.messageId)
      }, { pageItems: 2 })
      assert.deepEqual(seen, ids, 'each once in this drain')
      assert.deepEqual(partial, { status: MailboxStatus.OK, received: 5, acked: 3 })

      const none = await h.client(bob.peerId).drain(h.mailboxPeer, bob, async () => [])
      assert.deepEqual(none, { status: MailboxStatus.OK, received: 2, acked: 0 })
      assert.deepEqual((await drainAll(h, bob)).flat(), [ids[1], ids[3]])
      assert.equal(h.store.usage().items, 0)
    })

    it('never hands an acked message out again, even when the sender deposits it again', async () => {
      const h = await startMailbox()
      await pair(h, bob)
      const [id] = await depositMany(h, 1)
      assert.deepEqual(await drainAll(h, bob), [[id]])
      const again = await h.client(alice.peerId).deposit(h.mailboxPeer, { recipient: bob.keys.publicKey, messageId: id, envelope: envelopeBytes(alice, bob.keys.publicKey, id) })
      assert.deepEqual([again.status, again.duplicate], [MailboxStatus.OK, true])
      assert.deepEqual(await drainAll(h, bob), [])
    })

    it('answers NOT_PAIRED to a device of an unpaired account and INVALID to a certificate of another peer', async () => {
      const h = await startMailbox()
      await pair(h, bob)
      await depositMany(h, 1)
      const drain = async (peer: PeerId, identity: Device): Promise<MailboxStatus> =>
        (await h.client(peer).drain(h.mailboxPeer, identity, async () => { throw new Error('must not be called') })).status
      assert.equal(await drain(alice.peerId, alice), MailboxStatus.NOT_PAIRED)
      assert.equal(await drain(alice.peerId, bob), MailboxStatus.INVALID, 'alice presenting bob\'s certificate')
      assert.equal((await h.client(alice.peerId).accountStatus(h.mailboxPeer, bob)).status, MailboxStatus.INVALID)
      assert.equal(h.store.usage().items, 1)
    })

    it('lets any certified device of a paired account drain, and reports drains per device', async () => {
      const h = await startMailbox()
      await pair(h, bob)
      const laptop = await newDevice(bob.keys)
      const ids = await depositMany(h, 2)
      assert.deepEqual(await drainAll(h, laptop), [ids])
      const status = await h.client(bob.peerId).accountStatus(h.mailboxPeer, bob)
      assert.equal(status.status, MailboxStatus.OK)
      assert.deepEqual(status.account?.held, { items: 0, bytes: 0 })
      assert.deepEqual(status.account?.devices.map(d => d.acked), [2])
      assert.deepEqual(status.account?.devices[0].peerId, laptop.peerId.toMultihash().bytes)
    })

    it('answers a DRAIN pipelined behind an ACK after it, without anything that ACK deleted', async () => {
      const h = await startMailbox()
      await pair(h, bob)
      const ids = await depositMany(h, 5)
      const certificate = encodeDeviceCertificate(bob.certificate) as Uint8Array<ArrayBuffer>
      const { lp } = await h.raw(bob.peerId)
      await lp.write(Request.encode({ drain: { deviceCertificate: certificate, after: 0, limit: 2, maxBytes: 0, waitMs: 0 } }))
      const first = Response.decode(await lp.read()).page?.items ?? []
      assert.deepEqual(first.map(i => i.messageId), ids.slice(0, 2))

      // the ACK names one item past the cursor of the DRAIN sent with it, and
      // its deletions are held back until that DRAIN has read its page
      const pageRead = Promise.withResolvers<void>()
      const { ack: storeAck, page: storePage } = h.store
      h.store.ack = async (...args) => { await pageRead.promise; return storeAck.apply(h.store, args) }
      h.store.page = async (...args) => { pageRead.resolve(); return storePage.apply(h.store, args) }
      await lp.writeV([
        Request.encode({ ack: { deviceCertificate: certificate, messageIds: ids.slice(0, 3) } }),
        Request.encode({ drain: { deviceCertificate: certificate, after: first[1].seq, limit: 0, maxBytes: 0, waitMs: 0 } }),
        Request.encode({ ack: { deviceCertificate: certificate, messageIds: [ids[3]] } }),
        Request.encode({ status: { deviceCertificate: certificate } })
      ])
      const ack = Response.decode(await lp.read())
      assert.deepEqual([ack.status, ack.ack?.deleted], [MailboxStatus.OK, 3])
      const page = Response.decode(await lp.read())
      assert.equal(page.status, MailboxStatus.OK)
      assert.deepEqual(page.page?.items.map(i => i.messageId), ids.slice(3), 'never an item whose ack was answered before')
      const second = Response.decode(await lp.read())
      assert.deepEqual([second.status, second.ack?.deleted], [MailboxStatus.OK, 1])
      const status = Response.decode(await lp.read())
      assert.deepEqual(status.account?.held, { items: 1, bytes: envelopeBytes(alice, bob.keys.publicKey, ids[4], 'n4').byteLength }, 'answered after the ACK before it')
      assert.deepEqual((await drainAll(h, bob)).flat(), [ids[4]])
    })

    it('waits for mail when asked to, and hands it out as soon as it arrives', async () => {
      const h = await startMailbox()
      await pair(h, bob)
      const received: string[] = []
      const draining = h.client(bob.peerId).drain(h.mailboxPeer, bob, async (items) => {
        received.push(...items.map(i => i.messageId))
        return undefined
      }, { waitMs: 30_000 })
      const [id] = await depositMany(h, 1)
      // a wait that missed the deposit would outlast the test's timeout
      assert.deepEqual(await draining, { status: MailboxStatus.OK, received: 1, acked: 1 })
      assert.deepEqual(received, [id])
    })
  })

  it('tells the owner which accounts are paired, what is held, the quotas and drains per device', async () => {
    const h = await startMailbox({ store: { accountItems: 10 } })
    await pair(h, bob)
    const id = newMessageId()
    const envelope = envelopeBytes(alice, bob.keys.publicKey, id)
    await h.client(alice.peerId).deposit(h.mailboxPeer, { recipient: bob.keys.publicKey, messageId: id, envelope })
    const mismatched = await h.client(alice.peerId).deposit(h.mailboxPeer, { recipient: bob.keys.publicKey, messageId: newMessageId(), envelope })
    assert.equal(mismatched.status, MailboxStatus.INVALID)
    h.clock.advance(1000)
    await h.client(bob.peerId).drain(h.mailboxPeer, bob, async () => [])
    h.service.peerOnline(bob.peerId)

    const status = h.service.status()
    assert.equal(status.peerId, h.mailboxPeer.toString())
    assert.equal(status.accepting, true)
    assert.deepEqual(status.usage, { accounts: 1, items: 1, bytes: envelope.byteLength, senders: 1 })
    assert.equal(status.accounts.length, 1)
    const account = status.accounts[0]
    assert.equal(account.accountId, bob.accountId)
    assert.deepEqual([account.items, account.bytes, account.quota.items], [1, envelope.byteLength, 10])
    assert.deepEqual(account.devices, [{ peerId: bob.peerId.toString(), lastDrainAt: h.clock.now(), lastAckAt: 0, acked: 0, online: true }])
    assert.deepEqual([status.stats.deposits, status.stats.pairings], [1, 1])
    assert.deepEqual(status.stats.refusedDeposits, {}, 'the malformed deposit was refused by the protocol layer, before the service')
    assert.equal(h.server.stats.responses.INVALID, 1)
  })

  describe('bad input', () => {
    it('answers INVALID to a request with no or two kinds set, and goes on', async () => {
      const h = await startMailbox()
      const { lp, stream } = await h.raw(alice.peerId)
      await lp.write(Request.encode({}))
      assert.equal(Response.decode(await lp.read()).status, MailboxStatus.INVALID)
      await lp.write(Request.encode({ status: { deviceCertificate: new Uint8Array(0) }, unpair: { deviceCertificate: new Uint8Array(0) } }))
      assert.equal(Response.decode(await lp.read()).status, MailboxStatus.INVALID)
      await lp.write(Request.encode({ status: { deviceCertificate: encodeDeviceCertificate(alice.certificate) as Uint8Array<ArrayBuffer> } }))
      assert.equal(Response.decode(await lp.read()).status, MailboxStatus.NOT_PAIRED)
      assert.equal(stream.status, 'open')
    })

    it('resets the stream on a frame that does not decode, and on one over the limit', async () => {
      const h = await startMailbox()
      const garbage = await h.raw(alice.peerId)
      await garbage.lp.write(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))
      await assert.rejects(garbage.lp.read(), { name: 'StreamResetError' })
      await garbage.handled
      assert.equal(h.server.stats.invalidFrames, 1)

      const big = await h.raw(alice.peerId)
      await big.lp.write(new Uint8Array(MAX_MAILBOX_REQUEST_BYTES + 1))
      await assert.rejects(big.lp.read(), { name: 'StreamResetError' })
      await big.handled
      assert.equal(h.server.stats.oversizedFrames, 1)
      assert.equal(h.server.stats.requests, 0)
    })

    it('refuses an ack with malformed ids without deleting anything', async () => {
      const h = await startMailbox()
      await pair(h, bob)
      const id = newMessageId()
      await h.client(alice.peerId).deposit(h.mailboxPeer, { recipient: bob.keys.publicKey, messageId: id, envelope: envelopeBytes(alice, bob.keys.publicKey, id) })
      const { lp } = await h.raw(bob.peerId)
      await lp.write(Request.encode({ ack: { deviceCertificate: encodeDeviceCertificate(bob.certificate) as Uint8Array<ArrayBuffer>, messageIds: [id, 'x'] } }))
      assert.equal(Response.decode(await lp.read()).status, MailboxStatus.INVALID)
      assert.equal(h.store.usage().items, 1)
    })

    it('answers NOT_ACCEPTING once the mailbox stopped serving', async () => {
      const h = await startMailbox()
      const { lp } = await h.raw(alice.peerId)
      await h.service.stop()
      await lp.write(Request.encode({ status: { deviceCertificate: encodeDeviceCertificate(alice.certificate) as Uint8Array<ArrayBuffer> } }))
      assert.equal(Response.decode(await lp.read()).status, MailboxStatus.NOT_ACCEPTING)
    })
  })
})
