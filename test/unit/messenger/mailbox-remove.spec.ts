/** removeMailbox and useMailbox at the edges: a mailbox that is down, a second removal, a second pairing, removal during a long-poll. */

import assert from 'node:assert/strict'
import { mailboxWorld, nextEvents, pairWith } from './fixtures.ts'

describe('messenger: removing and re-adding a mailbox', function () {
  this.timeout(30_000)

  const world = mailboxWorld()
  const { messenger } = world

  it('a mailbox that is down is forgotten anyway (false: not confirmed), promptly; a second removal says it is not used', async () => {
    const bob = await messenger('Bob')
    await bob.start()
    await pairWith(bob, world.mailbox)
    await world.mailbox.down()
    const started = Date.now()
    assert.equal(await bob.removeMailbox(world.mailbox.peerId.toString()), false)
    assert.ok(Date.now() - started < 10_000, `removal took ${Date.now() - started} ms`)
    assert.deepEqual(await bob.mailboxes(), [])
    await assert.rejects(bob.removeMailbox(world.mailbox.peerId.toString()), (err: any) => err.name === 'NotFoundError')
  })

  it('removal while the long-poll waits ends it at once and unpairs', async () => {
    const bob = await messenger('Bob')
    await bob.start()
    await pairWith(bob, world.mailbox)
    const unpaired = nextEvents(world.mailbox.service, 'mailbox:unpaired', () => true, 1)
    const started = Date.now()
    assert.equal(await bob.removeMailbox(world.mailbox.peerId.toString()), true)
    await unpaired
    assert.ok(Date.now() - started < 5_000, `removal took ${Date.now() - started} ms (the long-poll waits 30 s)`)
    assert.equal(world.mailbox.store.isPaired(bob.accountId), false)
  })

  it('pairing with the same mailbox twice lists it once; removing it then unpairs', async () => {
    const bob = await messenger('Bob')
    await bob.start()
    await pairWith(bob, world.mailbox)
    const { code } = await world.mailbox.service.createPairingCode()
    await bob.useMailbox(code)
    assert.deepEqual((await bob.mailboxes()).map(m => m.peerId), [world.mailbox.peerId.toString()])
    assert.equal(await bob.removeMailbox(world.mailbox.peerId.toString()), true)
    assert.deepEqual(await bob.mailboxes(), [])
    assert.equal(world.mailbox.store.isPaired(bob.accountId), false)
  })
})
