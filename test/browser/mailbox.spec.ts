/**
 * Offline delivery through a mailbox between the browser app and real
 * `parley daemon` processes (docs/protocols/mailbox.md): Mia's always-on
 * daemon is the mailbox of her friends. The browser deposits there when the
 * recipient's devices are all offline, and drains its own mailbox on start
 * without the user doing anything.
 */

import assert from 'node:assert/strict'
import { initAccount, parleyJson, startDaemon, waitForEvents } from '#test/helpers/parley.ts'
import { Cleanup } from '#test/helpers/process.ts'
import { addContact, assertClean, chatButton, createAccount, log, openChat, readInvite, send, startWebStack, STEP_MS, unlock, waitForRelay, watch } from './helpers.ts'
import type { Account, Daemon, DaemonEvent } from '#test/helpers/parley.ts'
import type { RelayProcess } from '#test/helpers/process.ts'
import type { WebServer } from '../../web/serve.ts'
import type { Browser, BrowserContext, Page } from 'playwright-core'

/** Messages per scenario, as in the issue. */
const COUNT = 50

/** How long 50 deposits or 50 deliveries may take. */
const BULK_MS = 90_000

const is = (name: string) => (e: DaemonEvent): boolean => (e.event as string) === name

function texts (prefix: string): string[] {
  return Array.from({ length: COUNT }, (_, i) => `${prefix} ${i}`)
}

/** The texts of the open conversation's bubbles, in the order shown. */
async function shownTexts (page: Page): Promise<string[]> {
  return log(page).locator('div[data-state] > p').allTextContents()
}

/** Resolves once `count` bubbles of the open conversation carry the tick named `tick`. */
async function waitForTicks (page: Page, tick: 'Pending' | 'At mailbox' | 'Delivered', count: number, timeout = BULK_MS): Promise<void> {
  await page.waitForFunction(({ tick, count }) =>
    document.querySelectorAll(`[role="log"] div[data-state] [role="img"][aria-label="${tick}"]`).length === count,
  { tick, count }, { timeout })
}

async function openSettings (page: Page): Promise<ReturnType<Page['getByRole']>> {
  await page.getByRole('button', { name: 'Settings' }).click()
  const dialog = page.getByRole('dialog', { name: 'Settings' })
  await dialog.waitFor({ timeout: STEP_MS })
  return dialog
}

/** A new one-time pairing code from Mia's daemon, as its owner would get it. */
async function pairingCode (mia: Account): Promise<string> {
  const [{ code }] = await parleyJson<{ code: string }>(mia.home, ['mailbox', 'pair'])
  assert.match(code, /^parley-mailbox:[a-z2-7]+$/)
  return code
}

describe('web app: offline delivery through a mailbox (browser and daemons)', function () {
  this.timeout(300_000)

  const cleanup = new Cleanup()
  let relay: RelayProcess
  let server: WebServer
  let browser: Browser
  let mia: Account
  let miaDaemon: Daemon

  before(async () => {
    ({ relay, server, browser } = await startWebStack(cleanup))
    mia = await initAccount(cleanup, 'Mia', relay.tcpAddr)
    miaDaemon = await startDaemon(cleanup, mia.home)
  })

  after(async () => { await cleanup.run() })

  async function newContext (): Promise<BrowserContext> {
    const context = await browser.newContext()
    cleanup.add(async () => { await context.close() })
    return context
  }

  /** Who Mia's mailbox serves now (account ids). */
  async function miaServes (): Promise<string[]> {
    const status = await miaDaemon.api.mailboxStatus()
    return (status.service?.accounts ?? []).map(a => a.accountId)
  }

  it('browser as sender: 50 messages to an offline daemon wait at its mailbox, arrive in order once, and show delivered', async () => {
    const bob = await initAccount(cleanup, 'Bob', relay.tcpAddr)
    const bobDaemon = await startDaemon(cleanup, bob.home)
    const [paired] = await parleyJson(bob.home, ['mailbox', 'use', await pairingCode(mia)])
    assert.equal(paired.peerId, mia.peerId)

    const context = await newContext()
    let page = await context.newPage()
    const seen = [watch(page, 'Alice')]
    await createAccount(page, server.url, 'Alice')
    await waitForRelay(page, 'online')
    await addContact(page, (await bobDaemon.api.whoami()).invite, 'Bob')
    const alice = await bobDaemon.api.addContact(await readInvite(page))

    // Bob's only device goes offline
    assert.deepEqual(await bobDaemon.process.stop('SIGTERM'), { code: 0, signal: null })

    const sent = texts('to the mailbox')
    for (const text of sent) {
      await send(page, text)
    }
    await waitForTicks(page, 'At mailbox', COUNT)
    assert.deepEqual(await shownTexts(page), sent)
    const bobAtMia = (await miaDaemon.api.mailboxStatus()).service?.accounts.find(a => a.accountId === bob.accountId)
    assert.equal(bobAtMia?.items, COUNT)

    // Alice closes her tab; Bob's daemon comes back and does nothing
    await page.close()
    const back = await startDaemon(cleanup, bob.home)
    await waitForEvents(back, e => e.event === 'message:received' && e.conversation === alice.accountId, COUNT, { timeout: BULK_MS })
    const history = await back.api.history(alice.accountId, 500)
    assert.deepEqual(history.map(m => m.text), sent, 'all 50, in the order sent, each once')
    assert.equal(new Set(history.map(m => m.id)).size, COUNT)

    // Alice opens Parley again (same profile): everything shows delivered
    page = await context.newPage()
    seen.push(watch(page, 'Alice again'))
    await page.goto(server.url)
    await unlock(page)
    await openChat(page, 'Bob')
    await waitForTicks(page, 'Delivered', COUNT)
    assert.deepEqual(await shownTexts(page), sent)
    assert.deepEqual((await back.api.history(alice.accountId, 500)).map(m => m.text), sent, 'still once each')
    assertClean(...seen)
  })

  it('browser as passive recipient: pairs in Settings; 50 messages held while its tab is closed arrive on reopening', async () => {
    const context = await newContext()
    let page = await context.newPage()
    const seen = [watch(page, 'Bob')]
    await createAccount(page, server.url, 'Bob')
    await waitForRelay(page, 'online')
    const aliceAccount = await initAccount(cleanup, 'Alice', relay.tcpAddr)
    let aliceDaemon = await startDaemon(cleanup, aliceAccount.home)
    await addContact(page, (await aliceDaemon.api.whoami()).invite, 'Alice')
    const bob = await aliceDaemon.api.addContact(await readInvite(page))

    const settings = await openSettings(page)
    await settings.getByLabel('Mailbox pairing code').fill(await pairingCode(mia))
    await settings.getByRole('button', { name: 'Pair mailbox' }).click()
    await settings.getByText('Reachable', { exact: true }).waitFor({ timeout: STEP_MS })
    assert.equal(await settings.locator(`code[title="${mia.peerId}"]`).count(), 1, 'the mailbox\'s peer id, in full in its title')
    assert.ok((await miaServes()).includes(bob.accountId))
    await settings.getByRole('button', { name: 'Close' }).click()

    // Bob closes his tab; Alice writes 50: they wait at Mia's
    await page.close()
    const sent = texts('while you were away')
    const mark = aliceDaemon.process.lineCount
    const ids: string[] = []
    for (const text of sent) {
      ids.push((await aliceDaemon.api.send(bob.accountId, text)).id)
    }
    const held = await waitForEvents(aliceDaemon, e => is('message:at-mailbox')(e) && ids.includes(e.id ?? ''), COUNT, { from: mark, timeout: BULK_MS })
    assert.equal(new Set(held.map(e => e.id)).size, COUNT)

    // Alice goes offline too; Bob opens Parley again and does nothing
    assert.deepEqual(await aliceDaemon.process.stop('SIGTERM'), { code: 0, signal: null })
    page = await context.newPage()
    seen.push(watch(page, 'Bob again'))
    await page.goto(server.url)
    await unlock(page)
    await chatButton(page, 'Alice').filter({ hasText: `${COUNT} unread` }).waitFor({ timeout: BULK_MS })
    await openChat(page, 'Alice')
    await log(page).getByText(sent[COUNT - 1], { exact: true }).waitFor({ timeout: STEP_MS })
    assert.deepEqual(await shownTexts(page), sent, 'all 50, in order, once')
    const status = (await miaDaemon.api.mailboxStatus()).service?.accounts.find(a => a.accountId === bob.accountId)
    assert.equal(status?.items, 0, 'the mailbox forgot what the browser stored')

    // Alice is back: her daemon learns that all 50 were delivered
    aliceDaemon = await startDaemon(cleanup, aliceAccount.home)
    await waitForEvents(aliceDaemon, e => e.event === 'message:delivered' && ids.includes(e.id ?? ''), COUNT, { timeout: BULK_MS })
    assert.deepEqual((await aliceDaemon.api.history(bob.accountId, 500)).map(m => m.state), Array(COUNT).fill('delivered'))
    assert.deepEqual(await shownTexts(page), sent, 'no copy shown twice')
    assertClean(...seen)
  })

  it('Settings: a garbled or a used code gives a clear error and changes nothing; Remove mailbox unpairs', async () => {
    const context = await newContext()
    const page = await context.newPage()
    const seen = watch(page, 'Carol')
    await createAccount(page, server.url, 'Carol')
    await waitForRelay(page, 'online')
    const settings = await openSettings(page)
    const field = settings.getByLabel('Mailbox pairing code')
    const pair = settings.getByRole('button', { name: 'Pair mailbox' })
    const code = await pairingCode(mia)
    const before = await miaServes()

    await field.fill(code.slice(0, 40))
    await pair.click()
    await settings.getByRole('alert').filter({ hasText: 'The pairing code is damaged' }).waitFor({ timeout: STEP_MS })
    await field.fill('hello')
    await pair.click()
    await settings.getByRole('alert').filter({ hasText: 'This is not a Parley mailbox pairing code' }).waitFor({ timeout: STEP_MS })
    assert.equal(await settings.getByRole('button', { name: 'Remove mailbox' }).count(), 0)
    assert.deepEqual(await miaServes(), before, 'the mailbox serves no one new')

    await field.fill(code)
    await pair.click()
    await settings.getByText('Reachable', { exact: true }).waitFor({ timeout: STEP_MS })
    assert.equal(await settings.getByRole('alert').count(), 0, 'the success cleared the error')
    assert.equal((await miaServes()).length, before.length + 1)

    await settings.getByRole('button', { name: 'Remove mailbox' }).click()
    await field.waitFor({ timeout: STEP_MS })
    assert.deepEqual(await miaServes(), before, 'unpaired at the mailbox')

    // a code works once
    await field.fill(code)
    await pair.click()
    await settings.getByRole('alert').filter({ hasText: 'expired or was used already' }).waitFor({ timeout: STEP_MS })
    assert.equal(await settings.getByRole('button', { name: 'Remove mailbox' }).count(), 0)
    assert.deepEqual(await miaServes(), before)
    assertClean(seen)
  })
})
