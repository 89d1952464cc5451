/**
 * The page: become the tab that owns Parley (Web Lock), load the config,
 * open the session (store → create/unlock → Messenger), render, and wire the
 * page's events — visibility, invite links, notifications, the service worker
 * and stopping the node when the page goes away.
 */

import './ui/theme.css'
import { effect, signal } from '@preact/signals'
import { render } from 'preact'
import { loadConfig, readSettings, writeSettings } from './config.ts'
import { enableNotifications, notificationState, notifyIncoming } from './notify.ts'
import { becomeOwner } from './owner.ts'
import { browserNodeFactory, openBrowserStore } from './platform.ts'
import { Session } from './state/index.ts'
import { App } from './ui/App.tsx'
import { Elsewhere, Opening } from './ui/Boot.tsx'
import { Nav } from './ui/shell.ts'
import type { JSX } from 'preact'
import type { Shell } from './ui/shell.ts'

type Boot =
  | { name: 'waiting' }
  | { name: 'elsewhere' }
  | { name: 'running', session: Session, shell: Shell, nav: Nav }

const boot = signal<Boot>({ name: 'waiting' })

function Root (): JSX.Element {
  const state = boot.value
  switch (state.name) {
    case 'waiting':
      return <Opening />
    case 'elsewhere':
      return <Elsewhere />
    case 'running':
      return <App session={state.session} shell={state.shell} nav={state.nav} />
  }
}

/** The invite an `#invite=…` link carries, if any. */
function inviteFromHash (): string | undefined {
  const match = /^#invite=(.+)$/.exec(location.hash)
  if (match == null) {
    return undefined
  }
  try {
    return decodeURIComponent(match[1])
  } catch {
    return match[1]
  }
}

function clearHash (): void {
  history.replaceState(history.state, '', location.pathname + location.search)
}

async function start (): Promise<void> {
  render(<Root />, document.getElementById('app') as HTMLElement)
  registerServiceWorker()

  await becomeOwner(() => { boot.value = { name: 'elsewhere' } })
  boot.value = { name: 'waiting' }

  const { config, served, problem } = await loadConfig()
  const nav = new Nav()
  const shell: Shell = {
    config,
    served,
    configProblem: problem,
    saveRelays: (relays) => {
      const settings = readSettings(localStorage)
      if (relays == null) {
        delete settings.relays
      } else {
        settings.relays = relays
      }
      writeSettings(localStorage, settings)
      location.reload()
    },
    notifications: notificationState,
    enableNotifications,
    inviteLink: (invite) => `${location.origin}${location.pathname}#invite=${encodeURIComponent(invite)}`
  }
  const session = new Session({
    openStore: openBrowserStore,
    createNode: browserNodeFactory(config),
    relays: config.relays,
    kdfLogN: config.kdfLogN,
    app: {
      onIncoming: (message, from) => { void notifyIncoming(message, from).catch(() => {}) }
    }
  })
  boot.value = { name: 'running', session, shell, nav }

  const invite = inviteFromHash()
  if (invite != null) {
    nav.prefill.value = invite
    clearHash()
  }
  addEventListener('hashchange', () => {
    const next = inviteFromHash()
    if (next != null) {
      clearHash()
      if (session.app.value != null) {
        nav.addInvite(next)
      } else {
        nav.prefill.value = next
      }
    }
  })

  // once unlocked: an invite link waiting to be added, visibility, opening a chat from a notification
  const stop = effect(() => {
    const app = session.app.value
    if (app == null) {
      return
    }
    queueMicrotask(() => { stop() })
    if (nav.prefill.value !== '') {
      nav.show('add')
    }
    app.setVisible(document.visibilityState === 'visible')
    document.addEventListener('visibilitychange', () => { app.setVisible(document.visibilityState === 'visible') })
    const openChat = (id: unknown): void => {
      if (typeof id === 'string') {
        nav.hide()
        void app.open(id)
      }
    }
    addEventListener('parley:open-chat', (evt) => { openChat((evt as CustomEvent).detail) })
    navigator.serviceWorker?.addEventListener('message', (evt) => {
      if (evt.data?.type === 'open-chat') {
        openChat(evt.data.conversation)
      }
    })
  })

  // closing the tab: hang up, so peers drop this connection now rather than after a timeout
  addEventListener('pagehide', () => { void session.stop() })
  // back from the back-forward cache with a stopped node: start afresh
  addEventListener('pageshow', (evt) => {
    if (evt.persisted) {
      location.reload()
    }
  })

  await session.open()
}

function registerServiceWorker (): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) {
    return
  }
  navigator.serviceWorker.register('./sw.js').catch(() => {
    // the app works without it; only offline start is lost
  })
}

void start()
