/** The relay link in one sentence, and a banner when it is not up. */

import s from './StatusBanner.module.css'
import c from './controls.module.css'
import type { JSX } from 'preact'
import type { AppState, RelayState } from '../state/index.ts'

export function relayStateText (state: RelayState): string {
  switch (state) {
    case 'online':
      return 'Online: connected to a relay.'
    case 'connecting':
      return 'Connecting to the relay…'
    case 'offline':
      return 'Relay unreachable — retrying. Messages you write are kept and sent once it is back.'
    case 'none':
      return 'No relay configured: add one in Settings to reach others.'
    case 'stopped':
      return 'Offline.'
  }
}

export function StatusBanner ({ app }: { app: AppState }): JSX.Element | null {
  const { relay, reachable } = app.connection.value
  const error = app.error.value
  return (
    <>
      {/* always rendered, so screen readers announce changes */}
      <p role="status" class={relay === 'online' ? 'visually-hidden' : `${s.banner} ${relay === 'connecting' ? s.info : s.warn}`} data-relay={relay} data-reachable={String(reachable)}>
        {relayStateText(relay)}
      </p>
      {error != null && (
        <div role="alert" class={`${s.banner} ${s.error}`}>
          <span>{error}</span>
          <button class={`${c.button} ${c.ghost}`} type="button" onClick={() => { app.dismissError() }}>Dismiss</button>
        </div>
      )}
    </>
  )
}
