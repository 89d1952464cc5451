/**
 * Notifications for incoming messages while the tab is hidden. Permission is
 * only ever asked from a click (browsers ignore or penalise asking on load).
 * Shown through the service worker where there is one (Android Chrome has no
 * `new Notification()`), else directly.
 */

import { signal } from '@preact/signals'
import type { NotificationState } from './ui/shell.ts'
import type { ChatSummary } from './state/index.ts'
import type { StoredMessage } from '#shared/store/index.ts'

/** Longest message preview in a notification. */
const PREVIEW_CHARS = 140

export const notificationState = signal<NotificationState>(currentState())

function currentState (): NotificationState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission
}

export async function enableNotifications (): Promise<void> {
  if (typeof Notification === 'undefined') {
    return
  }
  try {
    await Notification.requestPermission()
  } finally {
    notificationState.value = currentState()
  }
}

/** Announces `message` if the tab is hidden and notifications are allowed. */
export async function notifyIncoming (message: StoredMessage, from: ChatSummary | undefined): Promise<void> {
  if (document.visibilityState !== 'hidden' || currentState() !== 'granted') {
    return
  }
  const title = from?.state === 'request' ? `Message request from ${from.name}` : (from?.name ?? 'New message')
  const body = message.text.length > PREVIEW_CHARS ? `${message.text.slice(0, PREVIEW_CHARS)}…` : message.text
  const options: NotificationOptions = {
    body,
    tag: `parley:${message.conversation}`,
    icon: './icons/icon-192.png',
    badge: './icons/icon-192.png',
    data: { conversation: message.conversation }
  }
  const registration = await navigator.serviceWorker?.getRegistration().catch(() => undefined)
  if (registration != null) {
    await registration.showNotification(title, options)
    return
  }
  const notification = new Notification(title, options)
  notification.onclick = () => {
    focus()
    dispatchEvent(new CustomEvent('parley:open-chat', { detail: message.conversation }))
    notification.close()
  }
}
