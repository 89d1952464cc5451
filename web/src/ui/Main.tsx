/**
 * The unlocked app: the chat list and the open conversation side by side on
 * a wide screen, one at a time on a phone (the browser's back button returns
 * to the list), and the dialogs.
 */

import { useEffect, useState } from 'preact/hooks'
import { AddContact } from './AddContact.tsx'
import { ChatList } from './ChatList.tsx'
import { Conversation } from './Conversation.tsx'
import { Dialog } from './Dialog.tsx'
import { AddContactIcon, QrIcon, SettingsIcon } from './Icons.tsx'
import { Settings } from './Settings.tsx'
import { InviteBlock } from './ShareInvite.tsx'
import { StatusBanner } from './StatusBanner.tsx'
import c from './controls.module.css'
import s from './Main.module.css'
import type { JSX } from 'preact'
import type { AppState } from '../state/index.ts'
import type { Nav, Shell } from './shell.ts'

const NOTIFY_HINT_KEY = 'parley:notify-hint-dismissed'

export function Main ({ app, shell, nav }: { app: AppState, shell: Shell, nav: Nav }): JSX.Element {
  const chat = app.openChat.value
  const openId = app.openId.value
  const dialog = nav.dialog.value
  const unread = app.unreadTotal.value
  useHistory(app)
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) Parley` : 'Parley'
  }, [unread])

  return (
    <div class={s.app} data-view={openId != null ? 'chat' : 'list'}>
      <div class={s.status}><StatusBanner app={app} /></div>
      <aside class={s.sidebar} aria-label="Chats">
        <header class={s.bar}>
          <h1 class={s.brand}>
            <img src="./icons/icon.svg" alt="" width={28} height={28} />
            Parley
          </h1>
          <nav class={s.actions} aria-label="Main">
            <button class={`${c.button} ${c.ghost} ${c.icon}`} type="button" aria-label="Add contact" title="Add contact" onClick={() => { nav.show('add') }}>
              <AddContactIcon />
            </button>
            <button class={`${c.button} ${c.ghost} ${c.icon}`} type="button" aria-label="Share invite" title="Share your invite" onClick={() => { nav.show('invite') }}>
              <QrIcon />
            </button>
            <button class={`${c.button} ${c.ghost} ${c.icon}`} type="button" aria-label="Settings" title="Settings" onClick={() => { nav.show('settings') }}>
              <SettingsIcon />
            </button>
          </nav>
        </header>
        <NotifyHint shell={shell} show={app.chats.value.length > 0} />
        <ChatList app={app} nav={nav} />
      </aside>
      <main class={s.pane}>
        {chat != null
          ? <Conversation key={chat.accountId} app={app} chat={chat} />
          : (
            <div class={s.placeholder}>
              <img src="./icons/icon.svg" alt="" width={72} height={72} />
              <p>Pick a chat, or add a contact to start one.</p>
              <p class={c.hint}>Messages go straight to your contacts' devices, end to end; nothing is kept on a server.</p>
            </div>
            )}
      </main>
      {dialog === 'add' && <AddContact app={app} nav={nav} />}
      {dialog === 'invite' && (
        <Dialog id="share-invite" title="Share invite" onClose={() => { nav.hide() }}>
          <p class={c.hint}>Let them scan the code with their phone, or send them the text or link. Add theirs with “Add contact”.</p>
          <InviteBlock app={app} shell={shell} idPrefix="share-invite" />
        </Dialog>
      )}
      {dialog === 'settings' && <Settings app={app} shell={shell} nav={nav} />}
    </div>
  )
}

function NotifyHint ({ shell, show }: { shell: Shell, show: boolean }): JSX.Element | null {
  const [dismissed, setDismissed] = useState(() => localStorage.getItem(NOTIFY_HINT_KEY) === '1')
  if (!show || dismissed || shell.notifications.value !== 'default') {
    return null
  }
  const dismiss = (): void => {
    localStorage.setItem(NOTIFY_HINT_KEY, '1')
    setDismissed(true)
  }
  return (
    <div class={s.hint}>
      <span>Be notified of new messages while Parley is in the background?</span>
      <span class={c.row}>
        <button class={`${c.button} ${c.primary}`} type="button" onClick={() => { void shell.enableNotifications().then(dismiss) }}>Enable</button>
        <button class={`${c.button} ${c.ghost}`} type="button" onClick={dismiss}>Not now</button>
      </span>
    </div>
  )
}

/**
 * Opening a chat adds a history entry, so the phone's back button (or the
 * browser's) returns to the chat list instead of leaving the app.
 */
function useHistory (app: AppState): void {
  const openId = app.openId.value
  useEffect(() => {
    const current = (history.state as { chat?: string } | null)?.chat
    if (openId != null && current !== openId) {
      if (current != null) {
        history.replaceState({ chat: openId }, '')
      } else {
        history.pushState({ chat: openId }, '')
      }
    } else if (openId == null && current != null) {
      history.back()
    }
  }, [openId])
  useEffect(() => {
    const onPop = (evt: PopStateEvent): void => {
      const chat = (evt.state as { chat?: string } | null)?.chat
      if (chat == null) {
        app.close()
      } else if (chat !== app.openId.value) {
        void app.open(chat)
      }
    }
    addEventListener('popstate', onPop)
    return () => { removeEventListener('popstate', onPop) }
  }, [app])
}
