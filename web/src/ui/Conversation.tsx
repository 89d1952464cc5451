/**
 * One conversation: its path (direct / relayed), the message log (older
 * pages load when scrolled to the top), and the composer. Message text is
 * rendered as text nodes only.
 */

import { useLayoutEffect, useRef, useState } from 'preact/hooks'
import { Avatar } from './Avatar.tsx'
import { BackIcon, SendIcon, ShieldIcon } from './Icons.tsx'
import { KeyChangeBanner, SafetyNumberDialog, VerifiedBadge } from './SafetyNumber.tsx'
import { fullTime, messageTime } from './format.ts'
import c from './controls.module.css'
import s from './Conversation.module.css'
import type { JSX } from 'preact'
import type { AppState, ChatSummary } from '../state/index.ts'
import type { ContactPath } from '#shared/messenger/index.ts'
import type { StoredMessage } from '#shared/store/index.ts'

/** Unsent text per conversation, kept while the app runs (switching chats does not lose it). */
const drafts = new Map<string, string>()

/** Closer than this to the top (px), the next older page loads. */
const LOAD_OLDER_AT = 120
/** Closer than this to the bottom (px), new messages scroll into view. */
const STICK_TO_BOTTOM = 96

export function Conversation ({ app, chat }: { app: AppState, chat: ChatSummary }): JSX.Element {
  const [safety, setSafety] = useState(false)
  return (
    <section class={s.conversation} aria-labelledby="conversation-title">
      <header class={s.header}>
        <button class={`${c.button} ${c.ghost} ${c.icon}`} type="button" aria-label="Back to chats" title="Back to chats" onClick={() => { app.close() }}>
          <BackIcon />
        </button>
        <Avatar id={chat.accountId} name={chat.name} />
        <div class={s.who}>
          <h2 id="conversation-title" class={s.title}>{chat.name}</h2>
          <p class={s.path} aria-live="polite">{pathText(app, app.path.value, chat)}</p>
        </div>
        {chat.verified && <VerifiedBadge name={chat.name} />}
        <button class={`${c.button} ${c.ghost} ${c.icon} ${s.end}`} type="button" aria-label="Safety number" title="Safety number: verify this contact" onClick={() => { setSafety(true) }}>
          <ShieldIcon />
        </button>
      </header>
      {chat.keyChange && <KeyChangeBanner chat={chat} onCompare={() => { setSafety(true) }} />}
      {chat.state === 'request' && (
        <p class={s.notice}>{chat.name} is not in your contacts. Replying accepts the request.</p>
      )}
      <MessageLog app={app} chat={chat} />
      <Composer app={app} chat={chat} />
      {safety && <SafetyNumberDialog app={app} chat={chat} onClose={() => { setSafety(false) }} />}
    </section>
  )
}

function pathText (app: AppState, path: ContactPath, chat: ChatSummary): string {
  if (path.kind === 'direct') {
    return `Direct connection (${transportLabel(path.transport)})`
  }
  if (path.kind === 'relayed') {
    return `Relayed via ${app.relayName(path.relay)}`
  }
  const relay = app.connection.value.relay
  if (relay === 'offline' || relay === 'none') {
    return 'Offline: messages wait here until you are connected'
  }
  return `Not connected to ${chat.name} right now: messages wait until they are reachable, or go to their mailbox if they have one`
}

function transportLabel (transport: string): string {
  return ({ webrtc: 'WebRTC', ws: 'WebSocket', wss: 'secure WebSocket', tcp: 'TCP', 'webrtc-direct': 'WebRTC' } as Record<string, string>)[transport] ?? transport
}

function MessageLog ({ app, chat }: { app: AppState, chat: ChatSummary }): JSX.Element {
  const scroller = useRef<HTMLDivElement>(null)
  /** Distance from the bottom when the user last scrolled: kept when older messages are prepended. */
  const bottomGap = useRef(0)
  const shown = useRef<{ first?: string, last?: string, count: number }>({ count: 0 })
  const messages = app.messages.value
  const hasOlder = app.hasOlder.value
  const loading = app.loadingOlder.value
  const refusals = app.refusals.value

  const maybeLoadOlder = (): void => {
    const el = scroller.current
    if (el != null && el.scrollTop < LOAD_OLDER_AT && app.hasOlder.value && !app.loadingOlder.value) {
      void app.loadOlder()
    }
  }

  const onScroll = (): void => {
    const el = scroller.current
    if (el == null) {
      return
    }
    bottomGap.current = el.scrollHeight - el.scrollTop - el.clientHeight
    maybeLoadOlder()
  }

  useLayoutEffect(() => {
    const el = scroller.current
    if (el == null) {
      return
    }
    const before = shown.current
    const first = messages[0]?.id
    const last = messages.at(-1)
    if (before.count === 0 || first == null) {
      el.scrollTop = el.scrollHeight
    } else if (first !== before.first && last?.id === before.last) {
      // older page prepended: keep what the reader was looking at in place
      el.scrollTop = el.scrollHeight - el.clientHeight - bottomGap.current
    } else if (last?.id !== before.last && (bottomGap.current < STICK_TO_BOTTOM || last?.direction === 'out')) {
      el.scrollTop = el.scrollHeight
    }
    bottomGap.current = el.scrollHeight - el.scrollTop - el.clientHeight
    shown.current = { first, last: last?.id, count: messages.length }
    // a first page that does not fill the screen cannot be scrolled: fetch more now
    if (el.scrollHeight <= el.clientHeight) {
      maybeLoadOlder()
    }
  }, [messages])

  return (
    <div ref={scroller} class={s.scroller} onScroll={onScroll}>
      {hasOlder && (
        <button class={`${c.button} ${c.ghost} ${s.older}`} type="button" disabled={loading} onClick={() => { void app.loadOlder() }}>
          {loading ? 'Loading older messages…' : 'Load older messages'}
        </button>
      )}
      <div role="log" aria-label={`Conversation with ${chat.name}`} aria-live="polite" class={s.log}>
        {messages.length === 0 && !hasOlder && <p class={s.none}>No messages yet. Say hello!</p>}
        {messages.map((message, i) => (
          <Message
            key={message.id} message={message} name={chat.name} refusal={refusals.get(message.id)}
            newDay={i === 0 || !sameDay(messages[i - 1].receivedAt, message.receivedAt)}
          />
        ))}
      </div>
    </div>
  )
}

interface MessageProps {
  message: StoredMessage
  /** The contact's name (for the ticks' explanations). */
  name: string
  /** Why a recipient's mailbox refused this queued message, if it did. */
  refusal?: string
  newDay: boolean
}

function Message ({ message, name, refusal, newDay }: MessageProps): JSX.Element {
  const out = message.direction === 'out'
  const queued = out && (message.state === 'pending' || message.state === 'at-mailbox')
  return (
    <>
      {newDay && <p class={s.day}>{dayLabel(message.receivedAt)}</p>}
      <div class={`${s.message} ${out ? s.out : s.in}`} data-state={message.state}>
        {/* text as a text node, never markup */}
        <p class={s.text}>{message.text}</p>
        <span class={s.meta}>
          {queued && refusal != null && (
            <span class={s.refusal} title={`${name}'s mailbox did not take it; it stays here and is offered again`}>{refusal}</span>
          )}
          <time dateTime={new Date(message.receivedAt).toISOString()} title={fullTime(message.receivedAt)}>{messageTime(message.receivedAt)}</time>
          {out && <Tick state={message.state} name={name} />}
        </span>
      </div>
    </>
  )
}

function Tick ({ state, name }: { state: StoredMessage['state'], name: string }): JSX.Element {
  if (state === 'delivered') {
    return <span class={`${s.tick} ${s.delivered}`} role="img" aria-label="Delivered" title="Delivered">✓✓</span>
  }
  if (state === 'at-mailbox') {
    return <span class={`${s.tick} ${s.atMailbox}`} role="img" aria-label="At mailbox" title={`At mailbox: held for ${name} until one of their devices comes online`}>✓</span>
  }
  return <span class={s.tick} role="img" aria-label="Pending" title="Pending: not delivered yet">◷</span>
}

function Composer ({ app, chat }: { app: AppState, chat: ChatSummary }): JSX.Element {
  const field = useRef<HTMLTextAreaElement>(null)
  useLayoutEffect(() => {
    const el = field.current
    if (el != null) {
      el.value = drafts.get(chat.accountId) ?? ''
      resize(el)
      if (matchMedia('(pointer: fine)').matches) {
        el.focus()
      }
    }
  }, [chat.accountId])
  const send = async (): Promise<void> => {
    const el = field.current
    if (el == null || el.value.trim() === '') {
      return
    }
    const text = el.value
    el.value = ''
    drafts.delete(chat.accountId)
    resize(el)
    if (!await app.send(text)) {
      // not stored: give the text back rather than lose it
      el.value = text
      resize(el)
    }
    el.focus()
  }
  return (
    <form class={s.composer} onSubmit={(evt) => { evt.preventDefault(); void send() }}>
      <label for="composer" class="visually-hidden">Message</label>
      <textarea
        id="composer" ref={field} class={`${c.input} ${s.field}`} rows={1} placeholder={`Message ${chat.name}`}
        enterkeyhint="send" autoComplete="off"
        onInput={(evt) => {
          drafts.set(chat.accountId, evt.currentTarget.value)
          resize(evt.currentTarget)
        }}
        onKeyDown={(evt) => {
          if (evt.key === 'Enter' && !evt.shiftKey && !evt.isComposing) {
            evt.preventDefault()
            void send()
          }
        }}
      />
      <button class={`${c.button} ${c.primary}`} type="submit">
        <SendIcon /><span>Send</span>
      </button>
    </form>
  )
}

function resize (el: HTMLTextAreaElement): void {
  el.style.height = 'auto'
  el.style.height = `${Math.min(el.scrollHeight, 160)}px`
}

function sameDay (a: number, b: number): boolean {
  return new Date(a).toDateString() === new Date(b).toDateString()
}

function dayLabel (ms: number): string {
  const date = new Date(ms)
  const today = new Date()
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1)
  if (date.toDateString() === today.toDateString()) {
    return 'Today'
  }
  if (date.toDateString() === yesterday.toDateString()) {
    return 'Yesterday'
  }
  return new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(date)
}
