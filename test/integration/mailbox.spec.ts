/**
 * A mailbox daemon as a real process (node/src/mailbox-daemon.ts, LevelDB in
 * a temp dir, TCP on 127.0.0.1) and two in-process Parley nodes: Bob's device
 * pairs with it, Alice deposits envelopes for Bob, Bob drains them. The
 * mailbox is SIGKILLed during deposits and during drains, again and again;
 * after each kill it restarts on the same data dir and port. Every deposit it
 * acked must reach Bob, and nothing Bob's ack was confirmed for may ever come
 * to him again.
 */

import assert from 'node:assert/strict'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { equals as uint8ArrayEquals } from 'uint8arrays/equals'
import { accountIdFromPublicKey, certifyDevice, encodeDeviceCertificate, generateAccountKeys } from '#shared/identity/index.ts'
import { createParleyNode } from '#shared/net/index.ts'
import { Envelope } from '#shared/protocol/dm/index.ts'
import { MailboxStatus, mailboxProtocol } from '#shared/protocol/mailbox/index.ts'
import { newMessageId } from '#shared/store/index.ts'
import { Cleanup, REPO_ROOT, createTempDir, spawnBin } from '#test/helpers/process.ts'
import type { AccountKeys, DeviceCertificate } from '#shared/identity/index.ts'
import type { ParleyNode } from '#shared/net/index.ts'
import type { MailboxProtocol } from '#shared/protocol/mailbox/index.ts'
import type { SpawnedProcess } from '#test/helpers/process.ts'
import type { PeerId } from '@libp2p/interface'

const NODE = join(REPO_ROOT, 'node_modules', '.bin', 'node')
const DAEMON = join(REPO_ROOT, 'node', 'src', 'mailbox-daemon.ts')
const MESSAGES = 20
const ITERATIONS = 10

type Peer = ParleyNode<{ mailbox: MailboxProtocol }>

interface Identity {
  node: Peer
  keys: AccountKeys
  accountId: string
  certificate: DeviceCertificate
}

async function startPeer (cleanup: Cleanup): Promise<Identity> {
  const node: Peer = await createParleyNode({
    privateKey: await generateKeyPair('Ed25519'),
    transports: [tcp()],
    dhtMode: 'client',
    allowPrivateAddresses: true,
    services: { mailbox: mailboxProtocol({ timeout: 15_000 }) }
  })
  cleanup.add(async () => { await node.stop() })
  await node.start()
  const keys = generateAccountKeys()
  return { node, keys, accountId: accountIdFromPublicKey(keys.publicKey), certificate: certifyDevice(keys, node.peerId) }
}

interface Mailbox {
  process: SpawnedProcess
  peerId: PeerId
  addr: string
  code?: string
}

/** Starts the mailbox daemon on `dataDir` (and `port`, once known) and waits until it serves. */
async function startMailbox (cleanup: Cleanup, dataDir: string, port?: number): Promise<Mailbox> {
  const proc = spawnBin(NODE, [
    '--import', 'tsx', DAEMON,
    '--data-dir', dataDir,
    '--listen', `/ip4/127.0.0.1/tcp/${port ?? 0}`,
    '--json',
    ...(port == null ? ['--pair'] : [])
  ], { cleanup })
  const ready = await proc.waitForJson<{ peerId: string, multiaddrs: string[] }>(v => v?.event === 'mailbox:ready', { timeout: 30_000 })
  const code = port == null ? (await proc.waitForJson<{ code: string }>(v => v?.event === 'mailbox:code')).code : undefined
  const addr = ready.multiaddrs.find(a => a.startsWith('/ip4/127.0.0.1/tcp/'))
  assert.ok(addr != null, `the mailbox listens on 127.0.0.1: ${ready.multiaddrs.join(', ')}`)
  return { process: proc, peerId: peerIdFromString(ready.peerId), addr, code }
}

async function kill (mailbox: Mailbox): Promise<void> {
  mailbox.process.child.kill('SIGKILL')
  const status = await mailbox.process.exited
  assert.equal(status.signal, 'SIGKILL', `the mailbox was killed, not ended otherwise (stderr: ${mailbox.process.stderr.slice(-2000)})`)
}

describe('mailbox daemon (real process, SIGKILL)', function () {
  this.timeout(400_000)
  const cleanup = new Cleanup()

  after(async () => {
    await cleanup.run()
  })

  it('delivers every acked deposit to the device, and nothing again after its ack was confirmed, across kills', async () => {
    const dataDir = await createTempDir('parley-mailbox-', cleanup)
    const [alice, bob] = await Promise.all([startPeer(cleanup), startPeer(cleanup)])
    let mailbox = await startMailbox(cleanup, dataDir)
    const port = Number(multiaddr(mailbox.addr).getComponents().find(c => c.name === 'tcp')?.value)
    const mailboxPeer = mailbox.peerId
    for (const peer of [alice, bob]) {
      await peer.node.peerStore.merge(mailboxPeer, { multiaddrs: [multiaddr(mailbox.addr)] })
    }

    const paired = await bob.node.services.mailbox.pair(mailbox.code ?? '', bob)
    assert.equal(paired.status, MailboxStatus.OK, paired.detail)
    assert.ok(paired.mailbox.peerId.equals(mailboxPeer))

    // Alice's messages to Bob, as her outbox would hold them: id → envelope
    const envelopes = new Map<string, Uint8Array>()
    for (let i = 0; i < MESSAGES; i++) {
      const id = newMessageId()
      envelopes.set(id, Envelope.encode({
        version: 2,
        sender: encodeDeviceCertificate(alice.certificate) as Uint8Array<ArrayBuffer>,
        recipient: bob.keys.publicKey as Uint8Array<ArrayBuffer>,
        id,
        ratchetHeader: Uint8Array.from([0x0a, 0x20, ...crypto.getRandomValues(new Uint8Array(32))]),
        ciphertext: crypto.getRandomValues(new Uint8Array(300 + i))
      }))
    }
    const ids = [...envelopes.keys()]
    /** Deposits the mailbox answered OK: it must never lose them. */
    const acceptedByMailbox = new Set<string>()
    /** Messages Bob stored, and how often each was handed to him. */
    const handedToBob = new Map<string, number>()
    /** Messages whose ack the mailbox confirmed to Bob: they must never be handed to him again. */
    const confirmedAcks = new Set<string>()
    const afterConfirmedAck: string[] = []
    let kills = 0
    let next = 0

    const deposit = async (id: string): Promise<void> => {
      const result = await alice.node.services.mailbox.deposit(mailboxPeer, { recipient: bob.keys.publicKey, messageId: id, envelope: envelopes.get(id) ?? new Uint8Array(0) })
      assert.ok(result.status === MailboxStatus.OK, `deposit answered ${result.status} (${result.detail})`)
      acceptedByMailbox.add(id)
    }

    const drain = async (onPage: (ids: string[], page: number) => void): Promise<void> => {
      let page = 0
      const result = await bob.node.services.mailbox.drain(mailboxPeer, bob, async (items) => {
        for (const item of items) {
          assert.ok(uint8ArrayEquals(item.envelope, envelopes.get(item.messageId) ?? new Uint8Array(0)), 'drained bytes are the deposited envelope')
          if (confirmedAcks.has(item.messageId)) {
            afterConfirmedAck.push(item.messageId)
          }
          handedToBob.set(item.messageId, (handedToBob.get(item.messageId) ?? 0) + 1)
        }
        onPage(items.map(i => i.messageId), page++)
        return undefined
      }, { pageItems: 2, onAcked: (acked) => { acked.forEach(id => confirmedAcks.add(id)) } })
      assert.equal(result.status, MailboxStatus.OK)
    }

    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      // --- during deposits: the outbox re-deposits whatever was not acked, plus two new ones
      const batch = ids.filter(id => !acceptedByMailbox.has(id) && ids.indexOf(id) < next)
      batch.push(...ids.slice(next, next + 2))
      next = Math.min(next + 2, ids.length)
      let killing: Promise<void> | undefined
      await Promise.allSettled(batch.map(async id => {
        await deposit(id)
        killing ??= kill(mailbox)
      }))
      await (killing ?? kill(mailbox))
      kills++
      mailbox = await startMailbox(cleanup, dataDir, port)

      // --- during a drain: before the first ack, right after sending it, or after it was confirmed
      const at = iteration % 3
      let killed: Promise<void> | undefined
      await drain((_, page) => {
        if (killed != null) {
          return
        }
        if (at === 0 && page === 0) {
          killed = kill(mailbox)
        } else if (at === 1 && page === 0) {
          // once the page handler returns, the ack goes out; kill as it does
          setImmediate(() => { killed ??= kill(mailbox) })
        } else if (at === 2 && page === 1) {
          killed = kill(mailbox)
        }
      }).catch(() => {})
      await (killed ?? kill(mailbox))
      kills++
      mailbox = await startMailbox(cleanup, dataDir, port)
    }

    // the mailbox is up for good: the outbox delivers the rest, Bob drains everything
    for (const id of ids.filter(id => !acceptedByMailbox.has(id))) {
      await deposit(id)
    }
    await drain(() => {})

    assert.equal(kills, 2 * ITERATIONS)
    assert.deepEqual(afterConfirmedAck, [], 'nothing came to Bob again after the mailbox confirmed his ack')
    assert.deepEqual([...acceptedByMailbox].filter(id => !handedToBob.has(id)), [], 'every deposit the mailbox acked reached Bob')
    assert.deepEqual([...handedToBob.keys()].sort(), [...ids].sort(), 'Bob got every message, and only those')
    assert.deepEqual([...confirmedAcks].sort(), [...ids].sort(), 'every message was acked in the end')

    // a sender that lost every ack (say its own store was restored from a
    // backup) deposits everything again: nothing is stored, nothing reaches Bob twice
    for (const id of ids) {
      const again = await alice.node.services.mailbox.deposit(mailboxPeer, { recipient: bob.keys.publicKey, messageId: id, envelope: envelopes.get(id) ?? new Uint8Array(0) })
      assert.deepEqual([again.status, again.duplicate], [MailboxStatus.OK, true])
    }
    await drain(() => {})
    assert.deepEqual(afterConfirmedAck, [], 'nothing came to Bob again after the sender re-deposited it')

    const status = await bob.node.services.mailbox.accountStatus(mailboxPeer, bob)
    assert.equal(status.status, MailboxStatus.OK)
    assert.deepEqual(status.account?.held, { items: 0, bytes: 0 }, 'nothing is left at the mailbox')
    const redelivered = [...handedToBob.values()].filter(n => n > 1).length
    process.stderr.write(`      (${kills} kills; ${redelivered} message(s) handed out again before their ack was confirmed — allowed, deduped by id)\n`)

    assert.deepEqual(await mailbox.process.stop(), { code: 0, signal: null }, 'SIGTERM stops the mailbox cleanly')
  })
})
