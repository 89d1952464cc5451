import type { ContactView, MessageView } from './api.ts'

/** Our message's state as a tick: queued, held by the recipient's mailbox, stored by a device of theirs. */
const TICKS: Partial<Record<MessageView['state'], string>> = {
  pending: '  ✓ (pending)',
  'at-mailbox': '  ✓ (at mailbox)',
  delivered: '  ✓✓'
}

/** One message as a terminal line: time, author, text, and a tick for ours. */
export function formatMessage (m: MessageView, contactName: string): string {
  const time = new Date(m.sentAt).toISOString().slice(0, 16).replace('T', ' ')
  const who = m.direction === 'out' ? 'you' : contactName
  const tick = m.direction === 'out' ? TICKS[m.state] ?? '' : ''
  return `[${time}] ${terminalSafe(who)}: ${terminalSafe(m.text)}${tick}`
}

/**
 * Text from the network is shown as text: control characters (which could
 * move the cursor or rewrite the screen) become visible escapes.
 */
export function terminalSafe (text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, ch => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

/** Shown wherever a contact flagged with a key change appears. */
export function keyChangeWarning (c: ContactView): string {
  return `⚠ Key change: another account (another key) introduced itself as "${terminalSafe(c.name)}". ` +
    `It may be a re-created account or someone else; compare safety numbers (\`parley contacts verify ${c.accountId}\`) before trusting it.`
}
