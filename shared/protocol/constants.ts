/**
 * Wire protocol ids and limits, in one place. Every limit says why it is what
 * it is; docs/protocols/ is the normative description.
 */

/** Direct messages between devices: docs/protocols/dm.md */
export const DM_PROTOCOL = '/parley/dm/1.0.0'

/** Parley's own Kademlia DHT, so Parley records never mix with IPFS's. */
export const DHT_PROTOCOL = '/parley/kad/1.0.0'

/** DHT key namespace of signed account records: docs/protocols/account-record.md */
export const RECORD_NAMESPACE = 'parley'
export const RECORD_KEY_PREFIX = `/${RECORD_NAMESPACE}/`

/**
 * Largest dm frame. A text message is capped at MAX_TEXT_BYTES; the rest is
 * the envelope (ids, device certificate, clock). 64 KiB leaves room for the
 * ratchet header and future attachments' descriptors, and bounds what a
 * hostile peer can make us buffer per frame.
 */
export const MAX_DM_FRAME_BYTES = 64 * 1024

/** Largest message text, in UTF-8 bytes (WhatsApp's limit is ~65k characters). */
export const MAX_TEXT_BYTES = 32 * 1024

/**
 * Frames one dm stream may have unacknowledged. The sender pipelines up to this
 * many; the receiver reads one at a time, so a flood queues in the muxer's
 * window rather than in our memory.
 */
export const DM_WINDOW = 64

/** A signed account record: a few devices and mailboxes plus prekeys fit easily. */
export const MAX_RECORD_BYTES = 8 * 1024

/** Devices one account record may list. */
export const MAX_RECORD_DEVICES = 16

/** Multiaddrs per device in a record or invite. */
export const MAX_ADDRS_PER_DEVICE = 16

/** Display names, in UTF-8 bytes. */
export const MAX_NAME_BYTES = 128

/** An invite as text (URL-safe), decoded size. */
export const MAX_INVITE_BYTES = 4 * 1024

/**
 * Signature domains. Every account-key signature covers
 * `utf8(domain) || 0x00 || data` (shared/crypto/signing.ts), so a signature
 * made for one purpose cannot be replayed as another. The `/v1` is the format
 * of the signed bytes; a new format gets a new domain. docs/identity.md
 */
export const DEVICE_CERT_DOMAIN = 'parley/device-cert/v1'
export const INVITE_DOMAIN = 'parley/invite/v1'
export const ACCOUNT_RECORD_DOMAIN = 'parley/account-record/v1'

/** Domain of a sealed vault's associated data (its header), docs/identity.md. */
export const VAULT_DOMAIN = 'parley/vault/v1'

/**
 * Mailboxes one account record may list. Mailboxes are always-on peers that
 * hold deposits while the account's devices are offline; a handful is plenty,
 * and each one costs the sender a dial attempt.
 */
export const MAX_RECORD_MAILBOXES = 8

/**
 * Largest sealed vault we try to open. A vault holds three keys (~150 bytes
 * of plaintext); 4 KiB leaves room for more secrets and refuses a wrong or
 * hostile file before we parse it.
 */
export const MAX_VAULT_BYTES = 4 * 1024

/**
 * How far ahead of the conversation's clock an incoming message's Lamport
 * clock may be. An honest sender's clock is at most our clock plus the number
 * of its messages we have not received yet; a hostile one could otherwise push
 * the conversation's clock to 2^53 and make it unusable.
 */
export const MAX_CLOCK_JUMP = 1_000_000
