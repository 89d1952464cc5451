/**
 * The mailbox store: envelopes held for paired accounts, with quotas,
 * idempotent deposits, drains in pages, acks and oldest-first expiry, on the
 * app's abstract-level database under the sublevel `mailbox`.
 * docs/protocols/mailbox.md ("Storage", "Quotas").
 *
 * @example
 * ```ts
 * const db = new Level(dir, { keyEncoding: 'utf8', valueEncoding: 'view' })
 * const mailbox = await MailboxStore.open(db, { retentionMs: 7 * 24 * 3600_000 })
 * ```
 */

export { MailboxStore, MAILBOX_SUBLEVEL, MAILBOX_SCHEMA_VERSION, EXPIRED_CODE_KEEP_MS } from './store.ts'
export type {
  AccountInfo, CodeOutcome, DepositInput, DepositOutcome, DepositReceipt, DeviceInfo, ExpiryResult, HeldItem,
  MailboxLimits, MailboxStoreInit, MailboxUsage, Page, PageOptions
} from './store.ts'
