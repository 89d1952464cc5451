/**
 * The passive-recipient scenario with real processes on 127.0.0.1
 * (docs/protocols/mailbox.md): Mia's always-on `parley daemon` is the mailbox
 * of her friend Bob. Bob pairs with it and goes offline; Alice sends; Alice
 * goes offline too; Bob comes back and does nothing but run his daemon — the
 * mail arrives from the mailbox; Alice sees it delivered once she is back.
 */

import assert from 'node:assert/strict'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Cleanup, spawnRelay } from '#test/helpers/process.ts'
import { addContact, initAccount, parleyJson, setupPair, startDaemon, waitForEvents } from '#test/helpers/parley.ts'
import type { DaemonEvent } from '#test/helpers/parley.ts'
import type { RelayProcess } from '#test/helpers/process.ts'

/** Every file under `dir`, recursively. */
async function filesUnder (dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries.filter(e => e.isFile()).map(e => join(e.parentPath, e.name))
}

async function containsBytes (dir: string, needle: string): Promise<string[]> {
  const bytes = Buffer.from(needle, 'utf8')
  const hits: string[] = []
  for (const file of await filesUnder(dir)) {
    if ((await readFile(file)).includes(bytes)) {
      hits.push(file)
    }
  }
  return hits
}

const is = (name: string) => (e: DaemonEvent): boolean => (e.event as string) === name

describe('mailbox: offline delivery to a passive recipient (real processes)', function () {
  this.timeout(240_000)
  const cleanup = new Cleanup()
  let relay: RelayProcess

  before(async () => {
    relay = await spawnRelay(cleanup)
  })

  after(async () => {
    await cleanup.run()
  })

  it('holds 50 messages for offline Bob, who gets them all, in order, once, without doing anything; Alice then sees them delivered', async () => {
    const { alice, bob } = await setupPair(cleanup, { relay })
    const mia = await initAccount(cleanup, 'Mia', relay.tcpAddr)
    const miaDaemon = await startDaemon(cleanup, mia.home)

    // pairing: a one-time code from Mia's daemon, used on Bob's home (through his daemon)
    const [{ code }] = await parleyJson<{ code: string }>(mia.home, ['mailbox', 'pair'])
    assert.match(code, /^parley-mailbox:[a-z2-7]+$/)
    const [paired] = await parleyJson(bob.home, ['mailbox', 'use', code])
    assert.equal(paired.peerId, mia.peerId)
    await waitForEvents(miaDaemon, e => is('mailbox:paired')(e) && e.accountId === bob.accountId, 1)
    const [used] = await parleyJson(bob.home, ['mailbox', 'status'])
    assert.deepEqual(used.mailboxes.map((m: any) => [m.peerId, m.reachable, m.status]), [[mia.peerId, true, 'OK']])

    // Bob goes offline
    assert.deepEqual(await bob.daemon.process.stop('SIGTERM'), { code: 0, signal: null })

    const canary = `canary-${Math.random().toString(36).slice(2)}-${Date.now()}`
    const mark = alice.daemon.process.lineCount
    const sent = []
    for (let i = 0; i < 50; i++) {
      sent.push(await alice.daemon.api.send(bob.accountId, `${canary} message ${i}`))
    }
    const ids = sent.map(m => m.id)
    const held = await waitForEvents(alice.daemon, e => is('message:at-mailbox')(e) && ids.includes(e.id ?? ''), 50, { from: mark, timeout: 90_000 })
    assert.equal(new Set(held.map(e => e.id)).size, 50)
    assert.ok(held.every(e => e.state === 'at-mailbox'))
    const aliceView = await alice.daemon.api.history(bob.accountId)
    assert.deepEqual(aliceView.map(m => m.state), Array(50).fill('at-mailbox'))

    const [owner] = await parleyJson(mia.home, ['mailbox', 'status'])
    assert.equal(owner.serving, true)
    const bobAtMia = owner.service.accounts.find((a: any) => a.accountId === bob.accountId)
    assert.equal(bobAtMia.items, 50)

    // Alice goes offline too; Bob comes back and only runs his daemon
    assert.deepEqual(await alice.daemon.process.stop('SIGTERM'), { code: 0, signal: null })
    const bobDaemon = await startDaemon(cleanup, bob.home)
    const arrived = await waitForEvents(bobDaemon, e => e.event === 'message:received' && ids.includes(e.id ?? ''), 50, { timeout: 60_000 })
    assert.deepEqual(new Set(arrived.map(e => e.id)), new Set(ids))
    const history = await bobDaemon.api.history(alice.accountId)
    assert.deepEqual(history.map(m => m.id), ids, 'all 50, in the order sent, each once')
    assert.deepEqual(history.map(m => m.text), sent.map(m => m.text))
    await waitForEvents(miaDaemon, e => is('mailbox:acked')(e) && e.accountId === bob.accountId, 1)
    const [drained] = await parleyJson(mia.home, ['mailbox', 'status'])
    const bobDrained = drained.service.accounts.find((a: any) => a.accountId === bob.accountId)
    assert.equal(bobDrained.items, 0)
    assert.equal(bobDrained.devices.find((d: any) => d.peerId === bob.peerId)?.acked, 50)

    // Alice returns: her outbox learns from Bob's device that all 50 are delivered
    const aliceBack = await startDaemon(cleanup, alice.home)
    await waitForEvents(aliceBack, e => e.event === 'message:delivered' && ids.includes(e.id ?? ''), 50, { timeout: 60_000 })
    assert.deepEqual((await aliceBack.api.history(bob.accountId)).map(m => m.state), Array(50).fill('delivered'))
    // still once each at Bob
    assert.deepEqual((await bobDaemon.api.history(alice.accountId)).map(m => m.id), ids)

    // the mailbox never held or printed anything readable
    const miaOutput = miaDaemon.process.lines.join('\n') + miaDaemon.process.stderr
    assert.ok(!miaOutput.includes(canary), 'the canary appears in the mailbox daemon output')
    assert.ok(!miaOutput.includes('message 1'), 'message text appears in the mailbox daemon output')
    assert.deepEqual((await miaDaemon.process.stop('SIGTERM')), { code: 0, signal: null })
    assert.deepEqual(await containsBytes(mia.home, canary), [], 'the canary appears in the mailbox data directory')
    // the search does find the canary where it is
    await writeFile(join(mia.home, 'planted.txt'), canary)
    assert.deepEqual(await containsBytes(mia.home, canary), [join(mia.home, 'planted.txt')])
  })

  it('tells an offline sender through her own mailbox that her messages were delivered; unpairing removes the mailbox', async () => {
    const { alice, bob } = await setupPair(cleanup, { relay })
    const mia = await initAccount(cleanup, 'Mia', relay.tcpAddr)
    const miaDaemon = await startDaemon(cleanup, mia.home)
    // Mia's daemon is the mailbox of both
    for (const user of [alice, bob]) {
      const [{ code }] = await parleyJson<{ code: string }>(mia.home, ['mailbox', 'pair'])
      await parleyJson(user.home, ['mailbox', 'use', code])
    }

    await bob.daemon.process.stop('SIGTERM')
    const mark = alice.daemon.process.lineCount
    const sent = []
    for (let i = 0; i < 5; i++) {
      sent.push(await alice.daemon.api.send(bob.accountId, `while Bob is away ${i}`))
    }
    const ids = sent.map(m => m.id)
    await waitForEvents(alice.daemon, e => is('message:at-mailbox')(e) && ids.includes(e.id ?? ''), 5, { from: mark, timeout: 90_000 })
    await alice.daemon.process.stop('SIGTERM')

    // Bob drains while Alice is away: his receipt goes to Alice's mailbox
    const miaMark = miaDaemon.process.lineCount
    const bobDaemon = await startDaemon(cleanup, bob.home)
    await waitForEvents(bobDaemon, e => e.event === 'message:received' && ids.includes(e.id ?? ''), 5, { timeout: 60_000 })
    await waitForEvents(miaDaemon, e => is('mailbox:deposited')(e) && e.accountId === alice.accountId, 1, { from: miaMark, timeout: 60_000 })
    assert.deepEqual(await bobDaemon.process.stop('SIGTERM'), { code: 0, signal: null })

    // Alice returns while Bob is offline: the receipt from her mailbox marks all 5 delivered
    const aliceBack = await startDaemon(cleanup, alice.home)
    await waitForEvents(aliceBack, e => e.event === 'message:delivered' && ids.includes(e.id ?? ''), 5, { timeout: 60_000 })
    assert.deepEqual((await aliceBack.api.history(bob.accountId)).map(m => m.state), Array(5).fill('delivered'))

    // Alice stops using the mailbox: Mia forgets her, her status lists none
    const [removed] = await parleyJson(alice.home, ['mailbox', 'unpair'])
    assert.deepEqual(removed, { peerId: mia.peerId, unpaired: true })
    await waitForEvents(miaDaemon, e => is('mailbox:unpaired')(e) && e.accountId === alice.accountId, 1)
    const [after] = await parleyJson(alice.home, ['mailbox', 'status'])
    assert.deepEqual(after.mailboxes, [])
    const [owner] = await parleyJson(mia.home, ['mailbox', 'status'])
    assert.deepEqual(owner.service.accounts.map((a: any) => a.accountId).sort(), [bob.accountId, mia.accountId].sort())
  })

  it('tells the sender when the recipient\'s mailbox is full, and keeps those messages queued', async () => {
    const sender = await initAccount(cleanup, 'Sam', relay.tcpAddr)
    const carol = await initAccount(cleanup, 'Carol', relay.tcpAddr)
    const host = await initAccount(cleanup, 'Hal', relay.tcpAddr)
    // Hal's mailbox holds at most 2 envelopes per account
    const configPath = join(host.home, 'config.json')
    const config = JSON.parse(await readFile(configPath, 'utf8'))
    await writeFile(configPath, JSON.stringify({ ...config, mailbox: { accountItems: 2, retentionDays: 7 } }))
    await Promise.all([addContact(sender, carol), addContact(carol, sender)])
    const [samDaemon, carolDaemon, halDaemon] = await Promise.all([startDaemon(cleanup, sender.home), startDaemon(cleanup, carol.home), startDaemon(cleanup, host.home)])

    const [{ code }] = await parleyJson<{ code: string }>(host.home, ['mailbox', 'pair'])
    await parleyJson(carol.home, ['mailbox', 'use', code])
    await carolDaemon.process.stop('SIGTERM')

    const mark = samDaemon.process.lineCount
    const sent = []
    for (let i = 0; i < 4; i++) {
      sent.push(await samDaemon.api.send(carol.accountId, `to the full mailbox ${i}`))
    }
    const ids = sent.map(m => m.id)
    const refused = await waitForEvents(samDaemon, e => is('mailbox:refused')(e) && ids.includes(e.id ?? ''), 2, { from: mark, timeout: 90_000 })
    assert.ok(refused.every(e => (e as any).status === 'MAILBOX_FULL' && (e as any).mailbox === host.peerId), JSON.stringify(refused))
    const atMailbox = await waitForEvents(samDaemon, e => is('message:at-mailbox')(e) && ids.includes(e.id ?? ''), 2, { from: mark })
    assert.equal(new Set([...atMailbox, ...refused].map(e => e.id)).size, 4)
    const states = (await samDaemon.api.history(carol.accountId)).map(m => m.state).sort()
    assert.deepEqual(states, ['at-mailbox', 'at-mailbox', 'pending', 'pending'])
    const [status] = await parleyJson(host.home, ['mailbox', 'status'])
    const carolAtHal = status.service.accounts.find((a: any) => a.accountId === carol.accountId)
    assert.deepEqual([carolAtHal.items, carolAtHal.quota.items], [2, 2])
    assert.ok(halDaemon.process.lines.some(l => l.includes('mailbox:deposited')))
  })
})
