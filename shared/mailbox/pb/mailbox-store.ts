import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface MailboxCounter {
  value: number
}

export namespace MailboxCounter {
  let _codec: Codec<MailboxCounter>

  export const codec = (): Codec<MailboxCounter> => {
    if (_codec == null) {
      _codec = message<MailboxCounter>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.value != null && obj.value !== 0)) {
          w.uint32(8)
          w.uint64Number(obj.value)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          value: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.value = reader.uint64Number()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.value`,
                value: reader.uint64Number()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface MailboxCounterValueFieldEvent {
    field: '$.value'
    value: number
  }

  export function encode (obj: Partial<MailboxCounter>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, MailboxCounter.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MailboxCounter>): MailboxCounter {
    return decodeMessage(buf, MailboxCounter.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MailboxCounter>): Generator<MailboxCounterValueFieldEvent> {
    return streamMessage(buf, MailboxCounter.codec(), opts)
  }
}

export interface PairedAccount {
  publicKey: Uint8Array<ArrayBuffer>
  pairedAt: number
  items: number
  bytes: number
  lastDepositAt: number
  strangerItems: number
  strangerBytes: number
}

export namespace PairedAccount {
  let _codec: Codec<PairedAccount>

  export const codec = (): Codec<PairedAccount> => {
    if (_codec == null) {
      _codec = message<PairedAccount>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.publicKey != null && obj.publicKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.publicKey)
        }

        if ((obj.pairedAt != null && obj.pairedAt !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.pairedAt)
        }

        if ((obj.items != null && obj.items !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.items)
        }

        if ((obj.bytes != null && obj.bytes !== 0)) {
          w.uint32(32)
          w.uint64Number(obj.bytes)
        }

        if ((obj.lastDepositAt != null && obj.lastDepositAt !== 0)) {
          w.uint32(40)
          w.uint64Number(obj.lastDepositAt)
        }

        if ((obj.strangerItems != null && obj.strangerItems !== 0)) {
          w.uint32(48)
          w.uint64Number(obj.strangerItems)
        }

        if ((obj.strangerBytes != null && obj.strangerBytes !== 0)) {
          w.uint32(56)
          w.uint64Number(obj.strangerBytes)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          publicKey: uint8ArrayAlloc(0),
          pairedAt: 0,
          items: 0,
          bytes: 0,
          lastDepositAt: 0,
          strangerItems: 0,
          strangerBytes: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.publicKey = reader.bytes()
              break
            }
            case 2: {
              obj.pairedAt = reader.uint64Number()
              break
            }
            case 3: {
              obj.items = reader.uint64Number()
              break
            }
            case 4: {
              obj.bytes = reader.uint64Number()
              break
            }
            case 5: {
              obj.lastDepositAt = reader.uint64Number()
              break
            }
            case 6: {
              obj.strangerItems = reader.uint64Number()
              break
            }
            case 7: {
              obj.strangerBytes = reader.uint64Number()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.publicKey`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.pairedAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.items`,
                value: reader.uint64Number()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.bytes`,
                value: reader.uint64Number()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.lastDepositAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.strangerItems`,
                value: reader.uint64Number()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.strangerBytes`,
                value: reader.uint64Number()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PairedAccountPublicKeyFieldEvent {
    field: '$.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PairedAccountPairedAtFieldEvent {
    field: '$.pairedAt'
    value: number
  }

  export interface PairedAccountItemsFieldEvent {
    field: '$.items'
    value: number
  }

  export interface PairedAccountBytesFieldEvent {
    field: '$.bytes'
    value: number
  }

  export interface PairedAccountLastDepositAtFieldEvent {
    field: '$.lastDepositAt'
    value: number
  }

  export interface PairedAccountStrangerItemsFieldEvent {
    field: '$.strangerItems'
    value: number
  }

  export interface PairedAccountStrangerBytesFieldEvent {
    field: '$.strangerBytes'
    value: number
  }

  export function encode (obj: Partial<PairedAccount>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PairedAccount.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PairedAccount>): PairedAccount {
    return decodeMessage(buf, PairedAccount.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PairedAccount>): Generator<PairedAccountPublicKeyFieldEvent | PairedAccountPairedAtFieldEvent | PairedAccountItemsFieldEvent | PairedAccountBytesFieldEvent | PairedAccountLastDepositAtFieldEvent | PairedAccountStrangerItemsFieldEvent | PairedAccountStrangerBytesFieldEvent> {
    return streamMessage(buf, PairedAccount.codec(), opts)
  }
}

export interface HeldEnvelope {
  messageId: string
  envelope: Uint8Array<ArrayBuffer>
  sender: string
  depositedAt: number
  stranger: boolean
}

export namespace HeldEnvelope {
  let _codec: Codec<HeldEnvelope>

  export const codec = (): Codec<HeldEnvelope> => {
    if (_codec == null) {
      _codec = message<HeldEnvelope>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.messageId != null && obj.messageId !== '')) {
          w.uint32(10)
          w.string(obj.messageId)
        }

        if ((obj.envelope != null && obj.envelope.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.envelope)
        }

        if ((obj.sender != null && obj.sender !== '')) {
          w.uint32(26)
          w.string(obj.sender)
        }

        if ((obj.depositedAt != null && obj.depositedAt !== 0)) {
          w.uint32(32)
          w.uint64Number(obj.depositedAt)
        }

        if ((obj.stranger != null && obj.stranger !== false)) {
          w.uint32(40)
          w.bool(obj.stranger)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          messageId: '',
          envelope: uint8ArrayAlloc(0),
          sender: '',
          depositedAt: 0,
          stranger: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.messageId = reader.string()
              break
            }
            case 2: {
              obj.envelope = reader.bytes()
              break
            }
            case 3: {
              obj.sender = reader.string()
              break
            }
            case 4: {
              obj.depositedAt = reader.uint64Number()
              break
            }
            case 5: {
              obj.stranger = reader.bool()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.messageId`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.envelope`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.sender`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.depositedAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.stranger`,
                value: reader.bool()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface HeldEnvelopeMessageIdFieldEvent {
    field: '$.messageId'
    value: string
  }

  export interface HeldEnvelopeEnvelopeFieldEvent {
    field: '$.envelope'
    value: Uint8Array<ArrayBuffer>
  }

  export interface HeldEnvelopeSenderFieldEvent {
    field: '$.sender'
    value: string
  }

  export interface HeldEnvelopeDepositedAtFieldEvent {
    field: '$.depositedAt'
    value: number
  }

  export interface HeldEnvelopeStrangerFieldEvent {
    field: '$.stranger'
    value: boolean
  }

  export function encode (obj: Partial<HeldEnvelope>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, HeldEnvelope.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HeldEnvelope>): HeldEnvelope {
    return decodeMessage(buf, HeldEnvelope.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HeldEnvelope>): Generator<HeldEnvelopeMessageIdFieldEvent | HeldEnvelopeEnvelopeFieldEvent | HeldEnvelopeSenderFieldEvent | HeldEnvelopeDepositedAtFieldEvent | HeldEnvelopeStrangerFieldEvent> {
    return streamMessage(buf, HeldEnvelope.codec(), opts)
  }
}

export interface HeldId {
  seq: number
  ackedAt: number
  sender?: string
  size?: number
  stranger: boolean
}

export namespace HeldId {
  let _codec: Codec<HeldId>

  export const codec = (): Codec<HeldId> => {
    if (_codec == null) {
      _codec = message<HeldId>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.seq != null && obj.seq !== 0)) {
          w.uint32(8)
          w.uint64Number(obj.seq)
        }

        if ((obj.ackedAt != null && obj.ackedAt !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.ackedAt)
        }

        if (obj.sender != null) {
          w.uint32(26)
          w.string(obj.sender)
        }

        if (obj.size != null) {
          w.uint32(32)
          w.uint64Number(obj.size)
        }

        if ((obj.stranger != null && obj.stranger !== false)) {
          w.uint32(40)
          w.bool(obj.stranger)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          seq: 0,
          ackedAt: 0,
          stranger: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.seq = reader.uint64Number()
              break
            }
            case 2: {
              obj.ackedAt = reader.uint64Number()
              break
            }
            case 3: {
              obj.sender = reader.string()
              break
            }
            case 4: {
              obj.size = reader.uint64Number()
              break
            }
            case 5: {
              obj.stranger = reader.bool()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.seq`,
                value: reader.uint64Number()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.ackedAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.sender`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.size`,
                value: reader.uint64Number()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.stranger`,
                value: reader.bool()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface HeldIdSeqFieldEvent {
    field: '$.seq'
    value: number
  }

  export interface HeldIdAckedAtFieldEvent {
    field: '$.ackedAt'
    value: number
  }

  export interface HeldIdSenderFieldEvent {
    field: '$.sender'
    value: string
  }

  export interface HeldIdSizeFieldEvent {
    field: '$.size'
    value: number
  }

  export interface HeldIdStrangerFieldEvent {
    field: '$.stranger'
    value: boolean
  }

  export function encode (obj: Partial<HeldId>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, HeldId.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HeldId>): HeldId {
    return decodeMessage(buf, HeldId.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HeldId>): Generator<HeldIdSeqFieldEvent | HeldIdAckedAtFieldEvent | HeldIdSenderFieldEvent | HeldIdSizeFieldEvent | HeldIdStrangerFieldEvent> {
    return streamMessage(buf, HeldId.codec(), opts)
  }
}

export interface OrderEntry {
  accountId: string
  messageId: string
  depositedAt: number
  acked: boolean
}

export namespace OrderEntry {
  let _codec: Codec<OrderEntry>

  export const codec = (): Codec<OrderEntry> => {
    if (_codec == null) {
      _codec = message<OrderEntry>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.accountId != null && obj.accountId !== '')) {
          w.uint32(10)
          w.string(obj.accountId)
        }

        if ((obj.messageId != null && obj.messageId !== '')) {
          w.uint32(18)
          w.string(obj.messageId)
        }

        if ((obj.depositedAt != null && obj.depositedAt !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.depositedAt)
        }

        if ((obj.acked != null && obj.acked !== false)) {
          w.uint32(32)
          w.bool(obj.acked)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          accountId: '',
          messageId: '',
          depositedAt: 0,
          acked: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.accountId = reader.string()
              break
            }
            case 2: {
              obj.messageId = reader.string()
              break
            }
            case 3: {
              obj.depositedAt = reader.uint64Number()
              break
            }
            case 4: {
              obj.acked = reader.bool()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.accountId`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.messageId`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.depositedAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.acked`,
                value: reader.bool()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface OrderEntryAccountIdFieldEvent {
    field: '$.accountId'
    value: string
  }

  export interface OrderEntryMessageIdFieldEvent {
    field: '$.messageId'
    value: string
  }

  export interface OrderEntryDepositedAtFieldEvent {
    field: '$.depositedAt'
    value: number
  }

  export interface OrderEntryAckedFieldEvent {
    field: '$.acked'
    value: boolean
  }

  export function encode (obj: Partial<OrderEntry>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, OrderEntry.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OrderEntry>): OrderEntry {
    return decodeMessage(buf, OrderEntry.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OrderEntry>): Generator<OrderEntryAccountIdFieldEvent | OrderEntryMessageIdFieldEvent | OrderEntryDepositedAtFieldEvent | OrderEntryAckedFieldEvent> {
    return streamMessage(buf, OrderEntry.codec(), opts)
  }
}

export interface SenderUsage {
  items: number
  bytes: number
}

export namespace SenderUsage {
  let _codec: Codec<SenderUsage>

  export const codec = (): Codec<SenderUsage> => {
    if (_codec == null) {
      _codec = message<SenderUsage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.items != null && obj.items !== 0)) {
          w.uint32(8)
          w.uint64Number(obj.items)
        }

        if ((obj.bytes != null && obj.bytes !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.bytes)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          items: 0,
          bytes: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.items = reader.uint64Number()
              break
            }
            case 2: {
              obj.bytes = reader.uint64Number()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.items`,
                value: reader.uint64Number()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.bytes`,
                value: reader.uint64Number()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SenderUsageItemsFieldEvent {
    field: '$.items'
    value: number
  }

  export interface SenderUsageBytesFieldEvent {
    field: '$.bytes'
    value: number
  }

  export function encode (obj: Partial<SenderUsage>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SenderUsage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SenderUsage>): SenderUsage {
    return decodeMessage(buf, SenderUsage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SenderUsage>): Generator<SenderUsageItemsFieldEvent | SenderUsageBytesFieldEvent> {
    return streamMessage(buf, SenderUsage.codec(), opts)
  }
}

export interface ContactList {
  accounts: string[]
  updatedAt: number
}

export namespace ContactList {
  let _codec: Codec<ContactList>

  export const codec = (): Codec<ContactList> => {
    if (_codec == null) {
      _codec = message<ContactList>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.accounts != null && obj.accounts.length > 0) {
          for (const value of obj.accounts) {
            w.uint32(10)
            w.string(value)
          }
        }

        if ((obj.updatedAt != null && obj.updatedAt !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.updatedAt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          accounts: [],
          updatedAt: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.accounts != null && obj.accounts.length === opts.limits.accounts) {
                throw new MaxLengthError('Decode error - repeated field "accounts" had too many elements')
              }

              obj.accounts.push(reader.string())
              break
            }
            case 2: {
              obj.updatedAt = reader.uint64Number()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          accounts: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.accounts != null && obj.accounts === opts.limits.accounts) {
                throw new MaxLengthError('Streaming decode error - repeated field "accounts" had too many elements')
              }

              yield {
                field: `${prefix}.accounts[]`,
                index: obj.accounts,
                value: reader.string()
              }

              obj.accounts++

              break
            }
            case 2: {
              yield {
                field: `${prefix}.updatedAt`,
                value: reader.uint64Number()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ContactListAccountsFieldEvent {
    field: '$.accounts[]'
    index: number
    value: string
  }

  export interface ContactListUpdatedAtFieldEvent {
    field: '$.updatedAt'
    value: number
  }

  export function encode (obj: Partial<ContactList>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ContactList.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ContactList>): ContactList {
    return decodeMessage(buf, ContactList.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ContactList>): Generator<ContactListAccountsFieldEvent | ContactListUpdatedAtFieldEvent> {
    return streamMessage(buf, ContactList.codec(), opts)
  }
}

export interface DeviceRecord {
  lastDrainAt: number
  lastAckAt: number
  acked: number
}

export namespace DeviceRecord {
  let _codec: Codec<DeviceRecord>

  export const codec = (): Codec<DeviceRecord> => {
    if (_codec == null) {
      _codec = message<DeviceRecord>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.lastDrainAt != null && obj.lastDrainAt !== 0)) {
          w.uint32(8)
          w.uint64Number(obj.lastDrainAt)
        }

        if ((obj.lastAckAt != null && obj.lastAckAt !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.lastAckAt)
        }

        if ((obj.acked != null && obj.acked !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.acked)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          lastDrainAt: 0,
          lastAckAt: 0,
          acked: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.lastDrainAt = reader.uint64Number()
              break
            }
            case 2: {
              obj.lastAckAt = reader.uint64Number()
              break
            }
            case 3: {
              obj.acked = reader.uint64Number()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.lastDrainAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.lastAckAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.acked`,
                value: reader.uint64Number()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface DeviceRecordLastDrainAtFieldEvent {
    field: '$.lastDrainAt'
    value: number
  }

  export interface DeviceRecordLastAckAtFieldEvent {
    field: '$.lastAckAt'
    value: number
  }

  export interface DeviceRecordAckedFieldEvent {
    field: '$.acked'
    value: number
  }

  export function encode (obj: Partial<DeviceRecord>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DeviceRecord.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceRecord>): DeviceRecord {
    return decodeMessage(buf, DeviceRecord.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceRecord>): Generator<DeviceRecordLastDrainAtFieldEvent | DeviceRecordLastAckAtFieldEvent | DeviceRecordAckedFieldEvent> {
    return streamMessage(buf, DeviceRecord.codec(), opts)
  }
}

export interface CodeRecord {
  createdAt: number
  expiresAt: number
  usedAt: number
  usedBy: string
}

export namespace CodeRecord {
  let _codec: Codec<CodeRecord>

  export const codec = (): Codec<CodeRecord> => {
    if (_codec == null) {
      _codec = message<CodeRecord>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.createdAt != null && obj.createdAt !== 0)) {
          w.uint32(8)
          w.uint64Number(obj.createdAt)
        }

        if ((obj.expiresAt != null && obj.expiresAt !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.expiresAt)
        }

        if ((obj.usedAt != null && obj.usedAt !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.usedAt)
        }

        if ((obj.usedBy != null && obj.usedBy !== '')) {
          w.uint32(34)
          w.string(obj.usedBy)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          createdAt: 0,
          expiresAt: 0,
          usedAt: 0,
          usedBy: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.createdAt = reader.uint64Number()
              break
            }
            case 2: {
              obj.expiresAt = reader.uint64Number()
              break
            }
            case 3: {
              obj.usedAt = reader.uint64Number()
              break
            }
            case 4: {
              obj.usedBy = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.createdAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.expiresAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.usedAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.usedBy`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface CodeRecordCreatedAtFieldEvent {
    field: '$.createdAt'
    value: number
  }

  export interface CodeRecordExpiresAtFieldEvent {
    field: '$.expiresAt'
    value: number
  }

  export interface CodeRecordUsedAtFieldEvent {
    field: '$.usedAt'
    value: number
  }

  export interface CodeRecordUsedByFieldEvent {
    field: '$.usedBy'
    value: string
  }

  export function encode (obj: Partial<CodeRecord>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CodeRecord.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CodeRecord>): CodeRecord {
    return decodeMessage(buf, CodeRecord.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CodeRecord>): Generator<CodeRecordCreatedAtFieldEvent | CodeRecordExpiresAtFieldEvent | CodeRecordUsedAtFieldEvent | CodeRecordUsedByFieldEvent> {
    return streamMessage(buf, CodeRecord.codec(), opts)
  }
}
