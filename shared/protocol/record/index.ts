/**
 * The account record in the DHT: creation, parsing, and the validator and
 * selector that kad-dht runs on every record stored under the `/parley/`
 * namespace. Configure the DHT with
 *
 * ```ts
 * kadDHT({
 *   validators: { [RECORD_NAMESPACE]: validateAccountRecord },
 *   selectors: { [RECORD_NAMESPACE]: selectAccountRecord }
 * })
 * ```
 *
 * kad-dht picks the validator by decoding the key as UTF-8 and taking the
 * text between the first two `/`: for `'/parley/' || 32 binary bytes` that
 * is always `parley`, whatever the binary suffix decodes to
 * (test/unit/record/record.spec.ts runs kad-dht's own helpers to check).
 */

import { InvalidRecordError } from '#shared/errors.ts'
import { parseAccountRecord } from './record.ts'
import type { SelectFn, ValidateFn } from '@libp2p/kad-dht'

export {
  createAccountRecord,
  parseAccountRecord,
  publicKeyFromRecordKey,
  recordKey
} from './record.ts'
export type { AccountRecordInfo, AccountRecordInit } from './record.ts'

/**
 * kad-dht validator for `/parley/<public key>` keys: throws InvalidRecordError
 * unless `value` is a valid record of the account that `key` names.
 */
export const validateAccountRecord: ValidateFn = (key, value) => {
  parseAccountRecord(value, key)
}

/**
 * kad-dht selector: the index of the valid record with the highest seq; the
 * first of them on a tie. Invalid records are skipped.
 *
 * @throws InvalidRecordError if none of the records is valid
 */
export const selectAccountRecord: SelectFn = (key, records) => {
  let best = -1
  let bestSeq = -1n

  records.forEach((value, index) => {
    let seq: bigint
    try {
      seq = parseAccountRecord(value, key).seq
    } catch {
      return
    }

    if (seq > bestSeq) {
      best = index
      bestSeq = seq
    }
  })

  if (best === -1) {
    throw new InvalidRecordError(`None of the ${records.length} account records found is valid`)
  }

  return best
}
