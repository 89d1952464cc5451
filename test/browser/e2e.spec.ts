import assert from 'node:assert/strict'
import { initAccount, parleyJson, startDaemon, waitForEvent } from '#test/helpers/parley.ts'
import { Cleanup } from '#test/helpers/process.ts'
import { addContact, assertClean, bubble, chatButton, conversationTitle, createAccount, readInvite, send, startWebStack, STEP_MS, waitForRelay, waitForTick, watch } from './helpers.ts'
import type { RelayProcess } from '#test/helpers/process.ts'
import type { WebServer } from '../../web/serve.ts'
import type { Browser } from 'playwright-core'

/** A daemon that was never online must first start, then find the browser's message: allow for the courier's backoff. */
const DELIVERY_MS = 60_000

describe('web app: end-to-end encryption with a `parley` daemon', function () {
  this.timeout(180_000)

  const cleanup = new Cleanup()
  let relay: RelayProcess
  let browser: Browser
  let server: WebServer

  before(async () => {
    ({ relay, server, browser } = await startWebStack(cleanup))
  })

  after(async () => { await cleanup.run() })

  it('the first message goes out while the daemon is offline and arrives once it starts; both show one safety number; Mark as verified shows the badge; a re-created account with the same name brings a warning', async () => {
    // the daemon's account exists but has never been online: the browser starts the session from the prekey in its invite
    const dana = await initAccount(cleanup, 'Dana', relay.tcpAddr)
    const context = await browser.newContext()
    cleanup.add(async () => { await context.close() })
    const page = await context.newPage()
    const seen = watch(page, 'Alice')
    await createAccount(page, server.url, 'Alice')
    await waitForRelay(page, 'online')
    await addContact(page, dana.invite, 'Dana')
    const [alice] = await parleyJson(dana.home, ['contacts', 'add', await readInvite(page)])
    assert.equal(alice.name, 'Alice')

    const text = 'hello Dana, you are offline'
    await send(page, text)
    await waitForTick(page, text, 'Pending')

    const daemon = await startDaemon(cleanup, dana.home)
    const received = await waitForEvent(daemon, e => e.event === 'message:received' && e.conversation === alice.accountId, { timeout: DELIVERY_MS })
    await bubble(page, text).getByRole('img', { name: 'Delivered' }).waitFor({ timeout: DELIVERY_MS })
    const history = await daemon.api.history(alice.accountId)
    assert.deepEqual(history.map(m => [m.id, m.direction, m.text]), [[received.id, 'in', text]])

    // the same 60 digits on both sides
    const [fromCli] = await parleyJson(dana.home, ['contacts', 'verify', 'Alice'])
    assert.match(fromCli.safetyNumber, /^\d{5}( \d{5}){11}$/)
    assert.equal(fromCli.verified, false)
    await page.getByRole('button', { name: 'Safety number' }).click()
    const dialog = page.getByRole('dialog', { name: 'Safety number' })
    const digits = dialog.getByLabel('Safety number with Dana', { exact: true })
    await digits.waitFor({ timeout: STEP_MS })
    assert.equal(await digits.textContent(), fromCli.safetyNumber)
    await dialog.getByRole('img', { name: 'QR code of the safety number with Dana' }).waitFor({ timeout: STEP_MS })

    // no badge until the user says the numbers matched
    const header = page.locator('section[aria-labelledby="conversation-title"] > header')
    assert.equal(await header.getByRole('img', { name: 'Verified' }).count(), 0)
    await dialog.getByRole('button', { name: 'Mark as verified' }).click()
    await dialog.getByRole('img', { name: 'Verified' }).waitFor({ timeout: STEP_MS })
    assert.equal(await dialog.getByRole('button', { name: 'Mark as verified' }).count(), 0)
    await dialog.getByRole('button', { name: 'Close' }).click()
    await header.getByRole('img', { name: 'Verified' }).waitFor({ timeout: STEP_MS })
    // the badge sits beside the name: the conversation's title (and the chat's button) keep their names
    await conversationTitle(page, 'Dana').waitFor({ timeout: STEP_MS })

    // marking on one side is that side's decision only
    const [after] = await parleyJson(dana.home, ['contacts', 'verify', 'Alice'])
    assert.deepEqual([after.safetyNumber, after.verified], [fromCli.safetyNumber, false])

    // an account re-created under the same name (another key) writes: a request, never merged; both rows warn, the badge goes
    const again = await initAccount(cleanup, 'Dana', relay.tcpAddr)
    await parleyJson(again.home, ['contacts', 'add', await readInvite(page)])
    const second = await startDaemon(cleanup, again.home)
    await second.api.send(alice.accountId, 'it is Dana, on a new account')
    const request = page.getByRole('listitem', { name: 'Dana' })
    await request.getByText('Key changed').waitFor({ timeout: DELIVERY_MS })
    await chatButton(page, 'Dana').getByText('Key changed').waitFor({ timeout: STEP_MS })
    const warning = page.getByRole('alert').filter({ hasText: 'Dana’s key changed' })
    await warning.waitFor({ timeout: STEP_MS })
    assert.equal(await header.getByRole('img', { name: 'Verified' }).count(), 0)
    assert.match(await warning.textContent() ?? '', /Another account uses the name Dana.*Compare safety numbers/)
    await warning.getByRole('button', { name: 'Compare safety numbers' }).click()
    await dialog.getByRole('button', { name: 'Mark as verified' }).waitFor({ timeout: STEP_MS })
    assert.equal(await digits.textContent(), fromCli.safetyNumber)
    assertClean(seen)
  })
})
