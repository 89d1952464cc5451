/**
 * Safety numbers in a conversation: the dialog with the 60 digits and a QR
 * code of them (to compare with the contact's screen), "Mark as verified",
 * the verified badge, and the warning shown when another account uses the
 * contact's name (a changed key). Names are rendered as text.
 */

import { useEffect, useState } from 'preact/hooks'
import { Dialog } from './Dialog.tsx'
import { QrCode } from './QrCode.tsx'
import c from './controls.module.css'
import s from './SafetyNumber.module.css'
import type { JSX } from 'preact'
import type { AppState, ChatSummary } from '../state/index.ts'

export function SafetyNumberDialog ({ app, chat, onClose }: { app: AppState, chat: ChatSummary, onClose: () => void }): JSX.Element {
  const [number, setNumber] = useState<string | undefined>(undefined)
  const [failed, setFailed] = useState(false)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    let current = true
    void app.safetyNumber(chat.accountId).then((value) => {
      if (current) {
        setNumber(value)
        setFailed(value == null)
      }
    })
    return () => { current = false }
  }, [app, chat.accountId])

  const mark = async (): Promise<void> => {
    setBusy(true)
    try {
      await app.markVerified(chat.accountId)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Dialog id="safety-number" title="Safety number" onClose={onClose}>
      <p class={c.hint}>
        Compare these digits with the ones {chat.name} sees for you, in person or on a call you trust
        (or scan one screen's code with the other). If they are the same, nobody is in between.
      </p>
      {chat.keyChange && <div class={`${s.warning} ${s.inDialog}`}><KeyChangeText chat={chat} /></div>}
      {number != null && (
        <>
          <p id="safety-number-digits" class={s.digits} aria-label={`Safety number with ${chat.name}`}>{number}</p>
          <QrCode text={number.replace(/ /g, '')} label={`QR code of the safety number with ${chat.name}`} tooLong="No QR code for this number; compare the digits." />
        </>
      )}
      {number == null && !failed && <p class={c.hint} role="status">Computing the safety number…</p>}
      {failed && <p class={c.hint}>The safety number could not be computed.</p>}
      <div class={c.row}>
        {chat.verified
          ? <VerifiedBadge name={chat.name} />
          : (
            <button class={`${c.button} ${c.primary}`} type="button" disabled={number == null || busy} onClick={() => { void mark() }}>
              Mark as verified
            </button>
            )}
      </div>
      <p class={c.hint}>
        {chat.verified
          ? `If ${chat.name} ever shows up with another key, the mark goes and the conversation warns you.`
          : 'Mark them verified only after the digits matched.'}
      </p>
    </Dialog>
  )
}

/** Shown next to a verified contact's name. */
export function VerifiedBadge ({ name }: { name: string }): JSX.Element {
  return (
    <span class={s.badge} role="img" aria-label="Verified" title={`You compared safety numbers with ${name}`}>
      <span aria-hidden="true">✓ Verified</span>
    </span>
  )
}

function KeyChangeText ({ chat }: { chat: ChatSummary }): JSX.Element {
  return (
    <p class={s.warningText}>
      <strong>{chat.name}’s key changed.</strong> Another account uses the name {chat.name}: it may be
      them on a new account, or someone else. Compare safety numbers before you trust it.
    </p>
  )
}

/** The warning at the top of a conversation whose contact's key changed. */
export function KeyChangeBanner ({ chat, onCompare }: { chat: ChatSummary, onCompare: () => void }): JSX.Element {
  return (
    <div class={s.warning} role="alert">
      <KeyChangeText chat={chat} />
      <button class={c.button} type="button" onClick={onCompare}>Compare safety numbers</button>
    </div>
  )
}
