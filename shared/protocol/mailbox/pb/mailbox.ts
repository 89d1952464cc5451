import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface Request {
  pair?: PairRequest
  unpair?: UnpairRequest
  deposit?: DepositRequest
  drain?: DrainRequest
  ack?: AckRequest
  status?: StatusRequest
  contacts?: ContactsRequest
}

export namespace Request {
  let _codec: Codec<Request>

  export const codec = (): Codec<Request> => {
    if (_codec == null) {
      _codec = message<Request>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.pair != null) {
          w.uint32(10)
          PairRequest.codec().encode(obj.pair, w)
        }

        if (obj.unpair != null) {
          w.uint32(18)
          UnpairRequest.codec().encode(obj.unpair, w)
        }

        if (obj.deposit != null) {
          w.uint32(26)
          DepositRequest.codec().encode(obj.deposit, w)
        }

        if (obj.drain != null) {
          w.uint32(34)
          DrainRequest.codec().encode(obj.drain, w)
        }

        if (obj.ack != null) {
          w.uint32(42)
          AckRequest.codec().encode(obj.ack, w)
        }

        if (obj.status != null) {
          w.uint32(50)
          StatusRequest.codec().encode(obj.status, w)
        }

        if (obj.contacts != null) {
          w.uint32(58)
          ContactsRequest.codec().encode(obj.contacts, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.pair = PairRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.pair
              })
              break
            }
            case 2: {
              obj.unpair = UnpairRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.unpair
              })
              break
            }
            case 3: {
              obj.deposit = DepositRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.deposit
              })
              break
            }
            case 4: {
              obj.drain = DrainRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.drain
              })
              break
            }
            case 5: {
              obj.ack = AckRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.ack
              })
              break
            }
            case 6: {
              obj.status = StatusRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.status
              })
              break
            }
            case 7: {
              obj.contacts = ContactsRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.contacts
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
              yield * PairRequest.codec().stream(reader, reader.uint32(), `${prefix}.pair`, {
                limits: opts.limits?.pair
              })

              break
            }
            case 2: {
              yield * UnpairRequest.codec().stream(reader, reader.uint32(), `${prefix}.unpair`, {
                limits: opts.limits?.unpair
              })

              break
            }
            case 3: {
              yield * DepositRequest.codec().stream(reader, reader.uint32(), `${prefix}.deposit`, {
                limits: opts.limits?.deposit
              })

              break
            }
            case 4: {
              yield * DrainRequest.codec().stream(reader, reader.uint32(), `${prefix}.drain`, {
                limits: opts.limits?.drain
              })

              break
            }
            case 5: {
              yield * AckRequest.codec().stream(reader, reader.uint32(), `${prefix}.ack`, {
                limits: opts.limits?.ack
              })

              break
            }
            case 6: {
              yield * StatusRequest.codec().stream(reader, reader.uint32(), `${prefix}.status`, {
                limits: opts.limits?.status
              })

              break
            }
            case 7: {
              yield * ContactsRequest.codec().stream(reader, reader.uint32(), `${prefix}.contacts`, {
                limits: opts.limits?.contacts
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

  export interface RequestPairSecretFieldEvent {
    field: '$.pair.secret'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestPairAccountPublicKeyFieldEvent {
    field: '$.pair.accountPublicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestPairDeviceCertificateFieldEvent {
    field: '$.pair.deviceCertificate'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestPairSignatureFieldEvent {
    field: '$.pair.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestUnpairDeviceCertificateFieldEvent {
    field: '$.unpair.deviceCertificate'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestDepositRecipientFieldEvent {
    field: '$.deposit.recipient'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestDepositMessageIdFieldEvent {
    field: '$.deposit.messageId'
    value: string
  }

  export interface RequestDepositEnvelopeFieldEvent {
    field: '$.deposit.envelope'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestDrainDeviceCertificateFieldEvent {
    field: '$.drain.deviceCertificate'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestDrainAfterFieldEvent {
    field: '$.drain.after'
    value: number
  }

  export interface RequestDrainLimitFieldEvent {
    field: '$.drain.limit'
    value: number
  }

  export interface RequestDrainMaxBytesFieldEvent {
    field: '$.drain.maxBytes'
    value: number
  }

  export interface RequestDrainWaitMsFieldEvent {
    field: '$.drain.waitMs'
    value: number
  }

  export interface RequestAckDeviceCertificateFieldEvent {
    field: '$.ack.deviceCertificate'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestAckMessageIdsFieldEvent {
    field: '$.ack.messageIds[]'
    index: number
    value: string
  }

  export interface RequestStatusDeviceCertificateFieldEvent {
    field: '$.status.deviceCertificate'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestContactsDeviceCertificateFieldEvent {
    field: '$.contacts.deviceCertificate'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestContactsContactsFieldEvent {
    field: '$.contacts.contacts[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Request>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Request.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Request>): Request {
    return decodeMessage(buf, Request.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Request>): Generator<RequestPairSecretFieldEvent | RequestPairAccountPublicKeyFieldEvent | RequestPairDeviceCertificateFieldEvent | RequestPairSignatureFieldEvent | RequestUnpairDeviceCertificateFieldEvent | RequestDepositRecipientFieldEvent | RequestDepositMessageIdFieldEvent | RequestDepositEnvelopeFieldEvent | RequestDrainDeviceCertificateFieldEvent | RequestDrainAfterFieldEvent | RequestDrainLimitFieldEvent | RequestDrainMaxBytesFieldEvent | RequestDrainWaitMsFieldEvent | RequestAckDeviceCertificateFieldEvent | RequestAckMessageIdsFieldEvent | RequestStatusDeviceCertificateFieldEvent | RequestContactsDeviceCertificateFieldEvent | RequestContactsContactsFieldEvent> {
    return streamMessage(buf, Request.codec(), opts)
  }
}

export interface PairRequest {
  secret: Uint8Array<ArrayBuffer>
  accountPublicKey: Uint8Array<ArrayBuffer>
  deviceCertificate: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace PairRequest {
  let _codec: Codec<PairRequest>

  export const codec = (): Codec<PairRequest> => {
    if (_codec == null) {
      _codec = message<PairRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.secret != null && obj.secret.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.secret)
        }

        if ((obj.accountPublicKey != null && obj.accountPublicKey.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.accountPublicKey)
        }

        if ((obj.deviceCertificate != null && obj.deviceCertificate.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.deviceCertificate)
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
          secret: uint8ArrayAlloc(0),
          accountPublicKey: uint8ArrayAlloc(0),
          deviceCertificate: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.secret = reader.bytes()
              break
            }
            case 2: {
              obj.accountPublicKey = reader.bytes()
              break
            }
            case 3: {
              obj.deviceCertificate = reader.bytes()
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
                field: `${prefix}.secret`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.accountPublicKey`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.deviceCertificate`,
                value: reader.bytes()
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

  export interface PairRequestSecretFieldEvent {
    field: '$.secret'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PairRequestAccountPublicKeyFieldEvent {
    field: '$.accountPublicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PairRequestDeviceCertificateFieldEvent {
    field: '$.deviceCertificate'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PairRequestSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<PairRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PairRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PairRequest>): PairRequest {
    return decodeMessage(buf, PairRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PairRequest>): Generator<PairRequestSecretFieldEvent | PairRequestAccountPublicKeyFieldEvent | PairRequestDeviceCertificateFieldEvent | PairRequestSignatureFieldEvent> {
    return streamMessage(buf, PairRequest.codec(), opts)
  }
}

export interface UnpairRequest {
  deviceCertificate: Uint8Array<ArrayBuffer>
}

export namespace UnpairRequest {
  let _codec: Codec<UnpairRequest>

  export const codec = (): Codec<UnpairRequest> => {
    if (_codec == null) {
      _codec = message<UnpairRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.deviceCertificate != null && obj.deviceCertificate.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.deviceCertificate)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          deviceCertificate: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.deviceCertificate = reader.bytes()
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
                field: `${prefix}.deviceCertificate`,
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

  export interface UnpairRequestDeviceCertificateFieldEvent {
    field: '$.deviceCertificate'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<UnpairRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, UnpairRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<UnpairRequest>): UnpairRequest {
    return decodeMessage(buf, UnpairRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<UnpairRequest>): Generator<UnpairRequestDeviceCertificateFieldEvent> {
    return streamMessage(buf, UnpairRequest.codec(), opts)
  }
}

export interface DepositRequest {
  recipient: Uint8Array<ArrayBuffer>
  messageId: string
  envelope: Uint8Array<ArrayBuffer>
}

export namespace DepositRequest {
  let _codec: Codec<DepositRequest>

  export const codec = (): Codec<DepositRequest> => {
    if (_codec == null) {
      _codec = message<DepositRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.recipient != null && obj.recipient.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.recipient)
        }

        if ((obj.messageId != null && obj.messageId !== '')) {
          w.uint32(18)
          w.string(obj.messageId)
        }

        if ((obj.envelope != null && obj.envelope.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.envelope)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          recipient: uint8ArrayAlloc(0),
          messageId: '',
          envelope: uint8ArrayAlloc(0)
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
              obj.messageId = reader.string()
              break
            }
            case 3: {
              obj.envelope = reader.bytes()
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
                field: `${prefix}.recipient`,
                value: reader.bytes()
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
                field: `${prefix}.envelope`,
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

  export interface DepositRequestRecipientFieldEvent {
    field: '$.recipient'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DepositRequestMessageIdFieldEvent {
    field: '$.messageId'
    value: string
  }

  export interface DepositRequestEnvelopeFieldEvent {
    field: '$.envelope'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<DepositRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DepositRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DepositRequest>): DepositRequest {
    return decodeMessage(buf, DepositRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DepositRequest>): Generator<DepositRequestRecipientFieldEvent | DepositRequestMessageIdFieldEvent | DepositRequestEnvelopeFieldEvent> {
    return streamMessage(buf, DepositRequest.codec(), opts)
  }
}

export interface DrainRequest {
  deviceCertificate: Uint8Array<ArrayBuffer>
  after: number
  limit: number
  maxBytes: number
  waitMs: number
}

export namespace DrainRequest {
  let _codec: Codec<DrainRequest>

  export const codec = (): Codec<DrainRequest> => {
    if (_codec == null) {
      _codec = message<DrainRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.deviceCertificate != null && obj.deviceCertificate.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.deviceCertificate)
        }

        if ((obj.after != null && obj.after !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.after)
        }

        if ((obj.limit != null && obj.limit !== 0)) {
          w.uint32(24)
          w.uint32(obj.limit)
        }

        if ((obj.maxBytes != null && obj.maxBytes !== 0)) {
          w.uint32(32)
          w.uint32(obj.maxBytes)
        }

        if ((obj.waitMs != null && obj.waitMs !== 0)) {
          w.uint32(40)
          w.uint32(obj.waitMs)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          deviceCertificate: uint8ArrayAlloc(0),
          after: 0,
          limit: 0,
          maxBytes: 0,
          waitMs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.deviceCertificate = reader.bytes()
              break
            }
            case 2: {
              obj.after = reader.uint64Number()
              break
            }
            case 3: {
              obj.limit = reader.uint32()
              break
            }
            case 4: {
              obj.maxBytes = reader.uint32()
              break
            }
            case 5: {
              obj.waitMs = reader.uint32()
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
                field: `${prefix}.deviceCertificate`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.after`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.limit`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.maxBytes`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.waitMs`,
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

  export interface DrainRequestDeviceCertificateFieldEvent {
    field: '$.deviceCertificate'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DrainRequestAfterFieldEvent {
    field: '$.after'
    value: number
  }

  export interface DrainRequestLimitFieldEvent {
    field: '$.limit'
    value: number
  }

  export interface DrainRequestMaxBytesFieldEvent {
    field: '$.maxBytes'
    value: number
  }

  export interface DrainRequestWaitMsFieldEvent {
    field: '$.waitMs'
    value: number
  }

  export function encode (obj: Partial<DrainRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DrainRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DrainRequest>): DrainRequest {
    return decodeMessage(buf, DrainRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DrainRequest>): Generator<DrainRequestDeviceCertificateFieldEvent | DrainRequestAfterFieldEvent | DrainRequestLimitFieldEvent | DrainRequestMaxBytesFieldEvent | DrainRequestWaitMsFieldEvent> {
    return streamMessage(buf, DrainRequest.codec(), opts)
  }
}

export interface AckRequest {
  deviceCertificate: Uint8Array<ArrayBuffer>
  messageIds: string[]
}

export namespace AckRequest {
  let _codec: Codec<AckRequest>

  export const codec = (): Codec<AckRequest> => {
    if (_codec == null) {
      _codec = message<AckRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.deviceCertificate != null && obj.deviceCertificate.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.deviceCertificate)
        }

        if (obj.messageIds != null && obj.messageIds.length > 0) {
          for (const value of obj.messageIds) {
            w.uint32(18)
            w.string(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          deviceCertificate: uint8ArrayAlloc(0),
          messageIds: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.deviceCertificate = reader.bytes()
              break
            }
            case 2: {
              if (opts.limits?.messageIds != null && obj.messageIds.length === opts.limits.messageIds) {
                throw new MaxLengthError('Decode error - repeated field "messageIds" had too many elements')
              }

              obj.messageIds.push(reader.string())
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
          messageIds: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.deviceCertificate`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              if (opts.limits?.messageIds != null && obj.messageIds === opts.limits.messageIds) {
                throw new MaxLengthError('Streaming decode error - repeated field "messageIds" had too many elements')
              }

              yield {
                field: `${prefix}.messageIds[]`,
                index: obj.messageIds,
                value: reader.string()
              }

              obj.messageIds++

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

  export interface AckRequestDeviceCertificateFieldEvent {
    field: '$.deviceCertificate'
    value: Uint8Array<ArrayBuffer>
  }

  export interface AckRequestMessageIdsFieldEvent {
    field: '$.messageIds[]'
    index: number
    value: string
  }

  export function encode (obj: Partial<AckRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, AckRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AckRequest>): AckRequest {
    return decodeMessage(buf, AckRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AckRequest>): Generator<AckRequestDeviceCertificateFieldEvent | AckRequestMessageIdsFieldEvent> {
    return streamMessage(buf, AckRequest.codec(), opts)
  }
}

export interface StatusRequest {
  deviceCertificate: Uint8Array<ArrayBuffer>
}

export namespace StatusRequest {
  let _codec: Codec<StatusRequest>

  export const codec = (): Codec<StatusRequest> => {
    if (_codec == null) {
      _codec = message<StatusRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.deviceCertificate != null && obj.deviceCertificate.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.deviceCertificate)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          deviceCertificate: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.deviceCertificate = reader.bytes()
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
                field: `${prefix}.deviceCertificate`,
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

  export interface StatusRequestDeviceCertificateFieldEvent {
    field: '$.deviceCertificate'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<StatusRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, StatusRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StatusRequest>): StatusRequest {
    return decodeMessage(buf, StatusRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StatusRequest>): Generator<StatusRequestDeviceCertificateFieldEvent> {
    return streamMessage(buf, StatusRequest.codec(), opts)
  }
}

export interface ContactsRequest {
  deviceCertificate: Uint8Array<ArrayBuffer>
  contacts: Uint8Array<ArrayBuffer>[]
}

export namespace ContactsRequest {
  let _codec: Codec<ContactsRequest>

  export const codec = (): Codec<ContactsRequest> => {
    if (_codec == null) {
      _codec = message<ContactsRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.deviceCertificate != null && obj.deviceCertificate.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.deviceCertificate)
        }

        if (obj.contacts != null && obj.contacts.length > 0) {
          for (const value of obj.contacts) {
            w.uint32(18)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          deviceCertificate: uint8ArrayAlloc(0),
          contacts: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.deviceCertificate = reader.bytes()
              break
            }
            case 2: {
              if (opts.limits?.contacts != null && obj.contacts.length === opts.limits.contacts) {
                throw new MaxLengthError('Decode error - repeated field "contacts" had too many elements')
              }

              obj.contacts.push(reader.bytes())
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
          contacts: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.deviceCertificate`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              if (opts.limits?.contacts != null && obj.contacts === opts.limits.contacts) {
                throw new MaxLengthError('Streaming decode error - repeated field "contacts" had too many elements')
              }

              yield {
                field: `${prefix}.contacts[]`,
                index: obj.contacts,
                value: reader.bytes()
              }

              obj.contacts++

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

  export interface ContactsRequestDeviceCertificateFieldEvent {
    field: '$.deviceCertificate'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContactsRequestContactsFieldEvent {
    field: '$.contacts[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<ContactsRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ContactsRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ContactsRequest>): ContactsRequest {
    return decodeMessage(buf, ContactsRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ContactsRequest>): Generator<ContactsRequestDeviceCertificateFieldEvent | ContactsRequestContactsFieldEvent> {
    return streamMessage(buf, ContactsRequest.codec(), opts)
  }
}

export interface Response {
  status: Response.Status
  detail: string
  pair?: PairResult
  deposit?: DepositResult
  page?: DrainPage
  ack?: AckResult
  account?: AccountStatus
  retryAfterMs: number
}

export namespace Response {
  export enum Status {
    OK = 'OK',
    NOT_PAIRED = 'NOT_PAIRED',
    MAILBOX_FULL = 'MAILBOX_FULL',
    QUOTA_EXCEEDED = 'QUOTA_EXCEEDED',
    TOO_LARGE = 'TOO_LARGE',
    INVALID = 'INVALID',
    NOT_ACCEPTING = 'NOT_ACCEPTING',
    RATE_LIMITED = 'RATE_LIMITED',
    EXPIRED_CODE = 'EXPIRED_CODE',
    ERROR = 'ERROR'
  }

  enum __StatusValues {
    OK = 0,
    NOT_PAIRED = 1,
    MAILBOX_FULL = 2,
    QUOTA_EXCEEDED = 3,
    TOO_LARGE = 4,
    INVALID = 5,
    NOT_ACCEPTING = 6,
    RATE_LIMITED = 7,
    EXPIRED_CODE = 8,
    ERROR = 9
  }

  export namespace Status {
    export const codec = (): Codec<Status> => {
      return enumeration<Status>(__StatusValues)
    }
  }

  let _codec: Codec<Response>

  export const codec = (): Codec<Response> => {
    if (_codec == null) {
      _codec = message<Response>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.status != null && __StatusValues[obj.status] !== 0) {
          w.uint32(8)
          Response.Status.codec().encode(obj.status, w)
        }

        if ((obj.detail != null && obj.detail !== '')) {
          w.uint32(18)
          w.string(obj.detail)
        }

        if (obj.pair != null) {
          w.uint32(26)
          PairResult.codec().encode(obj.pair, w)
        }

        if (obj.deposit != null) {
          w.uint32(34)
          DepositResult.codec().encode(obj.deposit, w)
        }

        if (obj.page != null) {
          w.uint32(42)
          DrainPage.codec().encode(obj.page, w)
        }

        if (obj.ack != null) {
          w.uint32(50)
          AckResult.codec().encode(obj.ack, w)
        }

        if (obj.account != null) {
          w.uint32(58)
          AccountStatus.codec().encode(obj.account, w)
        }

        if ((obj.retryAfterMs != null && obj.retryAfterMs !== 0)) {
          w.uint32(64)
          w.uint32(obj.retryAfterMs)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          status: Status.OK,
          detail: '',
          retryAfterMs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.status = Response.Status.codec().decode(reader)
              break
            }
            case 2: {
              obj.detail = reader.string()
              break
            }
            case 3: {
              obj.pair = PairResult.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.pair
              })
              break
            }
            case 4: {
              obj.deposit = DepositResult.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.deposit
              })
              break
            }
            case 5: {
              obj.page = DrainPage.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.page
              })
              break
            }
            case 6: {
              obj.ack = AckResult.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.ack
              })
              break
            }
            case 7: {
              obj.account = AccountStatus.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.account
              })
              break
            }
            case 8: {
              obj.retryAfterMs = reader.uint32()
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
                field: `${prefix}.status`,
                value: Response.Status.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.detail`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield * PairResult.codec().stream(reader, reader.uint32(), `${prefix}.pair`, {
                limits: opts.limits?.pair
              })

              break
            }
            case 4: {
              yield * DepositResult.codec().stream(reader, reader.uint32(), `${prefix}.deposit`, {
                limits: opts.limits?.deposit
              })

              break
            }
            case 5: {
              yield * DrainPage.codec().stream(reader, reader.uint32(), `${prefix}.page`, {
                limits: opts.limits?.page
              })

              break
            }
            case 6: {
              yield * AckResult.codec().stream(reader, reader.uint32(), `${prefix}.ack`, {
                limits: opts.limits?.ack
              })

              break
            }
            case 7: {
              yield * AccountStatus.codec().stream(reader, reader.uint32(), `${prefix}.account`, {
                limits: opts.limits?.account
              })

              break
            }
            case 8: {
              yield {
                field: `${prefix}.retryAfterMs`,
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

  export interface ResponseStatusFieldEvent {
    field: '$.status'
    value: Response.Status
  }

  export interface ResponseDetailFieldEvent {
    field: '$.detail'
    value: string
  }

  export interface ResponsePairRetentionMsFieldEvent {
    field: '$.pair.retentionMs'
    value: number
  }

  export interface ResponsePairQuotaItemsFieldEvent {
    field: '$.pair.quota.items'
    value: number
  }

  export interface ResponsePairQuotaBytesFieldEvent {
    field: '$.pair.quota.bytes'
    value: number
  }

  export interface ResponseDepositDuplicateFieldEvent {
    field: '$.deposit.duplicate'
    value: boolean
  }

  export interface ResponsePageItemsSeqFieldEvent {
    field: '$.page.items[].seq'
    value: number
    index: number
  }

  export interface ResponsePageItemsMessageIdFieldEvent {
    field: '$.page.items[].messageId'
    value: string
    index: number
  }

  export interface ResponsePageItemsEnvelopeFieldEvent {
    field: '$.page.items[].envelope'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ResponsePageItemsDepositedAtFieldEvent {
    field: '$.page.items[].depositedAt'
    value: number
    index: number
  }

  export interface ResponsePageMoreFieldEvent {
    field: '$.page.more'
    value: boolean
  }

  export interface ResponseAckDeletedFieldEvent {
    field: '$.ack.deleted'
    value: number
  }

  export interface ResponseAccountAccountPublicKeyFieldEvent {
    field: '$.account.accountPublicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseAccountPairedAtFieldEvent {
    field: '$.account.pairedAt'
    value: number
  }

  export interface ResponseAccountHeldItemsFieldEvent {
    field: '$.account.held.items'
    value: number
  }

  export interface ResponseAccountHeldBytesFieldEvent {
    field: '$.account.held.bytes'
    value: number
  }

  export interface ResponseAccountQuotaItemsFieldEvent {
    field: '$.account.quota.items'
    value: number
  }

  export interface ResponseAccountQuotaBytesFieldEvent {
    field: '$.account.quota.bytes'
    value: number
  }

  export interface ResponseAccountRetentionMsFieldEvent {
    field: '$.account.retentionMs'
    value: number
  }

  export interface ResponseAccountDevicesPeerIdFieldEvent {
    field: '$.account.devices[].peerId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ResponseAccountDevicesLastDrainAtFieldEvent {
    field: '$.account.devices[].lastDrainAt'
    value: number
    index: number
  }

  export interface ResponseAccountDevicesLastAckAtFieldEvent {
    field: '$.account.devices[].lastAckAt'
    value: number
    index: number
  }

  export interface ResponseAccountDevicesAckedFieldEvent {
    field: '$.account.devices[].acked'
    value: number
    index: number
  }

  export interface ResponseRetryAfterMsFieldEvent {
    field: '$.retryAfterMs'
    value: number
  }

  export function encode (obj: Partial<Response>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Response.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Response>): Response {
    return decodeMessage(buf, Response.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Response>): Generator<ResponseStatusFieldEvent | ResponseDetailFieldEvent | ResponsePairRetentionMsFieldEvent | ResponsePairQuotaItemsFieldEvent | ResponsePairQuotaBytesFieldEvent | ResponseDepositDuplicateFieldEvent | ResponsePageItemsSeqFieldEvent | ResponsePageItemsMessageIdFieldEvent | ResponsePageItemsEnvelopeFieldEvent | ResponsePageItemsDepositedAtFieldEvent | ResponsePageMoreFieldEvent | ResponseAckDeletedFieldEvent | ResponseAccountAccountPublicKeyFieldEvent | ResponseAccountPairedAtFieldEvent | ResponseAccountHeldItemsFieldEvent | ResponseAccountHeldBytesFieldEvent | ResponseAccountQuotaItemsFieldEvent | ResponseAccountQuotaBytesFieldEvent | ResponseAccountRetentionMsFieldEvent | ResponseAccountDevicesPeerIdFieldEvent | ResponseAccountDevicesLastDrainAtFieldEvent | ResponseAccountDevicesLastAckAtFieldEvent | ResponseAccountDevicesAckedFieldEvent | ResponseRetryAfterMsFieldEvent> {
    return streamMessage(buf, Response.codec(), opts)
  }
}

export interface PairResult {
  retentionMs: number
  quota?: Quota
}

export namespace PairResult {
  let _codec: Codec<PairResult>

  export const codec = (): Codec<PairResult> => {
    if (_codec == null) {
      _codec = message<PairResult>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.retentionMs != null && obj.retentionMs !== 0)) {
          w.uint32(8)
          w.uint64Number(obj.retentionMs)
        }

        if (obj.quota != null) {
          w.uint32(18)
          Quota.codec().encode(obj.quota, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          retentionMs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.retentionMs = reader.uint64Number()
              break
            }
            case 2: {
              obj.quota = Quota.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.quota
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
                field: `${prefix}.retentionMs`,
                value: reader.uint64Number()
              }
              break
            }
            case 2: {
              yield * Quota.codec().stream(reader, reader.uint32(), `${prefix}.quota`, {
                limits: opts.limits?.quota
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

  export interface PairResultRetentionMsFieldEvent {
    field: '$.retentionMs'
    value: number
  }

  export interface PairResultQuotaItemsFieldEvent {
    field: '$.quota.items'
    value: number
  }

  export interface PairResultQuotaBytesFieldEvent {
    field: '$.quota.bytes'
    value: number
  }

  export function encode (obj: Partial<PairResult>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PairResult.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PairResult>): PairResult {
    return decodeMessage(buf, PairResult.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PairResult>): Generator<PairResultRetentionMsFieldEvent | PairResultQuotaItemsFieldEvent | PairResultQuotaBytesFieldEvent> {
    return streamMessage(buf, PairResult.codec(), opts)
  }
}

export interface Quota {
  items: number
  bytes: number
}

export namespace Quota {
  let _codec: Codec<Quota>

  export const codec = (): Codec<Quota> => {
    if (_codec == null) {
      _codec = message<Quota>((obj, w, opts = {}) => {
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

  export interface QuotaItemsFieldEvent {
    field: '$.items'
    value: number
  }

  export interface QuotaBytesFieldEvent {
    field: '$.bytes'
    value: number
  }

  export function encode (obj: Partial<Quota>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Quota.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Quota>): Quota {
    return decodeMessage(buf, Quota.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Quota>): Generator<QuotaItemsFieldEvent | QuotaBytesFieldEvent> {
    return streamMessage(buf, Quota.codec(), opts)
  }
}

export interface DepositResult {
  duplicate: boolean
}

export namespace DepositResult {
  let _codec: Codec<DepositResult>

  export const codec = (): Codec<DepositResult> => {
    if (_codec == null) {
      _codec = message<DepositResult>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.duplicate != null && obj.duplicate !== false)) {
          w.uint32(8)
          w.bool(obj.duplicate)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          duplicate: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.duplicate = reader.bool()
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
                field: `${prefix}.duplicate`,
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

  export interface DepositResultDuplicateFieldEvent {
    field: '$.duplicate'
    value: boolean
  }

  export function encode (obj: Partial<DepositResult>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DepositResult.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DepositResult>): DepositResult {
    return decodeMessage(buf, DepositResult.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DepositResult>): Generator<DepositResultDuplicateFieldEvent> {
    return streamMessage(buf, DepositResult.codec(), opts)
  }
}

export interface DrainPage {
  items: HeldItem[]
  more: boolean
}

export namespace DrainPage {
  let _codec: Codec<DrainPage>

  export const codec = (): Codec<DrainPage> => {
    if (_codec == null) {
      _codec = message<DrainPage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.items != null && obj.items.length > 0) {
          for (const value of obj.items) {
            w.uint32(10)
            HeldItem.codec().encode(value, w)
          }
        }

        if ((obj.more != null && obj.more !== false)) {
          w.uint32(16)
          w.bool(obj.more)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          items: [],
          more: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.items != null && obj.items.length === opts.limits.items) {
                throw new MaxLengthError('Decode error - repeated field "items" had too many elements')
              }

              obj.items.push(HeldItem.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.items$
              }))
              break
            }
            case 2: {
              obj.more = reader.bool()
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
          items: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.items != null && obj.items === opts.limits.items) {
                throw new MaxLengthError('Streaming decode error - repeated field "items" had too many elements')
              }

              for (const evt of HeldItem.codec().stream(reader, reader.uint32(), `${prefix}.items[]`, {
                limits: opts.limits?.items$
              })) {
                yield {
                  ...evt,
                  index: obj.items
                }
              }

              obj.items++

              break
            }
            case 2: {
              yield {
                field: `${prefix}.more`,
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

  export interface DrainPageItemsSeqFieldEvent {
    field: '$.items[].seq'
    value: number
    index: number
  }

  export interface DrainPageItemsMessageIdFieldEvent {
    field: '$.items[].messageId'
    value: string
    index: number
  }

  export interface DrainPageItemsEnvelopeFieldEvent {
    field: '$.items[].envelope'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface DrainPageItemsDepositedAtFieldEvent {
    field: '$.items[].depositedAt'
    value: number
    index: number
  }

  export interface DrainPageMoreFieldEvent {
    field: '$.more'
    value: boolean
  }

  export function encode (obj: Partial<DrainPage>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DrainPage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DrainPage>): DrainPage {
    return decodeMessage(buf, DrainPage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DrainPage>): Generator<DrainPageItemsSeqFieldEvent | DrainPageItemsMessageIdFieldEvent | DrainPageItemsEnvelopeFieldEvent | DrainPageItemsDepositedAtFieldEvent | DrainPageMoreFieldEvent> {
    return streamMessage(buf, DrainPage.codec(), opts)
  }
}

export interface HeldItem {
  seq: number
  messageId: string
  envelope: Uint8Array<ArrayBuffer>
  depositedAt: number
}

export namespace HeldItem {
  let _codec: Codec<HeldItem>

  export const codec = (): Codec<HeldItem> => {
    if (_codec == null) {
      _codec = message<HeldItem>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.seq != null && obj.seq !== 0)) {
          w.uint32(8)
          w.uint64Number(obj.seq)
        }

        if ((obj.messageId != null && obj.messageId !== '')) {
          w.uint32(18)
          w.string(obj.messageId)
        }

        if ((obj.envelope != null && obj.envelope.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.envelope)
        }

        if ((obj.depositedAt != null && obj.depositedAt !== 0)) {
          w.uint32(32)
          w.uint64Number(obj.depositedAt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          seq: 0,
          messageId: '',
          envelope: uint8ArrayAlloc(0),
          depositedAt: 0
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
              obj.messageId = reader.string()
              break
            }
            case 3: {
              obj.envelope = reader.bytes()
              break
            }
            case 4: {
              obj.depositedAt = reader.uint64Number()
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
                field: `${prefix}.messageId`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.envelope`,
                value: reader.bytes()
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

  export interface HeldItemSeqFieldEvent {
    field: '$.seq'
    value: number
  }

  export interface HeldItemMessageIdFieldEvent {
    field: '$.messageId'
    value: string
  }

  export interface HeldItemEnvelopeFieldEvent {
    field: '$.envelope'
    value: Uint8Array<ArrayBuffer>
  }

  export interface HeldItemDepositedAtFieldEvent {
    field: '$.depositedAt'
    value: number
  }

  export function encode (obj: Partial<HeldItem>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, HeldItem.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HeldItem>): HeldItem {
    return decodeMessage(buf, HeldItem.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HeldItem>): Generator<HeldItemSeqFieldEvent | HeldItemMessageIdFieldEvent | HeldItemEnvelopeFieldEvent | HeldItemDepositedAtFieldEvent> {
    return streamMessage(buf, HeldItem.codec(), opts)
  }
}

export interface AckResult {
  deleted: number
}

export namespace AckResult {
  let _codec: Codec<AckResult>

  export const codec = (): Codec<AckResult> => {
    if (_codec == null) {
      _codec = message<AckResult>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.deleted != null && obj.deleted !== 0)) {
          w.uint32(8)
          w.uint32(obj.deleted)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          deleted: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.deleted = reader.uint32()
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
                field: `${prefix}.deleted`,
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

  export interface AckResultDeletedFieldEvent {
    field: '$.deleted'
    value: number
  }

  export function encode (obj: Partial<AckResult>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, AckResult.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AckResult>): AckResult {
    return decodeMessage(buf, AckResult.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AckResult>): Generator<AckResultDeletedFieldEvent> {
    return streamMessage(buf, AckResult.codec(), opts)
  }
}

export interface AccountStatus {
  accountPublicKey: Uint8Array<ArrayBuffer>
  pairedAt: number
  held?: Quota
  quota?: Quota
  retentionMs: number
  devices: DeviceDrain[]
}

export namespace AccountStatus {
  let _codec: Codec<AccountStatus>

  export const codec = (): Codec<AccountStatus> => {
    if (_codec == null) {
      _codec = message<AccountStatus>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.accountPublicKey != null && obj.accountPublicKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.accountPublicKey)
        }

        if ((obj.pairedAt != null && obj.pairedAt !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.pairedAt)
        }

        if (obj.held != null) {
          w.uint32(26)
          Quota.codec().encode(obj.held, w)
        }

        if (obj.quota != null) {
          w.uint32(34)
          Quota.codec().encode(obj.quota, w)
        }

        if ((obj.retentionMs != null && obj.retentionMs !== 0)) {
          w.uint32(40)
          w.uint64Number(obj.retentionMs)
        }

        if (obj.devices != null && obj.devices.length > 0) {
          for (const value of obj.devices) {
            w.uint32(50)
            DeviceDrain.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          accountPublicKey: uint8ArrayAlloc(0),
          pairedAt: 0,
          retentionMs: 0,
          devices: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.accountPublicKey = reader.bytes()
              break
            }
            case 2: {
              obj.pairedAt = reader.uint64Number()
              break
            }
            case 3: {
              obj.held = Quota.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.held
              })
              break
            }
            case 4: {
              obj.quota = Quota.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.quota
              })
              break
            }
            case 5: {
              obj.retentionMs = reader.uint64Number()
              break
            }
            case 6: {
              if (opts.limits?.devices != null && obj.devices.length === opts.limits.devices) {
                throw new MaxLengthError('Decode error - repeated field "devices" had too many elements')
              }

              obj.devices.push(DeviceDrain.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.devices$
              }))
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
          devices: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.accountPublicKey`,
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
              yield * Quota.codec().stream(reader, reader.uint32(), `${prefix}.held`, {
                limits: opts.limits?.held
              })

              break
            }
            case 4: {
              yield * Quota.codec().stream(reader, reader.uint32(), `${prefix}.quota`, {
                limits: opts.limits?.quota
              })

              break
            }
            case 5: {
              yield {
                field: `${prefix}.retentionMs`,
                value: reader.uint64Number()
              }
              break
            }
            case 6: {
              if (opts.limits?.devices != null && obj.devices === opts.limits.devices) {
                throw new MaxLengthError('Streaming decode error - repeated field "devices" had too many elements')
              }

              for (const evt of DeviceDrain.codec().stream(reader, reader.uint32(), `${prefix}.devices[]`, {
                limits: opts.limits?.devices$
              })) {
                yield {
                  ...evt,
                  index: obj.devices
                }
              }

              obj.devices++

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

  export interface AccountStatusAccountPublicKeyFieldEvent {
    field: '$.accountPublicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface AccountStatusPairedAtFieldEvent {
    field: '$.pairedAt'
    value: number
  }

  export interface AccountStatusHeldItemsFieldEvent {
    field: '$.held.items'
    value: number
  }

  export interface AccountStatusHeldBytesFieldEvent {
    field: '$.held.bytes'
    value: number
  }

  export interface AccountStatusQuotaItemsFieldEvent {
    field: '$.quota.items'
    value: number
  }

  export interface AccountStatusQuotaBytesFieldEvent {
    field: '$.quota.bytes'
    value: number
  }

  export interface AccountStatusRetentionMsFieldEvent {
    field: '$.retentionMs'
    value: number
  }

  export interface AccountStatusDevicesPeerIdFieldEvent {
    field: '$.devices[].peerId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface AccountStatusDevicesLastDrainAtFieldEvent {
    field: '$.devices[].lastDrainAt'
    value: number
    index: number
  }

  export interface AccountStatusDevicesLastAckAtFieldEvent {
    field: '$.devices[].lastAckAt'
    value: number
    index: number
  }

  export interface AccountStatusDevicesAckedFieldEvent {
    field: '$.devices[].acked'
    value: number
    index: number
  }

  export function encode (obj: Partial<AccountStatus>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, AccountStatus.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountStatus>): AccountStatus {
    return decodeMessage(buf, AccountStatus.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountStatus>): Generator<AccountStatusAccountPublicKeyFieldEvent | AccountStatusPairedAtFieldEvent | AccountStatusHeldItemsFieldEvent | AccountStatusHeldBytesFieldEvent | AccountStatusQuotaItemsFieldEvent | AccountStatusQuotaBytesFieldEvent | AccountStatusRetentionMsFieldEvent | AccountStatusDevicesPeerIdFieldEvent | AccountStatusDevicesLastDrainAtFieldEvent | AccountStatusDevicesLastAckAtFieldEvent | AccountStatusDevicesAckedFieldEvent> {
    return streamMessage(buf, AccountStatus.codec(), opts)
  }
}

export interface DeviceDrain {
  peerId: Uint8Array<ArrayBuffer>
  lastDrainAt: number
  lastAckAt: number
  acked: number
}

export namespace DeviceDrain {
  let _codec: Codec<DeviceDrain>

  export const codec = (): Codec<DeviceDrain> => {
    if (_codec == null) {
      _codec = message<DeviceDrain>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.peerId != null && obj.peerId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.peerId)
        }

        if ((obj.lastDrainAt != null && obj.lastDrainAt !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.lastDrainAt)
        }

        if ((obj.lastAckAt != null && obj.lastAckAt !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.lastAckAt)
        }

        if ((obj.acked != null && obj.acked !== 0)) {
          w.uint32(32)
          w.uint64Number(obj.acked)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          peerId: uint8ArrayAlloc(0),
          lastDrainAt: 0,
          lastAckAt: 0,
          acked: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.peerId = reader.bytes()
              break
            }
            case 2: {
              obj.lastDrainAt = reader.uint64Number()
              break
            }
            case 3: {
              obj.lastAckAt = reader.uint64Number()
              break
            }
            case 4: {
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
                field: `${prefix}.peerId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.lastDrainAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.lastAckAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 4: {
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

  export interface DeviceDrainPeerIdFieldEvent {
    field: '$.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DeviceDrainLastDrainAtFieldEvent {
    field: '$.lastDrainAt'
    value: number
  }

  export interface DeviceDrainLastAckAtFieldEvent {
    field: '$.lastAckAt'
    value: number
  }

  export interface DeviceDrainAckedFieldEvent {
    field: '$.acked'
    value: number
  }

  export function encode (obj: Partial<DeviceDrain>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DeviceDrain.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceDrain>): DeviceDrain {
    return decodeMessage(buf, DeviceDrain.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceDrain>): Generator<DeviceDrainPeerIdFieldEvent | DeviceDrainLastDrainAtFieldEvent | DeviceDrainLastAckAtFieldEvent | DeviceDrainAckedFieldEvent> {
    return streamMessage(buf, DeviceDrain.codec(), opts)
  }
}

export interface PairingCode {
  peerId: Uint8Array<ArrayBuffer>
  secret: Uint8Array<ArrayBuffer>
  addrs: Uint8Array<ArrayBuffer>[]
  expiresAt: number
}

export namespace PairingCode {
  let _codec: Codec<PairingCode>

  export const codec = (): Codec<PairingCode> => {
    if (_codec == null) {
      _codec = message<PairingCode>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.peerId != null && obj.peerId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.peerId)
        }

        if ((obj.secret != null && obj.secret.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.secret)
        }

        if (obj.addrs != null && obj.addrs.length > 0) {
          for (const value of obj.addrs) {
            w.uint32(26)
            w.bytes(value)
          }
        }

        if ((obj.expiresAt != null && obj.expiresAt !== 0)) {
          w.uint32(32)
          w.uint64Number(obj.expiresAt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          peerId: uint8ArrayAlloc(0),
          secret: uint8ArrayAlloc(0),
          addrs: [],
          expiresAt: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.peerId = reader.bytes()
              break
            }
            case 2: {
              obj.secret = reader.bytes()
              break
            }
            case 3: {
              if (opts.limits?.addrs != null && obj.addrs.length === opts.limits.addrs) {
                throw new MaxLengthError('Decode error - repeated field "addrs" had too many elements')
              }

              obj.addrs.push(reader.bytes())
              break
            }
            case 4: {
              obj.expiresAt = reader.uint64Number()
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
          addrs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.peerId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.secret`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              if (opts.limits?.addrs != null && obj.addrs === opts.limits.addrs) {
                throw new MaxLengthError('Streaming decode error - repeated field "addrs" had too many elements')
              }

              yield {
                field: `${prefix}.addrs[]`,
                index: obj.addrs,
                value: reader.bytes()
              }

              obj.addrs++

              break
            }
            case 4: {
              yield {
                field: `${prefix}.expiresAt`,
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

  export interface PairingCodePeerIdFieldEvent {
    field: '$.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PairingCodeSecretFieldEvent {
    field: '$.secret'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PairingCodeAddrsFieldEvent {
    field: '$.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface PairingCodeExpiresAtFieldEvent {
    field: '$.expiresAt'
    value: number
  }

  export function encode (obj: Partial<PairingCode>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PairingCode.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PairingCode>): PairingCode {
    return decodeMessage(buf, PairingCode.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PairingCode>): Generator<PairingCodePeerIdFieldEvent | PairingCodeSecretFieldEvent | PairingCodeAddrsFieldEvent | PairingCodeExpiresAtFieldEvent> {
    return streamMessage(buf, PairingCode.codec(), opts)
  }
}
