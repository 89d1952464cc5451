/**
 * The relay's persistent libp2p key: `<data-dir>/peer-key`, the protobuf
 * encoding of an Ed25519 private key (`privateKeyToProtobuf`), mode 0600 in a
 * 0700 directory. The peer id — and so every multiaddr clients bootstrap
 * from — derives from it, which is why an unreadable key file is an error and
 * never silently replaced.
 */

import { constants } from 'node:fs'
import { link, mkdir, open, readFile, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { logger } from '@libp2p/logger'
import { KeyFileError } from '#shared/errors.ts'
import type { PrivateKey } from '@libp2p/interface'

const log = logger('parley:relay:key')

/** File name of the key inside the data directory. */
export const PEER_KEY_FILE = 'peer-key'

export interface LoadedPeerKey {
  privateKey: PrivateKey
  /** Absolute or data-dir-relative path of the key file. */
  path: string
  /** True when this call generated the key (first start). */
  created: boolean
  /** True when group or others may read the key file (it should be 0600). */
  readableByOthers: boolean
}

/**
 * Reads `<dataDir>/peer-key`, or creates the directory (0700) and a new
 * Ed25519 key (0600) when there is none yet.
 *
 * @throws {KeyFileError} when the file exists but is not a valid key, or the
 * data directory is not a directory. Nothing is overwritten.
 */
export async function loadOrCreatePeerKey (dataDir: string): Promise<LoadedPeerKey> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const dirStat = await stat(dataDir)
  if (!dirStat.isDirectory()) {
    throw new KeyFileError(`The data directory ${dataDir} is not a directory. Pass another one with --data-dir.`)
  }
  const path = join(dataDir, PEER_KEY_FILE)

  const existing = await readKey(path)
  if (existing != null) {
    return existing
  }

  const privateKey = await generateKeyPair('Ed25519')
  if (await writeExclusive(path, privateKeyToProtobuf(privateKey))) {
    log('created a new peer key in %s', path)
    return { privateKey, path, created: true, readableByOthers: false }
  }
  // Another process created the key between our read and our write: use theirs.
  const raced = await readKey(path)
  if (raced == null) {
    throw new KeyFileError(`The peer key ${path} appeared and vanished while starting. Start the relay again.`)
  }
  return raced
}

async function readKey (path: string): Promise<LoadedPeerKey | undefined> {
  let bytes: Uint8Array
  let mode: number
  try {
    bytes = await readFile(path)
    mode = (await stat(path)).mode
  } catch (err: any) {
    if (err.code === 'ENOENT') {
      return undefined
    }
    throw new KeyFileError(`Cannot read the peer key ${path}: ${err.message}`, { cause: err })
  }
  try {
    if (bytes.byteLength === 0) {
      throw new Error('the file is empty')
    }
    const privateKey = privateKeyFromProtobuf(bytes)
    return { privateKey, path, created: false, readableByOthers: (mode & 0o077) !== 0 }
  } catch (err: any) {
    throw new KeyFileError(
      `The peer key ${path} is corrupt (${err.message}). It was left untouched: restore it from a backup, ` +
      'or move it away to start with a new peer id (clients must then be given the new relay address).',
      { cause: err })
  }
}

/**
 * Writes a new file atomically and without replacing an existing one: the
 * bytes go to a temporary file (0600, fsynced) that is then hard-linked to
 * `path`; `link` fails if `path` exists. Returns false when it already did.
 */
async function writeExclusive (path: string, bytes: Uint8Array): Promise<boolean> {
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`
  const handle = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600)
  try {
    await handle.writeFile(bytes)
    await handle.sync()
  } finally {
    await handle.close()
  }
  try {
    await link(tmp, path)
    return true
  } catch (err: any) {
    if (err.code === 'EEXIST') {
      return false
    }
    throw new KeyFileError(`Cannot create the peer key ${path}: ${err.message}`, { cause: err })
  } finally {
    await unlink(tmp).catch(() => {})
  }
}
