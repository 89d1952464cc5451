import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface DeviceCertificate {
  accountPublicKey: Uint8Array<ArrayBuffer>
  peerId: Uint8Array<ArrayBuffer>
  issuedAt: number
  signature: Uint8Array<ArrayBuffer>
}

export namespace DeviceCertificate {
  let _codec: Codec<DeviceCertificate>

  export const codec = (): Codec<DeviceCertificate> => {
    if (_codec == null) {
      _codec = message<DeviceCertificate>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.accountPublicKey != null && obj.accountPublicKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.accountPublicKey)
        }

        if ((obj.peerId != null && obj.peerId.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.peerId)
        }

        if ((obj.issuedAt != null && obj.issuedAt !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.issuedAt)
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
          accountPublicKey: uint8ArrayAlloc(0),
          peerId: uint8ArrayAlloc(0),
          issuedAt: 0,
          signature: uint8ArrayAlloc(0)
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
              obj.peerId = reader.bytes()
              break
            }
            case 3: {
              obj.issuedAt = reader.uint64Number()
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
                field: `${prefix}.accountPublicKey`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.peerId`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.issuedAt`,
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

  export interface DeviceCertificateAccountPublicKeyFieldEvent {
    field: '$.accountPublicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DeviceCertificatePeerIdFieldEvent {
    field: '$.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DeviceCertificateIssuedAtFieldEvent {
    field: '$.issuedAt'
    value: number
  }

  export interface DeviceCertificateSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<DeviceCertificate>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DeviceCertificate.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceCertificate>): DeviceCertificate {
    return decodeMessage(buf, DeviceCertificate.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceCertificate>): Generator<DeviceCertificateAccountPublicKeyFieldEvent | DeviceCertificatePeerIdFieldEvent | DeviceCertificateIssuedAtFieldEvent | DeviceCertificateSignatureFieldEvent> {
    return streamMessage(buf, DeviceCertificate.codec(), opts)
  }
}

export interface Invite {
  accountPublicKey: Uint8Array<ArrayBuffer>
  name: string
  devices: DeviceCertificate[]
  addrs: Uint8Array<ArrayBuffer>[]
  issuedAt: number
  signature: Uint8Array<ArrayBuffer>
  signedPrekey: Uint8Array<ArrayBuffer>
}

export namespace Invite {
  let _codec: Codec<Invite>

  export const codec = (): Codec<Invite> => {
    if (_codec == null) {
      _codec = message<Invite>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.accountPublicKey != null && obj.accountPublicKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.accountPublicKey)
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(18)
          w.string(obj.name)
        }

        if (obj.devices != null && obj.devices.length > 0) {
          for (const value of obj.devices) {
            w.uint32(26)
            DeviceCertificate.codec().encode(value, w)
          }
        }

        if (obj.addrs != null && obj.addrs.length > 0) {
          for (const value of obj.addrs) {
            w.uint32(34)
            w.bytes(value)
          }
        }

        if ((obj.issuedAt != null && obj.issuedAt !== 0)) {
          w.uint32(40)
          w.uint64Number(obj.issuedAt)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.signature)
        }

        if ((obj.signedPrekey != null && obj.signedPrekey.byteLength > 0)) {
          w.uint32(58)
          w.bytes(obj.signedPrekey)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          accountPublicKey: uint8ArrayAlloc(0),
          name: '',
          devices: [],
          addrs: [],
          issuedAt: 0,
          signature: uint8ArrayAlloc(0),
          signedPrekey: uint8ArrayAlloc(0)
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
              obj.name = reader.string()
              break
            }
            case 3: {
              if (opts.limits?.devices != null && obj.devices.length === opts.limits.devices) {
                throw new MaxLengthError('Decode error - repeated field "devices" had too many elements')
              }

              obj.devices.push(DeviceCertificate.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.devices$
              }))
              break
            }
            case 4: {
              if (opts.limits?.addrs != null && obj.addrs.length === opts.limits.addrs) {
                throw new MaxLengthError('Decode error - repeated field "addrs" had too many elements')
              }

              obj.addrs.push(reader.bytes())
              break
            }
            case 5: {
              obj.issuedAt = reader.uint64Number()
              break
            }
            case 6: {
              obj.signature = reader.bytes()
              break
            }
            case 7: {
              obj.signedPrekey = reader.bytes()
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
                field: `${prefix}.accountPublicKey`,
                value: reader.bytes()
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
              if (opts.limits?.devices != null && obj.devices === opts.limits.devices) {
                throw new MaxLengthError('Streaming decode error - repeated field "devices" had too many elements')
              }

              for (const evt of DeviceCertificate.codec().stream(reader, reader.uint32(), `${prefix}.devices[]`, {
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
            case 4: {
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
            case 5: {
              yield {
                field: `${prefix}.issuedAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.signedPrekey`,
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

  export interface InviteAccountPublicKeyFieldEvent {
    field: '$.accountPublicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface InviteNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface InviteDevicesAccountPublicKeyFieldEvent {
    field: '$.devices[].accountPublicKey'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface InviteDevicesPeerIdFieldEvent {
    field: '$.devices[].peerId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface InviteDevicesIssuedAtFieldEvent {
    field: '$.devices[].issuedAt'
    value: number
    index: number
  }

  export interface InviteDevicesSignatureFieldEvent {
    field: '$.devices[].signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface InviteAddrsFieldEvent {
    field: '$.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface InviteIssuedAtFieldEvent {
    field: '$.issuedAt'
    value: number
  }

  export interface InviteSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface InviteSignedPrekeyFieldEvent {
    field: '$.signedPrekey'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Invite>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Invite.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Invite>): Invite {
    return decodeMessage(buf, Invite.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Invite>): Generator<InviteAccountPublicKeyFieldEvent | InviteNameFieldEvent | InviteDevicesAccountPublicKeyFieldEvent | InviteDevicesPeerIdFieldEvent | InviteDevicesIssuedAtFieldEvent | InviteDevicesSignatureFieldEvent | InviteAddrsFieldEvent | InviteIssuedAtFieldEvent | InviteSignatureFieldEvent | InviteSignedPrekeyFieldEvent> {
    return streamMessage(buf, Invite.codec(), opts)
  }
}

export interface SealedVault {
  version: number
  kdf: string
  logN: number
  r: number
  p: number
  salt: Uint8Array<ArrayBuffer>
  nonce: Uint8Array<ArrayBuffer>
  ciphertext: Uint8Array<ArrayBuffer>
}

export namespace SealedVault {
  let _codec: Codec<SealedVault>

  export const codec = (): Codec<SealedVault> => {
    if (_codec == null) {
      _codec = message<SealedVault>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.kdf != null && obj.kdf !== '')) {
          w.uint32(18)
          w.string(obj.kdf)
        }

        if ((obj.logN != null && obj.logN !== 0)) {
          w.uint32(24)
          w.uint32(obj.logN)
        }

        if ((obj.r != null && obj.r !== 0)) {
          w.uint32(32)
          w.uint32(obj.r)
        }

        if ((obj.p != null && obj.p !== 0)) {
          w.uint32(40)
          w.uint32(obj.p)
        }

        if ((obj.salt != null && obj.salt.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.salt)
        }

        if ((obj.nonce != null && obj.nonce.byteLength > 0)) {
          w.uint32(58)
          w.bytes(obj.nonce)
        }

        if ((obj.ciphertext != null && obj.ciphertext.byteLength > 0)) {
          w.uint32(66)
          w.bytes(obj.ciphertext)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          kdf: '',
          logN: 0,
          r: 0,
          p: 0,
          salt: uint8ArrayAlloc(0),
          nonce: uint8ArrayAlloc(0),
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
              obj.kdf = reader.string()
              break
            }
            case 3: {
              obj.logN = reader.uint32()
              break
            }
            case 4: {
              obj.r = reader.uint32()
              break
            }
            case 5: {
              obj.p = reader.uint32()
              break
            }
            case 6: {
              obj.salt = reader.bytes()
              break
            }
            case 7: {
              obj.nonce = reader.bytes()
              break
            }
            case 8: {
              obj.ciphertext = reader.bytes()
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
                field: `${prefix}.kdf`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.logN`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.r`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.p`,
                value: reader.uint32()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.salt`,
                value: reader.bytes()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.nonce`,
                value: reader.bytes()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.ciphertext`,
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

  export interface SealedVaultVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface SealedVaultKdfFieldEvent {
    field: '$.kdf'
    value: string
  }

  export interface SealedVaultLogNFieldEvent {
    field: '$.logN'
    value: number
  }

  export interface SealedVaultRFieldEvent {
    field: '$.r'
    value: number
  }

  export interface SealedVaultPFieldEvent {
    field: '$.p'
    value: number
  }

  export interface SealedVaultSaltFieldEvent {
    field: '$.salt'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SealedVaultNonceFieldEvent {
    field: '$.nonce'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SealedVaultCiphertextFieldEvent {
    field: '$.ciphertext'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SealedVault>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SealedVault.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SealedVault>): SealedVault {
    return decodeMessage(buf, SealedVault.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SealedVault>): Generator<SealedVaultVersionFieldEvent | SealedVaultKdfFieldEvent | SealedVaultLogNFieldEvent | SealedVaultRFieldEvent | SealedVaultPFieldEvent | SealedVaultSaltFieldEvent | SealedVaultNonceFieldEvent | SealedVaultCiphertextFieldEvent> {
    return streamMessage(buf, SealedVault.codec(), opts)
  }
}

export interface VaultContents {
  accountPrivateKey: Uint8Array<ArrayBuffer>
  devicePrivateKey: Uint8Array<ArrayBuffer>
  storageKey: Uint8Array<ArrayBuffer>
}

export namespace VaultContents {
  let _codec: Codec<VaultContents>

  export const codec = (): Codec<VaultContents> => {
    if (_codec == null) {
      _codec = message<VaultContents>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.accountPrivateKey != null && obj.accountPrivateKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.accountPrivateKey)
        }

        if ((obj.devicePrivateKey != null && obj.devicePrivateKey.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.devicePrivateKey)
        }

        if ((obj.storageKey != null && obj.storageKey.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.storageKey)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          accountPrivateKey: uint8ArrayAlloc(0),
          devicePrivateKey: uint8ArrayAlloc(0),
          storageKey: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.accountPrivateKey = reader.bytes()
              break
            }
            case 2: {
              obj.devicePrivateKey = reader.bytes()
              break
            }
            case 3: {
              obj.storageKey = reader.bytes()
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
                field: `${prefix}.accountPrivateKey`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.devicePrivateKey`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.storageKey`,
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

  export interface VaultContentsAccountPrivateKeyFieldEvent {
    field: '$.accountPrivateKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface VaultContentsDevicePrivateKeyFieldEvent {
    field: '$.devicePrivateKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface VaultContentsStorageKeyFieldEvent {
    field: '$.storageKey'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<VaultContents>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, VaultContents.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<VaultContents>): VaultContents {
    return decodeMessage(buf, VaultContents.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<VaultContents>): Generator<VaultContentsAccountPrivateKeyFieldEvent | VaultContentsDevicePrivateKeyFieldEvent | VaultContentsStorageKeyFieldEvent> {
    return streamMessage(buf, VaultContents.codec(), opts)
  }
}
