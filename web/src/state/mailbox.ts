/**
 * What the app shows of mailboxes (docs/protocols/mailbox.md): the account's
 * mailboxes as rows, a sentence for a pairing that failed, and the note on a
 * message a recipient's mailbox refused. Pure functions; the signals and
 * actions are AppState's.
 */

import type { MailboxEntry, OwnMailboxStatus } from '#shared/messenger/index.ts'

/** One mailbox of this account, as Settings shows it. */
export interface MailboxView {
  peerId: string
  /**
   * It answered this device just now. Undefined until asked (Parley not
   * online yet, or the first check still running).
   */
  reachable?: boolean
  /**
   * It answered but does not hold mail for this account (its owner unpaired
   * it): the mailbox's status, e.g. 'NOT_PAIRED'. Undefined when all is well.
   */
  refused?: string
  /** What it holds for this account now (when it answered). */
  held?: { items: number, bytes: number }
}

/** Rows for the stored list, keeping what the last check said of the ones still listed. */
export function mailboxRows (entries: MailboxEntry[], previous: MailboxView[]): MailboxView[] {
  return entries.map(entry => previous.find(p => p.peerId === entry.peerId) ?? { peerId: entry.peerId })
}

/** A row from what the mailbox answered (or did not). */
export function mailboxView (status: OwnMailboxStatus): MailboxView {
  if (!status.reachable) {
    return { peerId: status.peerId, reachable: false }
  }
  return {
    peerId: status.peerId,
    reachable: true,
    ...(status.status != null && status.status !== 'OK' ? { refused: status.status } : {}),
    ...(status.held != null ? { held: status.held } : {})
  }
}

/** The note on a queued message that a mailbox refused; it stays queued and is offered again. */
export function refusalText (status: string): string {
  switch (status) {
    case 'MAILBOX_FULL':
    case 'QUOTA_EXCEEDED':
      return 'Mailbox full'
    case 'NOT_ACCEPTING':
      return 'Mailbox not accepting'
    default:
      return `Mailbox refused it (${status})`
  }
}

/** A user-facing sentence for a pairing that failed: what happened and what to do. */
export function describePairingError (err: any): string {
  const name: string = err?.name ?? 'Error'
  const message: string = err?.message ?? String(err)
  if (name === 'InvalidPairingCodeError') {
    // parsePairingCode's messages say what is wrong with the text and what to do
    return message
  }
  if (name === 'MailboxRefusedError') {
    switch (err.status) {
      case 'EXPIRED_CODE':
        return 'This pairing code has expired or was used already (a code works once, for 10 minutes). Run `parley mailbox pair` on the mailbox\'s machine again and paste the new code.'
      case 'INVALID':
        return 'The mailbox does not know this code. Check that you pasted all of it, or run `parley mailbox pair` again for a new one.'
      case 'NOT_ACCEPTING':
        return 'This mailbox is not accepting new accounts right now. Ask its owner, or use another mailbox.'
      case 'RATE_LIMITED':
        return 'Too many failed pairing attempts at this mailbox: wait about 10 minutes, then try again with a fresh code.'
      case 'NOT_PAIRED':
      case 'ERROR':
        return 'The mailbox failed to pair this account. Try again in a moment; if it keeps failing, its owner should check its log.'
      default:
        return `The mailbox refused the pairing (${String(err.status)}). Ask for a new code and try again.`
    }
  }
  if (name === 'UnexpectedPeerError') {
    return 'The peer that answered at the code\'s address is not the mailbox the code names, so nothing was sent to it. Ask the mailbox\'s owner for a new code.'
  }
  if (message === 'not started') {
    return 'Parley is not online yet. Wait until it is connected, then pair again.'
  }
  if (name === 'AbortError' || name === 'TimeoutError') {
    return 'The mailbox did not answer in time. Check that its daemon is running and reachable from this browser, then try again (the code stays valid until it expires).'
  }
  return `Could not reach the mailbox (${message}). Check that its daemon is running and that this browser can reach one of its addresses (a WebSocket or relay address), then try again.`
}

/** A peer id short enough for a narrow screen: the start and the end. */
export function shortPeerId (peerId: string): string {
  return peerId.length > 16 ? `${peerId.slice(0, 8)}…${peerId.slice(-6)}` : peerId
}
