/**
 * Helpers for integration tests that run Parley's commands as real processes.
 *
 * Synchronisation is always on output, never on sleeps: a test waits for the
 * line it needs (`waitForLine`, `waitForJson`) with a timeout, and a wait
 * fails fast — with the process's stderr in the message — if the process
 * exits first.
 *
 * ```ts
 * const cleanup = new Cleanup()
 * after(async () => { await cleanup.run() })
 *
 * const dir = await createTempDir('relay-', cleanup)
 * const relay = spawnBin(binPath('parley-relay'), ['--data-dir', dir, '--json'], { cleanup })
 * const info = await relay.waitForJson<{ peerId: string }>()
 * …
 * const status = await relay.stop()            // SIGTERM, await exit
 * assert.deepEqual(status, { code: 0, signal: null })
 * ```
 */

import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { TimeoutError } from '@libp2p/interface'
import type { ChildProcess } from 'node:child_process'

/** The repository root (two levels above this file). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** Default time a wait may take before it fails, in ms. */
export const DEFAULT_WAIT_MS = 20_000

/**
 * Absolute path of one of the project's commands: `parley` (node/bin) or
 * `parley-relay` (relay/bin). They run on the project's own Node 22.
 */
export function binPath (name: 'parley' | 'parley-relay'): string {
  return join(REPO_ROOT, name === 'parley' ? 'node' : 'relay', 'bin', name)
}

/** How a process ended: an exit code, or the signal that killed it. */
export interface ExitStatus {
  code: number | null
  signal: NodeJS.Signals | null
}

export interface WaitOptions {
  /** Fail after this many ms. @default DEFAULT_WAIT_MS */
  timeout?: number
  /**
   * Only consider stdout lines from this index on (see `lineCount`), to wait
   * for something that happens after a given point. @default 0 (all lines)
   */
  from?: number
}

/**
 * Runs cleanup steps in reverse order of registration (like `defer`), each
 * once, even when earlier ones fail; errors are collected and thrown together
 * at the end. Create one per suite and `await cleanup.run()` in `after`.
 */
export class Cleanup {
  private readonly steps: Array<() => Promise<void> | void> = []

  add (step: () => Promise<void> | void): void {
    this.steps.push(step)
  }

  async run (): Promise<void> {
    const errors: unknown[] = []
    for (let step = this.steps.pop(); step != null; step = this.steps.pop()) {
      try {
        await step()
      } catch (err) {
        errors.push(err)
      }
    }
    if (errors.length > 0) {
      throw new AggregateError(errors, `${errors.length} cleanup step(s) failed`)
    }
  }
}

/**
 * Creates a fresh directory under the OS temp dir. With `cleanup`, it is
 * removed (recursively) when the cleanup runs.
 */
export async function createTempDir (prefix = 'parley-test-', cleanup?: Cleanup): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  cleanup?.add(async () => { await rm(dir, { recursive: true, force: true }) })
  return dir
}

export interface SpawnOptions {
  /** Extra environment variables (merged over the test's own environment). */
  env?: Record<string, string | undefined>
  cwd?: string
  /** Stop the process (SIGTERM, then SIGKILL) when this cleanup runs. */
  cleanup?: Cleanup
}

/** A running command, its output collected line by line. */
export class SpawnedProcess {
  readonly child: ChildProcess
  /** Every complete stdout line so far, without the newline. */
  readonly lines: string[] = []
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<ExitStatus>

  private stdoutRest = ''
  private stdoutText = ''
  private stderrText = ''
  private exitStatus?: ExitStatus
  private readonly listeners = new Set<() => void>()

  constructor (command: string, args: string[], options: SpawnOptions = {}) {
    this.child = spawn(command, args, {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    this.child.stdout?.setEncoding('utf8')
    this.child.stderr?.setEncoding('utf8')
    this.child.stdout?.on('data', (chunk: string) => {
      this.stdoutText += chunk
      const parts = (this.stdoutRest + chunk).split('\n')
      this.stdoutRest = parts.pop() ?? ''
      this.lines.push(...parts)
      this.notify()
    })
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderrText += chunk
    })
    this.exited = new Promise(resolve => {
      // 'close' (not 'exit'): stdout and stderr are fully read by then
      this.child.on('close', (code, signal) => {
        if (this.stdoutRest !== '') {
          this.lines.push(this.stdoutRest)
          this.stdoutRest = ''
        }
        this.exitStatus = { code, signal }
        this.notify()
        resolve(this.exitStatus)
      })
      this.child.on('error', () => {
        this.exitStatus = { code: null, signal: null }
        this.notify()
        resolve(this.exitStatus)
      })
    })
    options.cleanup?.add(async () => { await this.stop('SIGTERM', { timeout: 5_000 }).catch(() => this.stop('SIGKILL')) })
  }

  /** Everything written to stdout so far, as is. */
  get stdout (): string {
    return this.stdoutText
  }

  /** Everything written to stderr so far. */
  get stderr (): string {
    return this.stderrText
  }

  /** Number of complete stdout lines so far: pass it as `from` to wait for later lines. */
  get lineCount (): number {
    return this.lines.length
  }

  /** Set once the process has exited. */
  get exitStatusIfExited (): ExitStatus | undefined {
    return this.exitStatus
  }

  /**
   * Resolves with the first stdout line (from index `options.from`) that
   * matches — a string (exact line), a RegExp, or a predicate — including lines
   * that already arrived. Rejects with TimeoutError after `options.timeout`, or
   * with an Error if the process exits first; both messages carry stderr.
   */
  async waitForLine (match: string | RegExp | ((line: string) => boolean), options: WaitOptions = {}): Promise<string> {
    const test = typeof match === 'string'
      ? (line: string) => line === match
      : match instanceof RegExp ? (line: string) => match.test(line) : match
    const timeout = options.timeout ?? DEFAULT_WAIT_MS
    let index = options.from ?? 0

    return new Promise<string>((resolve, reject) => {
      const check = (): void => {
        for (; index < this.lines.length; index++) {
          if (test(this.lines[index])) {
            done()
            resolve(this.lines[index])
            return
          }
        }
        if (this.exitStatus != null) {
          done()
          reject(new Error(`${this.describe()} exited (${formatStatus(this.exitStatus)}) before printing the expected line${this.stderrTail()}`))
        }
      }
      const timer = setTimeout(() => {
        done()
        reject(new TimeoutError(`${this.describe()} printed no expected line within ${timeout} ms${this.stderrTail()}`))
      }, timeout)
      const done = (): void => {
        clearTimeout(timer)
        this.listeners.delete(check)
      }
      this.listeners.add(check)
      check()
    })
  }

  /**
   * Resolves with the first stdout line that parses as JSON (and satisfies
   * `predicate`, if given), parsed. Non-JSON lines are skipped. Same options
   * and failures as `waitForLine`.
   */
  async waitForJson<T = unknown> (predicate?: (value: any) => boolean, options: WaitOptions = {}): Promise<T> {
    let parsed: unknown
    await this.waitForLine(line => {
      try {
        parsed = JSON.parse(line)
      } catch {
        return false
      }
      return predicate == null || predicate(parsed)
    }, options)
    return parsed as T
  }

  /**
   * Sends `signal` (default SIGTERM) and resolves with the exit status once the
   * process has exited; immediately if it already had. If it has not exited
   * within `options.timeout` (default 10 s), it is killed with SIGKILL and the
   * promise rejects with TimeoutError: a command that ignores SIGTERM is a bug.
   */
  async stop (signal: NodeJS.Signals = 'SIGTERM', options: { timeout?: number } = {}): Promise<ExitStatus> {
    if (this.exitStatus != null) {
      return this.exitStatus
    }
    const timeout = options.timeout ?? 10_000
    this.child.kill(signal)
    let timer: ReturnType<typeof setTimeout> | undefined
    const timedOut = new Promise<'timeout'>(resolve => { timer = setTimeout(() => { resolve('timeout') }, timeout) })
    try {
      const result = await Promise.race([this.exited, timedOut])
      if (result === 'timeout') {
        this.child.kill('SIGKILL')
        await this.exited
        throw new TimeoutError(`${this.describe()} did not exit within ${timeout} ms of ${signal}; killed${this.stderrTail()}`)
      }
      return result
    } finally {
      clearTimeout(timer)
    }
  }

  private notify (): void {
    for (const listener of [...this.listeners]) {
      listener()
    }
  }

  private describe (): string {
    return `process ${this.child.pid ?? '?'} (${this.child.spawnargs.map(a => a.split('/').pop()).slice(0, 2).join(' ')}…)`
  }

  private stderrTail (): string {
    const tail = this.stderrText.trim().split('\n').slice(-20).join('\n')
    return tail === '' ? '' : `; stderr:\n${tail}`
  }
}

/**
 * Starts a command (usually `binPath(...)`) with piped stdout/stderr. Pass
 * `cleanup` so it is stopped even when a test fails.
 */
export function spawnBin (command: string, args: string[] = [], options: SpawnOptions = {}): SpawnedProcess {
  return new SpawnedProcess(command, args, options)
}

/** The outcome of `runBin`. */
export interface RunResult extends ExitStatus {
  stdout: string
  stderr: string
}

/**
 * Runs a command to completion and returns its exit status and output. Fails
 * with TimeoutError (after killing it) if it runs longer than
 * `options.timeout` (default DEFAULT_WAIT_MS).
 */
export async function runBin (command: string, args: string[] = [], options: Omit<SpawnOptions, 'cleanup'> & { timeout?: number } = {}): Promise<RunResult> {
  const proc = new SpawnedProcess(command, args, options)
  const timeout = options.timeout ?? DEFAULT_WAIT_MS
  let timer: ReturnType<typeof setTimeout> | undefined
  const timedOut = new Promise<'timeout'>(resolve => { timer = setTimeout(() => { resolve('timeout') }, timeout) })
  try {
    const result = await Promise.race([proc.exited, timedOut])
    if (result === 'timeout') {
      proc.child.kill('SIGKILL')
      await proc.exited
      throw new TimeoutError(`${command} did not finish within ${timeout} ms`)
    }
    return { ...result, stdout: proc.stdout, stderr: proc.stderr }
  } finally {
    clearTimeout(timer)
  }
}

function formatStatus (status: ExitStatus): string {
  return status.signal != null ? `signal ${status.signal}` : `code ${status.code}`
}

/** What `spawnRelay` resolves with. */
export interface RelayProcess {
  process: SpawnedProcess
  peerId: string
  /** Everything the relay printed, each ending in `/p2p/<peerId>`. */
  multiaddrs: string[]
  /** Its TCP address (for Node peers). */
  tcpAddr: string
  /** Its WebSocket address (for browsers). */
  wsAddr: string
}

export interface SpawnRelayOptions {
  /** The relay's data dir (its peer key); a new temp dir (removed by `cleanup`) if not given. */
  dataDir?: string
  /** Listen addresses. @default ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws'] (OS-chosen ports) */
  listen?: string[]
  /** Extra arguments after the defaults. */
  args?: string[]
  env?: Record<string, string | undefined>
}

/**
 * Starts a real `parley-relay` (by default on 127.0.0.1 with OS-chosen TCP and
 * WebSocket ports) with `--json`, and resolves once it printed its addresses.
 * It is stopped when `cleanup` runs. To restart one at the same address, pass
 * the same `dataDir` and its printed addresses (minus `/p2p/…`) as `listen`.
 */
export async function spawnRelay (cleanup: Cleanup, options: SpawnRelayOptions = {}): Promise<RelayProcess> {
  const dataDir = options.dataDir ?? await createTempDir('parley-relay-', cleanup)
  const listen = options.listen ?? ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws']
  const proc = spawnBin(binPath('parley-relay'), [
    ...listen.flatMap(addr => ['--listen', addr]),
    '--data-dir', dataDir,
    '--json',
    ...(options.args ?? [])
  ], { cleanup, env: options.env })
  const info = await proc.waitForJson<{ peerId: string, multiaddrs: string[] }>(v => typeof v?.peerId === 'string')
  const tcpAddr = info.multiaddrs.find(a => /\/tcp\/\d+\/p2p\//.test(a))
  const wsAddr = info.multiaddrs.find(a => /\/tcp\/\d+\/ws\/p2p\//.test(a))
  if (tcpAddr == null || wsAddr == null) {
    throw new Error(`parley-relay printed no TCP and WebSocket address: ${info.multiaddrs.join(', ')}`)
  }
  return { process: proc, peerId: info.peerId, multiaddrs: info.multiaddrs, tcpAddr, wsAddr }
}
