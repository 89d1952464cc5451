/**
 * Bench measure 7's helper page (test/bench/web.ts), served from the web
 * app's origin so that it writes the app's own IndexedDB store: creates the
 * account, a contact and N received messages through `ParleyStore`
 * (`addIncoming` in batches), and times `store.history()` of the newest 50
 * against a raw IndexedDB `getAll` on the same 50 keys, in this page. It
 * closes the store before the app is opened (one owner at a time).
 */

import { Level } from 'level'
import { accountIdFromPublicKey, generateAccountKeys } from '#shared/identity/account.ts'
import { createAccount } from '#shared/messenger/account.ts'
import { ParleyStore, newMessageId } from '#shared/store/index.ts'
import type { IncomingMessage } from '#shared/store/index.ts'

/** web/src/platform.ts's DATABASE_NAME (not imported: that module pulls in libp2p). */
const DATABASE_NAME = 'parley'
/** browser-level names the IndexedDB database `level-js-<name>`, its one object store `<name>`. */
const IDB_NAME = `level-js-${DATABASE_NAME}`

export interface FillInit {
  name: string
  passphrase: string
  kdfLogN: number
  peerName: string
  messages: number
  batch: number
  text: string
}

export interface FillResult {
  conversation: string
  fillMs: number
  stored: number
}

let store: ParleyStore | undefined
let conversation = ''

async function fill (init: FillInit): Promise<FillResult> {
  store = await ParleyStore.open(new Level<string, Uint8Array>(DATABASE_NAME, { keyEncoding: 'utf8', valueEncoding: 'view' }))
  const account = await createAccount(store, { name: init.name, passphrase: init.passphrase, kdfLogN: init.kdfLogN })
  store.unlock(account.secrets.storageKey)
  const peer = generateAccountKeys()
  conversation = accountIdFromPublicKey(peer.publicKey)
  const now = Date.now()
  await store.putContact({ accountId: conversation, publicKey: peer.publicKey, name: init.peerName, state: 'contact', devices: [], addrs: [], addedAt: now, updatedAt: now })

  const start = performance.now()
  for (let clock = 1; clock <= init.messages;) {
    const batch: IncomingMessage[] = []
    for (; batch.length < init.batch && clock <= init.messages; clock++) {
      batch.push({ id: newMessageId(), conversation, sender: conversation, text: `${init.text} ${clock}`, clock, sentAt: now - init.messages + clock })
    }
    await store.addIncoming(batch)
  }
  const fillMs = performance.now() - start
  const keys = await messageKeys()
  return { conversation, fillMs, stored: keys.length }
}

function request<T> (req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => { resolve(req.result) }
    req.onerror = () => { reject(req.error ?? new Error('IndexedDB request failed')) }
  })
}

let idb: IDBDatabase | undefined

async function rawDb (): Promise<IDBDatabase> {
  idb ??= await request(indexedDB.open(IDB_NAME))
  return idb
}

/** The conversation's message keys as IndexedDB holds them (sublevel `!messages!` + `<conversation>!…`). */
async function messageKeys (): Promise<IDBValidKey[]> {
  const encoder = new TextEncoder()
  const range = IDBKeyRange.bound(encoder.encode(`!messages!${conversation}!`), encoder.encode(`!messages!${conversation}"`), false, true)
  const db = await rawDb()
  return request(db.transaction(DATABASE_NAME, 'readonly').objectStore(DATABASE_NAME).getAllKeys(range))
}

/** `samples` pairs, alternating (the order swaps every pair): store.history(50) vs raw getAll of the same 50 keys, in ms. */
async function history (samples: number, limit: number): Promise<{ parley: number[], raw: number[] }> {
  if (store == null) {
    throw new Error('fill first')
  }
  const keys = await messageKeys()
  const range = IDBKeyRange.bound(keys[keys.length - limit], keys[keys.length - 1])
  const db = await rawDb()
  const out = { parley: [] as number[], raw: [] as number[] }
  for (let i = 0; i < samples; i++) {
    for (const side of i % 2 === 0 ? ['parley', 'raw'] as const : ['raw', 'parley'] as const) {
      const start = performance.now()
      const rows = side === 'parley'
        ? await store.history(conversation, { limit })
        : await request(db.transaction(DATABASE_NAME, 'readonly').objectStore(DATABASE_NAME).getAll(range))
      out[side].push(performance.now() - start)
      if (rows.length !== limit) {
        throw new Error(`${side} read ${rows.length} rows, not ${limit}`)
      }
    }
  }
  return out
}

async function close (): Promise<void> {
  idb?.close()
  idb = undefined
  await store?.close()
  store = undefined
}

;(globalThis as any).parleyBench = { fill, history, close }
document.body.textContent = 'ready'
