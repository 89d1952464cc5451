/**
 * A small static server for the built web app (web/dist), on node:http: the
 * right MIME types, `config.json` answered from memory (so one build works
 * against any relay), and an SPA fallback to index.html for paths that are
 * not files. `npm start` and the browser tests use it.
 *
 * Bind it to 127.0.0.1 or localhost: browsers treat only those plain-http
 * origins as secure contexts (WebCrypto, service workers, Web Locks).
 */

import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { WebConfig } from './src/config.ts'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** Where `npm run build:web` writes the app. */
export const WEB_DIST = fileURLToPath(new URL('./dist/', import.meta.url))

/**
 * The port `npm start` serves the app on. Fixed on purpose: IndexedDB belongs
 * to the origin including its port, so another port is another (empty) app.
 */
export const DEFAULT_WEB_PORT = 5180

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2'
}

export interface WebServerInit {
  /** The built app. @default WEB_DIST */
  root?: string
  /** @default '127.0.0.1' */
  host?: string
  /** 0 for any free port. @default DEFAULT_WEB_PORT */
  port?: number
  /** Served as /config.json. @default none (the file in root, if any) */
  config?: Partial<WebConfig>
}

export interface WebServer {
  /** e.g. `http://127.0.0.1:5180/` */
  url: string
  port: number
  close(): Promise<void>
}

/** Serves the built app; resolves once it listens. Fails if web/dist has no index.html (build it first). */
export async function serveWebApp (init: WebServerInit = {}): Promise<WebServer> {
  const root = normalize(init.root ?? WEB_DIST)
  const host = init.host ?? '127.0.0.1'
  const index = join(root, 'index.html')
  const indexStat = await stat(index).catch(() => undefined)
  if (indexStat?.isFile() !== true) {
    throw new Error(`No web app in ${root}: run \`npm run build:web\` first.`)
  }
  const configBody = init.config != null ? JSON.stringify(init.config) : undefined

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
      }
      res.end('Internal error\n')
    })
  })

  async function handle (req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end()
      return
    }
    let pathname: string
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname)
    } catch {
      res.writeHead(400).end()
      return
    }
    if (pathname === '/config.json' && configBody != null) {
      send(res, req, 200, { 'content-type': MIME_TYPES['.json'], 'cache-control': 'no-cache' }, configBody)
      return
    }
    const file = normalize(join(root, pathname))
    if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) {
      res.writeHead(403).end()
      return
    }
    const info = await stat(file).catch(() => undefined)
    if (info?.isFile() === true) {
      sendFile(res, req, file, info.size)
      return
    }
    // SPA fallback: a path that is not a file (and does not look like one) is the app
    if (extname(pathname) === '') {
      sendFile(res, req, index, indexStat?.size ?? 0)
      return
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n')
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(init.port ?? DEFAULT_WEB_PORT, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const shownHost = host.includes(':') ? `[${host}]` : host
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => { server.close(() => { resolve() }) })
    }
  }
}

/**
 * For the HTML: scripts only from this origin (no inline script, no eval), so
 * even text that slipped into the DOM as markup could not run. WebSockets to
 * relays anywhere; WebRTC is not governed by CSP.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self' ws: wss:",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'"
].join('; ')

function cacheControl (file: string): string {
  // hashed bundle files never change; everything else is revalidated (the service worker and index.html above all)
  return file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache'
}

function send (res: ServerResponse, req: IncomingMessage, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) })
  res.end(req.method === 'HEAD' ? undefined : body)
}

function sendFile (res: ServerResponse, req: IncomingMessage, file: string, size: number): void {
  res.writeHead(200, {
    'content-type': MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': String(size),
    'cache-control': cacheControl(file),
    'x-content-type-options': 'nosniff',
    ...(extname(file) === '.html' ? { 'content-security-policy': CONTENT_SECURITY_POLICY, 'referrer-policy': 'no-referrer' } : {})
  })
  if (req.method === 'HEAD') {
    res.end()
    return
  }
  createReadStream(file).on('error', () => { res.destroy() }).pipe(res)
}
