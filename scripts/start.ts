/**
 * `npm start`: a local Parley network for trying it out — a relay on
 * 127.0.0.1 with a stable peer id (its key lives in .parley-local/relay), and
 * the commands to run two peers against it. Ctrl-C stops it.
 */

import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadOrCreatePeerKey } from '#relay/src/key.ts'
import { DEFAULT_RELAY_LISTEN, startRelay } from '#relay/src/relay.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const dataDir = process.env.PARLEY_RELAY_DATA_DIR ?? join(root, '.parley-local', 'relay')
const listen = process.env.PARLEY_RELAY_LISTEN?.split(',').filter(s => s !== '') ?? DEFAULT_RELAY_LISTEN

const { privateKey } = await loadOrCreatePeerKey(dataDir)
let relay
try {
  relay = await startRelay({ privateKey, listen })
} catch (err: any) {
  process.stderr.write(`npm start: could not start the local relay on ${listen.join(', ')}: ${err.message}\n` +
    'Is another `npm start` running? Stop it, or set PARLEY_RELAY_LISTEN to other addresses.\n')
  process.exit(1)
}
const addrs = relay.multiaddrs().map(ma => ma.toString())
const tcp = addrs.find(a => !a.includes('/ws')) ?? addrs[0]

process.stdout.write(`Parley local relay is running (Ctrl-C stops it):
${addrs.map(a => `  ${a}`).join('\n')}

Try two peers against it, each in its own terminal (from this folder):

  export PARLEY_BOOTSTRAP=${tcp}

  # terminal 1 — Alice
  npx parley --home .parley-local/alice init --name Alice
  npx parley --home .parley-local/alice whoami          # copy Alice's invite

  # terminal 2 — Bob
  npx parley --home .parley-local/bob init --name Bob
  npx parley --home .parley-local/bob contacts add '<Alice's invite>'
  npx parley --home .parley-local/bob whoami            # copy Bob's invite

  # terminal 1 again
  npx parley --home .parley-local/alice contacts add '<Bob's invite>'
  npx parley --home .parley-local/alice chat Bob

  # terminal 2 again
  npx parley --home .parley-local/bob chat Alice

See README.md for the daemon, history and running a relay for others.
`)

const stop = async (): Promise<void> => {
  await relay.stop()
  process.exit(0)
}
process.once('SIGINT', () => { void stop() })
process.once('SIGTERM', () => { void stop() })
