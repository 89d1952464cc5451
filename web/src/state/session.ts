/**
 * Before there is a Messenger: open the store, then create an account
 * ("registration") or unlock the existing one ("login"); after that, build the
 * Messenger and the app state (app.ts) and start it. The screens follow
 * `phase`.
 */

import { batch, signal } from '@preact/signals'
import { createAccount, Messenger, unlockAccount } from '#shared/messenger/index.ts'
import { AppState, describeError } from './app.ts'
import type { AppStateInit } from './app.ts'
import type { PeerNode, UnlockedAccount } from '#shared/messenger/index.ts'
import type { ParleyStore } from '#shared/store/index.ts'
import type { PrivateKey } from '@libp2p/interface'

/** Shortest passphrase the create screen accepts: the vault's KDF slows guessing, it cannot save "1234". */
export const MIN_PASSPHRASE_CHARS = 8

export type Phase =
  /** Opening the store. */
  | { name: 'opening' }
  /** No account on this device yet. */
  | { name: 'create' }
  /** An account exists; its owner must unlock it. */
  | { name: 'unlock', accountName: string }
  /** Unlocked and running: `app` is set. */
  | { name: 'ready' }
  /** The store could not be opened (shown with what to do). */
  | { name: 'failed', message: string }

export interface SessionInit {
  openStore(): Promise<ParleyStore>
  createNode(privateKey: PrivateKey): Promise<PeerNode>
  /** Relay multiaddrs. @default [] */
  relays?: string[]
  /** scrypt cost for a new account. @default the vault's */
  kdfLogN?: number
  /** Passed on to the app state. */
  app?: Omit<AppStateInit, 'relays'>
}

export class Session {
  readonly phase = signal<Phase>({ name: 'opening' })
  /** True while a create or unlock runs (the KDF takes a second or so). */
  readonly busy = signal(false)
  /** Why the last create/unlock failed, for the form. */
  readonly formError = signal<string | undefined>(undefined)
  /** Set once unlocked. */
  readonly app = signal<AppState | undefined>(undefined)

  private readonly init: SessionInit
  private store?: ParleyStore
  private messenger?: Messenger

  constructor (init: SessionInit) {
    this.init = init
  }

  /** Opens the store and decides between the create and unlock screens. */
  async open (): Promise<void> {
    try {
      this.store ??= await this.init.openStore()
      const profile = await this.store.getProfile()
      this.phase.value = profile == null ? { name: 'create' } : { name: 'unlock', accountName: profile.name }
    } catch (err: any) {
      this.phase.value = { name: 'failed', message: describeError(err) }
    }
  }

  async create (name: string, passphrase: string): Promise<void> {
    if (passphrase.length < MIN_PASSPHRASE_CHARS) {
      this.formError.value = `Choose a passphrase of at least ${MIN_PASSPHRASE_CHARS} characters: it protects your keys on this device, and it cannot be reset.`
      return
    }
    await this.enter(async (store) => createAccount(store, { name, passphrase, kdfLogN: this.init.kdfLogN }))
  }

  async unlock (passphrase: string): Promise<void> {
    if (passphrase === '') {
      this.formError.value = 'Enter your passphrase.'
      return
    }
    await this.enter(async (store) => unlockAccount(store, passphrase))
  }

  /** Stops the node (the page is going away); the store stays as it is. */
  async stop (): Promise<void> {
    this.app.value?.dispose()
    await this.messenger?.stop()
  }

  private async enter (open: (store: ParleyStore) => Promise<UnlockedAccount>): Promise<void> {
    const store = this.store
    if (store == null || this.busy.value || this.app.value != null) {
      return
    }
    batch(() => {
      this.busy.value = true
      this.formError.value = undefined
    })
    let account: UnlockedAccount
    try {
      account = await open(store)
    } catch (err: any) {
      batch(() => {
        this.busy.value = false
        this.formError.value = describeError(err)
      })
      return
    }

    const relays = this.init.relays ?? []
    const messenger = new Messenger({ store, account, bootstrap: relays, createNode: this.init.createNode })
    const app = new AppState(messenger, { ...this.init.app, relays })
    this.messenger = messenger
    await app.load()
    batch(() => {
      this.app.value = app
      this.busy.value = false
      this.phase.value = { name: 'ready' }
    })
    try {
      await messenger.start()
      app.started()
    } catch (err: any) {
      app.error.value = `Could not go online: ${describeError(err)} Messages you write are kept and sent once Parley is online again; reload to retry.`
    }
  }
}
