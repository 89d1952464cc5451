/**
 * A `parley daemon` that listens only through the relay: a reservation
 * (`/p2p-circuit`) and WebRTC signalled over it (`/webrtc`), no TCP or
 * WebSocket port of its own — like an always-on peer behind a NAT. A browser
 * reaches it only through the relay (or by WebRTC, once signalled there).
 */

import assert from 'node:assert/strict'
import { join } from 'node:path'
import { connectControl } from '#node/src/control.ts'
import { PARLEY_TEST_ENV } from '#test/helpers/parley.ts'
import { binPath, spawnBin } from '#test/helpers/process.ts'
import { STEP_MS } from './helpers.ts'
import type { Daemon, DaemonReady } from '#test/helpers/parley.ts'
import type { Cleanup } from '#test/helpers/process.ts'

/**
 * Starts `parley daemon --json --listen /p2p-circuit --listen /webrtc` for
 * `home` (without `/webrtc` when `webrtc` is false), stopped by `cleanup`.
 */
export async function startRelayOnlyDaemon (cleanup: Cleanup, home: string, options: { webrtc?: boolean } = {}): Promise<Daemon> {
  const listen = options.webrtc === false ? ['/p2p-circuit'] : ['/p2p-circuit', '/webrtc']
  const proc = spawnBin(binPath('parley'), ['--home', home, 'daemon', '--json', ...listen.flatMap(addr => ['--listen', addr])], {
    // no ICE servers: nothing may leave this machine
    env: { ...PARLEY_TEST_ENV, PARLEY_ICE_SERVERS: '[]' },
    cleanup
  })
  const ready = await proc.waitForJson<DaemonReady>(v => v?.event === 'daemon:ready', { timeout: STEP_MS })
  const api = await connectControl(join(home, 'control.sock'))
  assert.ok(api != null, 'the daemon answers on its control socket')
  cleanup.add(async () => { await api.close() })
  return { home, process: proc, ready, api }
}
