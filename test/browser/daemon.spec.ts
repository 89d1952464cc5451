import assert from 'node:assert/strict'
import { initAccount, startDaemon, waitForEvent, waitForEvents } from '#test/helpers/parley.ts'
import { Cleanup } from '#test/helpers/process.ts'
import { addContact, assertClean, chatButton, createAccount, log, openChat, pathLine, readInvite, send, startWebStack, STEP_MS, waitForMessage, waitForRelay, waitForTick, watch } from './helpers.ts'
import type { MessageView } from '#node/src/api.ts'
import type { Daemon } from '#test/helpers/parley.ts'
import type { RelayProcess } from '#test/helpers/process.ts'
import type { WebServer } from '../../web/serve.ts'
import type { Browser, Page } from 'playwright-core'

describe('web app: a browser and a `parley` daemon', function () {
  this.timeout(180_000)

  const cleanup = new Cleanup()
  let relay: RelayProcess
  let browser: Browser
  let server: WebServer

  before(async () => {
    ({ relay, server, browser } = await startWebStack(cleanup))
  })

  after(async () => { await cleanup.run() })

  /** A daemon (on the relay's TCP address) and a browser account, contacts of each other. */
  async function setup (daemonName: string, browserName: string): Promise<{ daemon: Daemon, page: Page, browserId: string, seen: ReturnType<typeof watch> }> {
    const account = await initAccount(cleanup, daemonName, relay.tcpAddr)
    const daemon = await startDaemon(cleanup, account.home)
    const context = await browser.newContext()
    cleanup.add(async () => { await context.close() })
    const page = await context.newPage()
    const seen = watch(page, browserName)
    await createAccount(page, server.url, browserName)
    await waitForRelay(page, 'online')

    // the running daemon's invite names its live addresses
    const { invite } = await daemon.api.whoami()
    await addContact(page, invite, daemonName)
    const contact = await daemon.api.addContact(await readInvite(page))
    assert.equal(contact.name, browserName)
    return { daemon, page, browserId: contact.accountId, seen }
  }

  it('a browser and a parley daemon chat both ways', async () => {
    const { daemon, page, browserId, seen } = await setup('Dana', 'Alice')

    const mark = daemon.process.lineCount
    await send(page, 'hello from the browser')
    await waitForTick(page, 'hello from the browser', 'Delivered')
    const received = await waitForEvent(daemon, e => e.event === 'message:received' && e.conversation === browserId, { from: mark })
    const [stored] = await daemon.api.history(browserId)
    assert.equal(stored.id, received.id)
    assert.equal(stored.text, 'hello from the browser')

    const reply = await daemon.api.send(browserId, 'hello from the terminal')
    await waitForMessage(page, 'hello from the terminal')
    assert.equal(await daemon.api.waitForDelivery(browserId, reply.id, STEP_MS), true)
    assert.deepEqual((await daemon.api.history(browserId)).map(m => [m.direction, m.text, m.state]), [
      ['in', 'hello from the browser', 'received'],
      ['out', 'hello from the terminal', 'delivered']
    ])
    // the daemon listens on a WebSocket the browser can reach: no relay in between
    await pathLine(page).filter({ hasText: /^Direct connection \(WebSocket\)$/ }).waitFor({ timeout: STEP_MS })
    assertClean(seen)
  })

  it('a long conversation opens on its newest page and loads older ones on scrolling up', async () => {
    const { daemon, page, browserId, seen } = await setup('Eve', 'Bob')
    await page.getByRole('button', { name: 'Back to chats' }).click()

    const mark = daemon.process.lineCount
    const texts = Array.from({ length: 70 }, (_, i) => `note ${i}`)
    const sent: MessageView[] = []
    for (const text of texts) {
      sent.push(await daemon.api.send(browserId, text))
    }
    await waitForEvents(daemon, e => e.event === 'message:delivered' && sent.some(m => m.id === e.id), sent.length, { from: mark, timeout: 60_000 })
    await chatButton(page, 'Eve').filter({ hasText: '70 unread' }).waitFor({ timeout: STEP_MS })

    await openChat(page, 'Eve')
    await waitForMessage(page, 'note 69')
    const shown = log(page).locator('div[data-state] p')
    // the newest page only (50), not all 70
    assert.equal(await shown.count(), 50)
    assert.equal(await shown.first().textContent(), 'note 20')

    await page.locator('[role="log"]').evaluate((el) => { (el.parentElement as HTMLElement).scrollTop = 0 })
    await waitForMessage(page, 'note 0')
    assert.deepEqual(await shown.allTextContents(), texts)
    assertClean(seen)
  })
})
