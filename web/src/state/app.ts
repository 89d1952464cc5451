/**
 * The app's one state, created from a running (or about to run) Messenger.
 * It subscribes to the Messenger's events once, in the constructor, and
 * writes signals; components read the signals and call the actions below.
 * Nothing here renders, and components never reach past this to libp2p or
 * the store.
 */

import { batch, computed, signal } from '@preact/signals'
import { multiaddr } from '@multiformats/multiaddr'
import { describePairingError, mailboxRows, mailboxView, refusalText, shortPeerId } from './mailbox.ts'
import type { MailboxView } from './mailbox.ts'
import type { ContactPath, ContactSummary, Messenger, MessengerEvents, MessengerStatus } from '#shared/messenger/index.ts'
import type { Contact, StoredMessage } from '#shared/store/index.ts'

/** Messages per history page: the newest page on open, then one more per scroll to the top. */
export const HISTORY_PAGE = 50

/** How long after start "no relay yet" counts as connecting, not as the relay being down, in ms. */
export const CONNECTING_GRACE_MS = 10_000

/** A row of the chat list (or of the requests). */
export interface ChatSummary {
  accountId: string
  name: string
  state: Contact['state']
  unread: number
  lastText?: string
  lastAt?: number
  /** The user compared safety numbers with them and marked them verified. */
  verified: boolean
  /**
   * Another account introduced itself with this name (this contact's, or the
   * one this account took): it may be the same person on a new account, or
   * someone else. Cleared by marking the contact verified.
   */
  keyChange: boolean
}

/**
 * The relay link, as the user sees it: `none` configured, `connecting` after
 * start, `online` (at least one relay connected), `offline` (none reachable:
 * retrying), `stopped`.
 */
export type RelayState = 'none' | 'connecting' | 'online' | 'offline' | 'stopped'

export interface ConnectionView {
  relay: RelayState
  /** Relay peer ids configured. */
  configured: string[]
  /** Relay peer ids connected now. */
  connected: string[]
  /** Peers with an open connection. */
  connections: number
  /** This device's addresses (relayed ones once a relay granted a reservation). */
  addresses: string[]
  /** A relay holds a reservation for this device: others can reach it through the relay. */
  reachable: boolean
}

export interface AppStateInit {
  /** The relay multiaddrs the Messenger bootstraps from (what "relay down" is about). @default [] */
  relays?: string[]
  /** Called for every incoming message (e.g. to notify while the tab is hidden). */
  onIncoming?: (message: StoredMessage, from: ChatSummary | undefined) => void
  /** @default HISTORY_PAGE */
  pageSize?: number
  /** @default CONNECTING_GRACE_MS */
  connectingGraceMs?: number
}

export class AppState {
  readonly messenger: Messenger

  /** Contacts, most recent conversation first. */
  readonly chats = signal<ChatSummary[]>([])
  /** Accounts that wrote without being contacts. */
  readonly requests = signal<ChatSummary[]>([])
  readonly connection = signal<ConnectionView>({ relay: 'stopped', configured: [], connected: [], connections: 0, addresses: [], reachable: false })
  /** This account's invite; changes when this device's addresses do. */
  readonly invite = signal('')

  /** The open conversation's contact id, if one is open. */
  readonly openId = signal<string | undefined>(undefined)
  /** The open conversation's loaded messages, oldest first. */
  readonly messages = signal<StoredMessage[]>([])
  /** True while older history may exist beyond the loaded pages. */
  readonly hasOlder = signal(false)
  readonly loadingOlder = signal(false)
  /** How the open conversation's contact is reached right now. */
  readonly path = signal<ContactPath>({ kind: 'none' })

  /** The last failure of an action, for the UI to show (until dismissed). */
  readonly error = signal<string | undefined>(undefined)

  /** This account's mailboxes (stored list), with what the last check said of each. */
  readonly mailboxes = signal<MailboxView[]>([])
  /** True while the mailboxes are being asked how they are. */
  readonly mailboxChecking = signal(false)
  /** True while a pairing or a removal runs. */
  readonly mailboxBusy = signal(false)
  /** Why the last pairing or removal failed, for Settings to show (cleared by the next try). */
  readonly mailboxError = signal<string | undefined>(undefined)
  /** What the last removal could not do (the mailbox did not confirm), cleared by the next try. */
  readonly mailboxNotice = signal<string | undefined>(undefined)
  /**
   * Queued messages of ours that a recipient's mailbox refused, by id, with
   * the note to show ("Mailbox full"): until a mailbox takes them or they are
   * delivered.
   */
  readonly refusals = signal<ReadonlyMap<string, string>>(new Map())

  /** The open conversation's row. */
  readonly openChat = computed(() => {
    const id = this.openId.value
    return id == null ? undefined : [...this.chats.value, ...this.requests.value].find(c => c.accountId === id)
  })

  /** Total unread across chats (for the title or a badge). */
  readonly unreadTotal = computed(() => this.chats.value.reduce((sum, c) => sum + c.unread, 0))

  private readonly init: AppStateInit
  private readonly pageSize: number
  private readonly detach: Array<() => void> = []
  private visible = true
  /** Bumped whenever the open conversation changes: late answers for another one are dropped. */
  private openToken = 0
  private startedAt = Date.now()
  private graceTimer?: ReturnType<typeof setTimeout>
  private everOnline = false
  /** Safety numbers by contact: ~5,000 SHA-512 each, and an account id never changes its key. */
  private readonly safetyNumbers = new Map<string, string>()
  /** Bumped by every mailbox check: an older check's late answer is dropped. */
  private mailboxToken = 0
  /** The newest mailbox check. */
  private mailboxCheck?: Promise<void>

  constructor (messenger: Messenger, init: AppStateInit = {}) {
    this.messenger = messenger
    this.init = init
    this.pageSize = init.pageSize ?? HISTORY_PAGE

    this.listen('message:sent', (evt) => { this.onMessage(evt.detail) })
    this.listen('message:delivered', (evt) => {
      this.clearRefusal(evt.detail.id)
      this.onMessage(evt.detail)
    })
    this.listen('message:at-mailbox', (evt) => {
      this.clearRefusal(evt.detail.id)
      this.onMessage(evt.detail)
    })
    this.listen('mailbox:refused', (evt) => {
      const refusals = new Map(this.refusals.value)
      refusals.set(evt.detail.id, refusalText(evt.detail.status))
      this.refusals.value = refusals
    })
    this.listen('mailbox:drained', () => { void this.refreshMailboxes() })
    this.listen('message:received', (evt) => {
      this.onMessage(evt.detail)
      if (evt.detail.conversation === this.openId.value && this.visible) {
        void this.markRead(evt.detail.conversation)
      }
      void this.announce(evt.detail)
    })
    this.listen('contact:added', (evt) => { void this.refreshContact(evt.detail.accountId) })
    this.listen('contact:updated', (evt) => { void this.refreshContact(evt.detail.accountId) })
    this.listen('request:received', (evt) => { void this.refreshContact(evt.detail.accountId) })
    this.listen('status:changed', (evt) => { this.onStatus(evt.detail) })
    this.onStatus(messenger.status())
  }

  /** Reads the chat list and requests from the store (after start, or to recover from an error). */
  async load (): Promise<void> {
    await this.attempt(async () => {
      const [contacts, requests, mailboxes] = await Promise.all([this.messenger.contacts(), this.messenger.requests(), this.messenger.mailboxes()])
      batch(() => {
        this.chats.value = sortChats(contacts.map(summary))
        this.requests.value = sortChats(requests.map(summary))
        this.mailboxes.value = mailboxRows(mailboxes, this.mailboxes.value)
      })
    })
  }

  /** Call once the Messenger has started: the relay grace period begins now, and the mailboxes are asked how they are. */
  started (): void {
    this.startedAt = Date.now()
    this.everOnline = false
    this.onStatus(this.messenger.status())
    void this.refreshMailboxes()
  }

  /** Stops listening to the Messenger (the Messenger itself is the caller's). */
  dispose (): void {
    clearTimeout(this.graceTimer)
    for (const off of this.detach.splice(0)) {
      off()
    }
  }

  /** Whether the user can see the app (document visibility): incoming messages in an open chat count as read only then. */
  setVisible (visible: boolean): void {
    this.visible = visible
    const id = this.openId.value
    if (visible && id != null && (this.openChat.value?.unread ?? 0) > 0) {
      void this.markRead(id)
    }
  }

  // --- actions -----------------------------------------------------------

  /** Opens a conversation: its newest page, marked read. */
  async open (accountId: string): Promise<void> {
    const token = ++this.openToken
    batch(() => {
      this.openId.value = accountId
      this.messages.value = []
      this.hasOlder.value = false
      this.path.value = { kind: 'none' }
    })
    await this.attempt(async () => {
      const page = await this.messenger.history(accountId, { limit: this.pageSize })
      if (token !== this.openToken) {
        return
      }
      batch(() => {
        // events that arrived while the page was read are kept (merge dedupes)
        this.messages.value = mergeMessages(this.messages.value, page)
        this.hasOlder.value = page.length === this.pageSize
      })
      void this.refreshPath()
      if (this.visible) {
        await this.markRead(accountId)
      }
    })
  }

  close (): void {
    this.openToken++
    batch(() => {
      this.openId.value = undefined
      this.messages.value = []
      this.hasOlder.value = false
      this.path.value = { kind: 'none' }
    })
  }

  /** Loads the page before the oldest loaded message; a no-op while one loads or when there is none. */
  async loadOlder (): Promise<void> {
    const id = this.openId.value
    const oldest = this.messages.value[0]
    if (id == null || oldest == null || !this.hasOlder.value || this.loadingOlder.value) {
      return
    }
    const token = this.openToken
    this.loadingOlder.value = true
    try {
      await this.attempt(async () => {
        const page = await this.messenger.history(id, { limit: this.pageSize, before: oldest.id })
        if (token !== this.openToken) {
          return
        }
        batch(() => {
          this.messages.value = mergeMessages(this.messages.value, page)
          this.hasOlder.value = page.length === this.pageSize
        })
      })
    } finally {
      this.loadingOlder.value = false
    }
  }

  /** Sends to the open conversation. Resolves once stored and queued (shown as pending). */
  async send (text: string): Promise<boolean> {
    const id = this.openId.value
    if (id == null || text.trim() === '') {
      return false
    }
    return this.attempt(async () => {
      await this.messenger.send(id, text)
    })
  }

  /** Adds a contact from an invite (the code, or a link with `#invite=`). Resolves with it, or undefined (see `error`). */
  async addContact (inviteText: string, name?: string): Promise<Contact | undefined> {
    let contact: Contact | undefined
    const ok = await this.attempt(async () => {
      contact = await this.messenger.addContact(extractInvite(inviteText), { name: name?.trim() === '' ? undefined : name })
      await this.refreshContact(contact.accountId)
    })
    return ok ? contact : undefined
  }

  async accept (accountId: string): Promise<void> {
    await this.attempt(async () => {
      await this.messenger.accept(accountId)
      await this.refreshContact(accountId)
    })
  }

  async block (accountId: string): Promise<void> {
    await this.attempt(async () => {
      await this.messenger.block(accountId)
      await this.refreshContact(accountId)
      if (this.openId.value === accountId) {
        this.close()
      }
    })
  }

  /**
   * The safety number of our conversation with a contact: 60 digits in 12
   * groups of 5, the same on their screen. Undefined if it cannot be
   * computed (see `error`).
   */
  async safetyNumber (accountId: string): Promise<string | undefined> {
    const known = this.safetyNumbers.get(accountId)
    if (known != null) {
      return known
    }
    let number: string | undefined
    await this.attempt(async () => {
      number = (await this.messenger.safetyNumber(accountId)).safetyNumber
      this.safetyNumbers.set(accountId, number)
    })
    return number
  }

  /** Records that the safety numbers matched: the contact shows as verified, a key-change warning goes away. */
  async markVerified (accountId: string): Promise<boolean> {
    return this.attempt(async () => {
      await this.messenger.markVerified(accountId)
      await this.refreshContact(accountId)
    })
  }

  /**
   * Re-reads this account's mailboxes and, once Parley is online, asks each
   * whether it is reachable and what it holds for us. Never fails: a mailbox
   * that does not answer shows as not reachable.
   */
  async refreshMailboxes (): Promise<void> {
    const check = this.checkMailboxes(++this.mailboxToken)
    this.mailboxCheck = check
    await check
  }

  /** One check; superseded by a newer one, it resolves when that one does (callers see its answer). */
  private async checkMailboxes (token: number): Promise<void> {
    const current = (): boolean => token === this.mailboxToken
    this.mailboxChecking.value = true
    try {
      const entries = await this.messenger.mailboxes()
      if (current()) {
        this.mailboxes.value = mailboxRows(entries, this.mailboxes.value)
        if (entries.length > 0 && this.messenger.status().started) {
          const statuses = await this.messenger.ownMailboxStatus()
          if (current()) {
            this.mailboxes.value = statuses.map(mailboxView)
          }
        }
      }
    } catch {
      // the store failed to read: the last known list stays
    }
    if (current()) {
      this.mailboxChecking.value = false
    } else {
      await this.mailboxCheck
    }
  }

  /**
   * Pairs this account with the mailbox a one-time code names (from `parley
   * mailbox pair` on its daemon). True once paired; otherwise false, with
   * `mailboxError` saying why (bad code, expired, refused, unreachable) and
   * nothing changed.
   */
  async pairMailbox (code: string): Promise<boolean> {
    const text = code.trim()
    if (text === '' && !this.mailboxBusy.value) {
      this.mailboxError.value = 'Paste the pairing code that `parley mailbox pair` shows on the mailbox\'s machine.'
      return false
    }
    return this.mailboxAction(async () => { await this.messenger.useMailbox(text) }, describePairingError)
  }

  /**
   * Fetches what a mailbox holds for us, unpairs it and drops it from the
   * account record: senders stop leaving mail there. True once it is off the
   * list (`mailboxNotice` says so if the mailbox could not be told); false
   * with `mailboxError` if nothing changed.
   */
  async removeMailbox (peerId: string): Promise<boolean> {
    return this.mailboxAction(async () => {
      if (!await this.messenger.removeMailbox(peerId)) {
        this.mailboxNotice.value = 'The mailbox is off your account, but it could not be reached to forget you: it may keep what senders with your old details leave there, until its owner removes you.'
      }
    }, err => `Could not remove the mailbox: ${describeError(err)}`)
  }

  /**
   * One mailbox action at a time: busy while it runs, earlier feedback
   * cleared; on failure `mailboxError` says why. Then the list is refreshed.
   */
  private async mailboxAction (run: () => Promise<void>, describe: (err: any) => string): Promise<boolean> {
    if (this.mailboxBusy.value) {
      return false
    }
    batch(() => {
      this.mailboxBusy.value = true
      this.mailboxError.value = undefined
      this.mailboxNotice.value = undefined
    })
    try {
      await run()
    } catch (err: any) {
      this.mailboxError.value = describe(err)
      return false
    } finally {
      this.mailboxBusy.value = false
    }
    await this.refreshMailboxes()
    return true
  }

  /** A readable name for a relay: the host (and port) it is configured at, else its peer id. */
  relayName (peerId: string | undefined): string {
    if (peerId == null) {
      return 'a relay'
    }
    for (const text of this.init.relays ?? []) {
      try {
        const components = multiaddr(text).getComponents()
        if (components.findLast(c => c.name === 'p2p')?.value === peerId) {
          const host = components.find(c => ['ip4', 'ip6', 'dns', 'dns4', 'dns6', 'dnsaddr'].includes(c.name))?.value
          const port = components.find(c => c.name === 'tcp')?.value
          if (host != null) {
            return port != null && port !== '443' && port !== '80' ? `${host}:${port}` : host
          }
        }
      } catch {}
    }
    return shortPeerId(peerId)
  }

  dismissError (): void {
    this.error.value = undefined
  }

  /** Forgets what the last pairing or removal said (Settings closed). */
  dismissMailboxFeedback (): void {
    batch(() => {
      this.mailboxError.value = undefined
      this.mailboxNotice.value = undefined
    })
  }

  // --- from the Messenger --------------------------------------------------

  private listen<K extends keyof MessengerEvents> (type: K, handler: (evt: MessengerEvents[K]) => void): void {
    this.messenger.addEventListener(type, handler)
    this.detach.push(() => { this.messenger.removeEventListener(type, handler) })
  }

  /** Hands an incoming message to `onIncoming` with its sender's row (read from the store for a brand-new request). */
  private async announce (message: StoredMessage): Promise<void> {
    if (this.init.onIncoming == null) {
      return
    }
    let from = [...this.chats.value, ...this.requests.value].find(c => c.accountId === message.conversation)
    if (from == null) {
      const contact = await this.messenger.store.getContact(message.conversation).catch(() => undefined)
      from = contact == null ? undefined : summary({ ...contact, unread: 0 })
    }
    try {
      this.init.onIncoming(message, from)
    } catch {}
  }

  private onMessage (message: StoredMessage): void {
    if (message.conversation === this.openId.value) {
      this.messages.value = mergeMessages(this.messages.value, [message])
    }
    // a new message changes the chat's row; a delivery state does not
    if (message.state === 'pending' || message.state === 'received') {
      void this.refreshContact(message.conversation)
    }
  }

  private clearRefusal (id: string): void {
    if (this.refusals.value.has(id)) {
      const refusals = new Map(this.refusals.value)
      refusals.delete(id)
      this.refusals.value = refusals
    }
  }

  private onStatus (status: MessengerStatus): void {
    const configured = this.relayIds()
    let relay: RelayState
    if (!status.started) {
      relay = 'stopped'
    } else if (configured.length === 0) {
      relay = 'none'
    } else if (status.relays.length > 0) {
      relay = 'online'
      this.everOnline = true
    } else {
      const waited = Date.now() - this.startedAt
      const grace = this.init.connectingGraceMs ?? CONNECTING_GRACE_MS
      relay = !this.everOnline && waited < grace ? 'connecting' : 'offline'
      if (relay === 'connecting') {
        clearTimeout(this.graceTimer)
        this.graceTimer = setTimeout(() => { this.onStatus(this.messenger.status()) }, grace - waited)
      }
    }
    const reachable = status.addresses.some(a => a.includes('/p2p-circuit'))
    this.connection.value = { relay, configured, connected: status.relays, connections: status.connections, addresses: status.addresses, reachable }
    void this.refreshInvite()
    void this.refreshPath()
  }

  /** The invite names this device's current addresses: re-made when they change. */
  private async refreshInvite (): Promise<void> {
    try {
      this.invite.value = await this.messenger.invite()
    } catch {}
  }

  private async refreshPath (): Promise<void> {
    const id = this.openId.value
    if (id == null) {
      return
    }
    try {
      const path = await this.messenger.contactPath(id)
      if (this.openId.value === id) {
        this.path.value = path
      }
    } catch {}
  }

  /** Re-reads one contact's row and moves it between chats and requests as its state says. */
  private async refreshContact (accountId: string): Promise<void> {
    await this.attempt(async () => {
      const [contact, conversation] = await Promise.all([
        this.messenger.store.getContact(accountId),
        this.messenger.store.getConversation(accountId)
      ])
      const row = contact == null
        ? undefined
        : summary({ ...contact, unread: conversation?.unread ?? 0, lastText: conversation?.lastText, lastAt: conversation?.lastAt })
      batch(() => {
        const others = (list: ChatSummary[]): ChatSummary[] => list.filter(c => c.accountId !== accountId)
        this.chats.value = sortChats(row?.state === 'contact' ? [...others(this.chats.value), row] : others(this.chats.value))
        this.requests.value = sortChats(row?.state === 'request' ? [...others(this.requests.value), row] : others(this.requests.value))
      })
    })
  }

  private async markRead (accountId: string): Promise<void> {
    await this.attempt(async () => {
      await this.messenger.markRead(accountId)
      await this.refreshContact(accountId)
    })
  }

  private relayIds (): string[] {
    const ids = new Set<string>()
    for (const text of this.init.relays ?? []) {
      try {
        const id = multiaddr(text).getComponents().findLast(c => c.name === 'p2p')?.value
        if (id != null) {
          ids.add(id)
        }
      } catch {}
    }
    return [...ids]
  }

  /** Runs an action; a failure is shown (the `error` signal), never swallowed silently nor thrown at a component. */
  private async attempt (fn: () => Promise<void>): Promise<boolean> {
    try {
      await fn()
      return true
    } catch (err: any) {
      this.error.value = describeError(err)
      return false
    }
  }
}

/** A user-facing sentence for an error: what happened (our errors' messages say what to do). */
export function describeError (err: any): string {
  const name: string = err?.name ?? 'Error'
  const message: string = err?.message ?? String(err)
  if (name === 'UnknownError' || /IndexedDB|database/i.test(message)) {
    return `This browser's storage failed: ${message}. Your data was not changed; reload the page to try again.`
  }
  if (name === 'QuotaExceededError') {
    return 'This browser refused to store more data (storage quota). Free some space or allow this site more storage, then try again.'
  }
  return message
}

/** Accepts an invite code (`parley:…`) or any link carrying it as `#invite=…`. */
export function extractInvite (text: string): string {
  const trimmed = text.trim()
  const hash = trimmed.indexOf('#invite=')
  if (hash >= 0) {
    try {
      return decodeURIComponent(trimmed.slice(hash + '#invite='.length))
    } catch {
      return trimmed.slice(hash + '#invite='.length)
    }
  }
  return trimmed
}

/** How far along one of our messages is: a copy never replaces a later one. */
const PROGRESS: Record<StoredMessage['state'], number> = { pending: 0, 'at-mailbox': 1, delivered: 2, received: 2 }

/** Merges messages by id (later copies win: delivered replaces at-mailbox replaces pending), sorted as the store sorts them. */
export function mergeMessages (current: StoredMessage[], incoming: StoredMessage[]): StoredMessage[] {
  const byId = new Map(current.map(m => [m.id, m]))
  for (const message of incoming) {
    const known = byId.get(message.id)
    // never step a message back (a page read before the ack must not undo 'delivered' or 'at-mailbox')
    if (known != null && PROGRESS[known.state] > PROGRESS[message.state]) {
      continue
    }
    byId.set(message.id, message)
  }
  return [...byId.values()].sort(compareMessages)
}

function compareMessages (a: StoredMessage, b: StoredMessage): number {
  return a.clock - b.clock || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

function summary (c: ContactSummary): ChatSummary {
  return {
    accountId: c.accountId,
    name: c.name,
    state: c.state,
    unread: c.unread,
    verified: c.verified === true,
    keyChange: c.keyChange === true,
    ...(c.lastText != null ? { lastText: c.lastText } : {}),
    ...(c.lastAt != null ? { lastAt: c.lastAt } : {})
  }
}

/** Most recent activity first; contacts without messages after, by name. */
function sortChats (list: ChatSummary[]): ChatSummary[] {
  return [...list].sort((a, b) => (b.lastAt ?? 0) - (a.lastAt ?? 0) || a.name.localeCompare(b.name))
}
