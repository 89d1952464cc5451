export { Messenger, messengerServices } from './messenger.ts'
export type { ContactPath, MessengerInit, MessengerEvents, MessengerStatus, ContactSummary, RetryInit, Whoami, PeerNode, MessengerServices, MailboxEntry, MailboxRefusal, OwnMailboxStatus } from './messenger.ts'
export { createAccount, unlockAccount, validateName } from './account.ts'
export type { UnlockedAccount, CreateAccountInit } from './account.ts'
