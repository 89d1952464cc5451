import assert from 'node:assert/strict'
import { Session } from '../../../web/src/state/index.ts'
import { KDF_LOG_N, loopbackNode, memoryStore, PASSPHRASE } from './fixtures.ts'
import type { ParleyStore } from '#shared/store/index.ts'

describe('web session: create account and unlock', function () {
  this.timeout(30_000)

  const sessions: Session[] = []
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map(async s => s.stop()))
  })

  function session (store: ParleyStore): Session {
    const s = new Session({ openStore: async () => store, createNode: loopbackNode, kdfLogN: KDF_LOG_N })
    sessions.push(s)
    return s
  }

  it('a new device shows "create"; creating the account starts it', async () => {
    const s = session(await memoryStore())
    await s.open()
    assert.deepEqual(s.phase.value, { name: 'create' })
    await s.create('  Alice ', PASSPHRASE)
    assert.deepEqual(s.phase.value, { name: 'ready' })
    assert.equal(s.app.value?.messenger.name, 'Alice')
    assert.equal(s.app.value?.messenger.status().started, true)
  })

  it('refuses a short passphrase and an empty name with a message, creating nothing', async () => {
    const store = await memoryStore()
    const s = session(store)
    await s.open()
    await s.create('Alice', 'short')
    assert.match(s.formError.value ?? '', /at least 8 characters/)
    await s.create('   ', PASSPHRASE)
    assert.match(s.formError.value ?? '', /display name cannot be empty/i)
    assert.deepEqual(s.phase.value, { name: 'create' })
    assert.equal(await store.getProfile(), undefined)
  })

  it('on return asks to unlock; a wrong passphrase says so and changes nothing; the right one opens the same account', async () => {
    const store = await memoryStore()
    const first = session(store)
    await first.open()
    await first.create('Alice', PASSPHRASE)
    const accountId = first.app.value?.messenger.accountId
    await first.stop()
    const vault = await store.getVault()

    const again = session(store)
    await again.open()
    assert.deepEqual(again.phase.value, { name: 'unlock', accountName: 'Alice' })
    await again.unlock('not the passphrase')
    assert.match(again.formError.value ?? '', /^Wrong passphrase/)
    assert.deepEqual(again.phase.value, { name: 'unlock', accountName: 'Alice' })
    assert.equal(again.busy.value, false)
    assert.deepEqual(await store.getVault(), vault, 'the vault is untouched')

    await again.unlock(PASSPHRASE)
    assert.equal(again.formError.value, undefined)
    assert.deepEqual(again.phase.value, { name: 'ready' })
    assert.equal(again.app.value?.messenger.accountId, accountId)
  })

  it('a store that cannot be opened is shown as failed, with the reason', async () => {
    const s = new Session({
      openStore: async () => { throw Object.assign(new Error('The database connection is closing.'), { name: 'InvalidStateError' }) },
      createNode: loopbackNode
    })
    await s.open()
    assert.equal(s.phase.value.name, 'failed')
    assert.match(s.phase.value.name === 'failed' ? s.phase.value.message : '', /database connection is closing/)
  })
})
