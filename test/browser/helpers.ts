/**
 * Helpers for the browser end-to-end tests: headless Debian Chromium through
 * playwright-core, the built web app (web/dist, built by `npm run
 * test:browser` first) served by web/serve.ts, and the user's steps on its
 * screens by their accessible names. Every wait is on the page (a locator or a
 * condition) with a timeout; nothing sleeps.
 */

import assert from 'node:assert/strict'
import { chromium } from 'playwright-core'
import { spawnRelay } from '#test/helpers/process.ts'
import { serveWebApp } from '../../web/serve.ts'
import type { Cleanup, RelayProcess } from '#test/helpers/process.ts'
import type { WebConfig } from '../../web/src/config.ts'
import type { WebServer } from '../../web/serve.ts'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'

export const CHROMIUM = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium'

/** Chromium's flags for CI: no sandbox (containers), nothing that calls home. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

export const PASSPHRASE = 'browser test passphrase'

/** How long a step on the page may take (a delivery through a relay, a KDF). */
export const STEP_MS = 30_000

export async function launchBrowser (cleanup: Cleanup): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  cleanup.add(async () => { await browser.close() })
  return browser
}

/** A persistent profile (its IndexedDB survives closing the browser): for restart tests. */
/** What most browser suites share: a relay process, the built app served against it, and Chromium. */
export interface WebStack {
  relay: RelayProcess
  server: WebServer
  browser: Browser
}

export async function startWebStack (cleanup: Cleanup): Promise<WebStack> {
  const relay = await spawnRelay(cleanup)
  const server = await serveApp(cleanup, [relay.wsAddr])
  const browser = await launchBrowser(cleanup)
  return { relay, server, browser }
}

export async function launchProfile (cleanup: Cleanup, dir: string): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  cleanup.add(async () => { await context.close() })
  return context
}

/** The built app against these relays, with a cheap KDF and no ICE servers (nothing leaves the machine). */
export async function serveApp (cleanup: Cleanup, relays: string[], config: Partial<WebConfig> = {}): Promise<WebServer> {
  const server = await serveWebApp({
    port: 0,
    config: { relays, iceServers: [], allowPrivateAddresses: true, kdfLogN: 12, ...config }
  })
  cleanup.add(async () => { await server.close() })
  return server
}

/** Collects what a page must never do: script errors and alert()/confirm() dialogs. */
export function watch (page: Page, name: string): { errors: string[], dialogs: string[] } {
  const seen = { errors: [] as string[], dialogs: [] as string[] }
  page.on('pageerror', (err) => { seen.errors.push(`${name}: ${err.message}`) })
  page.on('dialog', (dialog) => {
    seen.dialogs.push(`${name}: ${dialog.type()} ${dialog.message()}`)
    void dialog.dismiss()
  })
  if (process.env.PARLEY_BROWSER_LOG != null) {
    page.on('console', (msg) => { process.stderr.write(`[${name}] ${msg.text().replace(/%c/g, '')}\n`) })
  }
  return seen
}

/** The chat list's header is there: the account is unlocked and the app runs. */
export async function waitForApp (page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Settings' }).waitFor({ timeout: STEP_MS })
}

export async function createAccount (page: Page, url: string, name: string): Promise<void> {
  await page.goto(url)
  await page.getByLabel('Display name').fill(name)
  await page.getByLabel('Passphrase').fill(PASSPHRASE)
  await page.getByRole('button', { name: 'Create account' }).click()
  await waitForApp(page)
}

export async function unlock (page: Page, passphrase = PASSPHRASE): Promise<void> {
  await page.getByLabel('Passphrase').fill(passphrase)
  await page.getByRole('button', { name: 'Unlock' }).click()
  await waitForApp(page)
}

/** Opens "Share invite", reads the text labelled "Your invite", closes the dialog. */
export async function readInvite (page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Share invite' }).click()
  const field = page.getByLabel('Your invite')
  await page.waitForFunction(() => (document.getElementById('share-invite-text') as HTMLTextAreaElement | null)?.value.startsWith('parley:') === true, null, { timeout: STEP_MS })
  const invite = await field.inputValue()
  await page.getByRole('dialog', { name: 'Share invite' }).getByRole('button', { name: 'Close' }).click()
  return invite
}

/** "Add contact" → paste into "Invite" → "Add"; the new chat opens. */
export async function addContact (page: Page, invite: string, expectName: string): Promise<void> {
  await page.getByRole('button', { name: 'Add contact' }).click()
  await page.getByLabel('Invite', { exact: true }).fill(invite)
  await page.getByRole('button', { name: 'Add', exact: true }).click()
  await conversationTitle(page, expectName).waitFor({ timeout: STEP_MS })
}

export function conversationTitle (page: Page, name: string): Locator {
  return page.getByRole('heading', { level: 2, name, exact: true })
}

/** The chat list button of a contact (named after them). */
export function chatButton (page: Page, name: string): Locator {
  return page.getByRole('button', { name, exact: true })
}

export async function openChat (page: Page, name: string): Promise<void> {
  await chatButton(page, name).click()
  await conversationTitle(page, name).waitFor({ timeout: STEP_MS })
}

/** The open conversation's path line ("Direct connection (WebRTC)", "Relayed via …"). */
export function pathLine (page: Page): Locator {
  return page.locator('#conversation-title + p')
}

export function log (page: Page): Locator {
  return page.getByRole('log')
}

/** The message bubble (in the open conversation) whose text is exactly `text`. */
export function bubble (page: Page, text: string): Locator {
  return log(page).locator('div[data-state]').filter({ has: page.getByText(text, { exact: true }) })
}

export async function send (page: Page, text: string): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(text)
  await page.getByRole('button', { name: 'Send' }).click()
  await bubble(page, text).waitFor({ timeout: STEP_MS })
}

export async function waitForTick (page: Page, text: string, tick: 'Pending' | 'Delivered'): Promise<void> {
  await bubble(page, text).getByRole('img', { name: tick }).waitFor({ timeout: STEP_MS })
}

export async function waitForMessage (page: Page, text: string): Promise<void> {
  await log(page).getByText(text, { exact: true }).waitFor({ timeout: STEP_MS })
}

/** The relay state the app shows (the `data-relay` of its status line). */
export async function waitForRelay (page: Page, state: 'online' | 'offline' | 'connecting', timeout = STEP_MS): Promise<void> {
  await page.locator(`[role="status"][data-relay="${state}"]`).first().waitFor({ state: 'attached', timeout })
}

/** Resolves once the app's service worker is active and controls the page (its `controllerchange`). */
export async function serviceWorkerInControl (page: Page): Promise<void> {
  // (no named functions inside: tsx would wrap them in a helper the page does not have)
  await page.evaluate(async (timeout) => {
    if (navigator.serviceWorker.controller != null) {
      return
    }
    await new Promise<void>((resolve, reject) => {
      setTimeout(() => { reject(new Error(`no service worker in control within ${timeout} ms`)) }, timeout)
      navigator.serviceWorker.addEventListener('controllerchange', () => { resolve() }, { once: true })
    })
  }, STEP_MS)
}

/**
 * The notifications the page's service worker shows, as [title, body], once
 * there is at least one. The browser fires no event for a notification shown,
 * so this checks the list every 100 ms until then (or fails after STEP_MS).
 */
export async function shownNotifications (page: Page): Promise<Array<[string, string]>> {
  return page.evaluate(async (timeout) => {
    const registration = await navigator.serviceWorker.ready
    const deadline = Date.now() + timeout
    while (Date.now() < deadline) {
      const shown = await registration.getNotifications()
      if (shown.length > 0) {
        return shown.map(n => [n.title, n.body] as [string, string])
      }
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    throw new Error(`no notification within ${timeout} ms`)
  }, STEP_MS)
}

export function assertClean (...seen: Array<{ errors: string[], dialogs: string[] }>): void {
  assert.deepEqual(seen.flatMap(s => s.errors), [], 'no script errors')
  assert.deepEqual(seen.flatMap(s => s.dialogs), [], 'no dialogs (alert/confirm) opened')
}
