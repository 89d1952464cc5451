import assert from 'node:assert/strict'
import { Cleanup, createTempDir, spawnRelay } from '#test/helpers/process.ts'
import {
  STEP_MS, addContact, assertClean, bubble, createAccount, launchBrowser, openChat, readInvite, send, serveApp,
  serviceWorkerInControl, unlock, waitForMessage, waitForRelay, waitForTick, watch
} from './helpers.ts'
import type { Browser } from 'playwright-core'

/** A relay address without its `/p2p/<id>`: what to listen on to come back at the same place. */
function listenAddr (addr: string): string {
  return addr.replace(/\/p2p\/[^/]+$/, '')
}

describe('web app: relay down, server gone', function () {
  this.timeout(240_000)

  const cleanup = new Cleanup()
  let browser: Browser

  before(async () => {
    browser = await launchBrowser(cleanup)
  })

  after(async () => { await cleanup.run() })

  it('a message typed while the relay is down stays pending (through a reload) and is delivered once the relay is back', async () => {
    const dataDir = await createTempDir('parley-relay-', cleanup)
    const relay = await spawnRelay(cleanup, { dataDir })
    const server = await serveApp(cleanup, [relay.wsAddr])
    const [aliceContext, bobContext] = await Promise.all([browser.newContext(), browser.newContext()])
    cleanup.add(async () => { await aliceContext.close() })
    cleanup.add(async () => { await bobContext.close() })
    const alice = await aliceContext.newPage()
    let bob = await bobContext.newPage()
    const seen = [watch(alice, 'Alice'), watch(bob, 'Bob')]
    await Promise.all([createAccount(alice, server.url, 'Alice'), createAccount(bob, server.url, 'Bob')])
    await Promise.all([waitForRelay(alice, 'online'), waitForRelay(bob, 'online')])
    const [aliceInvite, bobInvite] = await Promise.all([readInvite(alice), readInvite(bob)])
    await addContact(alice, bobInvite, 'Bob')
    await addContact(bob, aliceInvite, 'Alice')
    await send(bob, 'talk soon')
    await waitForMessage(alice, 'talk soon')

    // Bob closes his tab, then the relay goes down
    await bob.close()
    await relay.process.stop()
    await waitForRelay(alice, 'offline')
    assert.match(await alice.locator('[role="status"][data-relay="offline"]').first().textContent() ?? '', /Relay unreachable/)

    const text = 'typed while the relay was down'
    await send(alice, text)
    await waitForTick(alice, text, 'Pending')

    // a reload does not lose it
    await alice.reload()
    await unlock(alice)
    await openChat(alice, 'Bob')
    await waitForTick(alice, text, 'Pending')

    // the relay comes back at the same address with the same identity; Bob opens Parley again
    const again = await spawnRelay(cleanup, { dataDir, listen: [listenAddr(relay.tcpAddr), listenAddr(relay.wsAddr)] })
    assert.equal(again.peerId, relay.peerId)
    await waitForRelay(alice, 'online', 60_000)
    bob = await bobContext.newPage()
    seen.push(watch(bob, 'Bob again'))
    await bob.goto(server.url)
    await unlock(bob)

    await waitForTick(alice, text, 'Delivered')
    await openChat(bob, 'Alice')
    await waitForMessage(bob, text)
    assert.equal(await bubble(alice, text).count(), 1, 'shown once')
    assertClean(...seen)
  })

  it('the app starts without its server once loaded (service worker), with the history there', async () => {
    const relay = await spawnRelay(cleanup)
    const server = await serveApp(cleanup, [relay.wsAddr])
    const context = await browser.newContext()
    cleanup.add(async () => { await context.close() })
    const page = await context.newPage()
    const seen = watch(page, 'Judy')
    await createAccount(page, server.url, 'Judy')
    const other = await browser.newContext()
    cleanup.add(async () => { await other.close() })
    const friend = await other.newPage()
    await createAccount(friend, server.url, 'Ken')
    await addContact(page, await readInvite(friend), 'Ken')
    await send(page, 'written before going offline')
    await serviceWorkerInControl(page)

    await server.close()
    await page.reload()
    await page.getByRole('heading', { name: 'Welcome back, Judy' }).waitFor({ timeout: STEP_MS })
    await unlock(page)
    await openChat(page, 'Ken')
    await waitForMessage(page, 'written before going offline')
    assertClean(seen)
  })
})
