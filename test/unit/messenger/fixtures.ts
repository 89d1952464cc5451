/**
 * Fixtures for messenger tests with a mailbox: a mailbox peer (a libp2p node
 * on 127.0.0.1 TCP, DHT server, serving a MailboxService over a MailboxStore
 * on memory-level), Messengers on memory-level stores whose nodes bootstrap
 * through it (so account records in the DHT work), bare client nodes, and
 * waits on events with timeouts.
 */

import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { MemoryLevel } from 'memory-level'
import { MailboxService } from '#node/src/mailbox-service.ts'
import { MailboxStore } from '#shared/mailbox/index.ts'
import { createAccount, Messenger, messengerServices } from '#shared/messenger/index.ts'
import { createParleyNode } from '#shared/net/index.ts'
import { ParleyStore } from '#shared/store/index.ts'
import type { MailboxStoreInit } from '#shared/mailbox/index.ts'
import type { MessengerInit, PeerNode } from '#shared/messenger/index.ts'
import type { MailboxStatus } from '#shared/protocol/mailbox/index.ts'
import type { OutboxEntry, StoredMessage } from '#shared/store/index.ts'
import type { PeerId, PrivateKey } from '@libp2p/interface'

export const PASSPHRASE = 'messenger mailbox test passphrase'

/** Cheap scrypt: these tests are about delivery, not the KDF. */
export const KDF_LOG_N = 10

/** A mailbox peer on 127.0.0.1, and everything needed to look inside it. */
export interface MailboxPeer {
  node: PeerNode
  peerId: PeerId
  /** Its TCP multiaddr with `/p2p/<id>`: what the other peers bootstrap with. */
  addr: string
  service: MailboxService
  store: MailboxStore
  /** Stops node and service (not the store), as a daemon that is down. */
  down(): Promise<void>
  /** After `down`: a new node with the same key on the same port, and a new service over the same store. */
  up(): Promise<void>
  stop(): Promise<void>
}

async function loopbackNode (privateKey: PrivateKey, bootstrap: string[], listen = '/ip4/127.0.0.1/tcp/0'): Promise<PeerNode> {
  return createParleyNode({
    privateKey,
    transports: [tcp()],
    listen: [listen],
    bootstrap,
    dhtMode: 'server',
    allowPrivateAddresses: true,
    services: messengerServices()
  })
}

/** A started node serving a MailboxService over `store`, wired as `parley daemon` wires its home mailbox (node/src/cli.ts). */
async function serveMailbox (privateKey: PrivateKey, store: MailboxStore, listen?: string): Promise<{ node: PeerNode, service: MailboxService }> {
  const node = await loopbackNode(privateKey, [], listen)
  const service = new MailboxService({
    store,
    protocol: node.services.mailbox,
    peerId: node.peerId,
    addresses: () => node.getMultiaddrs()
  })
  node.addEventListener('peer:connect', (evt) => { service.peerOnline(evt.detail) })
  node.addEventListener('peer:disconnect', (evt) => { service.peerOffline(evt.detail) })
  await node.start()
  await service.start()
  return { node, service }
}

/** Starts a mailbox peer (its store with `storeInit`'s limits). */
export async function startMailboxPeer (storeInit: MailboxStoreInit = {}): Promise<MailboxPeer> {
  const privateKey = await generateKeyPair('Ed25519')
  const store = await MailboxStore.open(new MemoryLevel<string, Uint8Array>({ keyEncoding: 'utf8', valueEncoding: 'view' }), storeInit)
  const { node, service } = await serveMailbox(privateKey, store)
  const addr = node.getMultiaddrs().find(ma => ma.toString().includes('/tcp/'))
  if (addr == null) {
    throw new Error('the mailbox peer listens on no TCP address')
  }
  let running = true
  const peer: MailboxPeer = {
    node,
    peerId: node.peerId,
    addr: addr.toString(),
    service,
    store,
    async down () {
      running = false
      await peer.service.stop()
      await peer.node.stop()
    },
    async up () {
      const served = await serveMailbox(privateKey, store, addr.decapsulateCode(CODE_P2P).toString())
      peer.node = served.node
      peer.service = served.service
      running = true
    },
    async stop () {
      if (running) {
        await peer.down()
      }
      await store.close()
    }
  }
  return peer
}

/** The multicodec of `/p2p`. */
const CODE_P2P = 421

/** Every `drain` call a Messenger's node made: which mailbox, and its waitMs. */
const drainCalls = new WeakMap<Messenger, Array<{ mailbox: string, waitMs: number }>>()

/**
 * A new account on a fresh memory store, and its (not started) Messenger,
 * whose nodes bootstrap through the mailbox peer. Each node it starts
 * records its drain calls (see `drainsOf`).
 */
export async function newMessenger (name: string, mailbox: MailboxPeer, init: Pick<MessengerInit, 'limits'> = {}): Promise<Messenger> {
  const store = await ParleyStore.open(new MemoryLevel<string, Uint8Array>({ keyEncoding: 'utf8', valueEncoding: 'view' }))
  const account = await createAccount(store, { name, passphrase: PASSPHRASE, kdfLogN: KDF_LOG_N })
  const calls: Array<{ mailbox: string, waitMs: number }> = []
  const messenger = new Messenger({
    ...init,
    store,
    account,
    createNode: async (privateKey) => {
      const node = await loopbackNode(privateKey, [mailbox.addr])
      const client = node.services.mailbox
      const drain = client.drain.bind(client)
      client.drain = async (peer, identity, onPage, options) => {
        calls.push({ mailbox: peer.toString(), waitMs: options?.waitMs ?? 0 })
        return drain(peer, identity, onPage, options)
      }
      return node
    },
    retry: { initialDelay: 100, maxDelay: 500 }
  })
  drainCalls.set(messenger, calls)
  return messenger
}

/** The drain calls the Messenger's nodes made so far (all its starts). */
export function drainsOf (messenger: Messenger): Array<{ mailbox: string, waitMs: number }> {
  return drainCalls.get(messenger) ?? []
}

/** Makes two Messengers each other's contacts (either may be stopped: an offline invite has no addresses). */
export async function befriend (a: Messenger, b: Messenger): Promise<void> {
  await a.addContact(await b.invite())
  await b.addContact(await a.invite())
}

/** A bare messaging node (no Messenger) connected to the mailbox peer: a deposit client. */
export async function startClient (mailbox: MailboxPeer): Promise<PeerNode> {
  const node = await loopbackNode(await generateKeyPair('Ed25519'), [])
  await node.start()
  await node.dial(multiaddr(mailbox.addr), { signal: AbortSignal.timeout(5_000) })
  return node
}

/** Pairs the (started) Messenger with the mailbox using a fresh code; resolves once its first drain ended. */
export async function pairWith (messenger: Messenger, mailbox: MailboxPeer): Promise<void> {
  const drained = nextEvents(messenger, 'mailbox:drained', (d: { mailbox: string }) => d.mailbox === mailbox.peerId.toString(), 1)
  const { code } = await mailbox.service.createPairingCode()
  await messenger.useMailbox(code)
  await drained
}

/**
 * Resolves with the details of the first `count` events of `type` on
 * `target` that pass `filter`, counted from now; rejects after `timeout` ms
 * saying how many came. Listen before causing the events.
 */
export async function nextEvents<T> (target: EventTarget, type: string, filter: (detail: T) => boolean, count: number, timeout = 10_000): Promise<T[]> {
  const seen: T[] = []
  let listener: ((evt: Event) => void) | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    return await new Promise<T[]>((resolve, reject) => {
      timer = setTimeout(() => { reject(new Error(`${seen.length} of ${count} ${type} event(s) within ${timeout} ms`)) }, timeout)
      listener = (evt) => {
        const detail = (evt as CustomEvent<T>).detail
        if (seen.length < count && filter(detail)) {
          seen.push(detail)
          if (seen.length === count) {
            resolve(seen)
          }
        }
      }
      target.addEventListener(type, listener)
    })
  } finally {
    clearTimeout(timer)
    if (listener != null) {
      target.removeEventListener(type, listener)
    }
  }
}

/** Every detail of `type` events on `target` from now on (for counting duplicates at the end). */
export function record<T> (target: EventTarget, type: string): T[] {
  const details: T[] = []
  target.addEventListener(type, (evt) => { details.push((evt as CustomEvent<T>).detail) })
  return details
}

/** What the tests of a messenger mailbox suite share; made fresh for each test. */
export interface MailboxWorld {
  /** This test's mailbox peer. */
  readonly mailbox: MailboxPeer
  /** A new (not started) Messenger bootstrapping through the mailbox; stopped after the test. */
  messenger(name: string, init?: Pick<MessengerInit, 'limits'>): Promise<Messenger>
  /** A bare deposit client connected to the mailbox; stopped after the test. */
  client(): Promise<PeerNode>
  /** The one queued envelope of `from` for `to` (`from` not started: nothing sends it). */
  queuedEnvelope(from: Messenger, to: Messenger, text: string): Promise<{ message: StoredMessage, entry: OutboxEntry }>
  /** Deposits a queued envelope for `recipient` from a bare client, as a sender's courier would. */
  depositFor(recipient: Messenger, entry: OutboxEntry): Promise<MailboxStatus>
}

/**
 * Call inside `describe`: before each test a fresh mailbox peer (with these
 * store limits), after it everything made through the world stopped.
 */
export function mailboxWorld (storeInit: MailboxStoreInit = {}): MailboxWorld {
  let mailbox: MailboxPeer | undefined
  let messengers: Messenger[] = []
  let clients: PeerNode[] = []
  const current = (): MailboxPeer => {
    if (mailbox == null) {
      throw new Error('the mailbox peer exists only during a test')
    }
    return mailbox
  }

  beforeEach(async () => {
    mailbox = await startMailboxPeer(storeInit)
    messengers = []
    clients = []
  })

  afterEach(async () => {
    await Promise.all(messengers.map(async m => m.stop()))
    await Promise.all(clients.map(async c => c.stop()))
    await mailbox?.stop()
    mailbox = undefined
  })

  const world: MailboxWorld = {
    get mailbox () { return current() },
    async messenger (name, init) {
      const m = await newMessenger(name, current(), init)
      messengers.push(m)
      return m
    },
    async client () {
      const c = await startClient(current())
      clients.push(c)
      return c
    },
    async queuedEnvelope (from, to, text) {
      assert.equal(from.libp2p, undefined, 'the sender must be stopped so that it only queues')
      const message = await from.send(to.accountId, text)
      const entry = (await from.store.outbox(to.accountId)).find(e => e.messageId === message.id)
      assert.ok(entry != null && entry.envelope.byteLength > 0, 'the message is queued with its encrypted envelope')
      return { message, entry }
    },
    async depositFor (recipient, entry) {
      const result = await (await world.client()).services.mailbox.deposit(current().peerId, {
        recipient: recipient.account.keys.publicKey, messageId: entry.messageId, envelope: entry.envelope
      }, { signal: AbortSignal.timeout(5_000) })
      return result.status
    }
  }
  return world
}
