import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface SignedPrekey {
  id: number
  publicKey: Uint8Array<ArrayBuffer>
  createdAt: number
  signature: Uint8Array<ArrayBuffer>
}

export namespace SignedPrekey {
  let _codec: Codec<SignedPrekey>

  export const codec = (): Codec<SignedPrekey> => {
    if (_codec == null) {
      _codec = message<SignedPrekey>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id !== 0)) {
          w.uint32(8)
          w.uint32(obj.id)
        }

        if ((obj.publicKey != null && obj.publicKey.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.publicKey)
        }

        if ((obj.createdAt != null && obj.createdAt !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.createdAt)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: 0,
          publicKey: uint8ArrayAlloc(0),
          createdAt: 0,
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.uint32()
              break
            }
            case 2: {
              obj.publicKey = reader.bytes()
              break
            }
            case 3: {
              obj.createdAt = reader.uint64Number()
              break
            }
            case 4: {
              obj.signature = reader.bytes()
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
                field: `${prefix}.id`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.publicKey`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.createdAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
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

  export interface SignedPrekeyIdFieldEvent {
    field: '$.id'
    value: number
  }

  export interface SignedPrekeyPublicKeyFieldEvent {
    field: '$.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedPrekeyCreatedAtFieldEvent {
    field: '$.createdAt'
    value: number
  }

  export interface SignedPrekeySignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SignedPrekey>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SignedPrekey.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedPrekey>): SignedPrekey {
    return decodeMessage(buf, SignedPrekey.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedPrekey>): Generator<SignedPrekeyIdFieldEvent | SignedPrekeyPublicKeyFieldEvent | SignedPrekeyCreatedAtFieldEvent | SignedPrekeySignatureFieldEvent> {
    return streamMessage(buf, SignedPrekey.codec(), opts)
  }
}

export interface SignedPrekeySecret {
  prekey?: SignedPrekey
  privateKey: Uint8Array<ArrayBuffer>
}

export namespace SignedPrekeySecret {
  let _codec: Codec<SignedPrekeySecret>

  export const codec = (): Codec<SignedPrekeySecret> => {
    if (_codec == null) {
      _codec = message<SignedPrekeySecret>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.prekey != null) {
          w.uint32(10)
          SignedPrekey.codec().encode(obj.prekey, w)
        }

        if ((obj.privateKey != null && obj.privateKey.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.privateKey)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          privateKey: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.prekey = SignedPrekey.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.prekey
              })
              break
            }
            case 2: {
              obj.privateKey = reader.bytes()
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
              yield * SignedPrekey.codec().stream(reader, reader.uint32(), `${prefix}.prekey`, {
                limits: opts.limits?.prekey
              })

              break
            }
            case 2: {
              yield {
                field: `${prefix}.privateKey`,
                value: reader.bytes()
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

  export interface SignedPrekeySecretPrekeyIdFieldEvent {
    field: '$.prekey.id'
    value: number
  }

  export interface SignedPrekeySecretPrekeyPublicKeyFieldEvent {
    field: '$.prekey.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedPrekeySecretPrekeyCreatedAtFieldEvent {
    field: '$.prekey.createdAt'
    value: number
  }

  export interface SignedPrekeySecretPrekeySignatureFieldEvent {
    field: '$.prekey.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedPrekeySecretPrivateKeyFieldEvent {
    field: '$.privateKey'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SignedPrekeySecret>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SignedPrekeySecret.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedPrekeySecret>): SignedPrekeySecret {
    return decodeMessage(buf, SignedPrekeySecret.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedPrekeySecret>): Generator<SignedPrekeySecretPrekeyIdFieldEvent | SignedPrekeySecretPrekeyPublicKeyFieldEvent | SignedPrekeySecretPrekeyCreatedAtFieldEvent | SignedPrekeySecretPrekeySignatureFieldEvent | SignedPrekeySecretPrivateKeyFieldEvent> {
    return streamMessage(buf, SignedPrekeySecret.codec(), opts)
  }
}

export interface RatchetHeader {
  dh: Uint8Array<ArrayBuffer>
  pn: number
  n: number
}

export namespace RatchetHeader {
  let _codec: Codec<RatchetHeader>

  export const codec = (): Codec<RatchetHeader> => {
    if (_codec == null) {
      _codec = message<RatchetHeader>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.dh != null && obj.dh.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.dh)
        }

        if ((obj.pn != null && obj.pn !== 0)) {
          w.uint32(16)
          w.uint32(obj.pn)
        }

        if ((obj.n != null && obj.n !== 0)) {
          w.uint32(24)
          w.uint32(obj.n)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          dh: uint8ArrayAlloc(0),
          pn: 0,
          n: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.dh = reader.bytes()
              break
            }
            case 2: {
              obj.pn = reader.uint32()
              break
            }
            case 3: {
              obj.n = reader.uint32()
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
                field: `${prefix}.dh`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.pn`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.n`,
                value: reader.uint32()
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

  export interface RatchetHeaderDhFieldEvent {
    field: '$.dh'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RatchetHeaderPnFieldEvent {
    field: '$.pn'
    value: number
  }

  export interface RatchetHeaderNFieldEvent {
    field: '$.n'
    value: number
  }

  export function encode (obj: Partial<RatchetHeader>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RatchetHeader.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RatchetHeader>): RatchetHeader {
    return decodeMessage(buf, RatchetHeader.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RatchetHeader>): Generator<RatchetHeaderDhFieldEvent | RatchetHeaderPnFieldEvent | RatchetHeaderNFieldEvent> {
    return streamMessage(buf, RatchetHeader.codec(), opts)
  }
}

export interface SkippedMessageKey {
  dh: Uint8Array<ArrayBuffer>
  n: number
  messageKey: Uint8Array<ArrayBuffer>
}

export namespace SkippedMessageKey {
  let _codec: Codec<SkippedMessageKey>

  export const codec = (): Codec<SkippedMessageKey> => {
    if (_codec == null) {
      _codec = message<SkippedMessageKey>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.dh != null && obj.dh.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.dh)
        }

        if ((obj.n != null && obj.n !== 0)) {
          w.uint32(16)
          w.uint32(obj.n)
        }

        if ((obj.messageKey != null && obj.messageKey.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.messageKey)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          dh: uint8ArrayAlloc(0),
          n: 0,
          messageKey: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.dh = reader.bytes()
              break
            }
            case 2: {
              obj.n = reader.uint32()
              break
            }
            case 3: {
              obj.messageKey = reader.bytes()
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
                field: `${prefix}.dh`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.n`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.messageKey`,
                value: reader.bytes()
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

  export interface SkippedMessageKeyDhFieldEvent {
    field: '$.dh'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SkippedMessageKeyNFieldEvent {
    field: '$.n'
    value: number
  }

  export interface SkippedMessageKeyMessageKeyFieldEvent {
    field: '$.messageKey'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SkippedMessageKey>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SkippedMessageKey.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SkippedMessageKey>): SkippedMessageKey {
    return decodeMessage(buf, SkippedMessageKey.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SkippedMessageKey>): Generator<SkippedMessageKeyDhFieldEvent | SkippedMessageKeyNFieldEvent | SkippedMessageKeyMessageKeyFieldEvent> {
    return streamMessage(buf, SkippedMessageKey.codec(), opts)
  }
}

export interface RatchetStateRecord {
  version: number
  sendingPrivateKey: Uint8Array<ArrayBuffer>
  sendingPublicKey: Uint8Array<ArrayBuffer>
  receivingPublicKey?: Uint8Array<ArrayBuffer>
  rootKey: Uint8Array<ArrayBuffer>
  sendingChainKey?: Uint8Array<ArrayBuffer>
  receivingChainKey?: Uint8Array<ArrayBuffer>
  sendingN: number
  receivingN: number
  previousSendingN: number
  skipped: SkippedMessageKey[]
  associatedData: Uint8Array<ArrayBuffer>
}

export namespace RatchetStateRecord {
  let _codec: Codec<RatchetStateRecord>

  export const codec = (): Codec<RatchetStateRecord> => {
    if (_codec == null) {
      _codec = message<RatchetStateRecord>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.sendingPrivateKey != null && obj.sendingPrivateKey.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.sendingPrivateKey)
        }

        if ((obj.sendingPublicKey != null && obj.sendingPublicKey.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.sendingPublicKey)
        }

        if (obj.receivingPublicKey != null) {
          w.uint32(34)
          w.bytes(obj.receivingPublicKey)
        }

        if ((obj.rootKey != null && obj.rootKey.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.rootKey)
        }

        if (obj.sendingChainKey != null) {
          w.uint32(50)
          w.bytes(obj.sendingChainKey)
        }

        if (obj.receivingChainKey != null) {
          w.uint32(58)
          w.bytes(obj.receivingChainKey)
        }

        if ((obj.sendingN != null && obj.sendingN !== 0)) {
          w.uint32(64)
          w.uint32(obj.sendingN)
        }

        if ((obj.receivingN != null && obj.receivingN !== 0)) {
          w.uint32(72)
          w.uint32(obj.receivingN)
        }

        if ((obj.previousSendingN != null && obj.previousSendingN !== 0)) {
          w.uint32(80)
          w.uint32(obj.previousSendingN)
        }

        if (obj.skipped != null && obj.skipped.length > 0) {
          for (const value of obj.skipped) {
            w.uint32(90)
            SkippedMessageKey.codec().encode(value, w)
          }
        }

        if ((obj.associatedData != null && obj.associatedData.byteLength > 0)) {
          w.uint32(98)
          w.bytes(obj.associatedData)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          sendingPrivateKey: uint8ArrayAlloc(0),
          sendingPublicKey: uint8ArrayAlloc(0),
          rootKey: uint8ArrayAlloc(0),
          sendingN: 0,
          receivingN: 0,
          previousSendingN: 0,
          skipped: [],
          associatedData: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.version = reader.uint32()
              break
            }
            case 2: {
              obj.sendingPrivateKey = reader.bytes()
              break
            }
            case 3: {
              obj.sendingPublicKey = reader.bytes()
              break
            }
            case 4: {
              obj.receivingPublicKey = reader.bytes()
              break
            }
            case 5: {
              obj.rootKey = reader.bytes()
              break
            }
            case 6: {
              obj.sendingChainKey = reader.bytes()
              break
            }
            case 7: {
              obj.receivingChainKey = reader.bytes()
              break
            }
            case 8: {
              obj.sendingN = reader.uint32()
              break
            }
            case 9: {
              obj.receivingN = reader.uint32()
              break
            }
            case 10: {
              obj.previousSendingN = reader.uint32()
              break
            }
            case 11: {
              if (opts.limits?.skipped != null && obj.skipped.length === opts.limits.skipped) {
                throw new MaxLengthError('Decode error - repeated field "skipped" had too many elements')
              }

              obj.skipped.push(SkippedMessageKey.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.skipped$
              }))
              break
            }
            case 12: {
              obj.associatedData = reader.bytes()
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
          skipped: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.version`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.sendingPrivateKey`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.sendingPublicKey`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.receivingPublicKey`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.rootKey`,
                value: reader.bytes()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.sendingChainKey`,
                value: reader.bytes()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.receivingChainKey`,
                value: reader.bytes()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.sendingN`,
                value: reader.uint32()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.receivingN`,
                value: reader.uint32()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.previousSendingN`,
                value: reader.uint32()
              }
              break
            }
            case 11: {
              if (opts.limits?.skipped != null && obj.skipped === opts.limits.skipped) {
                throw new MaxLengthError('Streaming decode error - repeated field "skipped" had too many elements')
              }

              for (const evt of SkippedMessageKey.codec().stream(reader, reader.uint32(), `${prefix}.skipped[]`, {
                limits: opts.limits?.skipped$
              })) {
                yield {
                  ...evt,
                  index: obj.skipped
                }
              }

              obj.skipped++

              break
            }
            case 12: {
              yield {
                field: `${prefix}.associatedData`,
                value: reader.bytes()
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

  export interface RatchetStateRecordVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface RatchetStateRecordSendingPrivateKeyFieldEvent {
    field: '$.sendingPrivateKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RatchetStateRecordSendingPublicKeyFieldEvent {
    field: '$.sendingPublicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RatchetStateRecordReceivingPublicKeyFieldEvent {
    field: '$.receivingPublicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RatchetStateRecordRootKeyFieldEvent {
    field: '$.rootKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RatchetStateRecordSendingChainKeyFieldEvent {
    field: '$.sendingChainKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RatchetStateRecordReceivingChainKeyFieldEvent {
    field: '$.receivingChainKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RatchetStateRecordSendingNFieldEvent {
    field: '$.sendingN'
    value: number
  }

  export interface RatchetStateRecordReceivingNFieldEvent {
    field: '$.receivingN'
    value: number
  }

  export interface RatchetStateRecordPreviousSendingNFieldEvent {
    field: '$.previousSendingN'
    value: number
  }

  export interface RatchetStateRecordSkippedDhFieldEvent {
    field: '$.skipped[].dh'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RatchetStateRecordSkippedNFieldEvent {
    field: '$.skipped[].n'
    value: number
    index: number
  }

  export interface RatchetStateRecordSkippedMessageKeyFieldEvent {
    field: '$.skipped[].messageKey'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RatchetStateRecordAssociatedDataFieldEvent {
    field: '$.associatedData'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<RatchetStateRecord>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RatchetStateRecord.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RatchetStateRecord>): RatchetStateRecord {
    return decodeMessage(buf, RatchetStateRecord.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RatchetStateRecord>): Generator<RatchetStateRecordVersionFieldEvent | RatchetStateRecordSendingPrivateKeyFieldEvent | RatchetStateRecordSendingPublicKeyFieldEvent | RatchetStateRecordReceivingPublicKeyFieldEvent | RatchetStateRecordRootKeyFieldEvent | RatchetStateRecordSendingChainKeyFieldEvent | RatchetStateRecordReceivingChainKeyFieldEvent | RatchetStateRecordSendingNFieldEvent | RatchetStateRecordReceivingNFieldEvent | RatchetStateRecordPreviousSendingNFieldEvent | RatchetStateRecordSkippedDhFieldEvent | RatchetStateRecordSkippedNFieldEvent | RatchetStateRecordSkippedMessageKeyFieldEvent | RatchetStateRecordAssociatedDataFieldEvent> {
    return streamMessage(buf, RatchetStateRecord.codec(), opts)
  }
}
