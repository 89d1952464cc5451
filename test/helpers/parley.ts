/**
 * Helpers for end-to-end tests of the `parley` command: homes, daemons and
 * their event lines, and a ready pair of contacts behind a real relay.
 *
 * Every process runs with PARLEY_TEST_ENV (a cheap scrypt and a passphrase in
 * the environment). Synchronisation is on output only: a daemon's `--json`
 * event lines (`waitForEvent`, `waitForEvents`) or its stderr
 * (`waitForStderr`), always with a timeout.
 *
 * ```ts
 * const cleanup = new Cleanup()
 * after(async () => { await cleanup.run() })
 *
 * const { alice, bob } = await setupPair(cleanup)
 * const sent = await alice.daemon.api.send(bob.accountId, 'hi')
 * await waitForEvent(alice.daemon, e => e.event === 'message:delivered' && e.id === sent.id)
 * ```
 */

import assert from 'node:assert/strict'
import { join } from 'node:path'
import { TimeoutError } from '@libp2p/interface'
import { connectControl } from '#node/src/control.ts'
import { binPath, createTempDir, DEFAULT_WAIT_MS, runBin, spawnBin, spawnRelay } from './process.ts'
import type { ParleyApi } from '#node/src/api.ts'
import type { Cleanup, RelayProcess, RunResult, SpawnedProcess, WaitOptions } from './process.ts'

/** The passphrase of every test account. */
export const TEST_PASSPHRASE = 'parley integration test passphrase'

/** Environment of every spawned `parley`: scrypt at 2^12 instead of 2^17, the passphrase for scripts. */
export const PARLEY_TEST_ENV: Readonly<Record<string, string>> = {
  PARLEY_KDF_LOG_N: '12',
  PARLEY_PASSPHRASE: TEST_PASSPHRASE
}

/** How long one CLI run may take: ~2 s each, slower when several start at once on 2 cores. */
export const CLI_TIMEOUT_MS = 40_000

export interface ParleyRunOptions {
  /** Extra environment, over PARLEY_TEST_ENV. */
  env?: Record<string, string | undefined>
  /** @default CLI_TIMEOUT_MS */
  timeout?: number
}

/** Runs `parley --home <home> ...args` to completion. */
export async function parley (home: string, args: string[], options: ParleyRunOptions = {}): Promise<RunResult> {
  return runBin(binPath('parley'), ['--home', home, ...args], {
    env: { ...PARLEY_TEST_ENV, ...options.env },
    timeout: options.timeout ?? CLI_TIMEOUT_MS
  })
}

/**
 * Runs a `--json` command that must succeed (exit 0, nothing on stderr) and
 * returns its stdout as parsed JSON lines.
 */
export async function parleyJson<T = any> (home: string, args: string[], options: ParleyRunOptions = {}): Promise<T[]> {
  const result = await parley(home, [...args, '--json'], options)
  assert.equal(result.code, 0, `parley ${args.join(' ')} exited ${String(result.code)}: ${result.stderr}`)
  assert.equal(result.stderr, '', `parley ${args.join(' ')} wrote to stderr`)
  return parseJsonLines<T>(result.stdout)
}

export function parseJsonLines<T = any> (text: string): T[] {
  return text.split('\n').filter(line => line.trim() !== '').map(line => JSON.parse(line) as T)
}

/** An account created with `parley init`. */
export interface Account {
  home: string
  name: string
  accountId: string
  peerId: string
  invite: string
}

/** `parley init --name <name>` in a new temp home (removed by `cleanup`) that bootstraps from `relayAddr`. */
export async function initAccount (cleanup: Cleanup, name: string, relayAddr: string): Promise<Account> {
  const home = await createTempDir(`parley-${name.toLowerCase()}-`, cleanup)
  const [me] = await parleyJson<Omit<Account, 'home'>>(home, ['--bootstrap', relayAddr, 'init', '--name', name])
  assert.equal(me.name, name)
  return { home, ...me }
}

/** `parley contacts add <their invite>` on `account`'s home; resolves with the contact's JSON view. */
export async function addContact (account: Account, other: Account): Promise<any> {
  const [contact] = await parleyJson(account.home, ['contacts', 'add', other.invite])
  assert.equal(contact.accountId, other.accountId)
  return contact
}

/** A daemon's `--json` line after `daemon:ready`: a message or a contact event. */
export interface DaemonEvent {
  event: 'message:sent' | 'message:received' | 'message:delivered' | 'contact:added' | 'contact:updated' | 'request:received'
  /** Message events. */
  id?: string
  conversation?: string
  direction?: 'in' | 'out'
  /** Message state (pending, delivered, received) or contact state (contact, request, blocked). */
  state?: string
  /** Contact events. */
  accountId?: string
  name?: string
}

export interface DaemonReady {
  event: 'daemon:ready'
  accountId: string
  peerId: string
  multiaddrs: string[]
  control: string
}

/** A running `parley daemon --json` and a control-socket client to it. */
export interface Daemon {
  home: string
  process: SpawnedProcess
  ready: DaemonReady
  /** Connected to the daemon's control socket; closed by the cleanup, or when the daemon goes. */
  api: ParleyApi
}

export interface StartDaemonOptions {
  /** Extra environment (e.g. `DEBUG`). */
  env?: Record<string, string | undefined>
  /** How long start-up may take. @default CLI_TIMEOUT_MS */
  timeout?: number
}

/**
 * Starts `parley --home <home> daemon --json`, waits for `daemon:ready` and
 * connects to its control socket. Stopped (SIGTERM) by `cleanup`.
 */
export async function startDaemon (cleanup: Cleanup, home: string, options: StartDaemonOptions = {}): Promise<Daemon> {
  const proc = spawnBin(binPath('parley'), ['--home', home, 'daemon', '--json'], {
    env: { ...PARLEY_TEST_ENV, ...options.env },
    cleanup
  })
  const ready = await proc.waitForJson<DaemonReady>(v => v?.event === 'daemon:ready', { timeout: options.timeout ?? CLI_TIMEOUT_MS })
  assert.equal(ready.control, join(home, 'control.sock'))
  const api = await connectControl(ready.control)
  if (api == null) {
    throw new Error(`the daemon for ${home} is ready but its control socket does not answer`)
  }
  cleanup.add(async () => { await api.close() })
  return { home, process: proc, ready, api }
}

/** Parses a daemon's stdout line as an event, or `undefined` (not JSON, or the ready line). */
function parseEvent (line: string): DaemonEvent | undefined {
  try {
    const value = JSON.parse(line)
    return typeof value?.event === 'string' && value.event !== 'daemon:ready' ? value : undefined
  } catch {
    return undefined
  }
}

/** Every event line the daemon has printed so far (from line `from` on). */
export function daemonEvents (daemon: Daemon, from = 0): DaemonEvent[] {
  return daemon.process.lines.slice(from).flatMap(line => {
    const event = parseEvent(line)
    return event == null ? [] : [event]
  })
}

/**
 * Resolves with the first event line (including ones already printed, from
 * line `options.from` on) that satisfies `predicate`. Fails on timeout or if
 * the daemon exits first.
 */
export async function waitForEvent (daemon: Daemon, predicate: (event: DaemonEvent) => boolean, options: WaitOptions = {}): Promise<DaemonEvent> {
  const events = await waitForEvents(daemon, predicate, 1, options)
  return events[0]
}

/**
 * Resolves with the first `count` event lines that satisfy `predicate`, in
 * the order the daemon printed them. The timeout message says how many came.
 */
export async function waitForEvents (daemon: Daemon, predicate: (event: DaemonEvent) => boolean, count: number, options: WaitOptions = {}): Promise<DaemonEvent[]> {
  const found: DaemonEvent[] = []
  try {
    // waitForLine hands every line to the predicate exactly once, in order
    await daemon.process.waitForLine(line => {
      const event = parseEvent(line)
      if (event != null && predicate(event)) {
        found.push(event)
      }
      return found.length >= count
    }, options)
  } catch (err: any) {
    err.message = `${String(err.message)} (saw ${found.length} of ${count} expected events)`
    throw err
  }
  return found
}

/** The event `message:delivered` for one of `ids` (a message of ours the other side acked). */
export function deliveredOneOf (ids: Iterable<string>): (event: DaemonEvent) => boolean {
  const wanted = new Set(ids)
  return e => e.event === 'message:delivered' && e.id != null && wanted.has(e.id)
}

/** The event `message:received` for one of `ids`. */
export function receivedOneOf (ids: Iterable<string>): (event: DaemonEvent) => boolean {
  const wanted = new Set(ids)
  return e => e.event === 'message:received' && e.id != null && wanted.has(e.id)
}

/**
 * Resolves once the process's stderr (so far or later) matches `pattern`;
 * for evidence that only shows in `DEBUG=parley:*` logs.
 */
export async function waitForStderr (proc: SpawnedProcess, pattern: RegExp, options: { timeout?: number } = {}): Promise<void> {
  const timeout = options.timeout ?? DEFAULT_WAIT_MS
  const stderr = proc.child.stderr
  if (pattern.test(proc.stderr)) {
    return
  }
  await new Promise<void>((resolve, reject) => {
    const onData = (): void => {
      if (pattern.test(proc.stderr)) {
        done()
        resolve()
      }
    }
    const onExit = (): void => {
      done()
      reject(new Error(`the process exited before its stderr matched ${String(pattern)}`))
    }
    const timer = setTimeout(() => {
      done()
      reject(new TimeoutError(`stderr did not match ${String(pattern)} within ${timeout} ms`))
    }, timeout)
    const done = (): void => {
      clearTimeout(timer)
      stderr?.off('data', onData)
      proc.child.off('close', onExit)
    }
    // listeners run in registration order: the process's own collector has run already
    stderr?.on('data', onData)
    proc.child.once('close', onExit)
  })
}

/** An account of a pair, with its running daemon. */
export interface Peer extends Account {
  daemon: Daemon
}

export interface Pair {
  relay: RelayProcess
  alice: Peer
  bob: Peer
}

export interface SetupPairOptions {
  /** Reuse this relay instead of starting one. */
  relay?: RelayProcess
}

/**
 * A relay, and Alice and Bob: two homes inited with only the relay's address,
 * both daemons started, each given the other's invite (through its control
 * socket: a `contacts add` process per side would cost seconds). Everything is
 * stopped and removed by `cleanup`.
 */
export async function setupPair (cleanup: Cleanup, options: SetupPairOptions = {}): Promise<Pair> {
  const relay = options.relay ?? await spawnRelay(cleanup)
  const [alice, bob] = await Promise.all([
    initAccount(cleanup, 'Alice', relay.tcpAddr),
    initAccount(cleanup, 'Bob', relay.tcpAddr)
  ])
  const [aliceDaemon, bobDaemon] = await Promise.all([startDaemon(cleanup, alice.home), startDaemon(cleanup, bob.home)])
  const [bobOfAlice, aliceOfBob] = await Promise.all([aliceDaemon.api.addContact(bob.invite), bobDaemon.api.addContact(alice.invite)])
  assert.deepEqual([bobOfAlice.accountId, bobOfAlice.name, aliceOfBob.accountId, aliceOfBob.name], [bob.accountId, 'Bob', alice.accountId, 'Alice'])
  return { relay, alice: { ...alice, daemon: aliceDaemon }, bob: { ...bob, daemon: bobDaemon } }
}

/**
 * Sends `texts` from `from` to `to` through the control socket, one after
 * another (each stored before the next is sent), and resolves with the stored
 * messages once every one was delivered.
 */
export async function sendAndDeliver (from: Peer, to: Account, texts: string[], options: WaitOptions = {}): Promise<Array<Awaited<ReturnType<ParleyApi['send']>>>> {
  const mark = from.daemon.process.lineCount
  const sent = []
  for (const text of texts) {
    sent.push(await from.daemon.api.send(to.accountId, text))
  }
  await waitForEvents(from.daemon, deliveredOneOf(sent.map(m => m.id)), sent.length, { from: mark, ...options })
  return sent
}
