/** The Add contact form: paste an invite (code or link); an `#invite=` link opens it prefilled. */

import { useRef, useState } from 'preact/hooks'
import { Dialog } from './Dialog.tsx'
import c from './controls.module.css'
import type { JSX } from 'preact'
import type { AppState } from '../state/index.ts'
import type { Nav } from './shell.ts'

export function AddContact ({ app, nav }: { app: AppState, nav: Nav }): JSX.Element {
  const invite = useRef<HTMLTextAreaElement>(null)
  const name = useRef<HTMLInputElement>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | undefined>(undefined)
  const close = (): void => {
    nav.prefill.value = ''
    nav.hide()
  }
  const submit = async (evt: Event): Promise<void> => {
    evt.preventDefault()
    const text = invite.current?.value ?? ''
    if (text.trim() === '') {
      setError('Paste the invite you were given (it starts with "parley:").')
      return
    }
    setBusy(true)
    app.dismissError()
    const contact = await app.addContact(text, name.current?.value)
    setBusy(false)
    if (contact == null) {
      setError(app.error.value ?? 'That invite could not be added.')
      app.dismissError()
      return
    }
    close()
    void app.open(contact.accountId)
  }
  return (
    <Dialog id="add-contact" title="Add contact" onClose={close}>
      <form onSubmit={(evt) => { void submit(evt) }}>
        <div class={c.field}>
          <label class={c.label} for="add-invite">Invite</label>
          <textarea
            ref={invite} id="add-invite" class={`${c.input} ${c.mono}`} rows={4} required spellcheck={false}
            autoComplete="off" autoFocus value={nav.prefill.value} aria-describedby="add-invite-hint"
            aria-invalid={error != null}
          />
          <p id="add-invite-hint" class={c.hint}>The <code>parley:…</code> code or the invite link someone shared with you.</p>
        </div>
        <div class={c.field}>
          <label class={c.label} for="add-name">Their name (optional)</label>
          <input ref={name} id="add-name" class={c.input} autoComplete="off" maxLength={64} aria-describedby="add-name-hint" />
          <p id="add-name-hint" class={c.hint}>Leave empty to use the name in their invite.</p>
        </div>
        {error != null && <p class={c.error} role="alert">{error}</p>}
        <div class={c.row}>
          <button class={`${c.button} ${c.primary}`} type="submit" disabled={busy}>Add</button>
          <button class={c.button} type="button" onClick={close}>Cancel</button>
        </div>
      </form>
    </Dialog>
  )
}
