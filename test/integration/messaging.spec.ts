/**
 * 1:1 messaging end to end, with real processes on 127.0.0.1: a parley-relay,
 * and `parley daemon`s for Alice and Bob whose homes know only the relay's
 * address and each other's invite. Commands run as the `parley` CLI; bulk
 * sends go through a daemon's control socket.
 *
 * One relay and one pair serve every test here: each test tags its own
 * messages and looks only at those. Tests that stop or kill daemons are in
 * messaging-restart.spec.ts, on fresh pairs.
 */

import assert from 'node:assert/strict'
import { Cleanup } from '#test/helpers/process.ts'
import {
  addContact, daemonEvents, deliveredOneOf, initAccount, parley, parleyJson, receivedOneOf, sendAndDeliver, setupPair,
  startDaemon, waitForEvent, waitForEvents, waitForStderr
} from '#test/helpers/parley.ts'
import type { MessageView } from '#node/src/api.ts'
import type { Pair } from '#test/helpers/parley.ts'

/** How long 100 messages may take to be delivered (they take ~2 s). */
const BULK_WAIT_MS = 60_000

function numbered (prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix} ${String(i + 1).padStart(3, '0')}`)
}

function onlyIds (messages: MessageView[], ids: string[]): MessageView[] {
  const wanted = new Set(ids)
  return messages.filter(m => wanted.has(m.id))
}

describe('1:1 messaging between two daemons (real processes)', function () {
  this.timeout(120_000)
  const cleanup = new Cleanup()
  let pair: Pair

  before(async () => {
    pair = await setupPair(cleanup)
  })

  after(async () => {
    await cleanup.run()
  })

  it('delivers Alice → Bob and Bob → Alice through the relay, and both histories show it', async () => {
    const { alice, bob } = pair
    const [toBob, toAlice] = await Promise.all([
      parley(alice.home, ['send', 'Bob', 'hello Bob', '--wait', '15', '--json']),
      parley(bob.home, ['send', 'Alice', 'hello Alice', '--wait', '15', '--json'])
    ])
    assert.equal(toBob.code, 0, toBob.stderr)
    assert.equal(toAlice.code, 0, toAlice.stderr)
    const sentToBob: MessageView = JSON.parse(toBob.stdout)
    const sentToAlice: MessageView = JSON.parse(toAlice.stdout)
    assert.equal(sentToBob.state, 'delivered')
    assert.equal(sentToAlice.state, 'delivered')

    const [aliceHistory, bobHistory] = await Promise.all([
      parleyJson<MessageView>(alice.home, ['history', 'Bob']),
      parleyJson<MessageView>(bob.home, ['history', 'Alice'])
    ])
    for (const [history, mine, theirs, me, them] of [
      [aliceHistory, sentToBob, sentToAlice, alice, bob],
      [bobHistory, sentToAlice, sentToBob, bob, alice]
    ] as const) {
      const out = history.find(m => m.id === mine.id)
      const inbound = history.find(m => m.id === theirs.id)
      assert.ok(out != null, `${me.name} has its own message in the history`)
      assert.ok(inbound != null, `${me.name} has ${them.name}'s message in the history`)
      assert.deepEqual([out.direction, out.state, out.text, out.sender], ['out', 'delivered', mine.text, me.accountId])
      assert.deepEqual([inbound.direction, inbound.state, inbound.text, inbound.sender], ['in', 'received', theirs.text, them.accountId])
      assert.equal(inbound.conversation, them.accountId)
    }
    // the daemons said so too (ids and states only)
    await waitForEvent(bob.daemon, e => e.event === 'message:received' && e.id === sentToBob.id)
    await waitForEvent(alice.daemon, e => e.event === 'message:delivered' && e.id === sentToBob.id)
  })

  it('delivers 100 messages sent one after another: all of them, in order, once each', async () => {
    const { alice, bob } = pair
    const bobMark = bob.daemon.process.lineCount
    const texts = numbered('in a row', 100)
    const sent = await sendAndDeliver(alice, bob, texts, { timeout: BULK_WAIT_MS })
    const ids = sent.map(m => m.id)
    assert.equal(new Set(ids).size, 100)

    // Bob: one page of up to 500 (the CLI's --limit), oldest first
    const bobHistory = await parleyJson<MessageView>(bob.home, ['history', 'Alice', '--limit', '500'])
    const received = onlyIds(bobHistory, ids)
    assert.deepEqual(received.map(m => m.text), texts)
    assert.deepEqual(received.map(m => m.id), ids)
    assert.ok(received.every(m => m.direction === 'in' && m.state === 'received' && m.sender === alice.accountId))

    // the same history read backwards in pages of 30 with `before`
    const pages: MessageView[] = []
    for (let before: string | undefined; ;) {
      const page = await bob.daemon.api.history(alice.accountId, 30, before)
      pages.unshift(...page)
      if (page.length < 30) {
        break
      }
      before = page[0].id
    }
    assert.deepEqual(pages.map(m => m.id), bobHistory.map(m => m.id))

    // Alice: every one delivered
    const aliceHistory = onlyIds(await alice.daemon.api.history(bob.accountId, 500), ids)
    assert.deepEqual(aliceHistory.map(m => m.id), ids)
    assert.deepEqual(aliceHistory.filter(m => m.state !== 'delivered').map(m => m.text), [])

    // and Bob's daemon reported each arrival once
    assert.equal(daemonEvents(bob.daemon, bobMark).filter(receivedOneOf(ids)).length, 100)
  })

  it('delivers 100 messages sent at once (more than libp2p\'s 32 streams per protocol): none lost, none twice', async () => {
    const { alice, bob } = pair
    const aliceMark = alice.daemon.process.lineCount
    const bobMark = bob.daemon.process.lineCount
    const texts = numbered('all at once', 100)
    const sent = await Promise.all(texts.map(async text => alice.daemon.api.send(bob.accountId, text)))
    const ids = sent.map(m => m.id)
    assert.equal(new Set(ids).size, 100)
    await waitForEvents(alice.daemon, deliveredOneOf(ids), 100, { from: aliceMark, timeout: BULK_WAIT_MS })

    const bobHistory = onlyIds(await bob.daemon.api.history(alice.accountId, 500), ids)
    assert.equal(bobHistory.length, 100)
    assert.equal(new Set(bobHistory.map(m => m.id)).size, 100)
    assert.deepEqual(new Set(bobHistory.map(m => m.text)), new Set(texts))

    // both sides order the conversation the same way
    const aliceHistory = onlyIds(await alice.daemon.api.history(bob.accountId, 500), ids)
    assert.deepEqual(bobHistory.map(m => m.id), aliceHistory.map(m => m.id))
    assert.deepEqual(aliceHistory.filter(m => m.state !== 'delivered').map(m => m.text), [])
    assert.equal(daemonEvents(bob.daemon, bobMark).filter(receivedOneOf(ids)).length, 100)
  })

  it('refuses a second daemon on the same home with one clear line, and the first keeps working', async () => {
    const { alice, bob } = pair
    const second = await parley(alice.home, ['daemon', '--json'])
    assert.equal(second.code, 1)
    assert.equal(second.stdout, '')
    assert.deepEqual(second.stderr.trimEnd().split('\n'), [`parley: A parley daemon (or chat) is already running for ${alice.home}.`])

    assert.equal(alice.daemon.process.exitStatusIfExited, undefined, 'the first daemon is still running')
    const [message] = await sendAndDeliver(alice, bob, ['still here after a second daemon was refused'])
    const [inBob] = onlyIds(await bob.daemon.api.history(alice.accountId, 5), [message.id])
    assert.equal(inBob?.text, message.text)
  })

  it('makes a message from a stranger a request; accept makes it a contact, block drops its messages', async () => {
    const { relay, alice } = pair
    // Carol has Alice's invite; Alice knows nothing of Carol
    const carol = await initAccount(cleanup, 'Carol', relay.tcpAddr)
    await addContact(carol, alice)
    // DEBUG: Carol's courier logs the status Alice answers each envelope with
    const carolDaemon = await startDaemon(cleanup, carol.home, { env: { DEBUG: 'parley:courier' } })
    const aliceMark = alice.daemon.process.lineCount

    const first = await carolDaemon.api.send(alice.accountId, 'hi Alice, Carol here')
    await waitForEvent(carolDaemon, e => e.event === 'message:delivered' && e.id === first.id)
    const request = await waitForEvent(alice.daemon, e => e.event === 'request:received', { from: aliceMark })
    assert.deepEqual([request.accountId, request.name, request.state], [carol.accountId, 'Carol', 'request'])

    const [requests, contacts, [stored]] = await Promise.all([
      parleyJson(alice.home, ['requests']),
      parleyJson(alice.home, ['contacts', 'list']),
      alice.daemon.api.history(carol.accountId)
    ])
    assert.deepEqual(requests.map(r => [r.accountId, r.name, r.state, r.unread, r.lastText]),
      [[carol.accountId, 'Carol', 'request', 1, 'hi Alice, Carol here']])
    assert.ok(!contacts.some(c => c.accountId === carol.accountId), 'a request is not a contact')
    assert.deepEqual([stored.id, stored.direction, stored.text], [first.id, 'in', first.text])

    const [accepted] = await parleyJson(alice.home, ['accept', carol.accountId])
    assert.deepEqual([accepted.accountId, accepted.state], [carol.accountId, 'contact'])
    const [contactsAfterAccept, requestsAfterAccept] = await Promise.all([
      parleyJson(alice.home, ['contacts', 'list']),
      parleyJson(alice.home, ['requests'])
    ])
    assert.deepEqual(contactsAfterAccept.filter(c => c.accountId === carol.accountId).map(c => c.state), ['contact'])
    assert.deepEqual(requestsAfterAccept, [])

    const [blocked] = await parleyJson(alice.home, ['block', carol.accountId])
    assert.deepEqual([blocked.accountId, blocked.state], [carol.accountId, 'blocked'])
    const historyBefore = await alice.daemon.api.history(carol.accountId)
    const blockedMark = alice.daemon.process.lineCount

    const later = await carolDaemon.api.send(alice.accountId, 'are you there?')
    // Alice's daemon answered it: refused, not stored
    await waitForStderr(carolDaemon.process, new RegExp(`refused message ${later.id} with REFUSED`))
    assert.deepEqual(await alice.daemon.api.history(carol.accountId), historyBefore)
    assert.deepEqual(daemonEvents(alice.daemon, blockedMark).filter(e => e.id === later.id), [])
    const [onCarolsSide] = onlyIds(await carolDaemon.api.history(alice.accountId), [later.id])
    assert.equal(onCarolsSide?.state, 'pending')
    const [contactsAfterBlock, requestsAfterBlock] = await Promise.all([alice.daemon.api.contacts(), alice.daemon.api.requests()])
    assert.ok(![...contactsAfterBlock, ...requestsAfterBlock].some(c => c.accountId === carol.accountId),
      'a blocked account is neither a contact nor a request')
  })
})
