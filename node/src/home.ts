/**
 * A Parley home directory: the LevelDB store, the control socket of the
 * process that owns it, and a small config (the bootstrap relays last used).
 *
 *   <home>/store/         LevelDB (classic-level); one process at a time
 *   <home>/control.sock   the owner's control socket (daemon or chat)
 *   <home>/config.json    { "bootstrap": [...], "mailbox": { "webhook": {url, method, body}, "retentionDays": 30 } }
 */

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { StoreLockedError } from '#shared/errors.ts'
import type { ParleyStore } from '#shared/store/index.ts'
import type { Level } from 'level'

/** The home's open LevelDB: the account's store and, in a daemon, the mailbox's records share it. */
export type HomeDatabase = Level<string, Uint8Array>

/**
 * How `parley daemon` serves as a mailbox (docs/protocols/mailbox.md). Every
 * field is optional; the quota fields override the defaults of MailboxLimits.
 */
export interface HomeMailboxConfig {
  /** Called when mail arrives for an account with no device online (node/src/mailbox-service.ts). */
  webhook?: { url: string, method?: 'POST' | 'PUT' | 'PATCH' | 'GET', body?: string, headers?: Record<string, string> }
  /** How long undrained mail is held. @default 30 */
  retentionDays?: number
  accountItems?: number
  accountBytes?: number
  senderItems?: number
  senderBytes?: number
  totalBytes?: number
}

export interface HomeConfig {
  bootstrap?: string[]
  mailbox?: HomeMailboxConfig
}

export class Home {
  readonly dir: string
  readonly storeDir: string
  readonly socketPath: string
  readonly configPath: string

  constructor (dir?: string) {
    this.dir = resolve(dir ?? process.env.PARLEY_HOME ?? join(homedir(), '.parley'))
    this.storeDir = join(this.dir, 'store')
    this.socketPath = join(this.dir, 'control.sock')
    this.configPath = join(this.dir, 'config.json')
  }

  async ensure (): Promise<void> {
    // only its owner may read the store or talk to the control socket
    await mkdir(this.dir, { recursive: true, mode: 0o700 })
  }

  /** Opens the store; StoreLockedError if another process owns it. */
  async openStore (): Promise<ParleyStore> {
    return (await this.openDatabase()).store
  }

  /**
   * Opens the store and hands out its LevelDB too (one open handle: LevelDB
   * locks the directory), for other records beside the account's (the
   * mailbox's). Closing the store closes the database.
   */
  async openDatabase (): Promise<{ store: ParleyStore, db: HomeDatabase }> {
    await this.ensure()
    const [{ Level }, { ParleyStore }] = await Promise.all([import('level'), import('#shared/store/index.ts')])
    const db = new Level<string, Uint8Array>(this.storeDir, { keyEncoding: 'utf8', valueEncoding: 'view' })
    try {
      await db.open()
    } catch (err: any) {
      if (err.cause?.code === 'LEVEL_LOCKED') {
        throw new StoreLockedError(`Another parley process is using ${this.dir}. Stop it first, or run this command while its daemon is running (it then talks to the daemon).`)
      }
      throw err
    }
    return { store: await ParleyStore.open(db), db }
  }

  async readConfig (): Promise<HomeConfig> {
    try {
      const parsed = JSON.parse(await readFile(this.configPath, 'utf8'))
      const bootstrap = Array.isArray(parsed?.bootstrap) ? parsed.bootstrap.filter((b: unknown) => typeof b === 'string') : undefined
      const mailbox = parsed?.mailbox != null && typeof parsed.mailbox === 'object' && !Array.isArray(parsed.mailbox) ? parsed.mailbox : undefined
      return { bootstrap, ...(mailbox != null ? { mailbox } : {}) }
    } catch (err: any) {
      if (err.code === 'ENOENT') {
        return {}
      }
      throw new Error(`${this.configPath} is not valid JSON: fix or delete it (${err.message})`)
    }
  }

  async writeConfig (config: HomeConfig): Promise<void> {
    await this.ensure()
    const tmp = `${this.configPath}.tmp`
    await writeFile(tmp, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 })
    await rename(tmp, this.configPath)
  }
}
