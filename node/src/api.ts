/**
 * What the CLI asks of a running peer. One interface, two implementations:
 * `LocalApi` wraps a Messenger this process owns; `RemoteApi` (control.ts)
 * forwards to the daemon that owns the home. Values are plain JSON.
 */

import type { Messenger } from '#shared/messenger/index.ts'
import type { Contact, StoredMessage } from '#shared/store/index.ts'
import type { ContactSummary, MailboxEntry, MailboxRefusal, MessengerStatus, OwnMailboxStatus, Whoami } from '#shared/messenger/index.ts'
import type { MailboxService, MailboxServiceStatus } from './mailbox-service.ts'

export interface ContactView {
  accountId: string
  name: string
  state: Contact['state']
  /** The user compared safety numbers with this contact. */
  verified: boolean
  /** Another account introduced itself with this contact's name: see docs/protocols/e2e.md. */
  keyChange: boolean
  unread: number
  lastText?: string
  lastAt?: number
}

export interface MessageView {
  id: string
  conversation: string
  direction: 'in' | 'out'
  sender: string
  text: string
  state: StoredMessage['state']
  sentAt: number
  receivedAt: number
  clock: number
}

export interface SafetyNumberView {
  accountId: string
  name: string
  safetyNumber: string
  verified: boolean
}

/** An event as the CLI sees it: the messenger event name and a JSON detail. */
export interface ApiEvent {
  event: 'message:sent' | 'message:received' | 'message:delivered' | 'message:at-mailbox' | 'contact:added' | 'contact:updated' | 'request:received' |
  'mailbox:refused'
  message?: MessageView
  contact?: ContactView
  /** With mailbox:refused: which message, which mailbox, and why ('MAILBOX_FULL', 'QUOTA_EXCEEDED', 'NOT_ACCEPTING'). */
  refusal?: MailboxRefusal
}

/** `parley mailbox status`: what this home serves as a mailbox (daemon only), and the mailboxes its account uses. */
export interface MailboxStatusView {
  /** Whether this process serves as a mailbox (a daemon does). */
  serving: boolean
  /** With serving: the owner's view (accounts, items, bytes, quotas, drains per device). */
  service?: MailboxServiceStatus
  /** The mailboxes this account is paired with, and what they hold for it when reachable. */
  mailboxes: OwnMailboxStatus[]
}

export interface ParleyApi {
  whoami(): Promise<Whoami>
  status(): Promise<MessengerStatus>
  addContact(invite: string, name?: string): Promise<ContactView>
  contacts(): Promise<ContactView[]>
  requests(): Promise<ContactView[]>
  accept(ref: string): Promise<ContactView>
  block(ref: string): Promise<ContactView>
  resolve(ref: string): Promise<ContactView>
  safetyNumber(ref: string): Promise<SafetyNumberView>
  markVerified(ref: string): Promise<ContactView>
  send(ref: string, text: string): Promise<MessageView>
  /** True once delivered, false if `timeoutMs` passed first. */
  waitForDelivery(conversation: string, id: string, timeoutMs: number): Promise<boolean>
  history(ref: string, limit?: number, before?: string): Promise<MessageView[]>
  markRead(ref: string): Promise<void>
  /** A one-time pairing code for this home's mailbox (daemon only). */
  mailboxPair(): Promise<{ code: string, expiresAt: number }>
  /** Pairs this account with the mailbox a code names and lists it in the account record. */
  mailboxUse(code: string): Promise<MailboxEntry & { retentionMs?: number, quota?: { items: number, bytes: number } }>
  mailboxStatus(): Promise<MailboxStatusView>
  /**
   * Stops using a mailbox (the only one when `peerId` is not given): drains
   * it, unpairs there, drops it from the account record.
   */
  mailboxUnpair(peerId?: string): Promise<{ peerId: string, unpaired: boolean }>
  /** Calls `listener` for every event until the returned function is called. */
  subscribe(listener: (event: ApiEvent) => void): Promise<() => void>
  close(): Promise<void>
}

export function contactView (c: Contact | ContactSummary): ContactView {
  const summary = c as Partial<ContactSummary>
  return {
    accountId: c.accountId,
    name: c.name,
    state: c.state,
    verified: c.verified ?? false,
    keyChange: c.keyChange ?? false,
    unread: summary.unread ?? 0,
    ...(summary.lastText != null ? { lastText: summary.lastText } : {}),
    ...(summary.lastAt != null ? { lastAt: summary.lastAt } : {})
  }
}

export function messageView (m: StoredMessage): MessageView {
  return {
    id: m.id,
    conversation: m.conversation,
    direction: m.direction,
    sender: m.sender,
    text: m.text,
    state: m.state,
    sentAt: m.sentAt,
    receivedAt: m.receivedAt,
    clock: m.clock
  }
}

export class LocalApi implements ParleyApi {
  readonly messenger: Messenger
  /** The mailbox this process serves (a daemon), if any. */
  readonly mailbox?: MailboxService
  private readonly onClose: () => Promise<void>

  constructor (messenger: Messenger, onClose: () => Promise<void>, mailbox?: MailboxService) {
    this.messenger = messenger
    this.onClose = onClose
    this.mailbox = mailbox
  }

  async whoami (): Promise<Whoami> { return this.messenger.whoami() }
  async status (): Promise<MessengerStatus> { return this.messenger.status() }
  async addContact (invite: string, name?: string): Promise<ContactView> {
    return contactView(await this.messenger.addContact(invite, { name }))
  }

  async contacts (): Promise<ContactView[]> { return (await this.messenger.contacts()).map(contactView) }
  async requests (): Promise<ContactView[]> { return (await this.messenger.requests()).map(contactView) }
  async accept (ref: string): Promise<ContactView> { return contactView(await this.messenger.accept(ref)) }
  async block (ref: string): Promise<ContactView> { return contactView(await this.messenger.block(ref)) }
  async resolve (ref: string): Promise<ContactView> {
    return contactView(await this.messenger.resolveContact(ref, { includeRequests: true, includeBlocked: true }))
  }

  async safetyNumber (ref: string): Promise<SafetyNumberView> {
    const { contact, safetyNumber } = await this.messenger.safetyNumber(ref)
    return { accountId: contact.accountId, name: contact.name, safetyNumber, verified: contact.verified ?? false }
  }

  async markVerified (ref: string): Promise<ContactView> { return contactView(await this.messenger.markVerified(ref)) }
  async send (ref: string, text: string): Promise<MessageView> { return messageView(await this.messenger.send(ref, text)) }
  async waitForDelivery (conversation: string, id: string, timeoutMs: number): Promise<boolean> {
    try {
      await this.messenger.waitForDelivery(conversation, id, { signal: AbortSignal.timeout(timeoutMs) })
      return true
    } catch (err: any) {
      if (err.name === 'TimeoutError') {
        return false
      }
      throw err
    }
  }

  async history (ref: string, limit?: number, before?: string): Promise<MessageView[]> {
    return (await this.messenger.history(ref, { limit, before })).map(messageView)
  }

  async markRead (ref: string): Promise<void> { await this.messenger.markRead(ref) }

  async mailboxPair (): Promise<{ code: string, expiresAt: number }> {
    if (this.mailbox == null) {
      throw Object.assign(new Error('Only a running `parley daemon` serves as a mailbox: start it for this home first.'), { name: 'InvalidParametersError' })
    }
    return this.mailbox.createPairingCode()
  }

  async mailboxUse (code: string): Promise<MailboxEntry & { retentionMs?: number, quota?: { items: number, bytes: number } }> {
    return this.messenger.useMailbox(code)
  }

  async mailboxUnpair (peerId?: string): Promise<{ peerId: string, unpaired: boolean }> {
    const mailboxes = await this.messenger.mailboxes()
    if (peerId == null && mailboxes.length !== 1) {
      throw Object.assign(new Error(mailboxes.length === 0
        ? 'Your account uses no mailbox.'
        : `Your account uses ${mailboxes.length} mailboxes: name the one to remove (${mailboxes.map(m => m.peerId).join(', ')}).`), { name: 'InvalidParametersError' })
    }
    const target = peerId ?? mailboxes[0].peerId
    return { peerId: target, unpaired: await this.messenger.removeMailbox(target) }
  }

  async mailboxStatus (): Promise<MailboxStatusView> {
    const mailboxes = await this.messenger.ownMailboxStatus()
    return this.mailbox != null ? { serving: true, service: this.mailbox.status(), mailboxes } : { serving: false, mailboxes }
  }

  async subscribe (listener: (event: ApiEvent) => void): Promise<() => void> {
    const m = this.messenger
    const onMessage = (evt: CustomEvent<StoredMessage>): void => { listener({ event: evt.type as ApiEvent['event'], message: messageView(evt.detail) }) }
    const onContact = (evt: CustomEvent<Contact>): void => { listener({ event: evt.type as ApiEvent['event'], contact: contactView(evt.detail) }) }
    const onRefused = (evt: CustomEvent<MailboxRefusal>): void => { listener({ event: 'mailbox:refused', refusal: evt.detail }) }
    const messageEvents = ['message:sent', 'message:received', 'message:delivered', 'message:at-mailbox'] as const
    const contactEvents = ['contact:added', 'contact:updated', 'request:received'] as const
    messageEvents.forEach(e => { m.addEventListener(e, onMessage) })
    contactEvents.forEach(e => { m.addEventListener(e, onContact) })
    m.addEventListener('mailbox:refused', onRefused)
    return () => {
      messageEvents.forEach(e => { m.removeEventListener(e, onMessage) })
      contactEvents.forEach(e => { m.removeEventListener(e, onContact) })
      m.removeEventListener('mailbox:refused', onRefused)
    }
  }

  async close (): Promise<void> { await this.onClose() }
}
