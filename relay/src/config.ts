/**
 * parley-relay's command line and environment, parsed into a RelayConfig.
 * Pure (no I/O) so it can be tested; cli.ts does the I/O. Flags override
 * environment variables, which override the defaults.
 */

import { homedir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { InvalidParametersError } from '@libp2p/interface'
import { CODE_P2P, CODE_TCP, multiaddr } from '@multiformats/multiaddr'
import { DEFAULT_MAX_RESERVATIONS, DEFAULT_RELAY_LISTEN, isLocalOnly } from './relay.ts'

export const USAGE = `\
Usage: parley-relay [options]

Runs a Parley community relay: a circuit relay (v2) that lets browsers and
peers behind NAT be reached, and a DHT server where Parley peers find each
other and store their signed account records. It never sees message content.

Options:
  --listen MULTIADDR        Address to listen on; repeat for several. TCP and
                            WebSocket (/ws) addresses.
                            Default: /ip4/127.0.0.1/tcp/4101 and
                                     /ip4/127.0.0.1/tcp/4102/ws (this machine only)
  --announce MULTIADDR      Address to tell peers instead of the listen
                            addresses; repeat for several. Without /p2p/: the
                            relay appends its peer id.
  --data-dir DIR            Where the relay keeps its peer key (peer-key, 0600).
                            The peer id - part of every address peers use -
                            comes from it. Default: ~/.parley-relay
  --max-reservations N      Peers that may hold a relay slot at once.
                            Default: ${DEFAULT_MAX_RESERVATIONS}
  --allow-private           Keep private and loopback addresses in the DHT and
                            allow dialling them: for a LAN or tests.
  --no-allow-private        Strip them: for a relay on the internet.
                            Default: on only when every listen and announce
                            address is loopback or private (0.0.0.0 counts as
                            public).
  --json                    Machine-readable stdout: the first line is
                            {"peerId":"…","multiaddrs":["…"]}, later lines are
                            events ({"event":"peer:connect","peerId":"…"}, …).
  -h, --help                Show this help.

Environment (flags win):
  PARLEY_RELAY_LISTEN             listen addresses, comma-separated
  PARLEY_RELAY_ANNOUNCE           announce addresses, comma-separated
  PARLEY_RELAY_DATA_DIR           as --data-dir
  PARLEY_RELAY_MAX_RESERVATIONS   as --max-reservations
  PARLEY_RELAY_ALLOW_PRIVATE      true/false, as --allow-private / --no-allow-private
  DEBUG=parley:*,libp2p:*         logs on stderr

On a public host:
  parley-relay --listen /ip4/0.0.0.0/tcp/4101 --listen /ip4/0.0.0.0/tcp/4102/ws \\
    --announce /ip4/<public-ip>/tcp/4101 --announce /dns4/<name>/tcp/443/tls/ws
  Open the TCP ports in the firewall. Browsers on an https page need a secure
  WebSocket: put a TLS proxy (Caddy, nginx) in front of the /ws port and announce
  its /tls/ws (wss) address. Private addresses stay stripped from the DHT, so
  peers are not handed each other's LAN addresses. Back up the data directory:
  a lost peer key means a new relay address for everyone.

Stop with Ctrl-C or SIGTERM. Exit status: 0 stopped cleanly, 1 failed to start
or run, 2 bad usage.
`

export interface RelayConfig {
  listen: string[]
  announce: string[]
  dataDir: string
  maxReservations: number
  allowPrivateAddresses: boolean
  json: boolean
}

export type ParsedCommand = { help: true } | { help: false, config: RelayConfig }

type Env = Record<string, string | undefined>

/**
 * Parses argv (without the node/script entries) and the environment.
 *
 * @throws {InvalidParametersError} with a one-line message on bad usage
 */
export function parseCommand (argv: string[], env: Env = {}): ParsedCommand {
  let values
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      allowNegative: true,
      options: {
        listen: { type: 'string', multiple: true },
        announce: { type: 'string', multiple: true },
        'data-dir': { type: 'string' },
        'max-reservations': { type: 'string' },
        'allow-private': { type: 'boolean' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false }
      }
    }))
  } catch (err: any) {
    // node's messages go on with advice about '--'; the first sentence is the point
    throw new InvalidParametersError(String(err.message).split(/\.\s/)[0])
  }
  if (values.help === true) {
    return { help: true }
  }

  const listen = values.listen ?? listFromEnv(env.PARLEY_RELAY_LISTEN) ?? DEFAULT_RELAY_LISTEN
  const announce = values.announce ?? listFromEnv(env.PARLEY_RELAY_ANNOUNCE) ?? []
  listen.forEach(a => { checkListenAddr(a) })
  announce.forEach(a => { checkAnnounceAddr(a) })

  const dataDir = nonEmpty(values['data-dir'], '--data-dir') ??
    nonEmpty(env.PARLEY_RELAY_DATA_DIR, 'PARLEY_RELAY_DATA_DIR') ??
    join(homedir(), '.parley-relay')

  const maxReservations = positiveInt(values['max-reservations'], '--max-reservations') ??
    positiveInt(env.PARLEY_RELAY_MAX_RESERVATIONS, 'PARLEY_RELAY_MAX_RESERVATIONS') ??
    DEFAULT_MAX_RESERVATIONS

  const allowPrivateAddresses = values['allow-private'] ??
    booleanFromEnv(env.PARLEY_RELAY_ALLOW_PRIVATE, 'PARLEY_RELAY_ALLOW_PRIVATE') ??
    isLocalOnly(listen, announce)

  return {
    help: false,
    config: { listen, announce, dataDir, maxReservations, allowPrivateAddresses, json: values.json === true }
  }
}

function listFromEnv (value: string | undefined): string[] | undefined {
  const list = (value ?? '').split(',').map(s => s.trim()).filter(s => s.length > 0)
  return list.length > 0 ? list : undefined
}

function parseMultiaddr (value: string, what: string): ReturnType<typeof multiaddr> {
  try {
    return multiaddr(value)
  } catch (err: any) {
    throw new InvalidParametersError(`invalid ${what} address '${value}': ${err.message}`)
  }
}

function checkListenAddr (value: string): void {
  const codes = parseMultiaddr(value, 'listen').getComponents().map(c => c.code)
  // both transports (tcp, websockets) listen on TCP
  if (!codes.includes(CODE_TCP)) {
    throw new InvalidParametersError(`listen address '${value}' has no /tcp/<port>: the relay listens on TCP and WebSocket (/tcp/<port>/ws)`)
  }
  if (codes.includes(CODE_P2P)) {
    throw new InvalidParametersError(`listen address '${value}' contains /p2p/: leave it out, the relay appends its own peer id`)
  }
}

function checkAnnounceAddr (value: string): void {
  if (parseMultiaddr(value, 'announce').getComponents().some(c => c.code === CODE_P2P)) {
    throw new InvalidParametersError(`announce address '${value}' contains /p2p/: leave it out, the relay appends its own peer id`)
  }
}

function nonEmpty (value: string | undefined, what: string): string | undefined {
  if (value == null) {
    return undefined
  }
  if (value.trim() === '') {
    throw new InvalidParametersError(`${what} is empty`)
  }
  return value
}

function positiveInt (value: string | undefined, what: string): number | undefined {
  if (value == null) {
    return undefined
  }
  const n = Number(value)
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidParametersError(`${what} must be a whole number of at least 1, not '${value}'`)
  }
  return n
}

function booleanFromEnv (value: string | undefined, what: string): boolean | undefined {
  if (value == null || value.trim() === '') {
    return undefined
  }
  switch (value.trim().toLowerCase()) {
    case '1': case 'true': case 'yes': case 'on': return true
    case '0': case 'false': case 'no': case 'off': return false
    default: throw new InvalidParametersError(`${what} must be true or false, not '${value}'`)
  }
}
