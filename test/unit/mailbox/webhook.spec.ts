/**
 * The mailbox's webhook against a real HTTP server on 127.0.0.1: what a
 * notification says (count and time, never sender or content), when it is
 * sent (mail for an account with no device online; coalesced), retries with
 * backoff, and that a failing or hanging endpoint never holds up a deposit.
 */

import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { renderWebhookBody, validateWebhookConfig } from '#node/src/mailbox-service.ts'
import { MailboxStatus } from '#shared/protocol/mailbox/index.ts'
import { newMessageId } from '#shared/store/index.ts'
import { envelopeBytes, newDevice, pair, startMailbox } from './harness.ts'
import type { Device, Harness } from './harness.ts'
import type { WebhookConfig } from '#node/src/mailbox-service.ts'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

interface Received {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
  response: ServerResponse
}

/** A local HTTP endpoint answering with the scripted statuses (then 200), or never (`hang`). */
class Endpoint {
  readonly received: Received[] = []
  readonly statuses: number[]
  hang = false
  private readonly server: Server
  private readonly waiters: Array<{ n: number, resolve: () => void }> = []

  constructor (statuses: number[] = []) {
    this.statuses = [...statuses]
    this.server = createServer((req, res) => {
      let body = ''
      req.setEncoding('utf8')
      req.on('data', (chunk: string) => { body += chunk })
      req.on('end', () => {
        this.received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, response: res })
        if (!this.hang) {
          res.writeHead(this.statuses.shift() ?? 200).end('thanks')
        }
        for (const w of this.waiters.filter(w => this.received.length >= w.n)) {
          this.waiters.splice(this.waiters.indexOf(w), 1)
          w.resolve()
        }
      })
    })
  }

  async listen (): Promise<string> {
    await new Promise<void>(resolve => this.server.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/notify?topic=parley`
  }

  /** Resolves once `n` requests have arrived in all. */
  async requests (n: number): Promise<Received[]> {
    if (this.received.length < n) {
      await new Promise<void>(resolve => this.waiters.push({ n, resolve }))
    }
    return this.received
  }

  async close (): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>(resolve => this.server.close(() => { resolve() }))
  }
}

const CANARY = 'canary-5f1d0c93-text-that-must-stay-secret'

describe('mailbox webhook', () => {
  let endpoint: Endpoint
  let url: string
  let h: Harness | undefined
  let alice: Device
  let bob: Device

  beforeEach(async () => {
    alice = await newDevice()
    bob = await newDevice()
  })

  afterEach(async () => {
    await h?.service.stop()
    h = undefined
    await endpoint.close()
  })

  async function setUp (webhook: Omit<WebhookConfig, 'url'>, statuses: number[] = []): Promise<Harness> {
    endpoint = new Endpoint(statuses)
    url = await endpoint.listen()
    h = await startMailbox({ service: { webhook: { url, ...webhook } } })
    await pair(h, bob)
    return h
  }

  async function deposit (harness: Harness, text = CANARY): Promise<string> {
    const id = newMessageId()
    const result = await harness.client(alice.peerId).deposit(harness.mailboxPeer, { recipient: bob.keys.publicKey, messageId: id, envelope: envelopeBytes(alice, bob.keys.publicKey, id, text) })
    assert.equal(result.status, MailboxStatus.OK)
    return id
  }

  it('says only how many messages wait and since when: never the sender, recipient device or content', async () => {
    const harness = await setUp({ body: '{"message":"{{count}} new at {{time}}"}', headers: { 'content-type': 'application/json' } })
    const id = await deposit(harness)
    const [request] = await endpoint.requests(1)

    assert.equal(request.method, 'POST')
    assert.equal(request.url, '/notify?topic=parley')
    assert.equal(request.headers['content-type'], 'application/json')
    assert.deepEqual(JSON.parse(request.body), { message: `1 new at ${new Date(harness.clock.now()).toISOString()}` })
    const everything = JSON.stringify({ url: request.url, headers: request.headers, body: request.body })
    for (const secret of [CANARY, id, alice.accountId, alice.peerId.toString(), bob.peerId.toString()]) {
      assert.ok(!everything.includes(secret), `the notification does not contain ${secret}`)
    }
  })

  it('retries with backoff until the endpoint accepts', async () => {
    const harness = await setUp({ initialBackoffMs: 5 }, [500, 503])
    await deposit(harness)
    const requests = await endpoint.requests(3)
    await harness.service.idle()
    assert.equal(requests.length, 3)
    assert.ok(requests.every(r => r.body === requests[0].body), 'each attempt sends the same notification')
    assert.deepEqual(harness.service.status().webhook, { sent: 1, failedAttempts: 2, dropped: 0 })
  })

  it('gives up after the last attempt, keeping the mail', async () => {
    const harness = await setUp({ initialBackoffMs: 1, maxAttempts: 3 }, [500, 500, 500, 500])
    await deposit(harness)
    await endpoint.requests(3)
    await harness.service.idle()
    assert.deepEqual(harness.service.status().webhook, { sent: 0, failedAttempts: 3, dropped: 1 })
    assert.equal(harness.store.usage().items, 1)
  })

  it('never holds up a deposit, even while the endpoint hangs', async () => {
    const harness = await setUp({ timeoutMs: 60_000 })
    endpoint.hang = true
    await deposit(harness)
    await deposit(harness)
    const [request] = await endpoint.requests(1)
    assert.equal(request.response.headersSent, false, 'the endpoint has not answered yet')
    assert.equal(harness.store.usage().items, 2, 'both deposits are stored and acked')
  })

  it('does not notify while a device of the account is online', async () => {
    const harness = await setUp({})
    // bob's device is known to the mailbox once it paired; it connects
    harness.service.peerOnline(bob.peerId)
    await deposit(harness)
    harness.service.peerOffline(bob.peerId)
    await deposit(harness)
    const [first] = await endpoint.requests(1)
    assert.match(first.body, /^New Parley mail: 2 waiting/, 'the first notification is for the second deposit')
  })

  it('coalesces arrivals within the interval into the next notification', async () => {
    const harness = await setUp({ minIntervalMs: 100 })
    await deposit(harness)
    await endpoint.requests(1)
    await deposit(harness)
    await deposit(harness)
    const requests = await endpoint.requests(2)
    await harness.service.idle()
    assert.match(requests[0].body, /: 1 waiting/)
    assert.match(requests[1].body, /: 3 waiting/)
    assert.equal(harness.service.status().webhook?.sent, 2)
  })

  it('accepts only {{count}} and {{time}} in the body, and an http(s) url', () => {
    assert.equal(renderWebhookBody('{{count}} at {{ time }}', 4, 0), '4 at 1970-01-01T00:00:00.000Z')
    assert.throws(() => { validateWebhookConfig({ url: 'http://127.0.0.1/x', body: 'from {{sender}}' }) }, { name: 'InvalidParametersError' })
    assert.throws(() => { validateWebhookConfig({ url: 'file:///etc/passwd' }) }, { name: 'InvalidParametersError' })
    assert.throws(() => { validateWebhookConfig({ url: 'http://127.0.0.1/x', method: 'GET', body: '{{count}}' }) }, { name: 'InvalidParametersError' })
    validateWebhookConfig({ url: 'https://ntfy.example/topic', method: 'PUT', body: '{{count}} new ({{time}})' })
  })
})
