/**
 * `parley` misused the way people misuse CLIs, as real processes: each
 * mistake prints one clear `parley: …` line on stderr and exits non-zero
 * (2 for usage errors), and nothing already stored is lost. And the promise
 * that no command needs the other peer online: `send` with no daemon and no
 * peer stores and queues, and the message goes out once both daemons run.
 */

import assert from 'node:assert/strict'
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { connectControl } from '#node/src/control.ts'
import { binPath, Cleanup, createTempDir, runBin, spawnBin, spawnRelay } from '#test/helpers/process.ts'
import type { MessageView } from '#node/src/api.ts'
import type { RunResult, SpawnedProcess } from '#test/helpers/process.ts'

const WAIT_MS = 20_000
/** A CLI run loads tsx and libp2p: allow for a busy machine. */
const RUN_MS = 40_000
const PASSPHRASE = 'correct horse battery staple'

interface Whoami { accountId: string, peerId: string, name: string, invite: string }

/** A failure the way a user should see it: one `parley: …` line on stderr, the given exit code. */
function assertOneLineError (result: RunResult, code: number, message: RegExp): void {
  assert.equal(result.code, code, `exit code (stdout: ${result.stdout}, stderr: ${result.stderr})`)
  const lines = result.stderr.trimEnd().split('\n')
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${result.stderr}`)
  assert.match(lines[0], /^parley: /)
  assert.match(lines[0], message)
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace')
}

describe('parley CLI misuse (real processes)', function () {
  this.timeout(120_000)

  const cleanup = new Cleanup()
  let relayAddr: string
  let aliceHome: string
  let bobHome: string
  let alice: Whoami
  let bob: Whoami
  /** The message Alice queued while nobody was online. */
  let queued: MessageView

  /** Runs `parley` with the test's defaults; `env` entries override them (undefined removes one). */
  async function parley (args: string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
    return runBin(binPath('parley'), args, {
      env: { PARLEY_KDF_LOG_N: '12', PARLEY_PASSPHRASE: PASSPHRASE, PARLEY_HOME: undefined, PARLEY_BOOTSTRAP: undefined, DEBUG: undefined, ...env },
      timeout: RUN_MS
    })
  }

  async function historyJson (home: string, contact: string): Promise<MessageView[]> {
    const result = await parley(['--home', home, 'history', contact, '--json'])
    assert.equal(result.code, 0, result.stderr)
    return result.stdout.trim() === '' ? [] : result.stdout.trim().split('\n').map(line => JSON.parse(line))
  }

  before(async () => {
    const relay = await spawnRelay(cleanup)
    relayAddr = relay.tcpAddr
    ;[aliceHome, bobHome] = await Promise.all([createTempDir('parley-alice-', cleanup), createTempDir('parley-bob-', cleanup)])
    const init = async (home: string, name: string): Promise<Whoami> => {
      const result = await parley(['--home', home, '--bootstrap', relayAddr, 'init', '--name', name, '--json'])
      assert.equal(result.code, 0, result.stderr)
      return JSON.parse(result.stdout)
    }
    ;[alice, bob] = await Promise.all([init(aliceHome, 'Alice'), init(bobHome, 'Bob')])
    const [a, b] = await Promise.all([
      parley(['--home', aliceHome, 'contacts', 'add', bob.invite]),
      parley(['--home', bobHome, 'contacts', 'add', alice.invite])
    ])
    assert.equal(a.code, 0, a.stderr)
    assert.equal(b.code, 0, b.stderr)
  })

  after(async () => {
    await cleanup.run()
  })

  describe('offline', () => {
    it('`send` with no daemon and no peer online stores and queues the message, and exits 0', async () => {
      const result = await parley(['--home', aliceHome, 'send', 'Bob', 'written while nobody is online', '--json'])
      assert.equal(result.code, 0, result.stderr)
      assert.equal(result.stderr, '')
      queued = JSON.parse(result.stdout)
      assert.equal(queued.state, 'pending')
      assert.equal(queued.direction, 'out')
      assert.equal(queued.text, 'written while nobody is online')

      const history = await historyJson(aliceHome, 'Bob')
      assert.deepEqual(history.map(m => ({ id: m.id, state: m.state, text: m.text })), [{ id: queued.id, state: 'pending', text: queued.text }])
    })
  })

  // Every failed `send` below would add to Alice's history: the last test
  // checks that it holds exactly the message queued offline.
  describe('mistakes', () => {
    it('an unknown contact: `send Nobody hi` fails with one line naming it', async () => {
      assertOneLineError(await parley(['--home', aliceHome, 'send', 'Nobody', 'hi']), 1, /No contact "Nobody"/)
    })

    it('no passphrase (no PARLEY_PASSPHRASE, stdin not a terminal): one line saying how to give one, nothing stored', async () => {
      const result = await parley(['--home', aliceHome, 'send', 'Bob', 'must not be stored'], { PARLEY_PASSPHRASE: undefined })
      assertOneLineError(result, 1, /PARLEY_PASSPHRASE/)
    })

    it('a wrong passphrase: one line, nothing stored; the right one still opens the account with its history', async () => {
      const result = await parley(['--home', aliceHome, 'send', 'Bob', 'must not be stored either'], { PARLEY_PASSPHRASE: 'Tr0ub4dor&3' })
      assertOneLineError(result, 1, /[Ww]rong passphrase/)
      assert.equal(result.stdout, '')

      const history = await historyJson(aliceHome, 'Bob')
      assert.deepEqual(history.map(m => ({ id: m.id, text: m.text })), [{ id: queued.id, text: queued.text }])
    })

    it('a bad multiaddr in --bootstrap: usage error (exit 2), the remembered relay is kept', async () => {
      const config = await readFile(join(aliceHome, 'config.json'), 'utf8')
      assert.ok(config.includes(relayAddr), 'init remembered the relay')

      // checked before the store is opened: these may run at once
      const [garbage, noPeerId] = await Promise.all([
        parley(['--home', aliceHome, '--bootstrap', 'not-a-multiaddr', 'send', 'Bob', 'must not be stored']),
        // a multiaddr, but without /p2p/<id> the relay cannot be authenticated
        parley(['--home', aliceHome, 'whoami'], { PARLEY_BOOTSTRAP: '/ip4/127.0.0.1/tcp/4001' })
      ])
      assertOneLineError(garbage, 2, /not-a-multiaddr/)
      assertOneLineError(noPeerId, 2, /\/p2p\//)

      assert.equal(await readFile(join(aliceHome, 'config.json'), 'utf8'), config)
    })

    it('an unknown command, flag or option value: usage error (exit 2), and no home is created', async () => {
      const parent = await createTempDir('parley-nohome-', cleanup)
      const home = join(parent, 'home')
      const [command, flag, misplaced, value] = await Promise.all([
        parley(['--home', home, 'frobnicate']),
        parley(['--home', home, 'whoami', '--frobnicate']),
        // a known flag on a command that does not take it
        parley(['--home', home, 'whoami', '--limit', '3']),
        parley(['--home', home, 'send', 'Bob', 'hi', '--wait', 'soon'])
      ])
      assertOneLineError(command, 2, /frobnicate/)
      assertOneLineError(flag, 2, /frobnicate/)
      assertOneLineError(misplaced, 2, /--limit/)
      assertOneLineError(value, 2, /--wait/)
      assert.deepEqual(await readdir(parent), [], 'a usage error touches no files')
    })

    it('`--help` prints the usage on stdout and exits 0', async () => {
      const result = await parley(['--help'])
      assert.equal(result.code, 0, result.stderr)
      assert.equal(result.stderr, '')
      assert.match(result.stdout, /^Usage:/m)
      assert.match(result.stdout, /send <contact> <text>/)
    })

    it('`init` on a home that has an account is refused, and the account stays as it was', async () => {
      const result = await parley(['--home', aliceHome, 'init', '--name', 'Impostor'])
      assertOneLineError(result, 1, /already exists/)

      const whoami = await parley(['--home', aliceHome, 'whoami', '--json'])
      assert.equal(whoami.code, 0, whoami.stderr)
      const me = JSON.parse(whoami.stdout)
      assert.equal(me.accountId, alice.accountId)
      assert.equal(me.name, 'Alice')
    })
  })

  describe('online again', () => {
    it('the message queued offline is delivered once both daemons run, and stored once by Bob', async () => {
      const daemon = (home: string): SpawnedProcess => spawnBin(binPath('parley'), ['--home', home, 'daemon', '--json'], {
        env: { PARLEY_PASSPHRASE: PASSPHRASE, PARLEY_HOME: undefined, PARLEY_BOOTSTRAP: undefined },
        cleanup
      })
      const isReady = (e: any): boolean => e?.event === 'daemon:ready'
      const bobDaemon = daemon(bobHome)
      await bobDaemon.waitForJson(isReady, { timeout: RUN_MS })
      const aliceDaemon = daemon(aliceHome)
      await aliceDaemon.waitForJson(isReady, { timeout: RUN_MS })

      // the daemons report it by id and state (never its text)
      await Promise.all([
        aliceDaemon.waitForJson(e => e.event === 'message:delivered' && e.id === queued.id, { timeout: 45_000 }),
        bobDaemon.waitForJson(e => e.event === 'message:received' && e.id === queued.id, { timeout: 45_000 })
      ])
      for (const line of [...aliceDaemon.lines, ...bobDaemon.lines]) {
        assert.ok(!line.includes(queued.text), `a daemon printed message text: ${line}`)
      }

      const [aliceApi, bobApi] = await Promise.all([connectControl(join(aliceHome, 'control.sock')), connectControl(join(bobHome, 'control.sock'))])
      assert.ok(aliceApi != null && bobApi != null)
      try {
        const sent = await aliceApi.history('Bob')
        assert.deepEqual(sent.map(m => ({ id: m.id, state: m.state })), [{ id: queued.id, state: 'delivered' }])
        const received = await bobApi.history('Alice')
        assert.deepEqual(received.map(m => ({ id: m.id, state: m.state, text: m.text, direction: m.direction, sender: m.sender })), [
          { id: queued.id, state: 'received', text: queued.text, direction: 'in', sender: alice.accountId }
        ])
      } finally {
        await Promise.all([aliceApi.close(), bobApi.close()])
      }
      assert.deepEqual(await bobDaemon.stop(), { code: 0, signal: null })
      assert.deepEqual(await aliceDaemon.stop(), { code: 0, signal: null })
    })
  })
})
