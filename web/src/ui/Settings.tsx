/** Settings: connection status, relays (editable), the mailbox, your ids and invite, notifications. */

import { useEffect, useRef, useState } from 'preact/hooks'
import { checkRelayAddr } from '../config.ts'
import { shortPeerId } from '../state/index.ts'
import { Dialog } from './Dialog.tsx'
import { InviteBlock } from './ShareInvite.tsx'
import { relayStateText } from './StatusBanner.tsx'
import c from './controls.module.css'
import s from './Settings.module.css'
import type { JSX } from 'preact'
import type { AppState, MailboxView } from '../state/index.ts'
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

      <h3>Mailbox</h3>
      <Mailbox app={app} />

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

function Mailbox ({ app }: { app: AppState }): JSX.Element {
  // each time Settings opens, ask the mailboxes how they are; what the last try said goes when it closes
  useEffect(() => {
    void app.refreshMailboxes()
    return () => { app.dismissMailboxFeedback() }
  }, [app])
  const mailboxes = app.mailboxes.value
  const error = app.mailboxError.value
  const notice = app.mailboxNotice.value
  return (
    <>
      {mailboxes.length === 0
        ? <PairMailbox app={app} />
        : mailboxes.map(m => <MailboxFacts key={m.peerId} app={app} mailbox={m} />)}
      {error != null && <p class={`${c.error} ${s.feedback}`} role="alert">{error}</p>}
      {notice != null && <p class={`${c.hint} ${s.feedback}`} role="status">{notice}</p>}
    </>
  )
}

function PairMailbox ({ app }: { app: AppState }): JSX.Element {
  const field = useRef<HTMLInputElement>(null)
  const busy = app.mailboxBusy.value
  const pair = async (evt: Event): Promise<void> => {
    evt.preventDefault()
    const el = field.current
    if (el != null && await app.pairMailbox(el.value)) {
      el.value = ''
    }
  }
  return (
    <form onSubmit={(evt) => { void pair(evt) }}>
      <p id="mailbox-about" class={c.hint}>
        A mailbox is an always-on <code>parley daemon</code> — yours or a friend's — that holds your
        encrypted mail while your devices are offline. It cannot read it. To get a code, run{' '}
        <code>parley mailbox pair</code> on that daemon's machine.
      </p>
      <div class={`${c.field} ${s.pair}`}>
        <label class={c.label} for="mailbox-code">Mailbox pairing code</label>
        <input
          ref={field} id="mailbox-code" class={`${c.input} ${c.mono}`} type="text" autoComplete="off"
          spellcheck={false} placeholder="parley-mailbox:…" aria-describedby="mailbox-about"
          aria-invalid={app.mailboxError.value != null ? 'true' : undefined}
        />
      </div>
      <div class={c.row}>
        <button class={`${c.button} ${c.primary}`} type="submit" disabled={busy}>Pair mailbox</button>
        {busy && <span class={c.hint} role="status">Pairing with the mailbox…</span>}
      </div>
    </form>
  )
}

function MailboxFacts ({ app, mailbox }: { app: AppState, mailbox: MailboxView }): JSX.Element {
  const busy = app.mailboxBusy.value
  const checking = app.mailboxChecking.value
  return (
    <section class={s.mailbox} aria-label="Your mailbox">
      <dl class={s.facts}>
        <dt>Mailbox (peer id)</dt>
        <dd><code class={c.mono} title={mailbox.peerId}>{shortPeerId(mailbox.peerId)}</code></dd>
        <dt>Status</dt>
        <dd data-reachable={mailbox.reachable == null ? 'unknown' : String(mailbox.reachable)}>
          <MailboxReach mailbox={mailbox} checking={checking} />
        </dd>
        <dt>Waiting there for this account</dt>
        <dd>{mailbox.held != null ? `${mailbox.held.items} item${mailbox.held.items === 1 ? '' : 's'}` : '—'}</dd>
      </dl>
      <p class={`${c.hint} ${s.note}`}>
        Contacts leave mail there when none of your devices is online; this device fetches it
        whenever it connects. Removing it fetches what it holds first, then unpairs.
      </p>
      <div class={c.row}>
        <button class={`${c.button} ${c.danger}`} type="button" disabled={busy} onClick={() => { void app.removeMailbox(mailbox.peerId) }}>
          Remove mailbox
        </button>
        {busy && <span class={c.hint} role="status">Removing the mailbox…</span>}
      </div>
    </section>
  )
}

function MailboxReach ({ mailbox, checking }: { mailbox: MailboxView, checking: boolean }): JSX.Element {
  if (mailbox.reachable == null) {
    return <span class={c.hint}>{checking ? 'Checking…' : 'Not checked yet (Parley is not online)'}</span>
  }
  if (!mailbox.reachable) {
    return <span class={s.down}>Not reachable</span>
  }
  return (
    <>
      <span class={s.up}>Reachable</span>
      {mailbox.refused != null && (
        <span class={c.hint}> — but it no longer holds mail for this account ({mailbox.refused}). Remove it, then pair again with a new code.</span>
      )}
    </>
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
