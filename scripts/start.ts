/**
 * `npm start`: a local Parley network for trying it out — a relay on
 * 127.0.0.1 with a stable peer id (its key lives in .parley-local/relay), the
 * web app built and served on a fixed port (http://127.0.0.1:5180, configured
 * with that relay), and the commands to run terminal peers against it.
 * Ctrl-C stops it.
 *
 * Environment: PARLEY_RELAY_DATA_DIR, PARLEY_RELAY_LISTEN (comma-separated
 * multiaddrs), PARLEY_WEB_PORT (default 5180; keep it fixed: the browser keeps
 * the account per origin, port included), PARLEY_WEB_BUILD=0 to serve the
 * existing web/dist without rebuilding.
 */

import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadOrCreatePeerKey } from '#relay/src/key.ts'
import { DEFAULT_RELAY_LISTEN, startRelay } from '#relay/src/relay.ts'
import { DEFAULT_WEB_PORT, serveWebApp } from '../web/serve.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const dataDir = process.env.PARLEY_RELAY_DATA_DIR ?? join(root, '.parley-local', 'relay')
const listen = process.env.PARLEY_RELAY_LISTEN?.split(',').filter(s => s !== '') ?? DEFAULT_RELAY_LISTEN
const webPort = process.env.PARLEY_WEB_PORT != null ? Number(process.env.PARLEY_WEB_PORT) : DEFAULT_WEB_PORT

if (process.env.PARLEY_WEB_BUILD !== '0') {
  process.stdout.write('Building the web app (web/dist)…\n')
  // the project's vite; `npm start` put the project's Node first on PATH
  const build = spawnSync(join(root, 'node_modules', '.bin', 'vite'), ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) {
    process.stderr.write('npm start: building the web app failed (see above).\n')
    process.exit(1)
  }
}

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
const ws = addrs.filter(a => a.includes('/ws'))

let web
try {
  web = await serveWebApp({
    port: webPort,
    // a relay on loopback: the browser must be allowed to dial ws://127.0.0.1; no STUN servers, nothing leaves the machine
    config: { relays: ws, iceServers: [], allowPrivateAddresses: true }
  })
} catch (err: any) {
  await relay.stop()
  process.stderr.write(`npm start: could not serve the web app on http://127.0.0.1:${webPort}/: ${err.message}\n` +
    'Is another `npm start` running? Stop it, or set PARLEY_WEB_PORT (a new port is a new, empty browser profile for Parley).\n')
  process.exit(1)
}

process.stdout.write(`Parley local relay is running (Ctrl-C stops it):
${addrs.map(a => `  ${a}`).join('\n')}

The web app: ${web.url}
  Open it in two browser profiles (say a normal and a private window), create an account in
  each, and add each other with the invite under "Share invite".

Or try two terminal peers against it, each in its own terminal (from this folder; this one is terminal 1):

  export PARLEY_BOOTSTRAP=${tcp}
  export PARLEY_PASSPHRASE='choose a passphrase'   # or leave it unset to be asked

  # terminal 2 — Alice
  npx parley --home .parley-local/alice init --name Alice
  npx parley --home .parley-local/alice whoami          # copy Alice's invite

  # terminal 3 — Bob
  npx parley --home .parley-local/bob init --name Bob
  npx parley --home .parley-local/bob contacts add '<the invite Alice printed>'
  npx parley --home .parley-local/bob whoami            # copy Bob's invite

  # terminal 2 again
  npx parley --home .parley-local/alice contacts add '<the invite Bob printed>'
  npx parley --home .parley-local/alice chat Bob

  # terminal 3 again
  npx parley --home .parley-local/bob chat Alice

A browser and a terminal peer chat the same way: add each other's invites.
See README.md for the daemon, history and running a relay for others.
`)

const stop = async (): Promise<void> => {
  await web.close()
  await relay.stop()
  process.exit(0)
}
process.once('SIGINT', () => { void stop() })
process.once('SIGTERM', () => { void stop() })
