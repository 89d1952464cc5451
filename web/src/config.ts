/**
 * Where the browser app finds its relays and ICE servers. Three sources, the
 * later ones winning field by field:
 *
 * 1. `config.json` served next to the app (the operator's defaults; `npm start`
 *    serves one pointing at the local relay);
 * 2. the settings screen, saved in this browser's localStorage;
 * 3. `?relay=<multiaddr>` (repeatable) in the URL: saved into the settings as
 *    if chosen there, then removed from the address bar, so a link can set up
 *    a new browser and an installed PWA keeps the choice.
 */

import { multiaddr } from '@multiformats/multiaddr'

/** What the app needs to build its node. */
export interface WebConfig {
  /** Relay multiaddrs with `/p2p/<id>` (browsers need `/ws` or `/wss`). */
  relays: string[]
  /**
   * STUN/TURN servers for WebRTC. Default `[]`: nothing is sent to third
   * parties; direct WebRTC then works between peers that can see each other's
   * addresses (same machine or network), and everything else stays relayed.
   */
  iceServers: RTCIceServer[]
  /**
   * Allow dialling loopback/private addresses and plain `ws://` (a local
   * network or `npm start`). Default false: libp2p's browser rules.
   */
  allowPrivateAddresses: boolean
  /** scrypt cost (2^n) for new accounts; tests lower it. Default: the vault's (17). */
  kdfLogN?: number
}

/** What the settings screen stores (only what the user changed). */
export interface WebSettings {
  relays?: string[]
}

export const SETTINGS_KEY = 'parley:settings'

export const DEFAULT_CONFIG: WebConfig = {
  relays: [],
  iceServers: [],
  allowPrivateAddresses: false
}

/** Checks a relay address: a parseable multiaddr that names the relay's peer id. */
export function checkRelayAddr (text: string): string {
  const trimmed = text.trim()
  let components
  try {
    components = multiaddr(trimmed).getComponents()
  } catch {
    throw new Error(`"${trimmed}" is not a multiaddr (like /dns4/relay.example.org/tcp/443/wss/p2p/12D3KooW…)`)
  }
  if (components.at(-1)?.name !== 'p2p') {
    throw new Error(`"${trimmed}" does not end in /p2p/<the relay's peer id>`)
  }
  return trimmed
}

/** Parses a served config.json; unknown fields are ignored, bad ones fall back to the defaults. */
export function parseConfig (value: unknown): WebConfig {
  const raw = (typeof value === 'object' && value != null ? value : {}) as Record<string, unknown>
  const relays = Array.isArray(raw.relays) ? raw.relays.filter((r): r is string => typeof r === 'string') : DEFAULT_CONFIG.relays
  const iceServers = Array.isArray(raw.iceServers)
    ? raw.iceServers.filter((s): s is RTCIceServer => typeof s === 'object' && s != null && 'urls' in s)
    : DEFAULT_CONFIG.iceServers
  const config: WebConfig = {
    relays,
    iceServers,
    allowPrivateAddresses: raw.allowPrivateAddresses === true
  }
  if (typeof raw.kdfLogN === 'number' && Number.isInteger(raw.kdfLogN)) {
    config.kdfLogN = raw.kdfLogN
  }
  return config
}

export function readSettings (storage: Storage): WebSettings {
  try {
    const value = JSON.parse(storage.getItem(SETTINGS_KEY) ?? '{}')
    const relays = Array.isArray(value?.relays) ? value.relays.filter((r: unknown): r is string => typeof r === 'string') : undefined
    return relays != null ? { relays } : {}
  } catch {
    return {}
  }
}

export function writeSettings (storage: Storage, settings: WebSettings): void {
  storage.setItem(SETTINGS_KEY, JSON.stringify(settings))
}

/** The config in effect: config.json, then the saved settings. */
export function mergeConfig (served: WebConfig, settings: WebSettings): WebConfig {
  return { ...served, relays: settings.relays ?? served.relays }
}

export interface LoadedConfig {
  config: WebConfig
  /** config.json as served (what "Reset" in the settings returns to). */
  served: WebConfig
  /** Set when config.json could not be read (the app still starts, with the settings alone). */
  problem?: string
}

/**
 * Loads the config for this page: fetches config.json, applies `?relay=`
 * (saving it in the settings and cleaning the URL) and the saved settings.
 */
export async function loadConfig (): Promise<LoadedConfig> {
  let served = DEFAULT_CONFIG
  let problem: string | undefined
  try {
    const response = await fetch(new URL('config.json', document.baseURI), { cache: 'no-cache' })
    if (response.ok) {
      served = parseConfig(await response.json())
    } else if (response.status !== 404) {
      problem = `config.json could not be loaded (HTTP ${response.status}).`
    }
  } catch (err: any) {
    problem = `config.json could not be loaded (${String(err?.message ?? err)}).`
  }

  const url = new URL(location.href)
  const fromQuery = url.searchParams.getAll('relay').filter(r => r.trim() !== '')
  if (fromQuery.length > 0) {
    try {
      writeSettings(localStorage, { ...readSettings(localStorage), relays: fromQuery.map(checkRelayAddr) })
    } catch (err: any) {
      problem = `The relay in the link was not used: ${String(err.message)}`
    }
    url.searchParams.delete('relay')
    history.replaceState(history.state, '', url)
  }

  return { config: mergeConfig(served, readSettings(localStorage)), served, problem }
}
