import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface SessionRecord {
  current?: Session
  previous: Session[]
}

export namespace SessionRecord {
  let _codec: Codec<SessionRecord>

  export const codec = (): Codec<SessionRecord> => {
    if (_codec == null) {
      _codec = message<SessionRecord>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.current != null) {
          w.uint32(10)
          Session.codec().encode(obj.current, w)
        }

        if (obj.previous != null && obj.previous.length > 0) {
          for (const value of obj.previous) {
            w.uint32(18)
            Session.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          previous: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.current = Session.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.current
              })
              break
            }
            case 2: {
              if (opts.limits?.previous != null && obj.previous.length === opts.limits.previous) {
                throw new MaxLengthError('Decode error - repeated field "previous" had too many elements')
              }

              obj.previous.push(Session.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.previous$
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
          previous: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * Session.codec().stream(reader, reader.uint32(), `${prefix}.current`, {
                limits: opts.limits?.current
              })

              break
            }
            case 2: {
              if (opts.limits?.previous != null && obj.previous === opts.limits.previous) {
                throw new MaxLengthError('Streaming decode error - repeated field "previous" had too many elements')
              }

              for (const evt of Session.codec().stream(reader, reader.uint32(), `${prefix}.previous[]`, {
                limits: opts.limits?.previous$
              })) {
                yield {
                  ...evt,
                  index: obj.previous
                }
              }

              obj.previous++

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

  export interface SessionRecordCurrentRatchetFieldEvent {
    field: '$.current.ratchet'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionRecordCurrentEphemeralFieldEvent {
    field: '$.current.ephemeral'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionRecordCurrentPrekeyIdFieldEvent {
    field: '$.current.prekeyId'
    value: number
  }

  export interface SessionRecordPreviousRatchetFieldEvent {
    field: '$.previous[].ratchet'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SessionRecordPreviousEphemeralFieldEvent {
    field: '$.previous[].ephemeral'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SessionRecordPreviousPrekeyIdFieldEvent {
    field: '$.previous[].prekeyId'
    value: number
    index: number
  }

  export function encode (obj: Partial<SessionRecord>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SessionRecord.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SessionRecord>): SessionRecord {
    return decodeMessage(buf, SessionRecord.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SessionRecord>): Generator<SessionRecordCurrentRatchetFieldEvent | SessionRecordCurrentEphemeralFieldEvent | SessionRecordCurrentPrekeyIdFieldEvent | SessionRecordPreviousRatchetFieldEvent | SessionRecordPreviousEphemeralFieldEvent | SessionRecordPreviousPrekeyIdFieldEvent> {
    return streamMessage(buf, SessionRecord.codec(), opts)
  }
}

export interface Session {
  ratchet: Uint8Array<ArrayBuffer>
  ephemeral?: Uint8Array<ArrayBuffer>
  prekeyId?: number
}

export namespace Session {
  let _codec: Codec<Session>

  export const codec = (): Codec<Session> => {
    if (_codec == null) {
      _codec = message<Session>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.ratchet != null && obj.ratchet.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.ratchet)
        }

        if (obj.ephemeral != null) {
          w.uint32(18)
          w.bytes(obj.ephemeral)
        }

        if (obj.prekeyId != null) {
          w.uint32(24)
          w.uint32(obj.prekeyId)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          ratchet: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.ratchet = reader.bytes()
              break
            }
            case 2: {
              obj.ephemeral = reader.bytes()
              break
            }
            case 3: {
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
                field: `${prefix}.ratchet`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.ephemeral`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
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

  export interface SessionRatchetFieldEvent {
    field: '$.ratchet'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionEphemeralFieldEvent {
    field: '$.ephemeral'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionPrekeyIdFieldEvent {
    field: '$.prekeyId'
    value: number
  }

  export function encode (obj: Partial<Session>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Session.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Session>): Session {
    return decodeMessage(buf, Session.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Session>): Generator<SessionRatchetFieldEvent | SessionEphemeralFieldEvent | SessionPrekeyIdFieldEvent> {
    return streamMessage(buf, Session.codec(), opts)
  }
}

export interface OwnPrekeys {
  keys: OwnPrekey[]
}

export namespace OwnPrekeys {
  let _codec: Codec<OwnPrekeys>

  export const codec = (): Codec<OwnPrekeys> => {
    if (_codec == null) {
      _codec = message<OwnPrekeys>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.keys != null && obj.keys.length > 0) {
          for (const value of obj.keys) {
            w.uint32(10)
            OwnPrekey.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          keys: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.keys != null && obj.keys.length === opts.limits.keys) {
                throw new MaxLengthError('Decode error - repeated field "keys" had too many elements')
              }

              obj.keys.push(OwnPrekey.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.keys$
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
          keys: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.keys != null && obj.keys === opts.limits.keys) {
                throw new MaxLengthError('Streaming decode error - repeated field "keys" had too many elements')
              }

              for (const evt of OwnPrekey.codec().stream(reader, reader.uint32(), `${prefix}.keys[]`, {
                limits: opts.limits?.keys$
              })) {
                yield {
                  ...evt,
                  index: obj.keys
                }
              }

              obj.keys++

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

  export interface OwnPrekeysKeysPairFieldEvent {
    field: '$.keys[].pair'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface OwnPrekeysKeysRetiredAtFieldEvent {
    field: '$.keys[].retiredAt'
    value: number
    index: number
  }

  export function encode (obj: Partial<OwnPrekeys>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, OwnPrekeys.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OwnPrekeys>): OwnPrekeys {
    return decodeMessage(buf, OwnPrekeys.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OwnPrekeys>): Generator<OwnPrekeysKeysPairFieldEvent | OwnPrekeysKeysRetiredAtFieldEvent> {
    return streamMessage(buf, OwnPrekeys.codec(), opts)
  }
}

export interface OwnPrekey {
  pair: Uint8Array<ArrayBuffer>
  retiredAt: number
}

export namespace OwnPrekey {
  let _codec: Codec<OwnPrekey>

  export const codec = (): Codec<OwnPrekey> => {
    if (_codec == null) {
      _codec = message<OwnPrekey>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.pair != null && obj.pair.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.pair)
        }

        if ((obj.retiredAt != null && obj.retiredAt !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.retiredAt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          pair: uint8ArrayAlloc(0),
          retiredAt: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.pair = reader.bytes()
              break
            }
            case 2: {
              obj.retiredAt = reader.uint64Number()
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
                field: `${prefix}.pair`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.retiredAt`,
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

  export interface OwnPrekeyPairFieldEvent {
    field: '$.pair'
    value: Uint8Array<ArrayBuffer>
  }

  export interface OwnPrekeyRetiredAtFieldEvent {
    field: '$.retiredAt'
    value: number
  }

  export function encode (obj: Partial<OwnPrekey>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, OwnPrekey.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OwnPrekey>): OwnPrekey {
    return decodeMessage(buf, OwnPrekey.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OwnPrekey>): Generator<OwnPrekeyPairFieldEvent | OwnPrekeyRetiredAtFieldEvent> {
    return streamMessage(buf, OwnPrekey.codec(), opts)
  }
}
