import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export enum Direction {
  DIRECTION_UNSPECIFIED = 'DIRECTION_UNSPECIFIED',
  DIRECTION_IN = 'DIRECTION_IN',
  DIRECTION_OUT = 'DIRECTION_OUT'
}

enum __DirectionValues {
  DIRECTION_UNSPECIFIED = 0,
  DIRECTION_IN = 1,
  DIRECTION_OUT = 2
}

export namespace Direction {
  export const codec = (): Codec<Direction> => {
    return enumeration<Direction>(__DirectionValues)
  }
}

export enum MessageState {
  MESSAGE_STATE_UNSPECIFIED = 'MESSAGE_STATE_UNSPECIFIED',
  MESSAGE_STATE_PENDING = 'MESSAGE_STATE_PENDING',
  MESSAGE_STATE_DELIVERED = 'MESSAGE_STATE_DELIVERED',
  MESSAGE_STATE_RECEIVED = 'MESSAGE_STATE_RECEIVED',
  MESSAGE_STATE_AT_MAILBOX = 'MESSAGE_STATE_AT_MAILBOX'
}

enum __MessageStateValues {
  MESSAGE_STATE_UNSPECIFIED = 0,
  MESSAGE_STATE_PENDING = 1,
  MESSAGE_STATE_DELIVERED = 2,
  MESSAGE_STATE_RECEIVED = 3,
  MESSAGE_STATE_AT_MAILBOX = 4
}

export namespace MessageState {
  export const codec = (): Codec<MessageState> => {
    return enumeration<MessageState>(__MessageStateValues)
  }
}

export enum ContactState {
  CONTACT_STATE_UNSPECIFIED = 'CONTACT_STATE_UNSPECIFIED',
  CONTACT_STATE_CONTACT = 'CONTACT_STATE_CONTACT',
  CONTACT_STATE_REQUEST = 'CONTACT_STATE_REQUEST',
  CONTACT_STATE_BLOCKED = 'CONTACT_STATE_BLOCKED'
}

enum __ContactStateValues {
  CONTACT_STATE_UNSPECIFIED = 0,
  CONTACT_STATE_CONTACT = 1,
  CONTACT_STATE_REQUEST = 2,
  CONTACT_STATE_BLOCKED = 3
}

export namespace ContactState {
  export const codec = (): Codec<ContactState> => {
    return enumeration<ContactState>(__ContactStateValues)
  }
}

export interface StoredMessage {
  id: string
  conversation: string
  direction: Direction
  sender: string
  text: string
  state: MessageState
  clock: bigint
  sentAt: bigint
  receivedAt: bigint
  outboxSeq?: bigint
}

export namespace StoredMessage {
  let _codec: Codec<StoredMessage>

  export const codec = (): Codec<StoredMessage> => {
    if (_codec == null) {
      _codec = message<StoredMessage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id !== '')) {
          w.uint32(10)
          w.string(obj.id)
        }

        if ((obj.conversation != null && obj.conversation !== '')) {
          w.uint32(18)
          w.string(obj.conversation)
        }

        if (obj.direction != null && __DirectionValues[obj.direction] !== 0) {
          w.uint32(24)
          Direction.codec().encode(obj.direction, w)
        }

        if ((obj.sender != null && obj.sender !== '')) {
          w.uint32(34)
          w.string(obj.sender)
        }

        if ((obj.text != null && obj.text !== '')) {
          w.uint32(42)
          w.string(obj.text)
        }

        if (obj.state != null && __MessageStateValues[obj.state] !== 0) {
          w.uint32(48)
          MessageState.codec().encode(obj.state, w)
        }

        if ((obj.clock != null && obj.clock !== 0n)) {
          w.uint32(56)
          w.uint64(obj.clock)
        }

        if ((obj.sentAt != null && obj.sentAt !== 0n)) {
          w.uint32(64)
          w.uint64(obj.sentAt)
        }

        if ((obj.receivedAt != null && obj.receivedAt !== 0n)) {
          w.uint32(72)
          w.uint64(obj.receivedAt)
        }

        if (obj.outboxSeq != null) {
          w.uint32(80)
          w.uint64(obj.outboxSeq)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: '',
          conversation: '',
          direction: Direction.DIRECTION_UNSPECIFIED,
          sender: '',
          text: '',
          state: MessageState.MESSAGE_STATE_UNSPECIFIED,
          clock: 0n,
          sentAt: 0n,
          receivedAt: 0n
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
              obj.conversation = reader.string()
              break
            }
            case 3: {
              obj.direction = Direction.codec().decode(reader)
              break
            }
            case 4: {
              obj.sender = reader.string()
              break
            }
            case 5: {
              obj.text = reader.string()
              break
            }
            case 6: {
              obj.state = MessageState.codec().decode(reader)
              break
            }
            case 7: {
              obj.clock = reader.uint64()
              break
            }
            case 8: {
              obj.sentAt = reader.uint64()
              break
            }
            case 9: {
              obj.receivedAt = reader.uint64()
              break
            }
            case 10: {
              obj.outboxSeq = reader.uint64()
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
                field: `${prefix}.conversation`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.direction`,
                value: Direction.codec().decode(reader)
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.sender`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.text`,
                value: reader.string()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.state`,
                value: MessageState.codec().decode(reader)
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.clock`,
                value: reader.uint64()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.sentAt`,
                value: reader.uint64()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.receivedAt`,
                value: reader.uint64()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.outboxSeq`,
                value: reader.uint64()
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

  export interface StoredMessageIdFieldEvent {
    field: '$.id'
    value: string
  }

  export interface StoredMessageConversationFieldEvent {
    field: '$.conversation'
    value: string
  }

  export interface StoredMessageDirectionFieldEvent {
    field: '$.direction'
    value: Direction
  }

  export interface StoredMessageSenderFieldEvent {
    field: '$.sender'
    value: string
  }

  export interface StoredMessageTextFieldEvent {
    field: '$.text'
    value: string
  }

  export interface StoredMessageStateFieldEvent {
    field: '$.state'
    value: MessageState
  }

  export interface StoredMessageClockFieldEvent {
    field: '$.clock'
    value: bigint
  }

  export interface StoredMessageSentAtFieldEvent {
    field: '$.sentAt'
    value: bigint
  }

  export interface StoredMessageReceivedAtFieldEvent {
    field: '$.receivedAt'
    value: bigint
  }

  export interface StoredMessageOutboxSeqFieldEvent {
    field: '$.outboxSeq'
    value: bigint
  }

  export function encode (obj: Partial<StoredMessage>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, StoredMessage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoredMessage>): StoredMessage {
    return decodeMessage(buf, StoredMessage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoredMessage>): Generator<StoredMessageIdFieldEvent | StoredMessageConversationFieldEvent | StoredMessageDirectionFieldEvent | StoredMessageSenderFieldEvent | StoredMessageTextFieldEvent | StoredMessageStateFieldEvent | StoredMessageClockFieldEvent | StoredMessageSentAtFieldEvent | StoredMessageReceivedAtFieldEvent | StoredMessageOutboxSeqFieldEvent> {
    return streamMessage(buf, StoredMessage.codec(), opts)
  }
}

export interface MessageRef {
  clock: bigint
}

export namespace MessageRef {
  let _codec: Codec<MessageRef>

  export const codec = (): Codec<MessageRef> => {
    if (_codec == null) {
      _codec = message<MessageRef>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.clock != null && obj.clock !== 0n)) {
          w.uint32(8)
          w.uint64(obj.clock)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          clock: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.clock = reader.uint64()
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
                field: `${prefix}.clock`,
                value: reader.uint64()
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

  export interface MessageRefClockFieldEvent {
    field: '$.clock'
    value: bigint
  }

  export function encode (obj: Partial<MessageRef>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, MessageRef.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MessageRef>): MessageRef {
    return decodeMessage(buf, MessageRef.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MessageRef>): Generator<MessageRefClockFieldEvent> {
    return streamMessage(buf, MessageRef.codec(), opts)
  }
}

export interface Contact {
  accountId: string
  publicKey: Uint8Array<ArrayBuffer>
  name: string
  state: ContactState
  devices: Uint8Array<ArrayBuffer>[]
  addrs: string[]
  addedAt: bigint
  updatedAt: bigint
  prekey?: Uint8Array<ArrayBuffer>
  verified: boolean
  keyChange: boolean
}

export namespace Contact {
  let _codec: Codec<Contact>

  export const codec = (): Codec<Contact> => {
    if (_codec == null) {
      _codec = message<Contact>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.accountId != null && obj.accountId !== '')) {
          w.uint32(10)
          w.string(obj.accountId)
        }

        if ((obj.publicKey != null && obj.publicKey.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.publicKey)
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(26)
          w.string(obj.name)
        }

        if (obj.state != null && __ContactStateValues[obj.state] !== 0) {
          w.uint32(32)
          ContactState.codec().encode(obj.state, w)
        }

        if (obj.devices != null && obj.devices.length > 0) {
          for (const value of obj.devices) {
            w.uint32(42)
            w.bytes(value)
          }
        }

        if (obj.addrs != null && obj.addrs.length > 0) {
          for (const value of obj.addrs) {
            w.uint32(50)
            w.string(value)
          }
        }

        if ((obj.addedAt != null && obj.addedAt !== 0n)) {
          w.uint32(56)
          w.uint64(obj.addedAt)
        }

        if ((obj.updatedAt != null && obj.updatedAt !== 0n)) {
          w.uint32(64)
          w.uint64(obj.updatedAt)
        }

        if (obj.prekey != null) {
          w.uint32(74)
          w.bytes(obj.prekey)
        }

        if ((obj.verified != null && obj.verified !== false)) {
          w.uint32(80)
          w.bool(obj.verified)
        }

        if ((obj.keyChange != null && obj.keyChange !== false)) {
          w.uint32(88)
          w.bool(obj.keyChange)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          accountId: '',
          publicKey: uint8ArrayAlloc(0),
          name: '',
          state: ContactState.CONTACT_STATE_UNSPECIFIED,
          devices: [],
          addrs: [],
          addedAt: 0n,
          updatedAt: 0n,
          verified: false,
          keyChange: false
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
              obj.publicKey = reader.bytes()
              break
            }
            case 3: {
              obj.name = reader.string()
              break
            }
            case 4: {
              obj.state = ContactState.codec().decode(reader)
              break
            }
            case 5: {
              if (opts.limits?.devices != null && obj.devices.length === opts.limits.devices) {
                throw new MaxLengthError('Decode error - repeated field "devices" had too many elements')
              }

              obj.devices.push(reader.bytes())
              break
            }
            case 6: {
              if (opts.limits?.addrs != null && obj.addrs.length === opts.limits.addrs) {
                throw new MaxLengthError('Decode error - repeated field "addrs" had too many elements')
              }

              obj.addrs.push(reader.string())
              break
            }
            case 7: {
              obj.addedAt = reader.uint64()
              break
            }
            case 8: {
              obj.updatedAt = reader.uint64()
              break
            }
            case 9: {
              obj.prekey = reader.bytes()
              break
            }
            case 10: {
              obj.verified = reader.bool()
              break
            }
            case 11: {
              obj.keyChange = reader.bool()
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
          devices: 0,
          addrs: 0
        }

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
                field: `${prefix}.publicKey`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.name`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.state`,
                value: ContactState.codec().decode(reader)
              }
              break
            }
            case 5: {
              if (opts.limits?.devices != null && obj.devices === opts.limits.devices) {
                throw new MaxLengthError('Streaming decode error - repeated field "devices" had too many elements')
              }

              yield {
                field: `${prefix}.devices[]`,
                index: obj.devices,
                value: reader.bytes()
              }

              obj.devices++

              break
            }
            case 6: {
              if (opts.limits?.addrs != null && obj.addrs === opts.limits.addrs) {
                throw new MaxLengthError('Streaming decode error - repeated field "addrs" had too many elements')
              }

              yield {
                field: `${prefix}.addrs[]`,
                index: obj.addrs,
                value: reader.string()
              }

              obj.addrs++

              break
            }
            case 7: {
              yield {
                field: `${prefix}.addedAt`,
                value: reader.uint64()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.updatedAt`,
                value: reader.uint64()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.prekey`,
                value: reader.bytes()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.verified`,
                value: reader.bool()
              }
              break
            }
            case 11: {
              yield {
                field: `${prefix}.keyChange`,
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

  export interface ContactAccountIdFieldEvent {
    field: '$.accountId'
    value: string
  }

  export interface ContactPublicKeyFieldEvent {
    field: '$.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContactNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface ContactStateFieldEvent {
    field: '$.state'
    value: ContactState
  }

  export interface ContactDevicesFieldEvent {
    field: '$.devices[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContactAddrsFieldEvent {
    field: '$.addrs[]'
    index: number
    value: string
  }

  export interface ContactAddedAtFieldEvent {
    field: '$.addedAt'
    value: bigint
  }

  export interface ContactUpdatedAtFieldEvent {
    field: '$.updatedAt'
    value: bigint
  }

  export interface ContactPrekeyFieldEvent {
    field: '$.prekey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContactVerifiedFieldEvent {
    field: '$.verified'
    value: boolean
  }

  export interface ContactKeyChangeFieldEvent {
    field: '$.keyChange'
    value: boolean
  }

  export function encode (obj: Partial<Contact>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Contact.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Contact>): Contact {
    return decodeMessage(buf, Contact.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Contact>): Generator<ContactAccountIdFieldEvent | ContactPublicKeyFieldEvent | ContactNameFieldEvent | ContactStateFieldEvent | ContactDevicesFieldEvent | ContactAddrsFieldEvent | ContactAddedAtFieldEvent | ContactUpdatedAtFieldEvent | ContactPrekeyFieldEvent | ContactVerifiedFieldEvent | ContactKeyChangeFieldEvent> {
    return streamMessage(buf, Contact.codec(), opts)
  }
}

export interface Conversation {
  id: string
  clock: bigint
  unread: number
  lastMessageId?: string
  lastText?: string
  lastAt?: bigint
}

export namespace Conversation {
  let _codec: Codec<Conversation>

  export const codec = (): Codec<Conversation> => {
    if (_codec == null) {
      _codec = message<Conversation>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id !== '')) {
          w.uint32(10)
          w.string(obj.id)
        }

        if ((obj.clock != null && obj.clock !== 0n)) {
          w.uint32(16)
          w.uint64(obj.clock)
        }

        if ((obj.unread != null && obj.unread !== 0)) {
          w.uint32(24)
          w.uint32(obj.unread)
        }

        if (obj.lastMessageId != null) {
          w.uint32(34)
          w.string(obj.lastMessageId)
        }

        if (obj.lastText != null) {
          w.uint32(42)
          w.string(obj.lastText)
        }

        if (obj.lastAt != null) {
          w.uint32(48)
          w.uint64(obj.lastAt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: '',
          clock: 0n,
          unread: 0
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
              obj.clock = reader.uint64()
              break
            }
            case 3: {
              obj.unread = reader.uint32()
              break
            }
            case 4: {
              obj.lastMessageId = reader.string()
              break
            }
            case 5: {
              obj.lastText = reader.string()
              break
            }
            case 6: {
              obj.lastAt = reader.uint64()
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
                field: `${prefix}.clock`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.unread`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.lastMessageId`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.lastText`,
                value: reader.string()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.lastAt`,
                value: reader.uint64()
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

  export interface ConversationIdFieldEvent {
    field: '$.id'
    value: string
  }

  export interface ConversationClockFieldEvent {
    field: '$.clock'
    value: bigint
  }

  export interface ConversationUnreadFieldEvent {
    field: '$.unread'
    value: number
  }

  export interface ConversationLastMessageIdFieldEvent {
    field: '$.lastMessageId'
    value: string
  }

  export interface ConversationLastTextFieldEvent {
    field: '$.lastText'
    value: string
  }

  export interface ConversationLastAtFieldEvent {
    field: '$.lastAt'
    value: bigint
  }

  export function encode (obj: Partial<Conversation>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Conversation.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Conversation>): Conversation {
    return decodeMessage(buf, Conversation.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Conversation>): Generator<ConversationIdFieldEvent | ConversationClockFieldEvent | ConversationUnreadFieldEvent | ConversationLastMessageIdFieldEvent | ConversationLastTextFieldEvent | ConversationLastAtFieldEvent> {
    return streamMessage(buf, Conversation.codec(), opts)
  }
}

export interface OutboxEntry {
  conversation: string
  messageId: string
  seq: bigint
  queuedAt: bigint
  envelope: Uint8Array<ArrayBuffer>
}

export namespace OutboxEntry {
  let _codec: Codec<OutboxEntry>

  export const codec = (): Codec<OutboxEntry> => {
    if (_codec == null) {
      _codec = message<OutboxEntry>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.conversation != null && obj.conversation !== '')) {
          w.uint32(10)
          w.string(obj.conversation)
        }

        if ((obj.messageId != null && obj.messageId !== '')) {
          w.uint32(18)
          w.string(obj.messageId)
        }

        if ((obj.seq != null && obj.seq !== 0n)) {
          w.uint32(24)
          w.uint64(obj.seq)
        }

        if ((obj.queuedAt != null && obj.queuedAt !== 0n)) {
          w.uint32(32)
          w.uint64(obj.queuedAt)
        }

        if ((obj.envelope != null && obj.envelope.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.envelope)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          conversation: '',
          messageId: '',
          seq: 0n,
          queuedAt: 0n,
          envelope: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.conversation = reader.string()
              break
            }
            case 2: {
              obj.messageId = reader.string()
              break
            }
            case 3: {
              obj.seq = reader.uint64()
              break
            }
            case 4: {
              obj.queuedAt = reader.uint64()
              break
            }
            case 5: {
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
                field: `${prefix}.conversation`,
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
                field: `${prefix}.seq`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.queuedAt`,
                value: reader.uint64()
              }
              break
            }
            case 5: {
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

  export interface OutboxEntryConversationFieldEvent {
    field: '$.conversation'
    value: string
  }

  export interface OutboxEntryMessageIdFieldEvent {
    field: '$.messageId'
    value: string
  }

  export interface OutboxEntrySeqFieldEvent {
    field: '$.seq'
    value: bigint
  }

  export interface OutboxEntryQueuedAtFieldEvent {
    field: '$.queuedAt'
    value: bigint
  }

  export interface OutboxEntryEnvelopeFieldEvent {
    field: '$.envelope'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<OutboxEntry>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, OutboxEntry.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OutboxEntry>): OutboxEntry {
    return decodeMessage(buf, OutboxEntry.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OutboxEntry>): Generator<OutboxEntryConversationFieldEvent | OutboxEntryMessageIdFieldEvent | OutboxEntrySeqFieldEvent | OutboxEntryQueuedAtFieldEvent | OutboxEntryEnvelopeFieldEvent> {
    return streamMessage(buf, OutboxEntry.codec(), opts)
  }
}

export interface Profile {
  accountId: string
  name: string
  peerId: string
  createdAt: bigint
  recordSeq: bigint
  invite?: string
}

export namespace Profile {
  let _codec: Codec<Profile>

  export const codec = (): Codec<Profile> => {
    if (_codec == null) {
      _codec = message<Profile>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.accountId != null && obj.accountId !== '')) {
          w.uint32(10)
          w.string(obj.accountId)
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(18)
          w.string(obj.name)
        }

        if ((obj.peerId != null && obj.peerId !== '')) {
          w.uint32(26)
          w.string(obj.peerId)
        }

        if ((obj.createdAt != null && obj.createdAt !== 0n)) {
          w.uint32(32)
          w.uint64(obj.createdAt)
        }

        if ((obj.recordSeq != null && obj.recordSeq !== 0n)) {
          w.uint32(40)
          w.uint64(obj.recordSeq)
        }

        if (obj.invite != null) {
          w.uint32(50)
          w.string(obj.invite)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          accountId: '',
          name: '',
          peerId: '',
          createdAt: 0n,
          recordSeq: 0n
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
              obj.name = reader.string()
              break
            }
            case 3: {
              obj.peerId = reader.string()
              break
            }
            case 4: {
              obj.createdAt = reader.uint64()
              break
            }
            case 5: {
              obj.recordSeq = reader.uint64()
              break
            }
            case 6: {
              obj.invite = reader.string()
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
                field: `${prefix}.name`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.peerId`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.createdAt`,
                value: reader.uint64()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.recordSeq`,
                value: reader.uint64()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.invite`,
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

  export interface ProfileAccountIdFieldEvent {
    field: '$.accountId'
    value: string
  }

  export interface ProfileNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface ProfilePeerIdFieldEvent {
    field: '$.peerId'
    value: string
  }

  export interface ProfileCreatedAtFieldEvent {
    field: '$.createdAt'
    value: bigint
  }

  export interface ProfileRecordSeqFieldEvent {
    field: '$.recordSeq'
    value: bigint
  }

  export interface ProfileInviteFieldEvent {
    field: '$.invite'
    value: string
  }

  export function encode (obj: Partial<Profile>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Profile.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Profile>): Profile {
    return decodeMessage(buf, Profile.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Profile>): Generator<ProfileAccountIdFieldEvent | ProfileNameFieldEvent | ProfilePeerIdFieldEvent | ProfileCreatedAtFieldEvent | ProfileRecordSeqFieldEvent | ProfileInviteFieldEvent> {
    return streamMessage(buf, Profile.codec(), opts)
  }
}

export interface Counter {
  value: bigint
}

export namespace Counter {
  let _codec: Codec<Counter>

  export const codec = (): Codec<Counter> => {
    if (_codec == null) {
      _codec = message<Counter>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.value != null && obj.value !== 0n)) {
          w.uint32(8)
          w.uint64(obj.value)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          value: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.value = reader.uint64()
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
                value: reader.uint64()
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

  export interface CounterValueFieldEvent {
    field: '$.value'
    value: bigint
  }

  export function encode (obj: Partial<Counter>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Counter.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Counter>): Counter {
    return decodeMessage(buf, Counter.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Counter>): Generator<CounterValueFieldEvent> {
    return streamMessage(buf, Counter.codec(), opts)
  }
}
