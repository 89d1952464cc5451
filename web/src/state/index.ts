/**
 * The browser app's state: `Session` (open the store, create or unlock the
 * account) and, once unlocked, `AppState` (chats, the open conversation,
 * requests, connection status, mailboxes) built from the Messenger. Signals in, actions
 * out; no DOM, no libp2p in components.
 */

export { AppState, CONNECTING_GRACE_MS, HISTORY_PAGE, describeError, extractInvite, mergeMessages } from './app.ts'
export type { AppStateInit, ChatSummary, ConnectionView, RelayState } from './app.ts'
export { describePairingError, refusalText, shortPeerId } from './mailbox.ts'
export type { MailboxView } from './mailbox.ts'
export { MIN_PASSPHRASE_CHARS, Session } from './session.ts'
export type { Phase, SessionInit } from './session.ts'
