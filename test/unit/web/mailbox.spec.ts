import assert from 'node:assert/strict'
import { effect } from '@preact/signals'
import { MailboxRefusedError } from '#shared/errors.ts'
import { AppState, describePairingError, mergeMessages, refusalText, shortPeerId } from '../../../web/src/state/index.ts'
import { newMailboxHost, newMessenger, newPair, until } from './fixtures.ts'
import type { MailboxHost } from './fixtures.ts'
import type { Messenger } from '#shared/messenger/index.ts'
import type { StoredMessage } from '#shared/store/index.ts'

describe('web app state: mailboxes', function () {
  this.timeout(30_000)

  const running: Messenger[] = []
  const hosts: MailboxHost[] = []
  const states: AppState[] = []

  function stateOf (messenger: Messenger): AppState {
    const state = new AppState(messenger)
    states.push(state)
    return state
  }

  /** A started Messenger's state, as the app has it once online. */
  async function online (messenger: Messenger): Promise<AppState> {
    const state = stateOf(messenger)
    await state.load()
    state.started()
    return state
  }

  async function host (limits: Parameters<typeof newMailboxHost>[0] = {}): Promise<MailboxHost> {
    const mailbox = await newMailboxHost(limits)
    hosts.push(mailbox)
    return mailbox
  }

  /**
   * Alice and Bob, contacts who talked once (so each knows how to reach the
   * other), both connected to the mailbox host as to a bootstrap peer.
   */
  async function friendsAndMailbox (limits: Parameters<typeof newMailboxHost>[0] = {}): Promise<{ alice: Messenger, bob: Messenger, mailbox: MailboxHost }> {
    const { alice, bob } = await newPair()
    running.push(alice, bob)
    const mailbox = await host(limits)
    await Promise.all([alice, bob].map(async m => m.libp2p?.dial(mailbox.node.getMultiaddrs())))
    const hi = await alice.send(bob.accountId, 'hi')
    await alice.waitForDelivery(bob.accountId, hi.id, { signal: AbortSignal.timeout(10_000) })
    return { alice, bob, mailbox }
  }

  afterEach(async () => {
    states.splice(0).forEach(s => { s.dispose() })
    await Promise.all(running.splice(0).map(async m => m.stop()))
    await Promise.all(hosts.splice(0).map(async h => h.stop()))
  })

  it('pairs with a code: listed and reachable, nothing held; removing it unpairs and empties the list', async () => {
    const alice = await newMessenger('Alice')
    await alice.start()
    running.push(alice)
    const mailbox = await host()
    const state = await online(alice)
    await until(() => state.mailboxChecking.value, checking => !checking)
    assert.deepEqual(state.mailboxes.value, [])

    assert.equal(await state.pairMailbox(await mailbox.code()), true)
    assert.equal(state.mailboxError.value, undefined)
    assert.deepEqual(state.mailboxes.value, [{ peerId: mailbox.node.peerId.toString(), reachable: true, held: { items: 0, bytes: 0 } }])
    assert.deepEqual(mailbox.service.status().accounts.map(a => a.accountId), [alice.accountId])
    assert.deepEqual((await alice.mailboxes()).map(m => m.peerId), [mailbox.node.peerId.toString()], 'stored, not only shown')

    assert.equal(await state.removeMailbox(mailbox.node.peerId.toString()), true)
    assert.deepEqual(state.mailboxes.value, [])
    assert.equal(state.mailboxNotice.value, undefined, 'the mailbox confirmed: no notice')
    assert.deepEqual(await alice.mailboxes(), [])
    assert.deepEqual(mailbox.service.status().accounts, [], 'the mailbox forgot the account')
  })

  it('a wrong, damaged or used code is refused with a clear reason and changes nothing', async () => {
    const [alice, bob] = await Promise.all([newMessenger('Alice'), newMessenger('Bob')])
    await Promise.all([alice.start(), bob.start()])
    running.push(alice, bob)
    const mailbox = await host()
    const [aliceState, bobState] = await Promise.all([online(alice), online(bob)])

    assert.equal(await aliceState.pairMailbox('hello'), false)
    assert.match(aliceState.mailboxError.value ?? '', /not a Parley mailbox pairing code/)
    const code = await mailbox.code()
    assert.equal(await aliceState.pairMailbox(code.slice(0, 40)), false)
    assert.match(aliceState.mailboxError.value ?? '', /damaged/)
    assert.equal(await aliceState.pairMailbox('   '), false)
    assert.match(aliceState.mailboxError.value ?? '', /Paste the pairing code/)
    assert.deepEqual(aliceState.mailboxes.value, [])
    assert.deepEqual(await alice.mailboxes(), [])
    assert.deepEqual(mailbox.service.status().accounts, [])

    // the code works once: Bob's try after Alice's is refused by the mailbox
    assert.equal(await aliceState.pairMailbox(code), true)
    assert.equal(aliceState.mailboxError.value, undefined, 'a success clears the last error')
    assert.equal(await bobState.pairMailbox(code), false)
    assert.match(bobState.mailboxError.value ?? '', /expired or was used already/)
    assert.deepEqual(bobState.mailboxes.value, [])
    assert.deepEqual(await bob.mailboxes(), [])
    assert.deepEqual(mailbox.service.status().accounts.map(a => a.accountId), [alice.accountId])
  })

  it('the sender sees at-mailbox (never stepping back), the passive recipient gets the mail on start, then the sender sees delivered', async () => {
    const { alice, bob, mailbox } = await friendsAndMailbox()
    const bobState = await online(bob)
    assert.equal(await bobState.pairMailbox(await mailbox.code()), true)
    bobState.dispose()
    await bob.stop()

    const aliceState = await online(alice)
    await aliceState.open(bob.accountId)
    const seen = new Map<string, string[]>()
    const stop = effect(() => {
      for (const m of aliceState.messages.value) {
        const states = seen.get(m.id) ?? []
        if (states.at(-1) !== m.state) {
          seen.set(m.id, [...states, m.state])
        }
      }
    })
    try {
      const texts = ['one', 'two', 'three']
      for (const text of texts) {
        assert.equal(await aliceState.send(text), true)
      }
      await until(() => aliceState.messages.value, ms => ms.filter(m => m.state === 'at-mailbox').length === 3, 20_000)
      assert.equal(mailbox.service.status().accounts.find(a => a.accountId === bob.accountId)?.items, 3)

      // Alice goes offline too; Bob comes back and does nothing: the mail is in his chat list, the mailbox empty
      await alice.stop()
      await bob.start()
      const back = await online(bob)
      // 'hi' was not read either
      await until(() => back.chats.value[0], row => row?.unread === 4 && row.lastText === 'three', 20_000)
      assert.deepEqual((await bob.history(alice.accountId)).map(m => m.text), ['hi', ...texts])
      await until(() => back.mailboxes.value[0]?.held?.items, items => items === 0, 20_000)
      assert.equal(back.mailboxes.value[0]?.reachable, true)
      assert.equal(mailbox.service.status().accounts.find(a => a.accountId === bob.accountId)?.items, 0)

      // Alice is back (and at her bootstrap peer, where Bob's new record is): her queue learns from Bob's device that they arrived
      await alice.start()
      aliceState.started()
      await alice.libp2p?.dial(mailbox.node.getMultiaddrs())
      await until(() => aliceState.messages.value, ms => ms.every(m => m.state === 'delivered'), 20_000)
    } finally {
      stop()
    }
    for (const m of aliceState.messages.value.filter(m => m.text !== 'hi')) {
      assert.deepEqual(seen.get(m.id), ['pending', 'at-mailbox', 'delivered'], m.text)
    }
    assert.equal(aliceState.messages.value.length, 4)
  })

  it('a full mailbox marks the message "Mailbox full" until it is delivered', async () => {
    const { alice, bob, mailbox } = await friendsAndMailbox({ accountItems: 1 })
    const bobState = await online(bob)
    assert.equal(await bobState.pairMailbox(await mailbox.code()), true)
    bobState.dispose()
    await bob.stop()

    const aliceState = await online(alice)
    await aliceState.open(bob.accountId)
    await aliceState.send('fits')
    await aliceState.send('does not fit')
    const [fits, overflow] = aliceState.messages.value.slice(1)
    await until(() => aliceState.refusals.value.get(overflow.id), note => note === 'Mailbox full', 20_000)
    await until(() => aliceState.messages.value.find(m => m.id === fits.id)?.state, s => s === 'at-mailbox')
    assert.equal(aliceState.messages.value.find(m => m.id === overflow.id)?.state, 'pending')
    assert.equal(aliceState.refusals.value.has(fits.id), false)

    await bob.start()
    await until(() => aliceState.messages.value, ms => ms.every(m => m.state === 'delivered'), 20_000)
    assert.equal(aliceState.refusals.value.size, 0, 'delivered: the note is gone')
  })

  it('offline, shows the stored mailbox unchecked; online, one that does not answer as not reachable', async () => {
    const alice = await newMessenger('Alice')
    await alice.start()
    running.push(alice)
    const mailbox = await host()
    await alice.useMailbox(await mailbox.code())
    await alice.stop()

    const state = stateOf(alice)
    await state.load()
    assert.deepEqual(state.mailboxes.value, [{ peerId: mailbox.node.peerId.toString() }])
    await state.refreshMailboxes()
    assert.deepEqual(state.mailboxes.value, [{ peerId: mailbox.node.peerId.toString() }], 'not started: not asked')
    assert.equal(state.mailboxChecking.value, false)

    await mailbox.stop()
    await alice.start()
    state.started()
    await until(() => state.mailboxes.value[0]?.reachable, r => r === false, 20_000)
    assert.equal(state.error.value, undefined)
  })
})

describe('web app state: mailbox helpers', () => {
  it('refusal notes: full for MAILBOX_FULL and QUOTA_EXCEEDED, not accepting for NOT_ACCEPTING', () => {
    assert.equal(refusalText('MAILBOX_FULL'), 'Mailbox full')
    assert.equal(refusalText('QUOTA_EXCEEDED'), 'Mailbox full')
    assert.equal(refusalText('NOT_ACCEPTING'), 'Mailbox not accepting')
    assert.match(refusalText('ERROR'), /ERROR/)
  })

  it('pairing errors say what happened and what to do', () => {
    assert.match(describePairingError(new MailboxRefusedError('x', 'EXPIRED_CODE')), /expired or was used already.*parley mailbox pair/)
    assert.match(describePairingError(new MailboxRefusedError('x', 'NOT_ACCEPTING')), /not accepting/)
    assert.match(describePairingError(new MailboxRefusedError('x', 'RATE_LIMITED')), /Too many failed pairing attempts/)
    assert.match(describePairingError(Object.assign(new Error('connection refused'), { name: 'DialError' })), /Could not reach the mailbox \(connection refused\)/)
  })

  it('mergeMessages never steps a message back: delivered over at-mailbox over pending', () => {
    const m = (id: string, state: StoredMessage['state']): StoredMessage =>
      ({ id, conversation: 'c', direction: 'out', sender: 's', text: id, state, clock: id.charCodeAt(0), sentAt: 0, receivedAt: 0 })
    const merged = mergeMessages([m('a', 'at-mailbox'), m('b', 'delivered'), m('c', 'pending')], [m('a', 'pending'), m('b', 'at-mailbox'), m('c', 'at-mailbox')])
    assert.deepEqual(merged.map(x => [x.id, x.state]), [['a', 'at-mailbox'], ['b', 'delivered'], ['c', 'at-mailbox']])
  })

  it('shortens a peer id for a narrow screen, keeping both ends', () => {
    const id = '12D3KooWHJX2kzZYdsgu8i5Nn1dXcPgSwfbXwRW7bERwnJQM5JdY'
    assert.equal(shortPeerId(id), '12D3KooW…QM5JdY')
  })
})
