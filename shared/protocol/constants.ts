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

/**
 * Message requests (strangers' first messages) a device keeps waiting for the
 * user's accept or block, and unread messages it stores from one request.
 * Accounts cost nothing to make: without these a stranger, or many, could
 * fill a device's store. Beyond them a stranger's message is answered REFUSED
 * (it stays queued at its sender). Accepting, blocking or reading a request
 * makes room.
 */
export const MAX_PENDING_REQUESTS = 100
export const MAX_REQUEST_UNREAD = 50

/**
 * End-to-end encryption (docs/protocols/e2e.md). Domains and KDF info strings
 * carry a `/v1`: a change to what they cover gets a new string, never a
 * reinterpretation of old bytes.
 */

/** Domain of a signed prekey's signature by the account key. */
export const SIGNED_PREKEY_DOMAIN = 'parley/signed-prekey/v1'

/** HKDF info of the X3DH-style session start (the SK it outputs). */
export const X3DH_INFO = 'parley/x3dh/v1'

/** HKDF info of the Double Ratchet's root-key step, KDF_RK. */
export const RATCHET_ROOT_INFO = 'parley/ratchet/rk/v1'

/** HKDF info that turns a message key into an AEAD key and nonce. */
export const RATCHET_MESSAGE_INFO = 'parley/ratchet/msg/v1'

/** Domain of the associated data of records sealed at rest (seal.ts). */
export const AT_REST_DOMAIN = 'parley/at-rest/v1'

/** HKDF info deriving the at-rest sealing key from the vault's storage key. */
export const AT_REST_KEY_INFO = 'parley/at-rest/key/v1'

/**
 * A signed prekey is replaced after 7 days (Signal rotates weekly to monthly).
 * First messages get forward secrecy only once the prekey's private key is
 * deleted, so a shorter life limits what a later theft of it exposes; much
 * shorter and a sender holding an old account record fails more often.
 */
export const SIGNED_PREKEY_ROTATION_MS = 7 * 24 * 60 * 60 * 1000

/**
 * A replaced prekey still opens first messages for 30 days: a sender may hold
 * an account record or invite from before the rotation (DHT values live 48 h,
 * invites and mailbox deposits much longer). After that its private key is
 * deleted.
 */
export const SIGNED_PREKEY_GRACE_MS = 30 * 24 * 60 * 60 * 1000

/** An encoded SignedPrekey is ~110 bytes; refuse anything much bigger before parsing. */
export const MAX_SIGNED_PREKEY_BYTES = 192

/**
 * Most message keys one incoming message may make us skip in one chain (the
 * Double Ratchet's MAX_SKIP). Messages arrive out of order or late when a
 * sender's outbox retries; a thousand in flight is far more than a chat needs,
 * and each skipped key costs an HMAC before the message is authenticated.
 */
export const RATCHET_MAX_SKIP = 1000

/**
 * Most skipped-message keys a session keeps in total, across chains; beyond
 * this the oldest are dropped (those messages can no longer be read). Bounds
 * a session's stored state (~70 bytes a key) whatever the peer sends.
 */
export const RATCHET_MAX_SKIPPED_KEYS = 2000

/** An encoded ratchet header is at most 46 bytes (32-byte key, two uint32s). */
export const MAX_RATCHET_HEADER_BYTES = 64

/** An encoded ratchet state: ~200 bytes plus ~75 per skipped key, so under 160 KiB. */
export const MAX_RATCHET_STATE_BYTES = 256 * 1024

/**
 * Largest secret the store keeps under one name (`putSecret`): one's own
 * signed prekeys with their private keys are ~150 bytes each, so 64 KiB holds
 * any list of them (current plus grace-period ones) and refuses a runaway write.
 */
export const MAX_STORED_SECRET_BYTES = 64 * 1024

/**
 * Mailboxes (docs/protocols/mailbox.md): an always-on peer holds end-to-end
 * encrypted envelopes for the accounts paired with it while none of their
 * devices is online.
 */
export const MAILBOX_PROTOCOL = '/parley/mailbox/1.0.0'

/**
 * Domain of the account's signature in a PAIR request. It covers the
 * mailbox's peer id (multihash bytes, self-delimiting) followed by the code's
 * secret, so a signature made to pair with one mailbox cannot pair with
 * another, nor with the same mailbox under another code.
 */
export const MAILBOX_PAIR_DOMAIN = 'parley/mailbox-pair/v1'

/** Delivery receipts (shared/messenger/receipts.ts): an account says it stored these messages. */
export const RECEIPT_DOMAIN = 'parley/receipt/v1'

/**
 * Message ids one receipt names at most: 512 ids of 26 characters keep the
 * envelope near 15 KiB, well inside a dm frame and a mailbox deposit.
 */
export const MAX_RECEIPT_IDS = 512

/** Text form of a pairing code: this prefix, then the base32 of a PairingCode. */
export const MAILBOX_CODE_PREFIX = 'parley-mailbox:'

/**
 * Secret bytes in a pairing code: 128 bits from crypto.getRandomValues, so a
 * guess succeeds with probability 2^-128 even before the rate limit.
 */
export const MAILBOX_CODE_SECRET_BYTES = 16

/**
 * A pairing code is single-use and expires after 10 minutes: long enough to
 * copy it to a phone or scan it, short enough that a code left in a chat log
 * or a screenshot is useless soon after.
 */
export const MAILBOX_CODE_TTL_MS = 10 * 60 * 1000

/** A pairing code's text, at most (a peer id, the secret and a few addresses fit in ~600). */
export const MAX_MAILBOX_CODE_CHARS = 4096

/**
 * Failed PAIR attempts allowed from one peer in MAILBOX_PAIR_WINDOW_MS; more
 * are answered RATE_LIMITED without checking anything. An honest user
 * mistypes a code a few times at most.
 */
export const MAILBOX_PAIR_FAILURES_PER_PEER = 5

/**
 * Failed PAIR attempts allowed from all peers together in
 * MAILBOX_PAIR_WINDOW_MS. Peer ids cost nothing to make, so the per-peer limit
 * alone does not bound the signature checks a flood of fresh peers causes.
 */
export const MAILBOX_PAIR_FAILURES_TOTAL = 60

/** The sliding window of both pairing rate limits. */
export const MAILBOX_PAIR_WINDOW_MS = 10 * 60 * 1000

/**
 * How long a mailbox holds an envelope nobody drained: 30 days, the signed
 * prekey's grace period (SIGNED_PREKEY_GRACE_MS), after which a first message
 * could no longer be decrypted anyway. Expiry goes oldest first.
 */
export const MAILBOX_RETENTION_MS = 30 * 24 * 60 * 60 * 1000

/**
 * Largest request frame: twice the largest envelope, so a deposit just over
 * the envelope limit is still read and answered TOO_LARGE (which the sender
 * can show), while anything bigger resets the stream, as in dm.
 */
export const MAX_MAILBOX_REQUEST_BYTES = 2 * MAX_DM_FRAME_BYTES

/**
 * Bytes of envelopes in one drain page: large enough that 10,000 queued
 * messages take a few dozen round trips, small enough to buffer. A device on
 * a relayed (data-limited) connection asks for smaller pages.
 */
export const MAILBOX_PAGE_BYTES = 1024 * 1024

/** Envelopes in one drain page, at most: bounds the per-item work of one response. */
export const MAILBOX_PAGE_ITEMS = 1000

/** Largest response frame: a full page plus the per-item framing around it. */
export const MAX_MAILBOX_RESPONSE_BYTES = MAILBOX_PAGE_BYTES + 64 * 1024

/** Message ids in one ACK request, at most: one page's worth. */
export const MAX_MAILBOX_ACK_IDS = MAILBOX_PAGE_ITEMS

/**
 * Longest a DRAIN may wait for mail to arrive when nothing is held (a long
 * poll, so an online device gets deposits at once). Under the 60 s idle
 * timeouts of common NATs and proxies.
 */
export const MAILBOX_MAX_WAIT_MS = 30_000

/**
 * Requests one mailbox stream may have unanswered. Senders pipeline deposits;
 * the mailbox answers them one at a time, in order.
 */
export const MAILBOX_WINDOW = 32

/**
 * Default quotas. A heavy chat user gets ~1,000 messages a day of ~1 KiB
 * each: 30 MiB in the 30-day retention, so an account's 128 MiB is about four
 * months of it, and 50,000 items leave room for many small ones. One sender
 * may fill at most a quarter of that (per sender, across the accounts held
 * here), so one noisy contact cannot fill a recipient's mailbox. Sender
 * identities cost nothing, so per-sender quotas alone do not stop a hostile
 * stranger with a few fresh ones: the strangers' pool below does, for
 * accounts that sent their contact list (docs/protocols/mailbox.md,
 * "Security notes").
 * The total bounds the disk a daemon owner gives to friends.
 */
export const MAILBOX_ACCOUNT_QUOTA_BYTES = 128 * 1024 * 1024
export const MAILBOX_ACCOUNT_QUOTA_ITEMS = 50_000
export const MAILBOX_SENDER_QUOTA_BYTES = 32 * 1024 * 1024
export const MAILBOX_SENDER_QUOTA_ITEMS = 20_000
export const MAILBOX_TOTAL_QUOTA_BYTES = 1024 * 1024 * 1024

/**
 * The strangers' pool: once an account told its mailbox who its contacts are
 * (CONTACTS request), deposits from every other sender — fresh peer ids and
 * accounts cost nothing — share this fraction of the account's items and
 * bytes (1/8: 16 MiB / 6,250 envelopes by default), so a flood of fresh
 * identities is refused QUOTA_EXCEEDED while contacts keep 7/8 of the share.
 * Enough for the first messages of people who are not contacts yet.
 */
export const MAILBOX_STRANGER_SHARE_DIVISOR = 8

/**
 * Contacts in one CONTACTS request, at most: far more than a person keeps,
 * and 2,000 keys of 32 bytes (34 with their protobuf framing, 68 KB) plus a
 * device certificate stay well inside MAX_MAILBOX_REQUEST_BYTES (128 KiB).
 */
export const MAILBOX_MAX_CONTACTS = 2000
