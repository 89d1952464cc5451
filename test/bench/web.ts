/**
 * `npm run bench` measures 6 and 7: the browser app. index.ts runs this when
 * `--only` includes 6 or 7 (and by default, after the others); it also runs
 * alone: `node --import tsx test/bench/web.ts --only 6,7 --rounds 10`.
 *
 * 6. Gzipped size of the production bundle (every .js file vite writes for
 *    web/, built here with web/vite.config.ts into a temp dir) vs a bare
 *    libp2p bundle with the same transports and services
 *    (test/bench/bare-bundle/main.ts), built by the same vite with the same
 *    target and minifier. One build each: the figure is exact, n = 1.
 * 7. Opening a conversation with 10,000 stored messages in the app (Chromium,
 *    the build from 6): from the click on the chat in the list until its 50
 *    newest messages are rows in the DOM, vs a raw IndexedDB `getAll` on the
 *    key range of those 50 messages, in the same page, sample by sample. The
 *    store is filled through `ParleyStore.addIncoming` (batches of 500) by
 *    test/bench/web-fill/, a page served from the app's origin (so it writes
 *    the app's own IndexedDB); the app is then unlocked as a user would. A
 *    diagnostic times `store.history(50)` alone against the same `getAll`
 *    in that page: the store's share of the open.
 */

import { readdir, readFile, mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'
import { build } from 'vite'
import { CHROMIUM, CHROMIUM_ARGS, PASSPHRASE, unlock } from '#test/browser/helpers.ts'
import { serveWebApp } from '../../web/serve.ts'
import { round3, summarize } from './lib.ts'
import type { Measure, Rounds } from './lib.ts'
import type { FillInit, FillResult } from './web-fill/main.ts'
import type { Page } from 'playwright-core'

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))
const WEB_CONFIG = join(REPO_ROOT, 'web', 'vite.config.ts')
const BARE_ROOT = fileURLToPath(new URL('./bare-bundle/', import.meta.url))
const FILL_ROOT = fileURLToPath(new URL('./web-fill/', import.meta.url))

/** Stored messages of measure 7 (issue 3). */
export const WEB_MESSAGES = 10_000
/** Messages per `addIncoming` call while filling. */
const FILL_BATCH = 500
/** The app's history page (web/src/state/app.ts HISTORY_PAGE). */
const PAGE_ROWS = 50
/** Open/getAll pairs per round of measure 7. */
const OPENS_PER_ROUND = 10
/** Longest a step in the page may take. */
const STEP_MS = 60_000
const PEER_NAME = 'Bench Peer'

export interface WebBenchInit {
  /** Measures to run: '6', '7'. */
  only: Set<string>
  /** Rounds of measure 7 (at least 5). */
  rounds: number
  report: (measure: Measure) => void
  diag: (name: string, samples: number[], unit: string, note?: string) => void
  diagValue: (name: string, value: number, unit: string, note?: string) => void
}

export async function runWebBench (init: WebBenchInit): Promise<void> {
  if (!init.only.has('6') && !init.only.has('7')) {
    return
  }
  const root = await mkdtemp(join(tmpdir(), 'parley-bench-web-'))
  try {
    const site = join(root, 'site')
    const began = performance.now()
    await build({ configFile: WEB_CONFIG, logLevel: 'warn', build: { outDir: site, emptyOutDir: true } })
    init.diagValue(`${init.only.has('6') ? '6' : '7'}: vite build of the web app (web/vite.config.ts, into a temp dir)`, (performance.now() - began) / 1000, 's')

    if (init.only.has('6')) {
      await measureBundle(init, site, join(root, 'bare'))
    }
    if (init.only.has('7')) {
      await measureOpen(init, site)
    }
  } finally {
    await rm(root, { recursive: true, force: true })
  }
}

// --- 6 ------------------------------------------------------------------------

interface Sizes { files: Array<{ file: string, bytes: number, gzip: number }>, bytes: number, gzip: number }

async function jsSizes (dir: string): Promise<Sizes> {
  const files: Sizes['files'] = []
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.js')) {
      const path = join(entry.parentPath, entry.name)
      const content = await readFile(path)
      files.push({ file: relative(dir, path), bytes: content.byteLength, gzip: gzipSync(content).byteLength })
    }
  }
  return { files, bytes: files.reduce((n, f) => n + f.bytes, 0), gzip: files.reduce((n, f) => n + f.gzip, 0) }
}

async function measureBundle (init: WebBenchInit, site: string, bareDir: string): Promise<void> {
  // "built the same way": the app's vite config's build options, minus what only the app has (Preact, the service worker)
  await build({
    configFile: false,
    root: BARE_ROOT,
    base: './',
    logLevel: 'warn',
    build: { outDir: bareDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2048 }
  })
  const [app, bare] = await Promise.all([jsSizes(site), jsSizes(bareDir)])
  const kib = (bytes: number): number => round3(bytes / 1024)
  const ratio = app.gzip / bare.gzip
  init.report({
    name: '6. Production bundle, gzipped JS: web app vs bare libp2p (same transports and services)',
    parley: kib(app.gzip),
    raw: kib(bare.gzip),
    unit: 'KiB',
    ratio: round3(ratio),
    n: 1,
    p50: { parley: kib(app.gzip), raw: kib(bare.gzip) },
    p99: { parley: kib(app.gzip), raw: kib(bare.gzip) },
    rounds: 1,
    target: '≤ 1.3×',
    met: ratio <= 1.3
  })
  init.diagValue('6: web app JS, uncompressed', kib(app.bytes), 'KiB', app.files.map(f => `${f.file} ${kib(f.gzip)} KiB gz`).join(', '))
  init.diagValue('6: bare libp2p JS, uncompressed', kib(bare.bytes), 'KiB', bare.files.map(f => `${f.file} ${kib(f.gzip)} KiB gz`).join(', '))
  init.diagValue('6: gzipped JS Parley adds over bare libp2p', kib(app.gzip - bare.gzip), 'KiB')
}

// --- 7 ------------------------------------------------------------------------

/**
 * Runs in the app's page (a string, so that no transpiler helper leaks into
 * it): `samples` pairs of (click the chat → 50 message rows in the DOM,
 * close it again) and (raw getAll of the newest 50 message keys), the order
 * swapped every pair. Resolves with both sides' times in ms.
 */
const OPEN_SAMPLES = String.raw`async ({ conversation, rows, samples, idbName, storeName, timeout }) => {
  const request = (req) => new Promise((resolve, reject) => { req.onsuccess = () => resolve(req.result); req.onerror = () => reject(req.error) })
  const within = (what, ok) => new Promise((resolve, reject) => {
    if (ok()) { resolve(); return }
    const timer = setTimeout(() => { observer.disconnect(); reject(new Error('timed out: ' + what)) }, timeout)
    const observer = new MutationObserver(() => { if (ok()) { clearTimeout(timer); observer.disconnect(); resolve() } })
    observer.observe(document.body, { childList: true, subtree: true, characterData: true })
  })
  const settled = async (ok, what) => {
    const deadline = performance.now() + timeout
    while (!ok()) {
      if (performance.now() > deadline) throw new Error('timed out: ' + what)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }
  const db = await request(indexedDB.open(idbName))
  const encoder = new TextEncoder()
  const all = await request(db.transaction(storeName, 'readonly').objectStore(storeName).getAllKeys(
    IDBKeyRange.bound(encoder.encode('!messages!' + conversation + '!'), encoder.encode('!messages!' + conversation + '"'), false, true)))
  const range = IDBKeyRange.bound(all[all.length - rows], all[all.length - 1])
  const button = document.getElementById('chat-' + conversation + '-name').closest('button')
  const shown = () => { const log = document.querySelector('[role="log"]'); return log != null && log.querySelectorAll('div[data-state]').length >= rows }
  const out = { parley: [], raw: [], shell: [], stored: all.length }
  for (let i = 0; i < samples; i++) {
    for (const side of i % 2 === 0 ? ['parley', 'raw'] : ['raw', 'parley']) {
      if (side === 'parley') {
        const start = performance.now()
        button.click()
        await within('the conversation shown', () => document.querySelector('[role="log"]') != null)
        out.shell.push(performance.now() - start)
        await within('50 rows shown', shown)
        out.parley.push(performance.now() - start)
        document.querySelector('button[aria-label="Back to chats"]').click()
        // closing goes back in the session history: wait for that to land, or it would close the next open
        await settled(() => document.querySelector('[role="log"]') == null && (history.state == null || history.state.chat == null), 'conversation closed')
      } else {
        const start = performance.now()
        const values = await request(db.transaction(storeName, 'readonly').objectStore(storeName).getAll(range))
        out.raw.push(performance.now() - start)
        if (values.length !== rows) throw new Error('raw getAll read ' + values.length + ' rows')
      }
    }
  }
  db.close()
  return out
}`

async function measureOpen (init: WebBenchInit, site: string): Promise<void> {
  let chromium: typeof import('playwright-core').chromium
  try {
    chromium = (await import('playwright-core')).chromium
    await stat(CHROMIUM)
  } catch {
    process.stderr.write(`bench: measure 7 needs Chromium at ${CHROMIUM} (PARLEY_CHROMIUM); skipped\n`)
    return
  }
  await build({
    configFile: false,
    root: FILL_ROOT,
    base: './',
    logLevel: 'warn',
    build: { outDir: join(site, 'bench-fill'), emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4096 }
  })
  const server = await serveWebApp({ root: site, port: 0, config: { relays: [], iceServers: [], allowPrivateAddresses: true, kdfLogN: 12 } })
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  try {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (err) => { errors.push(err.message) })

    await page.goto(`${server.url}bench-fill/index.html`)
    await page.waitForFunction(() => (globalThis as any).parleyBench != null, null, { timeout: STEP_MS })
    const fillInit: FillInit = { name: 'Bench Reader', passphrase: PASSPHRASE, kdfLogN: 12, peerName: PEER_NAME, messages: WEB_MESSAGES, batch: FILL_BATCH, text: 'a stored message: lorem ipsum dolor sit amet' }
    const filled: FillResult = await page.evaluate(async (i) => (globalThis as any).parleyBench.fill(i), fillInit)
    if (filled.stored !== WEB_MESSAGES) {
      throw new Error(`the fill stored ${filled.stored} messages, not ${WEB_MESSAGES}`)
    }
    init.diagValue(`7: fill ${WEB_MESSAGES} messages through ParleyStore.addIncoming (batches of ${FILL_BATCH}), in the page`, filled.fillMs / 1000, 's')

    const history: Rounds = []
    const historyRaw: Rounds = []
    for (let r = 0; r < init.rounds; r++) {
      const round: { parley: number[], raw: number[] } = await page.evaluate(async ([n, rows]) => (globalThis as any).parleyBench.history(n, rows), [OPENS_PER_ROUND, PAGE_ROWS])
      history.push(round.parley)
      historyRaw.push(round.raw)
    }
    const store = summarize({
      name: 'store.history(50) vs raw getAll',
      unit: 'ms',
      parley: history,
      raw: historyRaw,
      target: '',
      met: () => true
    })
    init.diag('7: store.history(newest 50) alone, in the fill page (10,000 stored; open 50 sealed values + decode)', history.flat(), 'ms')
    init.diag('7: raw IndexedDB getAll of the same 50 keys, in the fill page', historyRaw.flat(), 'ms')
    init.diagValue('7: store.history / raw getAll (median of per-round ratios)', store.ratio, '×')
    await page.evaluate(async () => (globalThis as any).parleyBench.close())

    // the app, unlocked as a user does; nothing else runs in it (no relay configured)
    await page.goto(server.url)
    await unlock(page)
    const chat = page.getByRole('button', { name: PEER_NAME, exact: true })
    await chat.waitFor({ timeout: STEP_MS })

    const parley: Rounds = []
    const raw: Rounds = []
    const shell: number[] = []
    for (let r = 0; r < init.rounds; r++) {
      const round = await openSamples(page, filled.conversation)
      if (round.stored !== WEB_MESSAGES) {
        throw new Error(`the page sees ${round.stored} stored messages, not ${WEB_MESSAGES}`)
      }
      parley.push(round.parley)
      raw.push(round.raw)
      shell.push(...round.shell)
    }
    init.diag('7: click → the conversation shown, its log still empty (the first render, before history() answers)', shell, 'ms')
    if (errors.length > 0) {
      throw new Error(`the page threw: ${errors.join('; ')}`)
    }
    init.report(summarize({
      name: `7. Open a conversation of ${WEB_MESSAGES.toLocaleString('en')} messages (click → newest ${PAGE_ROWS} rows in the DOM) vs raw IndexedDB getAll of those ${PAGE_ROWS}`,
      unit: 'ms',
      parley,
      raw,
      target: '≤ 1.5×',
      met: m => m.ratio <= 1.5
    }))
  } finally {
    await browser.close()
    await server.close()
  }
}

async function openSamples (page: Page, conversation: string): Promise<{ parley: number[], raw: number[], shell: number[], stored: number }> {
  const args = { conversation, rows: PAGE_ROWS, samples: OPENS_PER_ROUND, idbName: 'level-js-parley', storeName: 'parley', timeout: STEP_MS }
  return page.evaluate(`(${OPEN_SAMPLES})(${JSON.stringify(args)})`)
}

// --- alone ----------------------------------------------------------------------

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { only: { type: 'string', default: '6,7' }, rounds: { type: 'string', default: '10' } } })
  const rounds = Math.max(5, Number(values.rounds) || 10)
  const print = (line: object): void => { console.log(JSON.stringify(line)) }
  runWebBench({
    only: new Set(values.only.split(',').map(s => s.trim())),
    rounds,
    report: print,
    diag: (name, samples, unit, note) => {
      const sorted = [...samples].sort((a, b) => a - b)
      print({ diag: name, p50: round3(sorted[Math.ceil(sorted.length / 2) - 1]), p99: round3(sorted[Math.ceil(sorted.length * 0.99) - 1]), unit, n: samples.length, ...(note != null ? { note } : {}) })
    },
    diagValue: (name, value, unit, note) => { print({ diag: name, p50: round3(value), unit, ...(note != null ? { note } : {}) }) }
  }).then(() => { process.exit(0) }, (err) => {
    process.stderr.write(`bench (web) failed: ${err?.stack ?? err}\n`)
    process.exit(1)
  })
}
