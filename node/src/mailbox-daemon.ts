/**
 * A standalone mailbox daemon: a libp2p node serving `/parley/mailbox/1.0.0`
 * over TCP and WebSockets, its store in a LevelDB of its own. `parley daemon`
 * will serve the same service beside the messenger; until then (and for
 * tests) this runs it alone:
 *
 *   node --import tsx node/src/mailbox-daemon.ts --data-dir DIR [--listen MA]... [--bootstrap MA]...
 *     [--config FILE] [--pair] [--json]
 *
 *   <data-dir>/peer-key   the mailbox's libp2p key (its peer id: pairing codes name it)
 *   <data-dir>/store/     LevelDB; the mailbox's records under the sublevel `mailbox`
 *
 * `--config FILE` is JSON: `{ "retentionMs", "accountBytes", "accountItems", "senderBytes",
 * "senderItems", "totalBytes", "codeTtlMs", "accepting", "webhook": { "url", "method", "body", … } }`,
 * every field optional (node/src/mailbox-service.ts documents the webhook).
 *
 * With `--json`, stdout carries one JSON object per line: first
 * `{"event":"mailbox:ready","peerId","multiaddrs"}`, then with `--pair`
 * `{"event":"mailbox:code","code","expiresAt"}`, then one line per
 * `mailbox:paired|deposited|acked|unpaired` event (ids and counts only). Logs
 * go to stderr (`DEBUG=parley:*`). SIGINT/SIGTERM stop it cleanly (exit 0).
 */

import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { pathToFileURL } from 'node:url'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { logger } from '@libp2p/logger'
import { Level } from 'level'
import { MailboxStore } from '#shared/mailbox/index.ts'
import { createParleyNode } from '#shared/net/index.ts'
import { mailboxProtocol } from '#shared/protocol/mailbox/index.ts'
import { loadOrCreatePeerKey } from '#relay/src/key.ts'
import { MailboxService, validateWebhookConfig } from './mailbox-service.ts'
import type { MailboxServiceEvents, WebhookConfig } from './mailbox-service.ts'
import type { MailboxLimits } from '#shared/mailbox/index.ts'
import type { ParleyNode } from '#shared/net/index.ts'
import type { MailboxProtocol } from '#shared/protocol/mailbox/index.ts'

const log = logger('parley:mailbox:daemon')

export const DEFAULT_MAILBOX_LISTEN = ['/ip4/127.0.0.1/tcp/0']

export interface MailboxConfig extends Partial<MailboxLimits> {
  codeTtlMs?: number
  accepting?: boolean
  webhook?: WebhookConfig
}

export interface MailboxDaemonInit {
  dataDir: string
  listen?: string[]
  bootstrap?: string[]
  config?: MailboxConfig
}

export interface MailboxDaemon {
  node: ParleyNode<{ mailbox: MailboxProtocol }>
  service: MailboxService
  store: MailboxStore
  stop(): Promise<void>
}

const CONFIG_KEYS = new Set(['retentionMs', 'accountBytes', 'accountItems', 'senderBytes', 'senderItems', 'totalBytes', 'envelopeBytes', 'codeTtlMs', 'accepting', 'webhook'])

/** Reads and checks a `--config` file. */
export async function readMailboxConfig (path: string): Promise<MailboxConfig> {
  let parsed: any
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'))
  } catch (err: any) {
    throw new Error(`Cannot read the mailbox config ${path}: ${err.message}`)
  }
  if (parsed == null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`The mailbox config ${path} must be a JSON object`)
  }
  const unknown = Object.keys(parsed).filter(k => !CONFIG_KEYS.has(k))
  if (unknown.length > 0) {
    throw new Error(`The mailbox config ${path} has unknown key(s): ${unknown.join(', ')}`)
  }
  if (parsed.webhook != null) {
    validateWebhookConfig(parsed.webhook)
  }
  return parsed
}

/** Opens the store, starts the node and the service; `stop()` undoes it all. */
export async function startMailboxDaemon (init: MailboxDaemonInit): Promise<MailboxDaemon> {
  const { privateKey } = await loadOrCreatePeerKey(init.dataDir)
  const db = new Level<string, Uint8Array>(join(init.dataDir, 'store'), { keyEncoding: 'utf8', valueEncoding: 'view' })
  await db.open()
  const { codeTtlMs, accepting, webhook, ...limits } = init.config ?? {}
  let store: MailboxStore | undefined
  let node: MailboxDaemon['node'] | undefined
  try {
    store = await MailboxStore.open(db, limits)
    const created: MailboxDaemon['node'] = await createParleyNode({
      privateKey,
      transports: [tcp(), webSockets()],
      listen: init.listen ?? DEFAULT_MAILBOX_LISTEN,
      bootstrap: init.bootstrap,
      dhtMode: 'server',
      allowPrivateAddresses: true,
      services: { mailbox: mailboxProtocol() }
    })
    node = created
    const service = new MailboxService({
      store,
      protocol: created.services.mailbox,
      peerId: created.peerId,
      addresses: () => created.getMultiaddrs(),
      codeTtlMs,
      accepting,
      webhook
    })
    node.addEventListener('peer:connect', (evt) => { service.peerOnline(evt.detail) })
    node.addEventListener('peer:disconnect', (evt) => { service.peerOffline(evt.detail) })
    await service.start()
    await node.start()
    const [opened, started] = [store, node]
    return {
      node: started,
      service,
      store: opened,
      async stop () {
        await service.stop()
        await started.stop()
        await opened.close()
        await db.close()
      }
    }
  } catch (err) {
    await node?.stop()
    await store?.close()
    await db.close()
    throw err
  }
}

const EVENTS: Array<keyof MailboxServiceEvents> = ['mailbox:paired', 'mailbox:deposited', 'mailbox:acked', 'mailbox:unpaired']

async function main (argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      listen: { type: 'string', multiple: true },
      bootstrap: { type: 'string', multiple: true },
      config: { type: 'string' },
      pair: { type: 'boolean' },
      json: { type: 'boolean' }
    },
    strict: true
  })
  const dataDir = values['data-dir']
  if (dataDir == null) {
    process.stderr.write('parley-mailbox: --data-dir DIR is required\n')
    return 2
  }
  const json = values.json === true
  const print = (value: Record<string, unknown>, text: string): void => {
    process.stdout.write((json ? JSON.stringify(value) : text) + '\n')
  }

  const stopped = Promise.withResolvers<void>()
  process.once('SIGINT', () => { stopped.resolve() })
  process.once('SIGTERM', () => { stopped.resolve() })

  const config = values.config != null ? await readMailboxConfig(values.config) : {}
  const daemon = await startMailboxDaemon({ dataDir, listen: values.listen, bootstrap: values.bootstrap, config })
  try {
    for (const name of EVENTS) {
      daemon.service.addEventListener(name, (evt: CustomEvent<Record<string, unknown>>) => {
        print({ event: name, ...evt.detail }, `${new Date().toISOString()} ${name} ${Object.entries(evt.detail).map(([k, v]) => `${k}=${String(v)}`).join(' ')}`)
      })
    }
    const multiaddrs = daemon.node.getMultiaddrs().map(a => a.toString())
    print({ event: 'mailbox:ready', peerId: daemon.node.peerId.toString(), multiaddrs },
      `parley mailbox ${daemon.node.peerId.toString()}\n${multiaddrs.map(a => `listening on ${a}`).join('\n')}`)
    if (values.pair === true) {
      const { code, expiresAt } = await daemon.service.createPairingCode()
      print({ event: 'mailbox:code', code, expiresAt }, `pairing code (single use, until ${new Date(expiresAt).toISOString()}):\n${code}`)
    }
    await stopped.promise
    log('stopping')
    return 0
  } finally {
    await daemon.stop()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    process.exitCode = await main(process.argv.slice(2))
  } catch (err: any) {
    process.stderr.write(`parley-mailbox: ${err.message}\n`)
    process.exitCode = 1
  }
  // libp2p and LevelDB may leave timers behind after a clean stop
  process.exit(process.exitCode ?? 0)
}
