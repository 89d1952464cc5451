import assert from 'node:assert/strict'
import { initAccount, waitForEvent } from '#test/helpers/parley.ts'
import { Cleanup } from '#test/helpers/process.ts'
import { startRelayOnlyDaemon } from './relay-daemon.ts'
import { addContact, assertClean, createAccount, pathLine, readInvite, send, startWebStack, STEP_MS, waitForMessage, waitForRelay, waitForTick, watch } from './helpers.ts'
import type { Daemon } from '#test/helpers/parley.ts'
import type { RelayProcess } from '#test/helpers/process.ts'
import type { WebServer } from '../../web/serve.ts'
import type { Browser, Page } from 'playwright-core'

// The daemon listens only through the relay (see relay-daemon.ts): a direct
// link between it and the browser can only be WebRTC, signalled over the circuit.
describe('web app: direct WebRTC between a browser and a `parley` daemon', function () {
  this.timeout(180_000)

  const cleanup = new Cleanup()
  let relay: RelayProcess
  let browser: Browser
  let server: WebServer

  before(async () => {
    ({ relay, server, browser } = await startWebStack(cleanup))
  })

  after(async () => { await cleanup.run() })

  /** A relay-only daemon and a browser account, contacts of each other. */
  async function setup (daemonName: string, browserName: string): Promise<{ daemon: Daemon, page: Page, browserId: string, seen: ReturnType<typeof watch> }> {
    const account = await initAccount(cleanup, daemonName, relay.tcpAddr)
    const daemon = await startRelayOnlyDaemon(cleanup, account.home)
    const context = await browser.newContext()
    cleanup.add(async () => { await context.close() })
    const page = await context.newPage()
    const seen = watch(page, browserName)
    await createAccount(page, server.url, browserName)
    await waitForRelay(page, 'online')

    const { invite } = await daemon.api.whoami()
    await addContact(page, invite, daemonName)
    const contact = await daemon.api.addContact(await readInvite(page))
    assert.equal(contact.name, browserName)
    return { daemon, page, browserId: contact.accountId, seen }
  }

  it('the browser writes first: the relayed link is upgraded to direct WebRTC and both directions work over it', async () => {
    const { daemon, page, browserId, seen } = await setup('Rita', 'Sam')
    // the daemon has a WebRTC address (signalled through the relay) to offer
    assert.ok((await daemon.api.status()).addresses.some(a => a.includes('/p2p-circuit/webrtc/p2p/')), 'the daemon listens on /webrtc')

    const mark = daemon.process.lineCount
    await send(page, 'hello over the relay')
    await waitForTick(page, 'hello over the relay', 'Delivered')
    await waitForEvent(daemon, e => e.event === 'message:received' && e.conversation === browserId, { from: mark })

    await pathLine(page).filter({ hasText: /^Direct connection \(WebRTC\)$/ }).waitFor({ timeout: STEP_MS })

    // and the link carries messages both ways once it is direct
    await send(page, 'hello over WebRTC')
    await waitForTick(page, 'hello over WebRTC', 'Delivered')
    const reply = await daemon.api.send(browserId, 'WebRTC reply from the terminal')
    await waitForMessage(page, 'WebRTC reply from the terminal')
    assert.equal(await daemon.api.waitForDelivery(browserId, reply.id, STEP_MS), true)
    assert.deepEqual((await daemon.api.history(browserId)).map(m => [m.direction, m.text, m.state]), [
      ['in', 'hello over the relay', 'received'],
      ['in', 'hello over WebRTC', 'received'],
      ['out', 'WebRTC reply from the terminal', 'delivered']
    ])
    await pathLine(page).filter({ hasText: /^Direct connection \(WebRTC\)$/ }).waitFor({ timeout: STEP_MS })
    assertClean(seen)
  })

  it('the daemon writes first: it reaches the browser and the conversation is direct WebRTC', async () => {
    const { daemon, page, browserId, seen } = await setup('Tess', 'Uma')
    const sent = await daemon.api.send(browserId, 'hello from the terminal')
    await waitForMessage(page, 'hello from the terminal')
    assert.equal(await daemon.api.waitForDelivery(browserId, sent.id, STEP_MS), true)

    await pathLine(page).filter({ hasText: /^Direct connection \(WebRTC\)$/ }).waitFor({ timeout: STEP_MS })
    await send(page, 'hello back from the browser')
    await waitForTick(page, 'hello back from the browser', 'Delivered')
    assert.deepEqual((await daemon.api.history(browserId)).map(m => [m.direction, m.text]), [
      ['out', 'hello from the terminal'],
      ['in', 'hello back from the browser']
    ])
    assertClean(seen)
  })
})
