import { logger } from '@libp2p/logger'
import { Ack, Envelope } from '../protocol/dm/index.ts'
import type { RetryInit } from './messenger.ts'
import type { Contact, OutboxEntry, ParleyStore, StoredMessage } from '../store/index.ts'
import type { AbortOptions, PeerId } from '@libp2p/interface'

const log = logger('parley:courier')

const DEFAULT_INITIAL_DELAY = 1000
const DEFAULT_MAX_DELAY = 30_000
/** How long one delivery attempt (reach + send the queue) may take. */
const ATTEMPT_TIMEOUT = 30_000

export interface CourierInit {
  conversation: string
  store: ParleyStore
  retry?: RetryInit
  isOnline(): boolean
  reach(contact: Contact, options: AbortOptions): Promise<PeerId>
  send(peer: PeerId, envelope: Envelope, options: AbortOptions): Promise<Ack.Status>
  onDelivered(message: StoredMessage): void
  /**
   * No device is reachable: hand these entries to the contact's mailboxes.
   * Resolves with the ids a mailbox now holds (they stay queued until a
   * device acks).
   */
  deposit?(contact: Contact, entries: OutboxEntry[], options: AbortOptions): Promise<string[]>
}

/**
 * Delivers one conversation's outbox, in order, and keeps trying with backoff
 * while the contact is unreachable. `wake()` cuts a backoff short: a new
 * message, the contact coming online, or a message from them.
 *
 * Every queued message is sent with its stored id, so a retry after a lost ack
 * is answered DUPLICATE by the receiver and never shown twice.
 */
export class Courier {
  private readonly init: CourierInit
  private readonly initialDelay: number
  private readonly maxDelay: number
  private running?: Promise<void>
  private woken = false
  private wakeSleep?: () => void
  private stopped = false
  private readonly controller = new AbortController()
  private deliveredQueue: string[] = []
  /** Ids a mailbox holds already (this run): not deposited again on every retry. */
  private readonly deposited = new Set<string>()
  private flushing?: Promise<void>

  constructor (init: CourierInit) {
    this.init = init
    this.initialDelay = init.retry?.initialDelay ?? DEFAULT_INITIAL_DELAY
    this.maxDelay = init.retry?.maxDelay ?? DEFAULT_MAX_DELAY
  }

  wake (): void {
    if (this.stopped || !this.init.isOnline()) {
      return
    }
    this.woken = true
    this.wakeSleep?.()
    if (this.running == null) {
      this.running = this.run().finally(() => {
        this.running = undefined
        // woken after the last look at the outbox: go again
        if (this.woken) {
          this.wake()
        }
      })
    }
  }

  stop (): void {
    this.stopped = true
    this.controller.abort()
    this.wakeSleep?.()
  }

  /** Resolves when the courier has nothing running. */
  async idle (): Promise<void> {
    await this.running
  }

  private async run (): Promise<void> {
    let delay = this.initialDelay
    while (!this.stopped && this.init.isOnline()) {
      this.woken = false
      const entries = await this.init.store.outbox(this.init.conversation)
      if (entries.length === 0) {
        if (this.woken) {
          // a message was queued while we were reading: read again
          continue
        }
        return
      }
      let done = false
      try {
        done = await this.attempt(entries)
      } catch (err) {
        log('delivery to %s failed - %e', this.init.conversation, err)
      }
      if (done) {
        delay = this.initialDelay
        continue
      }
      if (!this.woken) {
        await this.sleep(delay + Math.floor(Math.random() * delay * 0.2))
        delay = Math.min(delay * 2, this.maxDelay)
      }
    }
  }

  /** One try at the whole queue; true when every message was acked. */
  private async attempt (entries: OutboxEntry[]): Promise<boolean> {
    const contact = await this.init.store.getContact(this.init.conversation)
    if (contact == null || contact.state !== 'contact') {
      return false
    }
    const signal = AbortSignal.any([this.controller.signal, AbortSignal.timeout(ATTEMPT_TIMEOUT)])
    let peer: PeerId
    try {
      peer = await this.init.reach(contact, { signal })
    } catch (err) {
      // no device reachable: the contact's mailbox can hold them until one comes online
      const fresh = entries.filter(e => !this.deposited.has(e.messageId))
      if (this.init.deposit != null && fresh.length > 0 && !this.stopped) {
        const held = await this.init.deposit(contact, fresh, { signal: this.controller.signal }).catch(depositErr => {
          log('deposit for %s failed - %e', this.init.conversation, depositErr)
          return []
        })
        held.forEach(id => this.deposited.add(id))
      }
      throw err
    }

    const results = await Promise.allSettled(entries.map(async ({ messageId: id, envelope }) => {
      // an outbox entry exists only until its message is delivered: no need to read the message
      if (envelope.byteLength === 0) {
        // every message is encrypted when queued; an entry without an envelope is not ours to send
        log.error('outbox entry %s has no envelope', id)
        return false
      }
      // the envelope was encrypted when the message was queued: every retry sends the same bytes
      const status = await this.init.send(peer, Envelope.decode(envelope), { signal })
      if (status === Ack.Status.OK || status === Ack.Status.DUPLICATE) {
        this.delivered(id)
        return true
      }
      log('%s refused message %s with %s', this.init.conversation, id, Ack.Status[status] ?? status)
      return false
    }))
    await this.flushing
    return results.every(r => r.status === 'fulfilled' && r.value)
  }

  /** Acks are written in batches: all that came in while the last batch was being written. */
  private delivered (id: string): void {
    this.deposited.delete(id)
    this.deliveredQueue.push(id)
    this.flushing ??= this.flush().finally(() => { this.flushing = undefined })
  }

  private async flush (): Promise<void> {
    while (this.deliveredQueue.length > 0) {
      const ids = this.deliveredQueue.splice(0)
      try {
        const changed = await this.init.store.markDelivered(this.init.conversation, ids)
        for (const message of changed) {
          this.init.onDelivered(message)
        }
      } catch (err) {
        // the messages stay queued; the next attempt resends and gets DUPLICATE
        log.error('could not record deliveries - %e', err)
      }
    }
  }

  private async sleep (ms: number): Promise<void> {
    await new Promise<void>(resolve => {
      const timer = setTimeout(done, ms)
      function done (): void {
        clearTimeout(timer)
        resolve()
      }
      this.wakeSleep = done
    })
    this.wakeSleep = undefined
  }
}
