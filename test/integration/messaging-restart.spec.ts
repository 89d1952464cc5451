/**
 * 1:1 messaging across daemon crashes and restarts, with real processes on
 * 127.0.0.1: the outbox survives the recipient being killed, the store
 * survives a clean stop, and the history is ordered by the conversation's
 * Lamport clock, not by anybody's wall clock.
 *
 * One relay for the file; each test gets a fresh Alice and Bob, since each
 * stops or kills their daemons.
 */

import assert from 'node:assert/strict'
import { Home } from '#node/src/home.ts'
import { Messenger, unlockAccount } from '#shared/messenger/index.ts'
import { Cleanup, spawnRelay } from '#test/helpers/process.ts'
import {
  TEST_PASSPHRASE, daemonEvents, deliveredOneOf, parley, parleyJson, receivedOneOf, sendAndDeliver, setupPair, startDaemon, waitForEvents
} from '#test/helpers/parley.ts'
import type { MessageView } from '#node/src/api.ts'
import type { Pair } from '#test/helpers/parley.ts'
import type { RelayProcess } from '#test/helpers/process.ts'

const DAY_MS = 24 * 60 * 60 * 1000

describe('1:1 messaging across restarts (real processes)', function () {
  this.timeout(120_000)
  const suite = new Cleanup()
  const perTest = new Cleanup()
  let relay: RelayProcess
  let pair: Pair

  before(async () => {
    relay = await spawnRelay(suite)
  })

  beforeEach(async () => {
    pair = await setupPair(perTest, { relay })
  })

  afterEach(async () => {
    await perTest.run()
  })

  after(async () => {
    await suite.run()
  })

  it('delivers what was sent while the recipient was killed once it is back: exactly once, in order', async () => {
    const { alice, bob } = pair
    // they have talked before
    const [before] = await sendAndDeliver(alice, bob, ['before the crash'])
    const aliceMark = alice.daemon.process.lineCount

    assert.deepEqual(await bob.daemon.process.stop('SIGKILL'), { code: null, signal: 'SIGKILL' })

    const queued = await parley(alice.home, ['send', 'Bob', 'while you were away 1', '--wait', '2', '--json'])
    assert.equal(queued.code, 3, `send --wait exits 3 while the message is still queued: ${queued.stderr}`)
    const first: MessageView = JSON.parse(queued.stdout)
    assert.equal(first.state, 'pending')
    const rest: MessageView[] = []
    for (const text of ['while you were away 2', 'while you were away 3', 'while you were away 4']) {
      rest.push(await alice.daemon.api.send(bob.accountId, text))
    }
    const offline = [first, ...rest]
    const ids = offline.map(m => m.id)
    assert.deepEqual((await alice.daemon.api.history(bob.accountId)).map(m => m.state), ['delivered', 'pending', 'pending', 'pending', 'pending'])

    // Bob comes back with the same home
    bob.daemon = await startDaemon(perTest, bob.home)
    const arrived = await waitForEvents(bob.daemon, receivedOneOf(ids), ids.length)
    assert.deepEqual(new Set(arrived.map(e => e.id)), new Set(ids))
    await waitForEvents(alice.daemon, deliveredOneOf(ids), ids.length, { from: aliceMark })

    const bobHistory = await bob.daemon.api.history(alice.accountId)
    assert.deepEqual(bobHistory.map(m => m.text), [before.text, ...offline.map(m => m.text)])
    assert.deepEqual(bobHistory.map(m => m.id), [before.id, ...ids])
    const aliceHistory = await alice.daemon.api.history(bob.accountId)
    assert.deepEqual(aliceHistory.map(m => [m.id, m.state]), [before, ...offline].map(m => [m.id, 'delivered']))
    // once each: the restarted daemon reported each arrival one time, and nothing older again
    assert.equal(daemonEvents(bob.daemon).filter(receivedOneOf([before.id, ...ids])).length, ids.length)
  })

  it('keeps contacts and history across a clean stop and start, and messaging still works', async () => {
    const { alice, bob } = pair
    await sendAndDeliver(alice, bob, ['first', 'second'])
    await sendAndDeliver(bob, alice, ['third'])

    // what `contacts list --json` and `history --json` print, as the control sockets return it
    const before = await Promise.all([
      alice.daemon.api.contacts(),
      alice.daemon.api.history('Bob'),
      bob.daemon.api.contacts(),
      bob.daemon.api.history('Alice')
    ])
    assert.deepEqual(before.map(lines => lines.length), [1, 3, 1, 3])

    const [aliceStop, bobStop] = await Promise.all([alice.daemon.process.stop('SIGTERM'), bob.daemon.process.stop('SIGTERM')])
    assert.deepEqual(aliceStop, { code: 0, signal: null })
    assert.deepEqual(bobStop, { code: 0, signal: null })
    ;[alice.daemon, bob.daemon] = await Promise.all([startDaemon(perTest, alice.home), startDaemon(perTest, bob.home)])

    // Alice's side as the CLI prints it, Bob's through the socket (each CLI run costs ~2 s)
    const after = await Promise.all([
      parleyJson(alice.home, ['contacts', 'list']),
      parleyJson(alice.home, ['history', 'Bob']),
      bob.daemon.api.contacts(),
      bob.daemon.api.history('Alice')
    ])
    assert.deepEqual(after, before)
    const [toBob] = await sendAndDeliver(alice, bob, ['after the restart'])
    const [toAlice] = await sendAndDeliver(bob, alice, ['after the restart, too'])
    assert.deepEqual((await bob.daemon.api.history(alice.accountId)).map(m => m.text), ['first', 'second', 'third', toBob.text, toAlice.text])
  })

  it('orders the conversation by its clock, not by the authors\' wall clocks', async () => {
    const { alice, bob } = pair
    // Alice's device wrote two messages while its clock was a day ahead, then a day behind
    assert.deepEqual(await alice.daemon.process.stop('SIGTERM'), { code: 0, signal: null })
    const now = Date.now()
    const store = await new Home(alice.home).openStore()
    let ahead, behind
    try {
      // Alice's own Messenger, offline, with her device's wrong clock
      const account = await unlockAccount(store, TEST_PASSPHRASE)
      const offline = (now: number): Messenger => new Messenger({
        store,
        account,
        now: () => now,
        createNode: async () => { throw new Error('stays offline') }
      })
      ahead = await offline(now + DAY_MS).send(bob.accountId, 'written a day ahead')
      behind = await offline(now - DAY_MS).send(bob.accountId, 'written a day behind')
    } finally {
      await store.close()
    }
    alice.daemon = await startDaemon(perTest, alice.home)
    await waitForEvents(alice.daemon, deliveredOneOf([ahead.id, behind.id]), 2)
    const [reply] = await sendAndDeliver(bob, alice, ['a reply, with the right time'])

    const expected = [ahead.text, behind.text, reply.text]
    const bobHistory = await bob.daemon.api.history(alice.accountId)
    const aliceHistory = await alice.daemon.api.history(bob.accountId)
    assert.deepEqual(bobHistory.map(m => m.text), expected)
    assert.deepEqual(aliceHistory.map(m => m.text), expected)
    // the authors' times are kept for display, as written
    assert.deepEqual(bobHistory.map(m => m.sentAt), [ahead.sentAt, behind.sentAt, reply.sentAt])
    assert.ok(bobHistory[0].sentAt > bobHistory[2].sentAt && bobHistory[1].sentAt < bobHistory[2].sentAt)
  })
})
