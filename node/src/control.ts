/**
 * The control socket: while a process owns a home's store (the daemon, or a
 * standalone `chat`), other `parley` commands talk to it here instead of
 * opening LevelDB a second time.
 *
 * Newline-delimited JSON over a Unix socket in the home directory (mode 0700,
 * so only its user can connect):
 *   → {"id": 1, "method": "send", "params": ["bob", "hi"]}
 *   ← {"id": 1, "result": {...}}  or  {"id": 1, "error": {"name": "...", "message": "..."}}
 *   → {"id": 2, "method": "subscribe", "params": []}   then  ← {"event": "message:received", ...} lines
 */

import { chmod, rm } from 'node:fs/promises'
import { createConnection, createServer } from 'node:net'
import { logger } from '@libp2p/logger'
import type { ApiEvent, ParleyApi } from './api.ts'
import type { Server, Socket } from 'node:net'

const log = logger('parley:control')

/** A request line longer than this closes the connection. */
const MAX_LINE_BYTES = 1024 * 1024

const METHODS = ['whoami', 'status', 'addContact', 'contacts', 'requests', 'accept', 'block', 'resolve', 'safetyNumber', 'markVerified', 'send', 'waitForDelivery', 'history', 'markRead', 'mailboxPair', 'mailboxUse', 'mailboxStatus', 'mailboxUnpair'] as const
type Method = typeof METHODS[number]

export interface ControlServer {
  close(): Promise<void>
}

export async function serveControl (api: ParleyApi, socketPath: string): Promise<ControlServer> {
  // We hold the store's lock, so a socket file left here is from a process that died.
  await rm(socketPath, { force: true })
  const sockets = new Set<Socket>()
  const server: Server = createServer(socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    serveConnection(api, socket)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(socketPath, () => { server.off('error', reject); resolve() })
  })
  await chmod(socketPath, 0o600)
  return {
    async close () {
      for (const socket of sockets) {
        socket.destroy()
      }
      await new Promise<void>(resolve => server.close(() => { resolve() }))
      await rm(socketPath, { force: true })
    }
  }
}

function serveConnection (api: ParleyApi, socket: Socket): void {
  const unsubscribes: Array<() => void> = []
  socket.on('close', () => { unsubscribes.forEach(u => { u() }) })
  socket.on('error', (err) => { log('control connection error - %e', err) })
  const write = (value: unknown): void => {
    if (!socket.destroyed) {
      socket.write(JSON.stringify(value) + '\n')
    }
  }
  onLines(socket, async (line) => {
    let request: { id?: unknown, method?: unknown, params?: unknown }
    try {
      request = JSON.parse(line)
    } catch {
      write({ error: { name: 'InvalidMessageError', message: 'not JSON' } })
      return
    }
    const { id, method } = request
    const params = Array.isArray(request.params) ? request.params : []
    try {
      if (method === 'subscribe') {
        unsubscribes.push(await api.subscribe(event => { write(event) }))
        write({ id, result: true })
        return
      }
      if (typeof method !== 'string' || !(METHODS as readonly string[]).includes(method)) {
        throw Object.assign(new Error(`unknown method ${String(method)}`), { name: 'InvalidParametersError' })
      }
      const fn = api[method as Method] as (...args: unknown[]) => Promise<unknown>
      const result = await fn.apply(api, params)
      write({ id, result: result ?? null })
    } catch (err: any) {
      write({ id, error: { name: err.name ?? 'Error', message: err.message ?? String(err) } })
    }
  }, () => { socket.destroy() })
}

function onLines (socket: Socket, onLine: (line: string) => Promise<void>, onOverflow: () => void): void {
  let buffered = ''
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => {
    buffered += chunk
    let newline: number
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline)
      buffered = buffered.slice(newline + 1)
      if (line.trim() !== '') {
        onLine(line).catch(err => { log.error('control request failed - %e', err) })
      }
    }
    if (buffered.length > MAX_LINE_BYTES) {
      onOverflow()
    }
  })
}

/** Connects to the owner of a home, or resolves `undefined` if none is running. */
export async function connectControl (socketPath: string): Promise<ParleyApi | undefined> {
  const socket = await new Promise<Socket | undefined>((resolve, reject) => {
    const s = createConnection(socketPath)
    s.once('connect', () => { resolve(s) })
    s.once('error', (err: any) => {
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') {
        resolve(undefined)
      } else {
        reject(err)
      }
    })
  })
  return socket == null ? undefined : new RemoteApi(socket)
}

class RemoteApi implements ParleyApi {
  private readonly socket: Socket
  private nextId = 1
  private readonly pending = new Map<number, PromiseWithResolvers<any>>()
  private readonly listeners = new Set<(event: ApiEvent) => void>()

  constructor (socket: Socket) {
    this.socket = socket
    onLines(socket, async (line) => {
      const msg = JSON.parse(line)
      if (typeof msg.event === 'string') {
        this.listeners.forEach(l => { l(msg) })
        return
      }
      const waiting = this.pending.get(msg.id)
      this.pending.delete(msg.id)
      if (msg.error != null) {
        waiting?.reject(Object.assign(new Error(msg.error.message), { name: msg.error.name }))
      } else {
        waiting?.resolve(msg.result)
      }
    }, () => { socket.destroy() })
    const fail = (): void => {
      for (const p of this.pending.values()) {
        p.reject(Object.assign(new Error('The parley daemon closed the control connection'), { name: 'ConnectionClosedError' }))
      }
      this.pending.clear()
    }
    socket.on('close', fail)
    socket.on('error', fail)
  }

  private async call<T> (method: string, ...params: unknown[]): Promise<T> {
    const id = this.nextId++
    const result = Promise.withResolvers<T>()
    this.pending.set(id, result)
    this.socket.write(JSON.stringify({ id, method, params }) + '\n')
    return result.promise
  }

  async whoami (): Promise<any> { return this.call('whoami') }
  async status (): Promise<any> { return this.call('status') }
  async addContact (invite: string, name?: string): Promise<any> { return this.call('addContact', invite, name) }
  async contacts (): Promise<any> { return this.call('contacts') }
  async requests (): Promise<any> { return this.call('requests') }
  async accept (ref: string): Promise<any> { return this.call('accept', ref) }
  async block (ref: string): Promise<any> { return this.call('block', ref) }
  async resolve (ref: string): Promise<any> { return this.call('resolve', ref) }
  async safetyNumber (ref: string): Promise<any> { return this.call('safetyNumber', ref) }
  async markVerified (ref: string): Promise<any> { return this.call('markVerified', ref) }
  async send (ref: string, text: string): Promise<any> { return this.call('send', ref, text) }
  async waitForDelivery (conversation: string, id: string, timeoutMs: number): Promise<boolean> {
    return this.call('waitForDelivery', conversation, id, timeoutMs)
  }

  async history (ref: string, limit?: number, before?: string): Promise<any> { return this.call('history', ref, limit, before) }
  async markRead (ref: string): Promise<void> { await this.call('markRead', ref) }
  async mailboxPair (): Promise<any> { return this.call('mailboxPair') }
  async mailboxUse (code: string): Promise<any> { return this.call('mailboxUse', code) }
  async mailboxStatus (): Promise<any> { return this.call('mailboxStatus') }
  async mailboxUnpair (peerId?: string): Promise<any> { return this.call('mailboxUnpair', peerId) }
  async subscribe (listener: (event: ApiEvent) => void): Promise<() => void> {
    if (this.listeners.size === 0) {
      await this.call('subscribe')
    }
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  async close (): Promise<void> {
    this.socket.end()
  }
}
