/**
 * `parley`: the Parley peer for terminals and scripts. See `parley --help`.
 *
 * A command either talks to the process that owns the home (a running daemon
 * or chat, over the control socket) or, when none runs, opens the store
 * itself; only `daemon`, `chat`, `send --wait` and the `mailbox` commands
 * that ask a mailbox go online.
 */

import { parseArgs } from 'node:util'
import { multiaddr } from '@multiformats/multiaddr'
import { LocalApi } from './api.ts'
import { runChat } from './chat.ts'
import { formatMessage, keyChangeWarning } from './format.ts'
import { connectControl, serveControl } from './control.ts'
import { Home } from './home.ts'
import type { HomeDatabase, HomeMailboxConfig } from './home.ts'
import type { MailboxService } from './mailbox-service.ts'
import type { MailboxStore } from '#shared/mailbox/index.ts'
import { readPassphrase } from './passphrase.ts'
import type { ApiEvent, ContactView, MailboxStatusView, ParleyApi } from './api.ts'
import type { Messenger } from '#shared/messenger/index.ts'
import type { ParleyStore } from '#shared/store/index.ts'
import type { PeerNode } from '#shared/messenger/index.ts'
import type { PrivateKey } from '@libp2p/interface'

export const USAGE = `parley — a peer-to-peer messenger

Usage:
  parley [--home DIR] [--bootstrap MULTIADDR]... <command>

Commands:
  init --name NAME                 create the account (passphrase from PARLEY_PASSPHRASE or a prompt)
  whoami [--json]                  account id, device peer id, invite
  contacts add <invite> [--name N] add a contact from their invite
  contacts list [--json]           your contacts
  contacts verify <contact> [--mark] [--json]
                                   the safety number to compare with the contact; --mark
                                   records that it matched (verified)
  requests [--json]                messages from accounts that are not contacts
  accept <id>                      make a request a contact
  block <id>                       refuse an account's messages
  send <contact> <text> [--wait SECONDS]
                                   store and queue a message; with --wait, exit 0 once
                                   delivered or 3 if it is still queued
  history <contact> [--limit N] [--before ID] [--json]
                                   the conversation, oldest first (JSON lines with --json)
  status [--json]                  whether a daemon runs, connections, relays
  daemon [--listen MULTIADDR]... [--json]
                                   stay online: receive, deliver the outbox, one line per event;
                                   also serves as a mailbox for the accounts paired with it
  mailbox pair [--json]            a one-time code that pairs an account with this home's
                                   mailbox (needs the daemon running here)
  mailbox use <code> [--json]      pair your account with the mailbox a code names: it holds
                                   your mail while none of your devices is online
  mailbox status [--json]          what this home's mailbox holds (accounts, items, bytes,
                                   quota, last drain per device) and the mailboxes you use
  mailbox unpair [<peer-id>] [--json]
                                   stop using a mailbox (drains it first; the peer id is
                                   needed only if you use more than one)
  chat <contact>                   interactive chat (type a line to send; Ctrl-D to leave)

<contact> is a contact's name or account id.

Options:
  --home DIR              where the account lives (env PARLEY_HOME; default ~/.parley)
  --bootstrap MULTIADDR   a relay to join the network through (env PARLEY_BOOTSTRAP,
                          comma-separated); remembered in the home once given
  --json                  machine-readable output
  -h, --help              this help

Environment: PARLEY_PASSPHRASE (the vault passphrase, for scripts), PARLEY_KDF_LOG_N (scrypt
cost 2^N when creating a vault; default 17), DEBUG=parley:* (logs on stderr).

While a daemon runs for a home, the other commands talk to it over its control socket.
Exit codes: 0 ok, 1 failed, 2 usage error, 3 message still queued (send --wait).`

/** An error whose message is the whole story for the user, with an exit code. */
class CliError extends Error {
  readonly exitCode: number
  constructor (message: string, exitCode = 1) {
    super(message)
    this.exitCode = exitCode
  }
}

const OPTIONS = {
  home: { type: 'string' },
  bootstrap: { type: 'string', multiple: true },
  listen: { type: 'string', multiple: true },
  name: { type: 'string' },
  json: { type: 'boolean' },
  wait: { type: 'string' },
  limit: { type: 'string' },
  before: { type: 'string' },
  mark: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' }
} as const

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS, allowPositionals: true, strict: true }>>['values']

/** Which options each command takes, beyond the global ones. */
const COMMAND_OPTIONS: Record<string, Array<keyof Values>> = {
  init: ['name', 'json'],
  whoami: ['json'],
  contacts: ['name', 'json', 'mark'],
  requests: ['json'],
  accept: ['json'],
  block: ['json'],
  send: ['wait', 'json'],
  history: ['limit', 'before', 'json'],
  status: ['json'],
  daemon: ['listen', 'json'],
  mailbox: ['json', 'listen'],
  chat: ['listen']
}

export async function main (argv: string[]): Promise<number> {
  let values: Values
  let positionals: string[]
  try {
    ({ values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }))
  } catch (err: any) {
    throw new CliError(`${err.message} (see parley --help)`, 2)
  }
  const [command, ...args] = positionals
  if (values.help === true || command == null || command === 'help') {
    process.stdout.write(USAGE + '\n')
    return command == null && values.help !== true ? 2 : 0
  }
  const allowed = COMMAND_OPTIONS[command]
  if (allowed == null) {
    throw new CliError(`Unknown command "${command}" (see parley --help)`, 2)
  }
  for (const key of Object.keys(values) as Array<keyof Values>) {
    if (!['home', 'bootstrap', 'help'].includes(key) && !allowed.includes(key)) {
      throw new CliError(`${command} does not take --${key} (see parley --help)`, 2)
    }
  }

  const home = new Home(values.home)
  const ctx = new Context(home, values)
  switch (command) {
    case 'init': return cmdInit(ctx)
    case 'whoami': return ctx.with(async api => {
      const me = await api.whoami()
      print(values.json === true ? JSON.stringify(me) : `${me.name}\naccount id: ${me.accountId}\ndevice:     ${me.peerId}\ninvite:     ${me.invite}`)
      return 0
    })
    case 'contacts': return cmdContacts(ctx, args)
    case 'requests': return ctx.with(async api => {
      printContacts(await api.requests(), values.json === true, 'No message requests.')
      return 0
    })
    case 'accept':
    case 'block': return ctx.with(async api => {
      const ref = one(args, `${command} <id>`)
      const contact = command === 'accept' ? await api.accept(ref) : await api.block(ref)
      print(values.json === true ? JSON.stringify(contact) : `${command === 'accept' ? 'Accepted' : 'Blocked'} ${contact.name} (${contact.accountId})`)
      return 0
    })
    case 'send': return cmdSend(ctx, args)
    case 'history': return cmdHistory(ctx, args)
    case 'status': return cmdStatus(ctx)
    case 'daemon': return cmdDaemon(ctx)
    case 'mailbox': return cmdMailbox(ctx, args)
    case 'chat': return cmdChat(ctx, args)
    default: throw new CliError(`Unknown command "${command}"`, 2)
  }
}

/** Global state of one invocation: the home, options, and how to reach the account. */
class Context {
  readonly home: Home
  readonly values: Values

  constructor (home: Home, values: Values) {
    this.home = home
    this.values = values
  }

  /** Relays from --bootstrap, else PARLEY_BOOTSTRAP, else the home's config; given ones are remembered. */
  async bootstrap (): Promise<string[]> {
    const given = this.values.bootstrap ?? splitList(process.env.PARLEY_BOOTSTRAP)
    for (const addr of given) {
      validateRelayAddr(addr)
    }
    if (given.length > 0) {
      await this.home.writeConfig({ ...(await this.home.readConfig()), bootstrap: given })
      return given
    }
    return (await this.home.readConfig()).bootstrap ?? []
  }

  /**
   * Runs `fn` against the home's owner if one is running, else against a
   * Messenger of our own (started only when `online`).
   */
  async with (fn: (api: ParleyApi, local: boolean) => Promise<number>, options: { online?: boolean } = {}): Promise<number> {
    const remote = await connectControl(this.home.socketPath)
    if (remote != null) {
      try {
        return await fn(remote, false)
      } finally {
        await remote.close()
      }
    }
    const { messenger, store } = await this.openMessenger()
    if (options.online === true) {
      await messenger.start()
    }
    const api = new LocalApi(messenger, async () => {
      await messenger.stop()
      await store.close()
    })
    try {
      return await fn(api, true)
    } finally {
      await api.close()
    }
  }

  async openMessenger (): Promise<{ messenger: Messenger, store: ParleyStore, db: HomeDatabase }> {
    const bootstrap = await this.bootstrap()
    const { store, db } = await this.home.openDatabase()
    try {
      if (await store.getProfile() == null) {
        throw new CliError(`No account in ${this.home.dir} yet: run \`parley init --name NAME\` first.`)
      }
      const { Messenger, unlockAccount } = await import('#shared/messenger/index.ts')
      const account = await unlockAccount(store, await readPassphrase())
      const messenger = new Messenger({
        store,
        account,
        bootstrap,
        createNode: lazyNodeFactory(bootstrap, this.values.listen)
      })
      return { messenger, store, db }
    } catch (err) {
      await store.close()
      throw err
    }
  }
}

async function cmdInit (ctx: Context): Promise<number> {
  const name = ctx.values.name
  if (name == null) {
    throw new CliError('init needs --name NAME (your display name)', 2)
  }
  if (await connectControl(ctx.home.socketPath) != null) {
    throw new CliError(`A parley daemon is running for ${ctx.home.dir}: an account exists there already.`)
  }
  const bootstrap = await ctx.bootstrap()
  const store = await ctx.home.openStore()
  try {
    if (await store.getProfile() != null) {
      throw new CliError(`An account already exists in ${ctx.home.dir}; use --home to create another.`)
    }
    const passphrase = await readPassphrase({ confirm: true })
    const logN = process.env.PARLEY_KDF_LOG_N != null ? Number(process.env.PARLEY_KDF_LOG_N) : undefined
    const { createAccount, Messenger } = await import('#shared/messenger/index.ts')
    const account = await createAccount(store, { name, passphrase, kdfLogN: logN })
    const messenger = new Messenger({ store, account, bootstrap, createNode: lazyNodeFactory(bootstrap) })
    const me = await messenger.whoami()
    print(ctx.values.json === true
      ? JSON.stringify(me)
      : `Created the account of ${me.name} in ${ctx.home.dir}\naccount id: ${me.accountId}\ninvite:     ${me.invite}` +
        (bootstrap.length === 0 ? '\n(no relay known yet: pass --bootstrap MULTIADDR to reach others)' : ''))
    return 0
  } finally {
    await store.close()
  }
}

async function cmdContacts (ctx: Context, args: string[]): Promise<number> {
  const [sub = 'list', ...rest] = args
  if (sub === 'add') {
    const invite = one(rest, 'contacts add <invite> [--name N]')
    return ctx.with(async api => {
      const contact = await api.addContact(invite, ctx.values.name)
      print(ctx.values.json === true ? JSON.stringify(contact) : `Added ${contact.name} (${contact.accountId})`)
      if (contact.keyChange) {
        process.stderr.write(keyChangeWarning(contact) + '\n')
      }
      return 0
    })
  }
  if (sub === 'list') {
    none(rest, 'contacts list')
    return ctx.with(async api => {
      printContacts(await api.contacts(), ctx.values.json === true, 'No contacts yet: add one with `parley contacts add <invite>`.')
      return 0
    })
  }
  if (sub === 'verify') {
    const ref = one(rest, 'contacts verify <contact> [--mark] [--json]')
    return ctx.with(async api => {
      const verified = ctx.values.mark === true ? await api.markVerified(ref) : undefined
      const result = await api.safetyNumber(ref)
      const out = { ...result, verified: verified?.verified ?? result.verified }
      print(ctx.values.json === true
        ? JSON.stringify(out)
        : `Safety number with ${out.name}:\n  ${out.safetyNumber}\n` +
          'Compare it with theirs (in person or on a call): the same digits mean nobody is in between.\n' +
          (out.verified ? `${out.name} is verified.` : `Not verified yet: \`parley contacts verify ${out.name} --mark\` once it matches.`))
      return 0
    })
  }
  throw new CliError(`Unknown contacts command "${sub}": use contacts add, contacts list or contacts verify`, 2)
}

async function cmdSend (ctx: Context, args: string[]): Promise<number> {
  if (args.length !== 2) {
    throw new CliError('send needs <contact> <text> (quote the text)', 2)
  }
  const [ref, text] = args
  const wait = ctx.values.wait != null ? parsePositive(ctx.values.wait, '--wait') : undefined
  return ctx.with(async (api) => {
    const message = await api.send(ref, text)
    if (wait == null) {
      print(ctx.values.json === true ? JSON.stringify(message) : `Queued ${message.id}`)
      return 0
    }
    const delivered = await api.waitForDelivery(message.conversation, message.id, wait * 1000)
    const final = delivered ? { ...message, state: 'delivered' as const } : message
    print(ctx.values.json === true
      ? JSON.stringify(final)
      : delivered ? `Delivered ${message.id}` : `Still queued ${message.id}: it goes out when the contact is reachable and a parley daemon or chat runs here`)
    return delivered ? 0 : 3
  }, { online: wait != null })
}

async function cmdHistory (ctx: Context, args: string[]): Promise<number> {
  const ref = one(args, 'history <contact> [--limit N] [--before ID]')
  const limit = ctx.values.limit != null ? parsePositive(ctx.values.limit, '--limit') : undefined
  return ctx.with(async api => {
    const contact = await api.resolve(ref)
    if (contact.keyChange && ctx.values.json !== true) {
      process.stderr.write(keyChangeWarning(contact) + '\n')
    }
    const messages = await api.history(ref, limit, ctx.values.before)
    if (ctx.values.json === true) {
      for (const m of messages) {
        print(JSON.stringify(m))
      }
    } else if (messages.length === 0) {
      print(`No messages with ${contact.name} yet.`)
    } else {
      for (const m of messages) {
        print(formatMessage(m, contact.name))
      }
    }
    return 0
  })
}

async function cmdStatus (ctx: Context): Promise<number> {
  const remote = await connectControl(ctx.home.socketPath)
  if (remote == null) {
    print(ctx.values.json === true ? JSON.stringify({ daemon: false }) : `No parley daemon is running for ${ctx.home.dir}.`)
    return 0
  }
  try {
    const status = await remote.status()
    print(ctx.values.json === true
      ? JSON.stringify({ daemon: true, ...status })
      : `daemon running; ${status.connections} connection(s); relays: ${status.relays.length > 0 ? status.relays.join(', ') : 'none connected'}`)
    return 0
  } finally {
    await remote.close()
  }
}

async function cmdDaemon (ctx: Context): Promise<number> {
  const json = ctx.values.json === true
  if (await connectControl(ctx.home.socketPath) != null) {
    throw new CliError(`A parley daemon (or chat) is already running for ${ctx.home.dir}.`)
  }
  const { messenger, store, db } = await ctx.openMessenger()
  let mailbox: HomeMailbox | undefined
  let control: Awaited<ReturnType<typeof serveControl>> | undefined
  const stopped = Promise.withResolvers<void>()
  const stop = (): void => { stopped.resolve() }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  try {
    const mailboxConfig = (await ctx.home.readConfig()).mailbox ?? {}
    // listening before the start: a drain of our mailbox at start delivers and
    // receives at once; those lines follow the ready line
    let early: string[] | undefined = []
    const printEvent = (line: string): void => { early != null ? early.push(line) : print(line) }
    await new LocalApi(messenger, async () => {}).subscribe(event => { printEvent(json ? JSON.stringify(eventLine(event)) : describeEvent(event)) })
    await messenger.start()
    mailbox = await startHomeMailbox(messenger, db, mailboxConfig)
    const api = new LocalApi(messenger, async () => {}, mailbox.service)
    control = await serveControl(api, ctx.home.socketPath)
    for (const name of ['mailbox:paired', 'mailbox:deposited', 'mailbox:acked', 'mailbox:unpaired'] as const) {
      // ids and counts only
      mailbox.service.addEventListener(name, (evt: CustomEvent<Record<string, unknown>>) => {
        const line = { event: name, ...evt.detail }
        print(json ? JSON.stringify(line) : `${new Date().toISOString()} ${name} ${Object.entries(evt.detail).map(([k, v]) => `${k}=${String(v)}`).join(' ')}`)
      })
    }
    const me = await messenger.whoami()
    const addrs = messenger.status().addresses
    print(json
      ? JSON.stringify({ event: 'daemon:ready', accountId: me.accountId, peerId: me.peerId, multiaddrs: addrs, control: ctx.home.socketPath })
      : `parley daemon for ${me.name} (${me.accountId})\ndevice ${me.peerId}\n${addrs.map(a => `listening on ${a}`).join('\n')}`)
    early.forEach(line => { print(line) })
    early = undefined
    await stopped.promise
    return 0
  } finally {
    await control?.close()
    await mailbox?.service.stop()
    await messenger.stop()
    await mailbox?.store.close()
    await store.close()
    if (!json) {
      process.stderr.write('parley daemon stopped\n')
    }
  }
}

interface HomeMailbox {
  service: MailboxService
  store: MailboxStore
}

const MAILBOX_CONFIG_KEYS = new Set(['webhook', 'retentionDays', 'accountItems', 'accountBytes', 'senderItems', 'senderBytes', 'totalBytes'])

/**
 * The daemon's mailbox side: a MailboxStore on the home's LevelDB (sublevel
 * `mailbox`), served by the messenger's node, with the daemon's own account
 * paired. Config: `<home>/config.json` key `mailbox` (node/src/home.ts).
 */
async function startHomeMailbox (messenger: Messenger, db: HomeDatabase, config: HomeMailboxConfig): Promise<HomeMailbox> {
  const node = messenger.libp2p
  if (node == null) {
    throw new Error('the messenger is not started')
  }
  const unknown = Object.keys(config).filter(k => !MAILBOX_CONFIG_KEYS.has(k))
  if (unknown.length > 0) {
    throw new CliError(`config.json: unknown mailbox key(s): ${unknown.join(', ')}`)
  }
  const { retentionDays, webhook, ...limits } = config
  if (retentionDays != null && !(typeof retentionDays === 'number' && retentionDays > 0)) {
    throw new CliError('config.json: mailbox.retentionDays must be a positive number of days')
  }
  const [{ MailboxStore }, { MailboxService, validateWebhookConfig }] = await Promise.all([import('#shared/mailbox/index.ts'), import('./mailbox-service.ts')])
  if (webhook != null) {
    try {
      validateWebhookConfig(webhook)
    } catch (err: any) {
      throw new CliError(`config.json: mailbox.webhook: ${err.message}`)
    }
  }
  const store = await MailboxStore.open(db, {
    ...limits,
    ...(retentionDays != null ? { retentionMs: Math.round(retentionDays * 24 * 60 * 60 * 1000) } : {})
  })
  try {
    const service = new MailboxService({
      store,
      protocol: node.services.mailbox,
      peerId: node.peerId,
      addresses: () => node.getMultiaddrs(),
      webhook
    })
    node.addEventListener('peer:connect', (evt) => { service.peerOnline(evt.detail) })
    node.addEventListener('peer:disconnect', (evt) => { service.peerOffline(evt.detail) })
    for (const connection of node.getConnections()) {
      service.peerOnline(connection.remotePeer)
    }
    // the daemon holds mail for its own account too (its other devices drain it)
    await service.pairLocal(messenger.account.keys.publicKey)
    await service.start()
    return { service, store }
  } catch (err) {
    await store.close()
    throw err
  }
}

async function cmdMailbox (ctx: Context, args: string[]): Promise<number> {
  const [sub, ...rest] = args
  const json = ctx.values.json === true
  if (sub === 'pair') {
    none(rest, 'mailbox pair [--json]')
    const remote = await connectControl(ctx.home.socketPath)
    if (remote == null) {
      throw new CliError(`No parley daemon is running for ${ctx.home.dir}: start \`parley daemon\` there first (it is the mailbox).`)
    }
    try {
      const { code, expiresAt } = await remote.mailboxPair()
      if (json) {
        print(JSON.stringify({ code, expiresAt }))
        return 0
      }
      print(`Pairing code (single use, valid until ${new Date(expiresAt).toISOString()}):\n${code}`)
      if (process.stdout.isTTY === true) {
        // a phone's camera can read it off the screen (the web app's Settings take the text)
        const { default: QRCode } = await import('qrcode')
        // upper case fits QR's alphanumeric mode: a third smaller than bytes (codes read in any case)
        print(await QRCode.toString(code.toUpperCase(), { type: 'terminal', small: true, errorCorrectionLevel: 'L' }))
      }
      print('On the account to serve: parley mailbox use <code> (or the web app: Settings → Mailbox)')
      return 0
    } finally {
      await remote.close()
    }
  }
  if (sub === 'use') {
    const code = one(rest, 'mailbox use <code>')
    return ctx.with(async api => {
      const result = await api.mailboxUse(code)
      print(json ? JSON.stringify(result) : `Paired with mailbox ${result.peerId}; it is now listed in your account record.`)
      return 0
    }, { online: true })
  }
  if (sub === 'status') {
    none(rest, 'mailbox status [--json]')
    // without a daemon, this process goes online to ask the mailboxes (they are only "reachable" if asked)
    return ctx.with(async api => {
      const status = await api.mailboxStatus()
      print(json ? JSON.stringify(status) : describeMailboxStatus(status, (await api.whoami()).accountId))
      return 0
    }, { online: true })
  }
  if (sub === 'unpair') {
    if (rest.length > 1) {
      throw new CliError('usage: parley mailbox unpair [<peer-id>] [--json]', 2)
    }
    return ctx.with(async api => {
      const result = await api.mailboxUnpair(rest[0])
      print(json
        ? JSON.stringify(result)
        : result.unpaired
          ? `Unpaired from mailbox ${result.peerId}; your account record no longer lists it.`
          : `Mailbox ${result.peerId} did not answer; your account record no longer lists it, so senders stop depositing there (what it still holds expires after its retention).`)
      return 0
    }, { online: true })
  }
  throw new CliError(sub == null
    ? 'usage: parley mailbox pair|use <code>|status|unpair [<peer-id>] (see parley --help)'
    : `Unknown mailbox command "${sub}": use mailbox pair, use, status or unpair`, 2)
}

function describeMailboxStatus (status: MailboxStatusView, ownAccountId: string): string {
  const lines: string[] = []
  const service = status.service
  if (service == null) {
    lines.push('This home serves no mailbox now (a running `parley daemon` does).')
  } else {
    lines.push(`Mailbox ${service.peerId}${service.accepting ? '' : ' (not accepting)'}: ${service.usage.items} item(s), ${service.usage.bytes} bytes held for ${service.usage.accounts} account(s) (total limit ${service.limits.totalBytes} bytes)`)
    for (const a of service.accounts) {
      lines.push(`  ${a.accountId}${a.accountId === ownAccountId ? ' (this account: mail for its other devices)' : ''}: ${a.items}/${a.quota.items} items, ${a.bytes}/${a.quota.bytes} bytes`)
      for (const d of a.devices) {
        lines.push(`    device ${d.peerId}${d.online ? ' (online)' : ''}: last drain ${d.lastDrainAt > 0 ? new Date(d.lastDrainAt).toISOString() : 'never'}, ${d.acked} acked`)
      }
    }
  }
  if (status.mailboxes.length === 0) {
    lines.push(service != null
      ? 'Your account uses no other mailbox (this daemon holds its mail; pair another with `parley mailbox use <code>`).'
      : 'Your account uses no mailbox (pair one with `parley mailbox use <code>`).')
  }
  for (const m of status.mailboxes) {
    lines.push(`Your mailbox ${m.peerId}: ${m.reachable ? `${m.status ?? ''}${m.held != null ? `, ${m.held.items} item(s) waiting` : ''}` : 'not reachable now'}`)
  }
  return lines.join('\n')
}

async function cmdChat (ctx: Context, args: string[]): Promise<number> {
  const ref = one(args, 'chat <contact>')
  const remote = await connectControl(ctx.home.socketPath)
  if (remote != null) {
    try {
      return await runChat(remote, ref)
    } finally {
      await remote.close()
    }
  }
  // no daemon: this process goes online and owns the home while it chats
  const { messenger, store } = await ctx.openMessenger()
  const api = new LocalApi(messenger, async () => {})
  await messenger.start()
  const control = await serveControl(api, ctx.home.socketPath)
  try {
    return await runChat(api, ref)
  } finally {
    await control.close()
    await messenger.stop()
    await store.close()
  }
}

/**
 * libp2p and its transports load only when a command goes online: offline
 * commands (history, contacts, send without --wait) start in a fraction of
 * the time.
 */
function lazyNodeFactory (bootstrap: string[], listen?: string[]): (privateKey: PrivateKey) => Promise<PeerNode> {
  return async (privateKey) => {
    const { nodePeerFactory } = await import('./platform.ts')
    return nodePeerFactory({ bootstrap, listen })(privateKey)
  }
}

// --- output -------------------------------------------------------------

function print (line: string): void {
  process.stdout.write(line + '\n')
}

function printContacts (contacts: ContactView[], json: boolean, empty: string): void {
  if (json) {
    for (const c of contacts) {
      print(JSON.stringify(c))
    }
    return
  }
  if (contacts.length === 0) {
    print(empty)
  }
  for (const c of contacts) {
    print(`${c.name}  ${c.accountId}${c.verified ? '  ✔ verified' : ''}${c.unread > 0 ? `  (${c.unread} unread)` : ''}${c.keyChange ? '  ⚠ key changed' : ''}`)
  }
}

/** A daemon's event line: ids and states, never message text. */
function eventLine (e: ApiEvent): Record<string, unknown> {
  return {
    event: e.event,
    ...(e.message != null ? { id: e.message.id, conversation: e.message.conversation, direction: e.message.direction, state: e.message.state } : {}),
    ...(e.contact != null ? { accountId: e.contact.accountId, name: e.contact.name, state: e.contact.state } : {}),
    ...(e.refusal != null ? { id: e.refusal.id, conversation: e.refusal.conversation, status: e.refusal.status, mailbox: e.refusal.mailbox } : {})
  }
}

const REFUSAL_TEXT: Record<string, string> = {
  MAILBOX_FULL: 'mailbox full',
  QUOTA_EXCEEDED: 'over your quota at their mailbox',
  NOT_ACCEPTING: 'their mailbox is not accepting'
}

function describeEvent (e: ApiEvent): string {
  if (e.refusal != null) {
    return `${new Date().toISOString()} ${e.event} id=${e.refusal.id} conversation=${e.refusal.conversation} status=${e.refusal.status}: ` +
      `${REFUSAL_TEXT[e.refusal.status] ?? e.refusal.status}; the message stays queued`
  }
  const fields = eventLine(e)
  return `${new Date().toISOString()} ${e.event} ${Object.entries(fields).filter(([k]) => k !== 'event').map(([k, v]) => `${k}=${String(v)}`).join(' ')}`
}

// --- argument helpers ---------------------------------------------------

function one (args: string[], usage: string): string {
  if (args.length !== 1) {
    throw new CliError(`usage: parley ${usage}`, 2)
  }
  return args[0]
}

function none (args: string[], usage: string): void {
  if (args.length !== 0) {
    throw new CliError(`usage: parley ${usage}`, 2)
  }
}

function parsePositive (text: string, flag: string): number {
  const n = Number(text)
  if (!Number.isFinite(n) || n <= 0) {
    throw new CliError(`${flag} takes a positive number, not "${text}"`, 2)
  }
  return n
}

function splitList (text: string | undefined): string[] {
  return (text ?? '').split(/[,\s]+/).filter(s => s !== '')
}

function validateRelayAddr (text: string): void {
  let ma
  try {
    ma = multiaddr(text)
  } catch (err: any) {
    throw new CliError(`Not a multiaddr: "${text}" (${err.message})`, 2)
  }
  if (!ma.getComponents().some(c => c.name === 'p2p')) {
    throw new CliError(`The relay address "${text}" needs its peer id: …/p2p/<peerId>`, 2)
  }
}

/** Errors whose message is meant for the user as it is. */
const USER_ERRORS = new Set(['MailboxRefusedError', 'InvalidPairingCodeError', 'UnexpectedPeerError', 'WrongPassphraseError', 'UnknownContactError', 'InvalidInviteError', 'InvalidParametersError',
  'NoAccountError', 'AccountExistsError', 'StoreLockedError', 'InvalidAccountIdError', 'SchemaVersionError', 'PassphraseRequiredError'])

export async function run (argv: string[]): Promise<void> {
  try {
    process.exitCode = await main(argv)
  } catch (err: any) {
    if (err instanceof CliError) {
      process.stderr.write(`parley: ${err.message}\n`)
      process.exitCode = err.exitCode
    } else if (USER_ERRORS.has(err?.name)) {
      process.stderr.write(`parley: ${err.message}\n`)
      process.exitCode = 1
    } else {
      process.stderr.write(`parley: ${err?.message ?? String(err)}\n`)
      if (process.env.DEBUG != null) {
        process.stderr.write(`${err?.stack ?? ''}\n`)
      }
      process.exitCode = 1
    }
  }
}

await run(process.argv.slice(2))
// libp2p and LevelDB may leave timers behind after a clean stop; the command is done
process.exit(process.exitCode ?? 0)

