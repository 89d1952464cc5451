/**
 * Parley's local store: one schema on abstract-level for Node (classic-level)
 * and the browser (browser-level). docs/storage.md describes the layout.
 *
 * @example
 * ```ts
 * import { Level } from 'level'
 * import { ParleyStore } from '#shared/store/index.ts'
 *
 * const store = await ParleyStore.open(new Level(dir, { keyEncoding: 'utf8', valueEncoding: 'view' }))
 * store.unlock(secrets.storageKey) // from the opened vault; before it, message reads and writes throw VaultLockedError
 * ```
 */

export { ParleyStore, DEFAULT_HISTORY_LIMIT, MAX_HISTORY_LIMIT, LAST_TEXT_PREVIEW_CHARS } from './store.ts'
export type {
  AddIncomingOptions, AddIncomingResult, AddOutgoingOptions, Contact, ContactState, Conversation, Direction,
  HistoryOptions, IncomingMessage, MessageState, OutboxEntry, OutgoingMessageInit, PreparedOutgoing, Profile,
  StoredMessage
} from './store.ts'
export { newMessageId, isMessageId, sealContext, MESSAGE_ID_PATTERN, SECRET_NAME_PATTERN } from './keys.ts'
export type { StoreDatabase } from './keys.ts'
export { SCHEMA_VERSION, MIGRATIONS, migrate } from './migrations.ts'
export type { Migration, MigrationContext } from './migrations.ts'
