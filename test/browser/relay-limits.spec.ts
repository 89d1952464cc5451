import assert from 'node:assert/strict'
import { setTimeout as delay } from 'node:timers/promises'
import { initAccount } from '#test/helpers/parley.ts'
import { Cleanup, spawnRelay } from '#test/helpers/process.ts'
import { startRelayOnlyDaemon } from './relay-daemon.ts'
import {
  STEP_MS, addContact, assertClean, bubble, createAccount, launchBrowser, log, pathLine, readInvite, serveApp, send,
  waitForRelay, watch
} from './helpers.ts'
import type { Daemon } from '#test/helpers/parley.ts'
import type { RelayProcess } from '#test/helpers/process.ts'
import type { WebServer } from '../../web/serve.ts'
import type { Browser, Page } from 'playwright-core'

/** Round trips in each conversation, one started every PACE_MS: 30 × 10 s = 5 min, past the relay's 2 min limit. */
const ROUNDS = 30
const PACE_MS = 10_000
/** In which round the burst goes out (early, so the circuit that follows it also meets the 2 min limit). */
const BURST_ROUND = 2
/** 32 messages of 4 KiB: 128 KiB of text alone, the relay's default data limit per relayed connection. */
const BURST = Array.from({ length: 32 }, (_, i) => `burst ${i} `.padEnd(4096, 'x'))

/**
 * How long one delivery may take. Longer than STEP_MS: after the relay cuts a
 * circuit, the next message waits for the redial, and a redial may first try
 * the other side's `/webrtc` address (libp2p sorts it before the plain
 * circuit), which fails after about 12 s where WebRTC cannot connect.
 */
const DELIVERY_MS = 60_000

/**
 * Makes this page's WebRTC unusable, as on a network that blocks UDP: every
 * RTCPeerConnection may use TURN relays only, and there are none, so ICE finds
 * no candidate pair. (Chromium's --force-webrtc-ip-handling-policy flag did not
 * stop host candidates here.) A string: tsx would wrap a function in a helper
 * the page does not have.
 */
const NO_WEBRTC = "{ const Base = window.RTCPeerConnection; window.RTCPeerConnection = class extends Base { constructor (config) { super({ ...config, iceTransportPolicy: 'relay' }) } } }"

/** One end of a conversation, as the test drives and checks it. */
interface End {
  name: string
  /** Sends `text` and resolves once this end shows it delivered. */
  send: (text: string) => Promise<void>
  /** Sends all `texts` without waiting in between, then resolves once every one shows delivered. */
  sendBurst: (texts: string[]) => Promise<void>
  /** Resolves once `text` (delivered by the other end) shows here. */
  received: (text: string) => Promise<void>
  /** Every message of the conversation here, oldest first. */
  conversation: (first: string) => Promise<string[]>
}

function browserEnd (page: Page, name: string): End {
  const deliveredTick = async (text: string): Promise<void> => {
    await bubble(page, text).getByRole('img', { name: 'Delivered' }).waitFor({ timeout: DELIVERY_MS })
  }
  return {
    name,
    send: async (text) => {
      await send(page, text)
      await deliveredTick(text)
    },
    sendBurst: async (texts) => {
      for (const text of texts) {
        await send(page, text)
      }
      for (const text of texts) {
        await deliveredTick(text)
      }
    },
    received: async (text) => { await log(page).getByText(text, { exact: true }).waitFor({ timeout: DELIVERY_MS }) },
    conversation: async (first) => {
      // the log shows the newest page; each scroll to the top loads one older page
      const shown = log(page).locator('div[data-state] p')
      for (let page_ = 0; page_ < 10 && await log(page).getByText(first, { exact: true }).count() === 0; page_++) {
        const before = await shown.count()
        await log(page).evaluate((el) => { (el.parentElement as HTMLElement).scrollTop = 0 })
        await page.waitForFunction((n) => document.querySelectorAll('[role="log"] div[data-state] p').length > n, before, { timeout: STEP_MS })
      }
      return shown.allTextContents()
    }
  }
}

function daemonEnd (daemon: Daemon, peer: string, name: string): End {
  const delivered = async (id: string): Promise<void> => {
    assert.equal(await daemon.api.waitForDelivery(peer, id, DELIVERY_MS), true, `${name}'s message ${id} delivered within ${DELIVERY_MS} ms`)
  }
  return {
    name,
    send: async (text) => { await delivered((await daemon.api.send(peer, text)).id) },
    sendBurst: async (texts) => {
      const sent = []
      for (const text of texts) {
        sent.push(await daemon.api.send(peer, text))
      }
      for (const message of sent) {
        await delivered(message.id)
      }
    },
    // the sender saw it delivered: the daemon acked only after storing it
    received: async (text) => {
      const recent = await daemon.api.history(peer, 40)
      assert.ok(recent.some(m => m.direction === 'in' && m.text === text), `${name} has "${text.slice(0, 20)}"`)
    },
    conversation: async () => (await daemon.api.history(peer, 500)).map(m => m.text)
  }
}

/**
 * ROUNDS round trips, one every PACE_MS (each waits for the previous
 * delivery, then the rest of its 10 s: pacing, not synchronisation), with the
 * burst from `a` in BURST_ROUND. Resolves with what was sent, in order.
 */
async function converse (a: End, b: End): Promise<string[]> {
  const sent: string[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const started = Date.now()
    for (const [from, to] of [[a, b], [b, a]]) {
      const text = `${from.name} ${round}`
      await from.send(text)
      await to.received(text)
      sent.push(text)
    }
    if (round === BURST_ROUND) {
      await a.sendBurst(BURST)
      for (const text of BURST) {
        await b.received(text)
      }
      sent.push(...BURST)
    }
    await delay(Math.max(0, PACE_MS - (Date.now() - started)))
  }
  return sent
}

describe('web app: a conversation past the relay\'s limits (2 min, 128 KiB per relayed connection)', function () {
  // 5 min of conversation, plus set-up and the checks
  this.timeout(8 * 60_000)

  const cleanup = new Cleanup()
  let relay: RelayProcess
  let server: WebServer
  let browser: Browser

  before(async () => {
    // libp2p's default relay limits (parley-relay does not change them); its
    // circuit log shows each relayed connection it opens
    relay = await spawnRelay(cleanup, { env: { DEBUG: 'libp2p:circuit-relay:server' } })
    server = await serveApp(cleanup, [relay.wsAddr])
    browser = await launchBrowser(cleanup)
  })

  after(async () => { await cleanup.run() })

  async function newPage (name: string, options: { webrtc: boolean } = { webrtc: true }): Promise<{ page: Page, seen: ReturnType<typeof watch> }> {
    const context = await browser.newContext()
    cleanup.add(async () => { await context.close() })
    if (!options.webrtc) {
      await context.addInitScript({ content: NO_WEBRTC })
    }
    const page = await context.newPage()
    const seen = watch(page, name)
    await createAccount(page, server.url, name)
    await waitForRelay(page, 'online')
    return { page, seen }
  }

  it('two browsers, and a relay-only browser with a relay-only daemon, chat for 5 minutes: everything delivered once, in order, on both sides', async () => {
    // two browsers: the relay introduces them; their link may become direct WebRTC
    const [alice, bob] = await Promise.all([newPage('Alice'), newPage('Bob')])
    const [aliceInvite, bobInvite] = await Promise.all([readInvite(alice.page), readInvite(bob.page)])
    await addContact(bob.page, aliceInvite, 'Alice')
    await addContact(alice.page, bobInvite, 'Bob')

    // a browser whose WebRTC cannot connect and a daemon with no address but the
    // relay: every byte between them goes through relayed connections, which the
    // relay cuts at its limits
    const account = await initAccount(cleanup, 'Dana', relay.tcpAddr)
    const dana = await startRelayOnlyDaemon(cleanup, account.home, { webrtc: false })
    const carol = await newPage('Carol', { webrtc: false })
    await addContact(carol.page, (await dana.api.whoami()).invite, 'Dana')
    const carolId = (await dana.api.addContact(await readInvite(carol.page))).accountId

    const ends = {
      alice: browserEnd(alice.page, 'Alice'),
      bob: browserEnd(bob.page, 'Bob'),
      carol: browserEnd(carol.page, 'Carol'),
      dana: daemonEnd(dana, carolId, 'Dana')
    }
    const [aliceBob, carolDana] = await Promise.all([converse(ends.alice, ends.bob), converse(ends.carol, ends.dana)])

    assert.equal(aliceBob.length, 2 * ROUNDS + BURST.length)
    // nothing lost, nothing twice, in the order sent, on each side
    for (const [end, sent] of [[ends.alice, aliceBob], [ends.bob, aliceBob], [ends.carol, carolDana], [ends.dana, carolDana]] as const) {
      const shown = await end.conversation(sent[0])
      assert.equal(shown.length, sent.length, `${end.name} has ${shown.length} messages, ${sent.length} were sent`)
      assert.deepEqual(shown, sent, `${end.name}'s conversation is every message once, in order`)
    }

    // Carol and Dana never had anything but the relay: their conversation went
    // over more than one relayed connection, each cut at a limit and reopened
    assert.match(await pathLine(carol.page).textContent({ timeout: STEP_MS }) ?? '', /^(Relayed via |Not connected)/)
    const danaId = dana.ready.peerId
    const circuits = relay.process.stderr.split('\n').filter(line => line.includes('established - merging streams') && line.includes(danaId)).length
    assert.ok(circuits >= 2, `Carol and Dana used ${circuits} relayed connection(s): the limits were not crossed`)
    assertClean(alice.seen, bob.seen, carol.seen)
  })
})
