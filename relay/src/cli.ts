/**
 * parley-relay: the command an operator runs (relay/bin/parley-relay,
 * `npm run relay`). Options and environment: config.ts (`--help`).
 *
 * stdout carries only the relay's addresses (one per line), or with --json a
 * first line `{"peerId":…,"multiaddrs":[…]}` followed by one JSON event per
 * line. Logs go to stderr through @libp2p/logger (`DEBUG=parley:*`).
 * Exit status: 0 after a clean stop (SIGINT/SIGTERM), 1 when it cannot start
 * or fails while running, 2 on bad usage.
 */

import { logger } from '@libp2p/logger'
import { loadOrCreatePeerKey } from './key.ts'
import { parseCommand, USAGE } from './config.ts'
import { startRelay } from './relay.ts'
import type { RelayConfig } from './config.ts'
import type { Relay } from './relay.ts'
import type { PeerUpdate } from '@libp2p/interface'

const log = logger('parley:relay:cli')

/**
 * Peer-store tag the circuit relay server puts on a peer when it grants a
 * reservation (`RELAY_SOURCE_TAG` in @libp2p/circuit-relay-v2, not exported).
 * The server emits no event of its own, so a peer gaining this tag is how we
 * see a new reservation.
 */
const RELAY_SOURCE_TAG = 'circuit-relay-source'

/** How long a clean stop may take before we give up and exit anyway. */
const STOP_TIMEOUT_MS = 10_000

function fail (message: string, code: number): never {
  process.stderr.write(`parley-relay: ${message}\n`)
  process.exit(code)
}

function writeLine (line: string): void {
  process.stdout.write(line + '\n')
}

function emitEvents (relay: Relay): void {
  const { node } = relay
  node.addEventListener('peer:connect', (evt) => {
    writeLine(JSON.stringify({ event: 'peer:connect', peerId: evt.detail.toString() }))
  })
  node.addEventListener('peer:disconnect', (evt) => {
    writeLine(JSON.stringify({ event: 'peer:disconnect', peerId: evt.detail.toString() }))
  })
  node.addEventListener('peer:update', (evt: CustomEvent<PeerUpdate>) => {
    const { peer, previous } = evt.detail
    if (peer.tags.has(RELAY_SOURCE_TAG) && previous?.tags.has(RELAY_SOURCE_TAG) !== true) {
      writeLine(JSON.stringify({
        event: 'relay:reservation',
        peerId: peer.id.toString(),
        reservations: node.services.relay?.reservations.size ?? 0
      }))
    }
  })
}

async function run (config: RelayConfig): Promise<void> {
  // Signals are handled from the start: a SIGTERM while starting stops the
  // relay as soon as it is up, instead of killing it half-started.
  let relay: Relay | undefined
  let stopping = false
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      fail(`${signal} again while stopping; exiting now`, 1)
    }
    stopping = true
    log('%s received, stopping', signal)
    if (relay != null) {
      stopRelay(relay)
    }
  }
  const stopRelay = (running: Relay): void => {
    // a stuck close must not keep a supervisor waiting forever; unref'd, so
    // this timer never holds the process open by itself
    setTimeout(() => { fail(`did not stop within ${STOP_TIMEOUT_MS / 1000} s; exiting anyway`, 1) }, STOP_TIMEOUT_MS).unref()
    running.stop().then(() => {
      log('stopped')
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      process.exitCode = 0
    }, (err: any) => {
      fail(`error while stopping: ${err.message}`, 1)
    })
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)

  let key
  try {
    key = await loadOrCreatePeerKey(config.dataDir)
  } catch (err: any) {
    fail(err.message, 1)
  }
  if (key.created && !config.json) {
    process.stderr.write(`parley-relay: created a new peer key in ${key.path}; back it up, the relay's address depends on it\n`)
  }
  if (key.readableByOthers) {
    process.stderr.write(`parley-relay: warning: ${key.path} is readable by other users; run: chmod 600 ${key.path}\n`)
  }

  try {
    relay = await startRelay({
      privateKey: key.privateKey,
      listen: config.listen,
      announce: config.announce,
      maxReservations: config.maxReservations,
      allowPrivateAddresses: config.allowPrivateAddresses
    })
  } catch (err: any) {
    fail(`cannot start: ${err.message}`, 1)
  }
  if (stopping) {
    stopRelay(relay)
    return
  }

  const addrs = relay.multiaddrs().map(ma => ma.toString())
  if (config.json) {
    writeLine(JSON.stringify({ peerId: relay.peerId.toString(), multiaddrs: addrs }))
    emitEvents(relay)
  } else {
    addrs.forEach(writeLine)
  }
}

// A reader that goes away (`parley-relay --json | head -1`) must not crash the relay.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') {
    throw err
  }
})

let command
try {
  command = parseCommand(process.argv.slice(2), process.env)
} catch (err: any) {
  fail(`${err.message} (see parley-relay --help)`, 2)
}
if (command.help) {
  process.stdout.write(USAGE)
} else {
  await run(command.config)
}
