import assert from 'node:assert/strict'
import { MailboxStatus } from '#shared/protocol/mailbox/index.ts'
import { parseAccountRecord, recordKey } from '#shared/protocol/record/index.ts'
import { befriend, drainsOf, mailboxWorld, nextEvents, pairWith, record } from './fixtures.ts'
import type { Messenger } from '#shared/messenger/index.ts'
import type { StoredMessage } from '#shared/store/index.ts'
import type { PeerId } from '@libp2p/interface'

type Deposited = { accountId: string, messageId: string, held: number }
type Acked = { accountId: string, device: string, deleted: number }

describe('messenger: offline delivery through mailboxes', function () {
  this.timeout(20_000)

  const world = mailboxWorld()
  const { messenger, client, queuedEnvelope, depositFor } = world

  it('holds what Alice sends while Bob is offline; Bob gets it all, in order, once, without doing anything; Alice sees it delivered', async () => {
    const alice = await messenger('Alice')
    const bob = await messenger('Bob')
    await Promise.all([alice.start(), bob.start()])
    await befriend(alice, bob)
    await pairWith(bob, world.mailbox)
    await bob.stop()

    const held = nextEvents<StoredMessage>(alice, 'message:at-mailbox', m => m.conversation === bob.accountId, 5)
    const sent: StoredMessage[] = []
    for (let i = 0; i < 5; i++) {
      sent.push(await alice.send(bob.accountId, `offline ${i}`))
    }
    const ids = sent.map(m => m.id)
    assert.deepEqual(new Set((await held).map(m => m.id)), new Set(ids))
    assert.deepEqual((await alice.history(bob.accountId)).map(m => m.state), Array(5).fill('at-mailbox'))
    assert.equal(world.mailbox.store.account(bob.accountId)?.items, 5, 'the mailbox holds all 5')

    const received = record<StoredMessage>(bob, 'message:received')
    const arrived = nextEvents<StoredMessage>(bob, 'message:received', m => ids.includes(m.id), 5)
    const delivered = nextEvents<StoredMessage>(alice, 'message:delivered', m => ids.includes(m.id), 5)
    const acked = nextEvents<Acked>(world.mailbox.service, 'mailbox:acked', a => a.accountId === bob.accountId, 1)
    await bob.start()
    await arrived
    await delivered
    await acked

    const history = await bob.history(alice.accountId)
    assert.deepEqual(history.map(m => m.id), ids, 'all 5, in the order sent, each once')
    assert.deepEqual(history.map(m => m.text), sent.map(m => m.text))
    assert.deepEqual(received.map(m => m.id).sort(), [...ids].sort(), 'each message:received once')
    assert.deepEqual((await alice.history(bob.accountId)).map(m => m.state), Array(5).fill('delivered'))
    assert.deepEqual(await alice.store.outbox(bob.accountId), [])
    assert.equal(world.mailbox.store.account(bob.accountId)?.items, 0, 'the mailbox deleted what Bob acked')
  })

  it('sends receipts through the sender\'s own mailbox: Alice, back while Bob is offline, sees her messages delivered', async () => {
    const alice = await messenger('Alice')
    const bob = await messenger('Bob')
    await Promise.all([alice.start(), bob.start()])
    await befriend(alice, bob)
    await pairWith(alice, world.mailbox)
    await pairWith(bob, world.mailbox)
    await bob.stop()

    const held = nextEvents<StoredMessage>(alice, 'message:at-mailbox', m => m.conversation === bob.accountId, 3)
    const sent: StoredMessage[] = []
    for (let i = 0; i < 3; i++) {
      sent.push(await alice.send(bob.accountId, `while you sleep ${i}`))
    }
    const ids = sent.map(m => m.id)
    await held
    await alice.stop()

    const arrived = nextEvents<StoredMessage>(bob, 'message:received', m => ids.includes(m.id), 3)
    const receipt = nextEvents<Deposited>(world.mailbox.service, 'mailbox:deposited', d => d.accountId === alice.accountId, 1)
    await bob.start()
    await arrived
    assert.deepEqual((await bob.history(alice.accountId)).map(m => m.id), ids)
    await receipt
    await bob.stop()

    const delivered = nextEvents<StoredMessage>(alice, 'message:delivered', m => ids.includes(m.id), 3)
    await alice.start()
    await delivered
    assert.equal(bob.libp2p, undefined, 'Bob stayed offline')
    assert.deepEqual((await alice.history(bob.accountId)).map(m => m.state), Array(3).fill('delivered'))
    assert.deepEqual(await alice.store.outbox(bob.accountId), [])
  })

  it('keeps a long-poll drain open: mail deposited while Bob is online arrives without a reconnect', async () => {
    const alice = await messenger('Alice')
    const bob = await messenger('Bob')
    await bob.start()
    await befriend(alice, bob)
    await pairWith(bob, world.mailbox)
    const node = bob.libp2p
    assert.ok(node != null)
    const connection = node.getConnections(world.mailbox.peerId).find(c => c.status === 'open')
    assert.ok(connection != null, 'Bob is connected to his mailbox')
    const reconnects = record<PeerId>(node, 'peer:connect')

    const { message, entry } = await queuedEnvelope(alice, bob, 'deposited while you watch')
    const arrived = nextEvents<StoredMessage>(bob, 'message:received', m => m.id === message.id, 1, 5_000)
    assert.equal(await depositFor(bob, entry), MailboxStatus.OK)
    const [got] = await arrived
    assert.equal(got.text, 'deposited while you watch')
    assert.equal(got.conversation, alice.accountId)
    assert.equal(connection.status, 'open', 'the same connection to the mailbox is still open')
    assert.deepEqual(reconnects.filter(p => p.equals(world.mailbox.peerId)), [], 'Bob did not reconnect to the mailbox')
    assert.ok(drainsOf(bob).some(d => d.mailbox === world.mailbox.peerId.toString() && d.waitMs > 0), 'a drain that waits for mail was issued')
  })

  it('a mailbox that goes down while Bob is online is drained again once it is back, without Bob doing anything', async function () {
    this.timeout(40_000)
    const alice = await messenger('Alice')
    const bob = await messenger('Bob')
    await bob.start()
    await befriend(alice, bob)
    await pairWith(bob, world.mailbox)

    await world.mailbox.down()
    await world.mailbox.up()
    const { message, entry } = await queuedEnvelope(alice, bob, 'deposited after the mailbox restarted')
    const arrived = nextEvents<StoredMessage>(bob, 'message:received', m => m.id === message.id, 1, 30_000)
    const acked = nextEvents<Acked>(world.mailbox.service, 'mailbox:acked', a => a.accountId === bob.accountId, 1, 30_000)
    assert.equal(await depositFor(bob, entry), MailboxStatus.OK)
    const [got] = await arrived
    assert.equal(got.text, 'deposited after the mailbox restarted')
    await acked
    assert.equal(world.mailbox.store.account(bob.accountId)?.items, 0, 'Bob acked it: the mailbox holds nothing for him')
  })

  it('removeMailbox unpairs there, forgets it, republishes without it, no longer drains it; deposits for Bob are then refused', async () => {
    const bob = await messenger('Bob')
    await bob.start()
    await pairWith(bob, world.mailbox)
    assert.ok(world.mailbox.store.isPaired(bob.accountId))
    assert.deepEqual((await bob.mailboxes()).map(m => m.peerId), [world.mailbox.peerId.toString()])

    const unpaired = nextEvents<{ accountId: string }>(world.mailbox.service, 'mailbox:unpaired', u => u.accountId === bob.accountId, 1)
    assert.equal(await bob.removeMailbox(world.mailbox.peerId.toString()), true, 'the mailbox confirmed the unpairing')
    await unpaired
    assert.equal(world.mailbox.store.isPaired(bob.accountId), false)
    assert.equal(world.mailbox.store.account(bob.accountId), undefined)
    assert.ok(!world.mailbox.service.status().accounts.some(a => a.accountId === bob.accountId))
    assert.deepEqual(await bob.mailboxes(), [])

    const other = await client()
    const key = recordKey(bob.account.keys.publicKey)
    const published = parseAccountRecord(await other.contentRouting.get(key, { signal: AbortSignal.timeout(5_000) }), key)
    assert.deepEqual(published.mailboxes, [], 'the account record no longer lists the mailbox')

    await bob.stop()
    assert.deepEqual(await bob.mailboxes(), [], 'forgotten in the store, not only in memory')
    const before = drainsOf(bob).length
    await bob.start()
    const node = bob.libp2p
    assert.ok(node != null)
    if (!node.getConnections(world.mailbox.peerId).some(c => c.status === 'open')) {
      // the messenger's own peer:connect listener runs before this one
      await nextEvents<PeerId>(node, 'peer:connect', p => p.equals(world.mailbox.peerId), 1)
    }
    assert.deepEqual(drainsOf(bob).slice(before), [], 'no drain at start nor on connecting to the old mailbox')

    const alice = await messenger('Alice')
    await befriend(alice, bob)
    const { entry } = await queuedEnvelope(alice, bob, 'to an unpaired account')
    assert.equal(await depositFor(bob, entry), MailboxStatus.NOT_PAIRED)
    assert.equal(world.mailbox.store.account(bob.accountId), undefined, 'nothing is held for Bob')
  })

  describe('dedupe: a message that comes both directly and from the mailbox is stored once', () => {
    async function setup (): Promise<{ alice: Messenger, bob: Messenger }> {
      const alice = await messenger('Alice')
      const bob = await messenger('Bob')
      await bob.start()
      await befriend(alice, bob)
      await pairWith(bob, world.mailbox)
      return { alice, bob }
    }

    it('from the mailbox first, then directly', async () => {
      const { alice, bob } = await setup()
      const received = record<StoredMessage>(bob, 'message:received')
      const { message, entry } = await queuedEnvelope(alice, bob, 'twice over')

      const fromMailbox = nextEvents<StoredMessage>(bob, 'message:received', m => m.id === message.id, 1)
      const acked = nextEvents<Acked>(world.mailbox.service, 'mailbox:acked', a => a.accountId === bob.accountId, 1)
      assert.equal(await depositFor(bob, entry), MailboxStatus.OK)
      await fromMailbox
      await acked

      // Alice's courier now sends the same envelope directly: Bob answers DUPLICATE, which delivers it
      const delivered = nextEvents<StoredMessage>(alice, 'message:delivered', m => m.id === message.id, 1)
      await alice.start()
      await delivered

      assert.deepEqual((await bob.history(alice.accountId)).map(m => [m.id, m.text]), [[message.id, 'twice over']])
      assert.deepEqual(received.map(m => m.id), [message.id])
    })

    it('directly first, then from the mailbox', async () => {
      const { alice, bob } = await setup()
      const received = record<StoredMessage>(bob, 'message:received')
      const { message, entry } = await queuedEnvelope(alice, bob, 'twice over')

      const direct = nextEvents<StoredMessage>(bob, 'message:received', m => m.id === message.id, 1)
      const delivered = nextEvents<StoredMessage>(alice, 'message:delivered', m => m.id === message.id, 1)
      await alice.start()
      await direct
      await delivered

      const deposited = nextEvents<Deposited>(world.mailbox.service, 'mailbox:deposited', d => d.accountId === bob.accountId && d.messageId === message.id, 1)
      const acked = nextEvents<Acked>(world.mailbox.service, 'mailbox:acked', a => a.accountId === bob.accountId, 1)
      assert.equal(await depositFor(bob, entry), MailboxStatus.OK)
      await deposited
      await acked

      assert.deepEqual((await bob.history(alice.accountId)).map(m => [m.id, m.text]), [[message.id, 'twice over']])
      assert.deepEqual(received.map(m => m.id), [message.id])
      assert.equal(world.mailbox.store.account(bob.accountId)?.items, 0, 'the duplicate was acked, so the mailbox forgot it')
    })
  })
})
