import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface Envelope {
  version: number
  sender: Uint8Array<ArrayBuffer>
  recipient: Uint8Array<ArrayBuffer>
  id: string
  ratchetHeader: Uint8Array<ArrayBuffer>
  ciphertext: Uint8Array<ArrayBuffer>
  prekey?: PrekeyMessage
  receipt?: Receipt
}

export namespace Envelope {
  let _codec: Codec<Envelope>

  export const codec = (): Codec<Envelope> => {
    if (_codec == null) {
      _codec = message<Envelope>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.sender != null && obj.sender.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.sender)
        }

        if ((obj.recipient != null && obj.recipient.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.recipient)
        }

        if ((obj.id != null && obj.id !== '')) {
          w.uint32(34)
          w.string(obj.id)
        }

        if ((obj.ratchetHeader != null && obj.ratchetHeader.byteLength > 0)) {
          w.uint32(74)
          w.bytes(obj.ratchetHeader)
        }

        if ((obj.ciphertext != null && obj.ciphertext.byteLength > 0)) {
          w.uint32(82)
          w.bytes(obj.ciphertext)
        }

        if (obj.prekey != null) {
          w.uint32(90)
          PrekeyMessage.codec().encode(obj.prekey, w)
        }

        if (obj.receipt != null) {
          w.uint32(98)
          Receipt.codec().encode(obj.receipt, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          sender: uint8ArrayAlloc(0),
          recipient: uint8ArrayAlloc(0),
          id: '',
          ratchetHeader: uint8ArrayAlloc(0),
          ciphertext: uint8ArrayAlloc(0)
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
              obj.sender = reader.bytes()
              break
            }
            case 3: {
              obj.recipient = reader.bytes()
              break
            }
            case 4: {
              obj.id = reader.string()
              break
            }
            case 9: {
              obj.ratchetHeader = reader.bytes()
              break
            }
            case 10: {
              obj.ciphertext = reader.bytes()
              break
            }
            case 11: {
              obj.prekey = PrekeyMessage.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.prekey
              })
              break
            }
            case 12: {
              obj.receipt = Receipt.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.receipt
              })
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
                field: `${prefix}.version`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.sender`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.recipient`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.id`,
                value: reader.string()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.ratchetHeader`,
                value: reader.bytes()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.ciphertext`,
                value: reader.bytes()
              }
              break
            }
            case 11: {
              yield * PrekeyMessage.codec().stream(reader, reader.uint32(), `${prefix}.prekey`, {
                limits: opts.limits?.prekey
              })

              break
            }
            case 12: {
              yield * Receipt.codec().stream(reader, reader.uint32(), `${prefix}.receipt`, {
                limits: opts.limits?.receipt
              })

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

  export interface EnvelopeVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface EnvelopeSenderFieldEvent {
    field: '$.sender'
    value: Uint8Array<ArrayBuffer>
  }

  export interface EnvelopeRecipientFieldEvent {
    field: '$.recipient'
    value: Uint8Array<ArrayBuffer>
  }

  export interface EnvelopeIdFieldEvent {
    field: '$.id'
    value: string
  }

  export interface EnvelopeRatchetHeaderFieldEvent {
    field: '$.ratchetHeader'
    value: Uint8Array<ArrayBuffer>
  }

  export interface EnvelopeCiphertextFieldEvent {
    field: '$.ciphertext'
    value: Uint8Array<ArrayBuffer>
  }

  export interface EnvelopePrekeyEphemeralFieldEvent {
    field: '$.prekey.ephemeral'
    value: Uint8Array<ArrayBuffer>
  }

  export interface EnvelopePrekeyPrekeyIdFieldEvent {
    field: '$.prekey.prekeyId'
    value: number
  }

  export interface EnvelopeReceiptIdsFieldEvent {
    field: '$.receipt.ids[]'
    index: number
    value: string
  }

  export interface EnvelopeReceiptSignatureFieldEvent {
    field: '$.receipt.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Envelope>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Envelope.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Envelope>): Envelope {
    return decodeMessage(buf, Envelope.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Envelope>): Generator<EnvelopeVersionFieldEvent | EnvelopeSenderFieldEvent | EnvelopeRecipientFieldEvent | EnvelopeIdFieldEvent | EnvelopeRatchetHeaderFieldEvent | EnvelopeCiphertextFieldEvent | EnvelopePrekeyEphemeralFieldEvent | EnvelopePrekeyPrekeyIdFieldEvent | EnvelopeReceiptIdsFieldEvent | EnvelopeReceiptSignatureFieldEvent> {
    return streamMessage(buf, Envelope.codec(), opts)
  }
}

export interface Receipt {
  ids: string[]
  signature: Uint8Array<ArrayBuffer>
}

export namespace Receipt {
  let _codec: Codec<Receipt>

  export const codec = (): Codec<Receipt> => {
    if (_codec == null) {
      _codec = message<Receipt>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.ids != null && obj.ids.length > 0) {
          for (const value of obj.ids) {
            w.uint32(10)
            w.string(value)
          }
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          ids: [],
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.ids != null && obj.ids.length === opts.limits.ids) {
                throw new MaxLengthError('Decode error - repeated field "ids" had too many elements')
              }

              obj.ids.push(reader.string())
              break
            }
            case 2: {
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
        const obj = {
          ids: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.ids != null && obj.ids === opts.limits.ids) {
                throw new MaxLengthError('Streaming decode error - repeated field "ids" had too many elements')
              }

              yield {
                field: `${prefix}.ids[]`,
                index: obj.ids,
                value: reader.string()
              }

              obj.ids++

              break
            }
            case 2: {
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

  export interface ReceiptIdsFieldEvent {
    field: '$.ids[]'
    index: number
    value: string
  }

  export interface ReceiptSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Receipt>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Receipt.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Receipt>): Receipt {
    return decodeMessage(buf, Receipt.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Receipt>): Generator<ReceiptIdsFieldEvent | ReceiptSignatureFieldEvent> {
    return streamMessage(buf, Receipt.codec(), opts)
  }
}

export interface SignedReceipt {
  recipient: Uint8Array<ArrayBuffer>
  envelopeId: string
  ids: string[]
}

export namespace SignedReceipt {
  let _codec: Codec<SignedReceipt>

  export const codec = (): Codec<SignedReceipt> => {
    if (_codec == null) {
      _codec = message<SignedReceipt>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.recipient != null && obj.recipient.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.recipient)
        }

        if ((obj.envelopeId != null && obj.envelopeId !== '')) {
          w.uint32(18)
          w.string(obj.envelopeId)
        }

        if (obj.ids != null && obj.ids.length > 0) {
          for (const value of obj.ids) {
            w.uint32(26)
            w.string(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          recipient: uint8ArrayAlloc(0),
          envelopeId: '',
          ids: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.recipient = reader.bytes()
              break
            }
            case 2: {
              obj.envelopeId = reader.string()
              break
            }
            case 3: {
              if (opts.limits?.ids != null && obj.ids.length === opts.limits.ids) {
                throw new MaxLengthError('Decode error - repeated field "ids" had too many elements')
              }

              obj.ids.push(reader.string())
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
          ids: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.recipient`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.envelopeId`,
                value: reader.string()
              }
              break
            }
            case 3: {
              if (opts.limits?.ids != null && obj.ids === opts.limits.ids) {
                throw new MaxLengthError('Streaming decode error - repeated field "ids" had too many elements')
              }

              yield {
                field: `${prefix}.ids[]`,
                index: obj.ids,
                value: reader.string()
              }

              obj.ids++

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

  export interface SignedReceiptRecipientFieldEvent {
    field: '$.recipient'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedReceiptEnvelopeIdFieldEvent {
    field: '$.envelopeId'
    value: string
  }

  export interface SignedReceiptIdsFieldEvent {
    field: '$.ids[]'
    index: number
    value: string
  }

  export function encode (obj: Partial<SignedReceipt>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SignedReceipt.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedReceipt>): SignedReceipt {
    return decodeMessage(buf, SignedReceipt.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedReceipt>): Generator<SignedReceiptRecipientFieldEvent | SignedReceiptEnvelopeIdFieldEvent | SignedReceiptIdsFieldEvent> {
    return streamMessage(buf, SignedReceipt.codec(), opts)
  }
}

export interface PrekeyMessage {
  ephemeral: Uint8Array<ArrayBuffer>
  prekeyId: number
}

export namespace PrekeyMessage {
  let _codec: Codec<PrekeyMessage>

  export const codec = (): Codec<PrekeyMessage> => {
    if (_codec == null) {
      _codec = message<PrekeyMessage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.ephemeral != null && obj.ephemeral.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.ephemeral)
        }

        if ((obj.prekeyId != null && obj.prekeyId !== 0)) {
          w.uint32(16)
          w.uint32(obj.prekeyId)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          ephemeral: uint8ArrayAlloc(0),
          prekeyId: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.ephemeral = reader.bytes()
              break
            }
            case 2: {
              obj.prekeyId = reader.uint32()
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
                field: `${prefix}.ephemeral`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.prekeyId`,
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

  export interface PrekeyMessageEphemeralFieldEvent {
    field: '$.ephemeral'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PrekeyMessagePrekeyIdFieldEvent {
    field: '$.prekeyId'
    value: number
  }

  export function encode (obj: Partial<PrekeyMessage>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PrekeyMessage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PrekeyMessage>): PrekeyMessage {
    return decodeMessage(buf, PrekeyMessage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PrekeyMessage>): Generator<PrekeyMessageEphemeralFieldEvent | PrekeyMessagePrekeyIdFieldEvent> {
    return streamMessage(buf, PrekeyMessage.codec(), opts)
  }
}

export interface Content {
  text: string
  clock: bigint
  sentAt: bigint
  senderName: string
  id: string
}

export namespace Content {
  let _codec: Codec<Content>

  export const codec = (): Codec<Content> => {
    if (_codec == null) {
      _codec = message<Content>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.text != null && obj.text !== '')) {
          w.uint32(10)
          w.string(obj.text)
        }

        if ((obj.clock != null && obj.clock !== 0n)) {
          w.uint32(16)
          w.uint64(obj.clock)
        }

        if ((obj.sentAt != null && obj.sentAt !== 0n)) {
          w.uint32(24)
          w.uint64(obj.sentAt)
        }

        if ((obj.senderName != null && obj.senderName !== '')) {
          w.uint32(34)
          w.string(obj.senderName)
        }

        if ((obj.id != null && obj.id !== '')) {
          w.uint32(42)
          w.string(obj.id)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          text: '',
          clock: 0n,
          sentAt: 0n,
          senderName: '',
          id: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.text = reader.string()
              break
            }
            case 2: {
              obj.clock = reader.uint64()
              break
            }
            case 3: {
              obj.sentAt = reader.uint64()
              break
            }
            case 4: {
              obj.senderName = reader.string()
              break
            }
            case 5: {
              obj.id = reader.string()
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
                field: `${prefix}.text`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.clock`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.sentAt`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.senderName`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.id`,
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

  export interface ContentTextFieldEvent {
    field: '$.text'
    value: string
  }

  export interface ContentClockFieldEvent {
    field: '$.clock'
    value: bigint
  }

  export interface ContentSentAtFieldEvent {
    field: '$.sentAt'
    value: bigint
  }

  export interface ContentSenderNameFieldEvent {
    field: '$.senderName'
    value: string
  }

  export interface ContentIdFieldEvent {
    field: '$.id'
    value: string
  }

  export function encode (obj: Partial<Content>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Content.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Content>): Content {
    return decodeMessage(buf, Content.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Content>): Generator<ContentTextFieldEvent | ContentClockFieldEvent | ContentSentAtFieldEvent | ContentSenderNameFieldEvent | ContentIdFieldEvent> {
    return streamMessage(buf, Content.codec(), opts)
  }
}

export interface Ack {
  id: string
  status: Ack.Status
}

export namespace Ack {
  export enum Status {
    OK = 'OK',
    DUPLICATE = 'DUPLICATE',
    INVALID = 'INVALID',
    WRONG_RECIPIENT = 'WRONG_RECIPIENT',
    REFUSED = 'REFUSED',
    ERROR = 'ERROR'
  }

  enum __StatusValues {
    OK = 0,
    DUPLICATE = 1,
    INVALID = 2,
    WRONG_RECIPIENT = 3,
    REFUSED = 4,
    ERROR = 5
  }

  export namespace Status {
    export const codec = (): Codec<Status> => {
      return enumeration<Status>(__StatusValues)
    }
  }

  let _codec: Codec<Ack>

  export const codec = (): Codec<Ack> => {
    if (_codec == null) {
      _codec = message<Ack>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id !== '')) {
          w.uint32(10)
          w.string(obj.id)
        }

        if (obj.status != null && __StatusValues[obj.status] !== 0) {
          w.uint32(16)
          Ack.Status.codec().encode(obj.status, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: '',
          status: Status.OK
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.string()
              break
            }
            case 2: {
              obj.status = Ack.Status.codec().decode(reader)
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
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.status`,
                value: Ack.Status.codec().decode(reader)
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

  export interface AckIdFieldEvent {
    field: '$.id'
    value: string
  }

  export interface AckStatusFieldEvent {
    field: '$.status'
    value: Ack.Status
  }

  export function encode (obj: Partial<Ack>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Ack.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Ack>): Ack {
    return decodeMessage(buf, Ack.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Ack>): Generator<AckIdFieldEvent | AckStatusFieldEvent> {
    return streamMessage(buf, Ack.codec(), opts)
  }
}
