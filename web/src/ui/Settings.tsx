/** Settings: connection status, relays (editable), your ids and invite, notifications. */

import { useRef, useState } from 'preact/hooks'
import { checkRelayAddr } from '../config.ts'
import { Dialog } from './Dialog.tsx'
import { InviteBlock } from './ShareInvite.tsx'
import { relayStateText } from './StatusBanner.tsx'
import c from './controls.module.css'
import s from './Settings.module.css'
import type { JSX } from 'preact'
import type { AppState } from '../state/index.ts'
import type { Nav, Shell } from './shell.ts'

export function Settings ({ app, shell, nav }: { app: AppState, shell: Shell, nav: Nav }): JSX.Element {
  const connection = app.connection.value
  const messenger = app.messenger
  return (
    <Dialog id="settings" title="Settings" onClose={() => { nav.hide() }}>
      <h3>Connection</h3>
      <p role="status" data-relay={connection.relay}>
        {relayStateText(connection.relay)}
        {connection.relay === 'online' && (connection.reachable ? ' Others can reach this device through it.' : ' Waiting for the relay to hold a place for this device…')}
      </p>
      <dl class={s.facts}>
        <dt>Peers connected</dt>
        <dd>{connection.connections}</dd>
        <dt>Relays in use</dt>
        <dd>
          {connection.configured.length === 0
            ? 'none'
            : (
              <ul class={s.relays}>
                {shell.config.relays.map(addr => {
                  const id = addr.split('/p2p/').at(-1) ?? ''
                  const up = connection.connected.includes(id)
                  return (
                    <li key={addr}>
                      <span class={up ? s.up : s.down}>{up ? 'connected' : 'not connected'}</span>{' '}
                      <span class={c.mono}>{addr}</span>
                    </li>
                  )
                })}
              </ul>
              )}
        </dd>
        <dt>This device's addresses</dt>
        <dd>
          {connection.addresses.length === 0
            ? 'none yet (no relay reservation)'
            : (
              <details>
                <summary>{connection.addresses.length} address{connection.addresses.length === 1 ? '' : 'es'}</summary>
                <ul class={s.relays}>
                  {connection.addresses.map(a => <li key={a} class={c.mono}>{a}</li>)}
                </ul>
              </details>
              )}
        </dd>
      </dl>

      <RelayEditor shell={shell} />

      <h3>Your account</h3>
      <dl class={s.facts}>
        <dt>Display name</dt>
        <dd>{messenger.name}</dd>
        <dt>Account id</dt>
        <dd class={c.mono}>{messenger.accountId}</dd>
        <dt>Device id (libp2p peer id)</dt>
        <dd class={c.mono}>{messenger.peerId.toString()}</dd>
      </dl>

      <h3>Your invite</h3>
      <InviteBlock app={app} shell={shell} idPrefix="settings-invite" />

      <h3>Notifications</h3>
      <Notifications shell={shell} />
    </Dialog>
  )
}

function RelayEditor ({ shell }: { shell: Shell }): JSX.Element {
  const field = useRef<HTMLTextAreaElement>(null)
  const [error, setError] = useState<string | undefined>(undefined)
  const save = (evt: Event): void => {
    evt.preventDefault()
    const lines = (field.current?.value ?? '').split('\n').map(l => l.trim()).filter(l => l !== '')
    try {
      shell.saveRelays(lines.map(checkRelayAddr))
    } catch (err: any) {
      setError(String(err.message))
    }
  }
  const custom = shell.config.relays.join('\n') !== shell.served.relays.join('\n')
  return (
    <form onSubmit={save}>
      <div class={c.field}>
        <label class={c.label} for="settings-relays">Relays</label>
        <textarea
          ref={field} id="settings-relays" class={`${c.input} ${c.mono}`} rows={3} spellcheck={false}
          value={shell.config.relays.join('\n')} aria-describedby="settings-relays-hint"
        />
        <p id="settings-relays-hint" class={c.hint}>
          One multiaddr per line, ending in <code>/p2p/&lt;peer id&gt;</code> — a browser needs a
          <code>/ws</code> or <code>/wss</code> address. Saving restarts Parley in this tab.
          {custom ? ' (Changed from this site\'s defaults.)' : ''}
        </p>
      </div>
      {error != null && <p class={c.error} role="alert">{error}</p>}
      {shell.configProblem != null && <p class={c.error}>{shell.configProblem}</p>}
      <div class={c.row}>
        <button class={`${c.button} ${c.primary}`} type="submit">Save relays</button>
        {custom && <button class={c.button} type="button" onClick={() => { shell.saveRelays(undefined) }}>Use the site's relays</button>}
      </div>
    </form>
  )
}

function Notifications ({ shell }: { shell: Shell }): JSX.Element {
  const state = shell.notifications.value
  if (state === 'unsupported') {
    return <p class={c.hint}>This browser cannot show notifications.</p>
  }
  if (state === 'granted') {
    return <p class={c.hint}>On: new messages are announced while Parley is in the background.</p>
  }
  if (state === 'denied') {
    return <p class={c.hint}>Blocked in this browser's site settings; allow them there to be notified.</p>
  }
  return (
    <div class={c.row}>
      <button class={c.button} type="button" onClick={() => { void shell.enableNotifications() }}>Enable notifications</button>
      <span class={c.hint}>Be told of new messages while Parley is in the background.</span>
    </div>
  )
}
