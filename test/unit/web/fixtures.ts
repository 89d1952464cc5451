/**
 * Fixtures for the web app's state tests: Messengers on memory-level stores
 * whose nodes talk TCP on 127.0.0.1 (no relay), and a wait on signals.
 */

import { tcp } from '@libp2p/tcp'
import { effect } from '@preact/signals'
import { MemoryLevel } from 'memory-level'
import { createAccount, Messenger, messengerServices } from '#shared/messenger/index.ts'
import { createParleyNode } from '#shared/net/index.ts'
import { ParleyStore } from '#shared/store/index.ts'
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
