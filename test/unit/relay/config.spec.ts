import assert from 'node:assert/strict'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { parseCommand } from '#relay/src/config.ts'
import { DEFAULT_MAX_RESERVATIONS, DEFAULT_RELAY_LISTEN, isLocalOnly } from '#relay/src/relay.ts'
import type { RelayConfig } from '#relay/src/config.ts'

function config (argv: string[], env: Record<string, string> = {}): RelayConfig {
  const parsed = parseCommand(argv, env)
  assert.equal(parsed.help, false)
  return parsed.config
}

function usageError (argv: string[], env: Record<string, string> = {}): string {
  try {
    parseCommand(argv, env)
  } catch (err: any) {
    assert.equal(err.name, 'InvalidParametersError')
    assert.ok(!String(err.message).includes('\n'), 'one line')
    return err.message
  }
  assert.fail('expected a usage error')
}

describe('parley-relay command line', () => {
  it('defaults to loopback ports 4101/4102, ~/.parley-relay, 256 reservations, private addresses allowed', () => {
    assert.deepEqual(config([]), {
      listen: DEFAULT_RELAY_LISTEN,
      announce: [],
      dataDir: join(homedir(), '.parley-relay'),
      maxReservations: DEFAULT_MAX_RESERVATIONS,
      allowPrivateAddresses: true,
      json: false
    })
    assert.deepEqual(DEFAULT_RELAY_LISTEN, ['/ip4/127.0.0.1/tcp/4101', '/ip4/127.0.0.1/tcp/4102/ws'])
    assert.equal(DEFAULT_MAX_RESERVATIONS, 256)
  })

  it('reads the environment, and flags win over it', () => {
    const env = {
      PARLEY_RELAY_LISTEN: '/ip4/0.0.0.0/tcp/5001, /ip4/0.0.0.0/tcp/5002/ws',
      PARLEY_RELAY_ANNOUNCE: '/dns4/relay.example.org/tcp/443/tls/ws',
      PARLEY_RELAY_DATA_DIR: '/srv/relay',
      PARLEY_RELAY_MAX_RESERVATIONS: '1000'
    }
    const fromEnv = config([], env)
    assert.deepEqual(fromEnv.listen, ['/ip4/0.0.0.0/tcp/5001', '/ip4/0.0.0.0/tcp/5002/ws'])
    assert.deepEqual(fromEnv.announce, ['/dns4/relay.example.org/tcp/443/tls/ws'])
    assert.equal(fromEnv.dataDir, '/srv/relay')
    assert.equal(fromEnv.maxReservations, 1000)

    const fromFlags = config(['--listen', '/ip4/127.0.0.1/tcp/0', '--data-dir', '/tmp/r', '--max-reservations', '7', '--json'], env)
    assert.deepEqual(fromFlags.listen, ['/ip4/127.0.0.1/tcp/0'])
    assert.equal(fromFlags.dataDir, '/tmp/r')
    assert.equal(fromFlags.maxReservations, 7)
    assert.equal(fromFlags.json, true)
  })

  it('strips private addresses on a public host unless told otherwise', () => {
    assert.equal(config(['--listen', '/ip4/0.0.0.0/tcp/4101']).allowPrivateAddresses, false, '0.0.0.0 is a public host')
    assert.equal(config(['--listen', '/ip4/127.0.0.1/tcp/4101', '--announce', '/ip4/93.184.216.34/tcp/4101']).allowPrivateAddresses, false)
    assert.equal(config(['--listen', '/ip4/192.168.1.2/tcp/4101']).allowPrivateAddresses, true, 'a LAN relay')
    assert.equal(config(['--listen', '/ip4/0.0.0.0/tcp/4101', '--allow-private']).allowPrivateAddresses, true)
    assert.equal(config(['--no-allow-private']).allowPrivateAddresses, false)
    assert.equal(config([], { PARLEY_RELAY_ALLOW_PRIVATE: 'false' }).allowPrivateAddresses, false)
    assert.equal(config(['--allow-private'], { PARLEY_RELAY_ALLOW_PRIVATE: 'false' }).allowPrivateAddresses, true)
    assert.equal(isLocalOnly(['/ip6/::/tcp/1']), false)
    assert.equal(isLocalOnly(['/ip6/::1/tcp/1']), true)
  })

  it('rejects unknown flags, positionals, bad multiaddrs and bad numbers in one line', () => {
    assert.match(usageError(['--bogus']), /--bogus/)
    assert.match(usageError(['serve']), /serve/)
    assert.match(usageError(['--listen', 'tcp:4101']), /invalid listen address/)
    assert.match(usageError(['--listen', '/ip4/127.0.0.1/udp/4101']), /no \/tcp/)
    assert.match(usageError(['--listen', '/ip4/127.0.0.1/tcp/1/p2p/12D3KooWBseU6JbpnrMzFqVaev9Cx83W14aaSujEaNjT4Tw84L4q']), /p2p/)
    assert.match(usageError(['--announce', '/ip4/1.2.3.4/tcp/1/p2p/12D3KooWBseU6JbpnrMzFqVaev9Cx83W14aaSujEaNjT4Tw84L4q']), /p2p/)
    assert.match(usageError(['--max-reservations', '0']), /at least 1/)
    assert.match(usageError(['--max-reservations', '12abc']), /whole number/)
    assert.match(usageError([], { PARLEY_RELAY_MAX_RESERVATIONS: '-3' }), /PARLEY_RELAY_MAX_RESERVATIONS/)
    assert.match(usageError([], { PARLEY_RELAY_ALLOW_PRIVATE: 'maybe' }), /true or false/)
    assert.match(usageError(['--data-dir', ' ']), /empty/)
  })

  it('answers --help without reading anything else', () => {
    assert.deepEqual(parseCommand(['--help']), { help: true })
    assert.deepEqual(parseCommand(['-h'], { PARLEY_RELAY_MAX_RESERVATIONS: 'bad' }), { help: true })
  })
})
