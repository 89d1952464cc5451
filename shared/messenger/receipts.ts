/**
 * Delivery receipts (docs/protocols/dm.md, "Receipts"): an envelope that says
 * "I stored your messages with these ids", signed by the storing account.
 *
 * A sender learns of a delivery from the dm ack. When the message went
 * through a mailbox, the sender may be offline by the time the recipient
 * drains it, so the recipient sends a receipt, directly when a device of the
 * sender is connected, else to the sender's own mailbox. The account key
 * signs it because a mailbox carries it: a mailbox must not be able to mark
 * messages delivered that were not. Marking delivered is idempotent, so a
 * replayed receipt changes nothing.
 */

import { InvalidMessageError } from '@libp2p/interface'
import { signAs, verifySignature } from '../identity/account.ts'
import { encodeDeviceCertificate } from '../identity/device.ts'
import { Envelope, SignedReceipt } from '../protocol/dm/pb/dm.ts'
import { MAX_RECEIPT_IDS, RECEIPT_DOMAIN } from '../protocol/constants.ts'
import { isMessageId, newMessageId } from '../store/index.ts'
import type { UnlockedAccount } from './account.ts'

/** Envelopes that carry receipts for these ids, at most MAX_RECEIPT_IDS ids each. */
export function createReceipts (account: UnlockedAccount, envelopeVersion: number, recipient: Uint8Array, ids: string[]): Envelope[] {
  const envelopes: Envelope[] = []
  for (let i = 0; i < ids.length; i += MAX_RECEIPT_IDS) {
    const chunk = ids.slice(i, i + MAX_RECEIPT_IDS)
    const id = newMessageId()
    const signature = signAs(account.keys, RECEIPT_DOMAIN, SignedReceipt.encode({ recipient: new Uint8Array(recipient), envelopeId: id, ids: chunk }))
    envelopes.push({
      version: envelopeVersion,
      // copies: protons' types want ArrayBuffer-backed arrays
      sender: new Uint8Array(encodeDeviceCertificate(account.certificate)),
      recipient: new Uint8Array(recipient),
      id,
      ratchetHeader: new Uint8Array(0),
      ciphertext: new Uint8Array(0),
      receipt: { ids: chunk, signature: new Uint8Array(signature) }
    })
  }
  return envelopes
}

/**
 * The message ids a receipt names, once its signature by `signerPublicKey`
 * (the account of the envelope's certificate) verifies.
 *
 * @throws InvalidMessageError for a malformed or unsigned receipt
 */
export function verifyReceipt (envelope: Envelope, signerPublicKey: Uint8Array): string[] {
  const receipt = envelope.receipt
  if (receipt == null) {
    throw new InvalidMessageError('Not a receipt')
  }
  if (envelope.ciphertext.byteLength > 0 || envelope.ratchetHeader.byteLength > 0 || envelope.prekey != null) {
    throw new InvalidMessageError('A receipt carries no message')
  }
  if (receipt.ids.length === 0 || receipt.ids.length > MAX_RECEIPT_IDS || !receipt.ids.every(isMessageId)) {
    throw new InvalidMessageError(`A receipt names 1 to ${MAX_RECEIPT_IDS} message ids`)
  }
  const signed = SignedReceipt.encode({ recipient: envelope.recipient, envelopeId: envelope.id, ids: receipt.ids })
  if (!verifySignature(signerPublicKey, RECEIPT_DOMAIN, signed, receipt.signature)) {
    throw new InvalidMessageError('The receipt\'s signature does not verify')
  }
  return [...new Set(receipt.ids)]
}
