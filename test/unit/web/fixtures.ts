/**
 * Fixtures for the web app's state tests: Messengers on memory-level stores
 * whose nodes talk TCP on 127.0.0.1 (no relay), a mailbox host like a
 * daemon's, and a wait on signals.
 */

import { generateKeyPair } from '@libp2p/crypto/keys'
import { tcp } from '@libp2p/tcp'
import { effect } from '@preact/signals'
import { MemoryLevel } from 'memory-level'
import { MailboxService } from '#node/src/mailbox-service.ts'
import { MailboxStore } from '#shared/mailbox/index.ts'
import { createAccount, Messenger, messengerServices } from '#shared/messenger/index.ts'
import { createParleyNode } from '#shared/net/index.ts'
import { ParleyStore } from '#shared/store/index.ts'
import type { MailboxStoreInit } from '#shared/mailbox/index.ts'
import type { PeerNode } from '#shared/messenger/index.ts'
import type { PrivateKey } from '@libp2p/interface'

export const PASSPHRASE = 'web state test passphrase'

/** Cheap scrypt: these tests are about the state, not the KDF. */
export const KDF_LOG_N = 10

export async function memoryStore (): Promise<ParleyStore> {
  return ParleyStore.open(new MemoryLevel<string, Uint8Array>({ keyEncoding: 'utf8', valueEncoding: 'view' }))
}

export async function loopbackNode (privateKey: PrivateKey): Promise<PeerNode> {
  return createParleyNode({
    privateKey,
    transports: [tcp()],
    listen: ['/ip4/127.0.0.1/tcp/0'],
    dhtMode: 'server',
    allowPrivateAddresses: true,
    services: messengerServices()
  })
}

/** A new account on a fresh memory store, and its (not started) Messenger. */
export async function newMessenger (name: string): Promise<Messenger> {
  const store = await memoryStore()
  const account = await createAccount(store, { name, passphrase: PASSPHRASE, kdfLogN: KDF_LOG_N })
  return new Messenger({ store, account, createNode: loopbackNode, retry: { initialDelay: 100, maxDelay: 500 } })
}

/** Two started Messengers that are each other's contacts. */
export async function newPair (): Promise<{ alice: Messenger, bob: Messenger }> {
  const [alice, bob] = await Promise.all([newMessenger('Alice'), newMessenger('Bob')])
  await Promise.all([alice.start(), bob.start()])
  await alice.addContact(await bob.invite())
  await bob.addContact(await alice.invite())
  return { alice, bob }
}

/** An always-on mailbox (what `parley daemon` serves) on a memory store, on its own TCP node. */
export interface MailboxHost {
  node: PeerNode
  service: MailboxService
  /** A one-time pairing code, as `parley mailbox pair` prints it. */
  code(): Promise<string>
  /** Stops it (once; later calls wait for that). */
  stop(): Promise<void>
}

export async function newMailboxHost (limits: MailboxStoreInit = {}): Promise<MailboxHost> {
  const node = await loopbackNode(await generateKeyPair('Ed25519'))
  const store = await MailboxStore.open(new MemoryLevel<string, Uint8Array>({ keyEncoding: 'utf8', valueEncoding: 'view' }), limits)
  const service = new MailboxService({ store, protocol: node.services.mailbox, peerId: node.peerId, addresses: () => node.getMultiaddrs() })
  node.addEventListener('peer:connect', (evt) => { service.peerOnline(evt.detail) })
  node.addEventListener('peer:disconnect', (evt) => { service.peerOffline(evt.detail) })
  await service.start()
  await node.start()
  let stopped: Promise<void> | undefined
  return {
    node,
    service,
    code: async () => (await service.createPairingCode()).code,
    stop: async () => {
      stopped ??= (async () => {
        await service.stop()
        await node.stop()
        await store.close()
      })()
      await stopped
    }
  }
}

/**
 * Resolves with `read()` once `ok` holds for it (checked now and on every
 * change of the signals `read` uses); rejects after `timeout` ms with the
 * last value seen.
 */
export async function until<T> (read: () => T, ok: (value: T) => boolean, timeout = 10_000): Promise<T> {
  let last: T | undefined
  let stop: (() => void) | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    return await new Promise<T>((resolve, reject) => {
      timer = setTimeout(() => { reject(new Error(`condition not met within ${timeout} ms; last value: ${JSON.stringify(last)}`)) }, timeout)
      stop = effect(() => {
        const value = read()
        last = value
        if (ok(value)) {
          resolve(value)
        }
      })
    })
  } finally {
    clearTimeout(timer)
    stop?.()
  }
}
