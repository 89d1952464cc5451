/**
 * The chat list: message requests first (Accept / Block), then the chats,
 * most recent first. Each chat is a button named after the contact; its last
 * message, time and unread count are its description, with a "Key changed"
 * marker when another account uses the contact's name.
 */

import { Avatar } from './Avatar.tsx'
import { shortTime } from './format.ts'
import c from './controls.module.css'
import s from './ChatList.module.css'
import type { JSX } from 'preact'
import type { AppState, ChatSummary } from '../state/index.ts'
import type { Nav } from './shell.ts'

export function ChatList ({ app, nav }: { app: AppState, nav: Nav }): JSX.Element {
  const chats = app.chats.value
  const requests = app.requests.value
  const openId = app.openId.value
  return (
    <div class={s.lists}>
      {requests.length > 0 && (
        <section aria-labelledby="requests-heading" class={s.requests}>
          <h2 id="requests-heading" class={s.heading}>Message requests</h2>
          <p class={c.hint}>They are not your contacts. Accept to chat; Block to refuse their messages.</p>
          <ul class={s.list}>
            {requests.map(request => <Request key={request.accountId} app={app} request={request} />)}
          </ul>
        </section>
      )}
      <section aria-labelledby="chats-heading">
        <h2 id="chats-heading" class="visually-hidden">Chats</h2>
        {chats.length === 0
          ? (
            <div class={s.empty}>
              <p><strong>No chats yet.</strong></p>
              <p class={c.hint}>Add someone with the invite they shared, or share yours so they can add you.</p>
              <div class={c.row}>
                <button class={`${c.button} ${c.primary}`} type="button" onClick={() => { nav.show('add') }}>Add a contact</button>
                <button class={c.button} type="button" onClick={() => { nav.show('invite') }}>Share your invite</button>
              </div>
            </div>
            )
          : (
            <ul class={s.list}>
              {chats.map(chat => (
                <li key={chat.accountId}>
                  <ChatButton chat={chat} current={chat.accountId === openId} onOpen={() => { void app.open(chat.accountId) }} />
                </li>
              ))}
            </ul>
            )}
      </section>
    </div>
  )
}

function ChatButton ({ chat, current, onOpen }: { chat: ChatSummary, current: boolean, onOpen: () => void }): JSX.Element {
  const id = `chat-${chat.accountId}`
  return (
    <button
      type="button" class={s.chat} onClick={onOpen}
      aria-labelledby={`${id}-name`} aria-describedby={`${id}-meta`} aria-current={current ? 'true' : undefined}
    >
      <Avatar id={chat.accountId} name={chat.name} />
      <span class={s.body}>
        <span class={s.top}>
          <span id={`${id}-name`} class={s.name}>{chat.name}</span>
          {chat.verified && <span class={s.verified} title="Verified: you compared safety numbers" aria-hidden="true">✓</span>}
          {chat.lastAt != null && <time class={s.time} dateTime={new Date(chat.lastAt).toISOString()}>{shortTime(chat.lastAt)}</time>}
        </span>
        <span id={`${id}-meta`} class={s.bottom}>
          {chat.keyChange && <KeyChangeMarker />}
          {chat.verified && <span class="visually-hidden">Verified. </span>}
          <span class={s.last}>{chat.lastText ?? 'No messages yet'}</span>
          {chat.unread > 0 && <span class={s.unread}>{chat.unread}<span class="visually-hidden"> unread</span></span>}
        </span>
      </span>
    </button>
  )
}

function Request ({ app, request }: { app: AppState, request: ChatSummary }): JSX.Element {
  const id = `request-${request.accountId}`
  return (
    <li class={s.request} aria-labelledby={`${id}-name`}>
      <div class={s.requestHead}>
        <Avatar id={request.accountId} name={request.name} />
        <span class={s.body}>
          <span id={`${id}-name`} class={s.name}>{request.name}</span>
          <span class={s.bottom}>
            {request.keyChange && <KeyChangeMarker />}
            <span class={s.last}>{request.lastText ?? ''}</span>
          </span>
        </span>
      </div>
      <div class={c.row}>
        <button class={`${c.button} ${c.primary}`} type="button" aria-describedby={`${id}-name`} onClick={() => { void app.accept(request.accountId) }}>Accept</button>
        <button class={`${c.button} ${c.danger}`} type="button" aria-describedby={`${id}-name`} onClick={() => { void app.block(request.accountId) }}>Block</button>
      </div>
    </li>
  )
}

/** In a chat row: another account uses this name (a changed key); the conversation says more. */
function KeyChangeMarker (): JSX.Element {
  return (
    <span class={s.keyChange} title="Another account uses this name: compare safety numbers">
      <span aria-hidden="true">⚠ </span>Key changed<span class="visually-hidden">: compare safety numbers.</span>
    </span>
  )
}
