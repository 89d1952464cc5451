/**
 * What the screens get from the page around them (main.tsx): the config in
 * effect, saving relay settings, notifications, and which dialog is open.
 * UI-only state lives here; the messenger's state is AppState's.
 */

import { signal } from '@preact/signals'
import type { Signal } from '@preact/signals'
import type { WebConfig } from '../config.ts'

export type NotificationState = NotificationPermission | 'unsupported'

export interface Shell {
  /** The config in effect (config.json, then the saved settings). */
  config: WebConfig
  /** config.json as served. */
  served: WebConfig
  /** Why config.json or a `?relay=` link was not used, if it was not. */
  configProblem?: string
  /** Saves the relay list (undefined: back to config.json's) and reloads the app with it. */
  saveRelays(relays: string[] | undefined): void
  notifications: Signal<NotificationState>
  /** Asks for permission to notify; call it from a click. */
  enableNotifications(): Promise<void>
  /** The link that opens this app with the Add contact form prefilled. */
  inviteLink(invite: string): string
}

export type DialogName = 'add' | 'invite' | 'settings'

/** Which dialog is open, and the invite an `#invite=` link brought. */
export class Nav {
  readonly dialog = signal<DialogName | undefined>(undefined)
  readonly prefill = signal('')

  show (dialog: DialogName): void {
    this.dialog.value = dialog
  }

  hide (): void {
    this.dialog.value = undefined
  }

  /** Opens the Add contact form with `invite` filled in. */
  addInvite (invite: string): void {
    this.prefill.value = invite
    this.dialog.value = 'add'
  }
}
