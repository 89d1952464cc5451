/**
 * An in-memory mailbox for unit tests: a MailboxService over a MailboxStore
 * on memory-level, behind a MailboxProtocolService whose handler is reached
 * through `streamPair`, and client MailboxProtocolServices that reach it as
 * given peer ids.
 */

import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { lpStream, streamPair } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { MemoryLevel } from 'memory-level'
import { MailboxService } from '#node/src/mailbox-service.ts'
import { accountIdFromPublicKey, certifyDevice, encodeDeviceCertificate, generateAccountKeys } from '#shared/identity/index.ts'
import { MailboxStore } from '#shared/mailbox/index.ts'
import { MAILBOX_PROTOCOL } from '#shared/protocol/constants.ts'
import { Envelope } from '#shared/protocol/dm/index.ts'
import { MailboxProtocolService } from '#shared/protocol/mailbox/mailbox.ts'
import { MailboxStatus } from '#shared/protocol/mailbox/index.ts'
import { newMessageId } from '#shared/store/index.ts'
import type { MailboxServiceInit } from '#node/src/mailbox-service.ts'
import type { AccountKeys } from '#shared/identity/index.ts'
import type { MailboxStoreInit } from '#shared/mailbox/index.ts'
import type { MailboxIdentity } from '#shared/protocol/mailbox/index.ts'
import type { Connection, PeerId, Stream, StreamHandler } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'

export const textEncoder = new TextEncoder()

export async function newPeerId (): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

/** A device of a new account: its peer id and the identity a client acts as. */
export interface Device extends MailboxIdentity {
  peerId: PeerId
  accountId: string
  keys: AccountKeys
}

export async function newDevice (keys: AccountKeys = generateAccountKeys()): Promise<Device> {
  const peerId = await newPeerId()
  return { peerId, keys, accountId: accountIdFromPublicKey(keys.publicKey), certificate: certifyDevice(keys, peerId) }
}

/** An encoded dm envelope from `sender` to `recipient` (the protocol does not decrypt: the "ciphertext" is text). */
export function envelopeBytes (sender: Device, recipient: Uint8Array, id = newMessageId(), text = 'sealed'): Uint8Array {
  return Envelope.encode({
    version: 2,
    sender: encodeDeviceCertificate(sender.certificate) as Uint8Array<ArrayBuffer>,
    recipient: recipient as Uint8Array<ArrayBuffer>,
    id,
    ratchetHeader: Uint8Array.from([0x0a, 0x20, ...new Uint8Array(32).fill(9)]),
    ciphertext: textEncoder.encode(text)
  })
}

export function clock (start = 1_700_000_000_000): { now: () => number, advance: (ms: number) => void } {
  let t = start
  return { now: () => t, advance: (ms) => { t += ms } }
}

/** A mailbox in memory, and clients that reach it as given peers. */
export interface Harness {
  mailboxPeer: PeerId
  server: MailboxProtocolService
  service: MailboxService
  store: MailboxStore
  handler: StreamHandler
  clock: ReturnType<typeof clock>
  /** A client service that reaches the mailbox as `self`; `answeredBy` is the peer its connections claim to reach. */
  client(self: PeerId, answeredBy?: PeerId): MailboxProtocolService
  /** A raw stream to the handler, as from `from`. */
  raw(from: PeerId): Promise<{ lp: ReturnType<typeof lpStream<Stream>>, stream: Stream, handled: Promise<void> }>
}

export async function startMailbox (options: { store?: MailboxStoreInit, service?: Partial<MailboxServiceInit> } = {}): Promise<Harness> {
  const t = clock()
  const mailboxPeer = await newPeerId()
  let handler: StreamHandler | undefined
  const registrar = {
    async handle (protocol: string, h: StreamHandler) {
      assert.equal(protocol, MAILBOX_PROTOCOL)
      handler = h
    },
    async unhandle () { handler = undefined }
  } as unknown as Registrar
  const server = new MailboxProtocolService({ peerId: mailboxPeer, registrar, connectionManager: {} as ConnectionManager, logger: defaultLogger() })
  await server.start()
  const store = await MailboxStore.open(new MemoryLevel<string, Uint8Array>({ keyEncoding: 'utf8', valueEncoding: 'view' }), { now: t.now, ...options.store })
  const service = new MailboxService({
    store,
    protocol: server,
    peerId: mailboxPeer,
    addresses: () => [multiaddr(`/ip4/127.0.0.1/tcp/4001/p2p/${mailboxPeer.toString()}`)],
    now: t.now,
    ...options.service
  })
  await service.start()
  if (handler == null) {
    throw new Error('the mailbox registered no handler')
  }
  const serve = handler

  const connectTo = async (from: PeerId): Promise<Stream> => {
    const [outbound, inbound] = await streamPair({ protocol: MAILBOX_PROTOCOL })
    void serve(inbound, { remotePeer: from } as unknown as Connection)
    return outbound
  }

  return {
    mailboxPeer,
    server,
    service,
    store,
    handler: serve,
    clock: t,
    client (self, answeredBy = mailboxPeer) {
      const connectionManager = {
        async openStream (peer: PeerId, protocol: string) {
          assert.ok(peer.equals(mailboxPeer), 'clients dial the mailbox')
          assert.equal(protocol, MAILBOX_PROTOCOL)
          return connectTo(self)
        },
        async openConnection () {
          return {
            remotePeer: answeredBy,
            newStream: async (protocol: string) => {
              assert.equal(protocol, MAILBOX_PROTOCOL)
              return connectTo(self)
            }
          }
        }
      } as unknown as ConnectionManager
      return new MailboxProtocolService({ peerId: self, registrar, connectionManager, logger: defaultLogger() })
    },
    async raw (from) {
      const [outbound, inbound] = await streamPair({ protocol: MAILBOX_PROTOCOL })
      const handled = Promise.resolve(serve(inbound, { remotePeer: from } as unknown as Connection))
      return { lp: lpStream(outbound, { maxDataLength: 2 * 1024 * 1024 }), stream: outbound, handled }
    }
  }
}

/** Pairs `device` through the protocol with a fresh code. */
export async function pair (h: Harness, device: Device): Promise<void> {
  const { code } = await h.service.createPairingCode()
  const result = await h.client(device.peerId).pair(code, device)
  assert.equal(result.status, MailboxStatus.OK, result.detail)
}

/** Drains everything for `device`, storing what it gets; returns the pages' ids. */
export async function drainAll (h: Harness, device: Device, options: { pageItems?: number } = {}): Promise<string[][]> {
  const pages: string[][] = []
  const result = await h.client(device.peerId).drain(h.mailboxPeer, device, async (items) => {
    pages.push(items.map(i => i.messageId))
    return undefined
  }, options)
  assert.equal(result.status, MailboxStatus.OK)
  return pages
}
