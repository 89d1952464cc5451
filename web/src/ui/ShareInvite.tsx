/** Your invite: the text (to paste), a QR code of the invite link (to scan), copy and share. */

import { useState } from 'preact/hooks'
import { QrCode } from './QrCode.tsx'
import c from './controls.module.css'
import s from './ShareInvite.module.css'
import type { JSX } from 'preact'
import type { AppState } from '../state/index.ts'
import type { Shell } from './shell.ts'

export function InviteBlock ({ app, shell, idPrefix }: { app: AppState, shell: Shell, idPrefix: string }): JSX.Element {
  const invite = app.invite.value
  const link = shell.inviteLink(invite)
  const [copied, setCopied] = useState(false)
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(invite)
      setCopied(true)
    } catch {
      (document.getElementById(`${idPrefix}-text`) as HTMLTextAreaElement | null)?.select()
    }
  }
  const canShare = typeof navigator.share === 'function'
  return (
    <div>
      <QrCode text={link} label="QR code of the invite link" />
      <div class={c.field}>
        <label class={c.label} for={`${idPrefix}-text`}>Your invite</label>
        <textarea
          id={`${idPrefix}-text`} class={`${c.input} ${c.mono} ${s.text}`} rows={4} readOnly value={invite}
          onFocus={(evt) => { evt.currentTarget.select() }}
        />
      </div>
      <div class={c.row}>
        <button class={`${c.button} ${c.primary}`} type="button" onClick={() => { void copy() }}>Copy invite</button>
        {canShare && (
          <button class={c.button} type="button" onClick={() => { void navigator.share({ title: 'Parley invite', text: 'Add me on Parley', url: link }).catch(() => {}) }}>
            Share link
          </button>
        )}
        <span role="status" class={c.hint}>{copied ? 'Copied.' : ''}</span>
      </div>
      <p class={c.hint}>
        Anyone with this invite can add you and write to you. It holds your public key and how to
        reach you, never a secret.
      </p>
    </div>
  )
}
