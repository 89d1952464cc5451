import assert from 'node:assert/strict'
import { effect } from '@preact/signals'
import { AppState, extractInvite, mergeMessages } from '../../../web/src/state/index.ts'
import { newMessenger, newPair, until } from './fixtures.ts'
import type { Messenger } from '#shared/messenger/index.ts'
import type { StoredMessage } from '#shared/store/index.ts'

describe('web app state', function () {
  this.timeout(30_000)

  const running: Messenger[] = []
  const states: AppState[] = []

  function track (...messengers: Messenger[]): void {
    running.push(...messengers)
  }

  function stateOf (messenger: Messenger, init: ConstructorParameters<typeof AppState>[1] = {}): AppState {
    const state = new AppState(messenger, init)
    states.push(state)
    return state
  }

  afterEach(async () => {
    states.splice(0).forEach(s => { s.dispose() })
    await Promise.all(running.splice(0).map(async m => m.stop()))
  })

  it('an incoming message updates the chat list: unread count and last text, cleared on open', async () => {
    const { alice, bob } = await newPair()
    track(alice, bob)
    const incoming: string[] = []
    const state = stateOf(bob, { onIncoming: (m, from) => { incoming.push(`${from?.name}: ${m.text}`) } })
    await state.load()
    assert.deepEqual(state.chats.value.map(c => [c.name, c.unread]), [['Alice', 0]])

    await alice.send(bob.accountId, 'first')
    await alice.send(bob.accountId, 'hello Bob')
    const [row] = await until(() => state.chats.value, chats => chats[0]?.unread === 2 && chats[0]?.lastText === 'hello Bob')
    assert.equal(row.name, 'Alice')
    assert.equal(typeof row.lastAt, 'number')
    assert.deepEqual(incoming, ['Alice: first', 'Alice: hello Bob'])

    await state.open(alice.accountId)
    assert.deepEqual(state.messages.value.map(m => [m.text, m.direction, m.state]), [['first', 'in', 'received'], ['hello Bob', 'in', 'received']])
    assert.equal(state.chats.value[0].unread, 0)
    assert.equal((await bob.contacts())[0].unread, 0, 'the read mark is stored, not only shown')
  })

  it('a message arriving in the open conversation is appended and not counted unread; while hidden it is', async () => {
    const { alice, bob } = await newPair()
    track(alice, bob)
    const state = stateOf(bob)
    await state.load()
    await state.open(alice.accountId)

    await alice.send(bob.accountId, 'while you look')
    await until(() => state.messages.value, ms => ms.some(m => m.text === 'while you look'))
    await until(() => state.chats.value[0], c => c.lastText === 'while you look' && c.unread === 0)

    state.setVisible(false)
    await alice.send(bob.accountId, 'while you are away')
    await until(() => state.chats.value[0], c => c.lastText === 'while you are away' && c.unread === 1)
    state.setVisible(true)
    await until(() => state.chats.value[0], c => c.unread === 0)
  })

  it('a sent message shows pending, then delivered, and moves its chat to the top', async () => {
    const { alice, bob } = await newPair()
    track(alice, bob)
    const carol = await newMessenger('Carol')
    await carol.start()
    track(carol)
    await alice.addContact(await carol.invite())
    await alice.send(carol.accountId, 'older conversation')

    const state = stateOf(alice)
    await state.load()
    await state.open(bob.accountId)

    const seen: string[] = []
    const stop = effect(() => {
      const message = state.messages.value.find(m => m.text === 'are you there?')
      if (message != null && seen.at(-1) !== message.state) {
        seen.push(message.state)
      }
    })
    try {
      assert.equal(await state.send('are you there?'), true)
      await until(() => state.messages.value, ms => ms.some(m => m.text === 'are you there?' && m.state === 'delivered'))
    } finally {
      stop()
    }
    assert.deepEqual(seen, ['pending', 'delivered'])
    assert.equal(state.messages.value.length, 1, 'the event and the stored copy are one message')
    assert.deepEqual(state.chats.value.map(c => c.name), ['Bob', 'Carol'])
    assert.equal(state.chats.value[0].lastText, 'are you there?')
  })

  it('a message to an offline contact stays pending and is delivered when the contact comes online', async () => {
    const { alice, bob } = await newPair()
    track(alice, bob)
    // they talked before: on start Bob greets his recent contacts, and Alice's courier wakes
    await alice.waitForDelivery(bob.accountId, (await alice.send(bob.accountId, 'hi')).id, { signal: AbortSignal.timeout(10_000) })
    await bob.stop()
    const state = stateOf(alice)
    await state.load()
    await state.open(bob.accountId)
    await state.send('see you later')
    const message = state.messages.value.at(-1)
    assert.equal(message?.text, 'see you later')
    assert.equal(message?.state, 'pending')

    await bob.start()
    await until(() => state.messages.value.at(-1)?.state, s => s === 'delivered', 20_000)
    assert.deepEqual((await bob.history(alice.accountId)).map(m => m.text), ['hi', 'see you later'])
  })

  it('history paging prepends older pages without duplicates, in the store order', async () => {
    const alice = await newMessenger('Alice')
    const bob = await newMessenger('Bob')
    await alice.addContact(await bob.invite())
    for (let i = 0; i < 120; i++) {
      await alice.send(bob.accountId, `message ${i}`)
    }
    const state = stateOf(alice, { pageSize: 50 })
    await state.load()
    await state.open(bob.accountId)
    assert.deepEqual(state.messages.value.map(m => m.text), range(70, 120))
    assert.equal(state.hasOlder.value, true)

    // two scroll events at once load one page, not two copies of it
    await Promise.all([state.loadOlder(), state.loadOlder()])
    assert.deepEqual(state.messages.value.map(m => m.text), range(20, 120))

    // a message sent between pages is appended once
    await state.send('between pages')
    await state.loadOlder()
    const texts = state.messages.value.map(m => m.text)
    assert.deepEqual(texts, [...range(0, 120), 'between pages'])
    assert.equal(state.hasOlder.value, false)
    assert.equal(new Set(state.messages.value.map(m => m.id)).size, texts.length)
    assert.deepEqual(state.messages.value.map(m => m.id), (await alice.history(bob.accountId, { limit: 500 })).map(m => m.id))

    await state.loadOlder()
    assert.equal(state.messages.value.length, 121, 'no page beyond the first message')
  })

  it('switching conversations drops the late page of the previous one', async () => {
    const alice = await newMessenger('Alice')
    const bob = await newMessenger('Bob')
    const carol = await newMessenger('Carol')
    await alice.addContact(await bob.invite())
    await alice.addContact(await carol.invite())
    await alice.send(bob.accountId, 'to Bob')
    await alice.send(carol.accountId, 'to Carol')
    const state = stateOf(alice)
    await state.load()
    const first = state.open(bob.accountId)
    await state.open(carol.accountId)
    await first
    assert.equal(state.openId.value, carol.accountId)
    assert.deepEqual(state.messages.value.map(m => m.text), ['to Carol'])
  })

  it('a stranger shows up as a request; Accept makes a chat, Block removes it', async () => {
    const { alice, bob } = await newPair()
    track(alice, bob)
    const carol = await newMessenger('Carol')
    const dave = await newMessenger('Dave')
    await Promise.all([carol.start(), dave.start()])
    track(carol, dave)
    await carol.addContact(await bob.invite())
    await dave.addContact(await bob.invite())

    const state = stateOf(bob)
    await state.load()
    await carol.send(bob.accountId, 'hi, this is Carol')
    await dave.send(bob.accountId, 'buy my stuff')
    await until(() => state.requests.value.map(r => r.name).sort().join(), names => names === 'Carol,Dave')
    assert.deepEqual(state.chats.value.map(c => c.name), ['Alice'])
    assert.equal(state.requests.value.find(r => r.name === 'Carol')?.lastText, 'hi, this is Carol')

    await state.accept(carol.accountId)
    await state.block(dave.accountId)
    assert.deepEqual(state.requests.value, [])
    assert.deepEqual(state.chats.value.map(c => c.name).sort(), ['Alice', 'Carol'])
    assert.equal(state.error.value, undefined)
  })

  it('safety numbers: the same on both sides; Mark as verified shows on the chat', async () => {
    const { alice, bob } = await newPair()
    track(alice, bob)
    const aliceState = stateOf(alice)
    const bobState = stateOf(bob)
    await Promise.all([aliceState.load(), bobState.load()])
    assert.deepEqual(aliceState.chats.value.map(c => [c.name, c.verified, c.keyChange]), [['Bob', false, false]])

    const number = await aliceState.safetyNumber(bob.accountId)
    assert.match(number ?? '', /^\d{5}( \d{5}){11}$/)
    assert.equal(await bobState.safetyNumber(alice.accountId), number)

    assert.equal(await aliceState.markVerified(bob.accountId), true)
    assert.deepEqual(aliceState.chats.value.map(c => [c.name, c.verified]), [['Bob', true]])
    // Bob's side is his own decision
    assert.deepEqual(bobState.chats.value.map(c => [c.name, c.verified]), [['Alice', false]])
    assert.equal(aliceState.error.value, undefined)
  })

  it('another account with a contact\'s name: both rows warn, the verified mark goes; verifying clears the warning', async () => {
    const { alice, bob } = await newPair()
    track(alice, bob)
    const state = stateOf(bob)
    await state.load()
    assert.equal(await state.markVerified(alice.accountId), true)
    assert.equal(state.chats.value[0]?.verified, true)

    const impostor = await newMessenger('Alice')
    await impostor.start()
    track(impostor)
    await impostor.addContact(await bob.invite())
    await impostor.send(bob.accountId, 'it is me, Alice, on a new phone')
    const [request] = await until(() => state.requests.value, r => r.length === 1)
    assert.deepEqual([request.name, request.keyChange], ['Alice', true])
    const [known] = await until(() => state.chats.value, chats => chats[0]?.keyChange === true)
    assert.deepEqual([known.accountId, known.verified], [alice.accountId, false])
    assert.notEqual(await state.safetyNumber(impostor.accountId), await state.safetyNumber(alice.accountId))

    assert.equal(await state.markVerified(alice.accountId), true)
    assert.deepEqual(state.chats.value.map(c => [c.accountId, c.verified, c.keyChange]), [[alice.accountId, true, false]])
  })

  it('adds a contact from an invite link, and reports a bad invite as an error', async () => {
    const alice = await newMessenger('Alice')
    const bob = await newMessenger('Bob')
    const state = stateOf(alice)
    await state.load()
    const link = `http://127.0.0.1:5180/#invite=${encodeURIComponent(await bob.invite())}`
    const contact = await state.addContact(link)
    assert.equal(contact?.name, 'Bob')
    assert.deepEqual(state.chats.value.map(c => c.name), ['Bob'])

    assert.equal(await state.addContact('parley:not-an-invite'), undefined)
    assert.match(state.error.value ?? '', /invite/i)
    state.dismissError()
    assert.equal(state.error.value, undefined)
  })

  it('relay status: connecting at first, then offline when no relay answers', async () => {
    const alice = await newMessenger('Alice')
    track(alice)
    // a relay address nobody listens on (port 9 is "discard", closed here)
    const relays = ['/ip4/127.0.0.1/tcp/9/p2p/12D3KooWHJX2kzZYdsgu8i5Nn1dXcPgSwfbXwRW7bERwnJQM5JdY']
    const state = stateOf(alice, { relays, connectingGraceMs: 300 })
    assert.equal(state.connection.value.relay, 'stopped')
    await alice.start()
    state.started()
    assert.equal(state.connection.value.relay, 'connecting')
    await until(() => state.connection.value.relay, r => r === 'offline', 5_000)
    assert.deepEqual(state.connection.value.configured, ['12D3KooWHJX2kzZYdsgu8i5Nn1dXcPgSwfbXwRW7bERwnJQM5JdY'])
  })

  it('shows the path to the open conversation: direct over TCP here', async () => {
    const { alice, bob } = await newPair()
    track(alice, bob)
    const state = stateOf(alice)
    await state.load()
    await state.open(bob.accountId)
    await state.send('hi')
    await until(() => state.path.value, p => p.kind === 'direct')
    assert.deepEqual(state.path.value, { kind: 'direct', transport: 'tcp' })
  })
})

describe('web app state helpers', () => {
  it('extractInvite takes a code or a link with #invite=', () => {
    assert.equal(extractInvite('  parley:abc  '), 'parley:abc')
    assert.equal(extractInvite('https://parley.example/app/#invite=parley%3Aabc'), 'parley:abc')
  })

  it('mergeMessages dedupes by id, keeps store order, and never steps delivered back to pending', () => {
    const m = (id: string, clock: number, state: StoredMessage['state']): StoredMessage =>
      ({ id, conversation: 'c', direction: 'out', sender: 's', text: id, state, clock, sentAt: 0, receivedAt: 0 })
    const merged = mergeMessages([m('b', 2, 'delivered'), m('c', 3, 'pending')], [m('a', 1, 'received'), m('b', 2, 'pending'), m('c', 3, 'delivered')])
    assert.deepEqual(merged.map(x => [x.id, x.state]), [['a', 'received'], ['b', 'delivered'], ['c', 'delivered']])
  })
})

function range (from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => `message ${from + i}`)
}
