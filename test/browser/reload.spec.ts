import assert from 'node:assert/strict'
import { Cleanup, spawnRelay } from '#test/helpers/process.ts'
import { STEP_MS, addContact, assertClean, createAccount, launchBrowser, readInvite, send, serveApp, unlock, waitForTick, watch } from './helpers.ts'
import type { Page } from 'playwright-core'

/** Resolves once the app says a relay holds a reservation for it (others can reach it). */
async function waitForReservation (page: Page): Promise<void> {
  await page.locator('[role="status"][data-relay="online"][data-reachable="true"]').first().waitFor({ state: 'attached', timeout: STEP_MS })
}

describe('web app: reloads', function () {
  this.timeout(300_000)

  const cleanup = new Cleanup()
  after(async () => { await cleanup.run() })

  it('a tab reloaded 20 times in a row gets a relay reservation each time, and is reachable after the last', async () => {
    // room for two: the other browser's slot and this tab's, so a slot kept by an earlier load would show
    const relay = await spawnRelay(cleanup, { args: ['--max-reservations', '2'] })
    const server = await serveApp(cleanup, [relay.wsAddr])
    const browser = await launchBrowser(cleanup)
    const [tabContext, otherContext] = [await browser.newContext(), await browser.newContext()]
    cleanup.add(async () => { await tabContext.close() })
    cleanup.add(async () => { await otherContext.close() })
    const [tab, other] = [await tabContext.newPage(), await otherContext.newPage()]
    const seen = [watch(tab, 'tab'), watch(other, 'other')]
    await createAccount(tab, server.url, 'Quinn')
    await createAccount(other, server.url, 'Rosa')
    await Promise.all([waitForReservation(tab), waitForReservation(other)])
    await addContact(other, await readInvite(tab), 'Quinn')

    for (let i = 0; i < 20; i++) {
      await tab.reload()
      await unlock(tab)
      await waitForReservation(tab)
    }

    // reachable for real: a message from the other browser arrives (Quinn has not added Rosa: a request)
    await send(other, 'still there after 20 reloads?')
    await waitForTick(other, 'still there after 20 reloads?', 'Delivered')
    await tab.getByRole('region', { name: 'Message requests' }).getByText('still there after 20 reloads?').waitFor({ timeout: STEP_MS })
    assert.equal(relay.process.exitStatusIfExited, undefined, 'the relay is still up')
    assertClean(...seen)
  })
})
