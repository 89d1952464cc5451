/**
 * The screens before the chat: create an account, unlock it, and the
 * states around them (opening, another tab owns Parley, storage failed).
 */

import { useRef } from 'preact/hooks'
import c from './controls.module.css'
import s from './Boot.module.css'
import type { ComponentChildren, JSX } from 'preact'
import type { Session } from '../state/index.ts'

function Card ({ title, children }: { title: string, children: ComponentChildren }): JSX.Element {
  return (
    <main class={s.screen}>
      <div class={s.card}>
        <div class={s.brand} aria-hidden="true">
          <img src="./icons/icon.svg" alt="" width={48} height={48} />
          <span>Parley</span>
        </div>
        <h1 class={s.title}>{title}</h1>
        {children}
      </div>
    </main>
  )
}

export function Opening (): JSX.Element {
  return (
    <Card title="Opening Parley…">
      <p class={c.hint} role="status">Reading your account from this browser's storage.</p>
    </Card>
  )
}

export function Elsewhere (): JSX.Element {
  return (
    <Card title="Parley is open in another tab">
      <p role="status">
        Parley is open in another tab. Only one tab at a time can hold your keys and messages,
        so use that tab — or close it, and this one takes over.
      </p>
    </Card>
  )
}

export function Failed ({ message }: { message: string }): JSX.Element {
  return (
    <Card title="Parley could not start">
      <p class={c.error} role="alert">{message}</p>
      <p class={c.hint}>
        Parley keeps your account in this browser's storage (IndexedDB). Private windows and
        some privacy settings block it or limit its size.
      </p>
      <button class={`${c.button} ${c.primary}`} type="button" onClick={() => { location.reload() }}>Reload</button>
    </Card>
  )
}

export function CreateAccount ({ session }: { session: Session }): JSX.Element {
  const name = useRef<HTMLInputElement>(null)
  const passphrase = useRef<HTMLInputElement>(null)
  const busy = session.busy.value
  const error = session.formError.value
  const submit = (evt: Event): void => {
    evt.preventDefault()
    void session.create(name.current?.value ?? '', passphrase.current?.value ?? '')
  }
  return (
    <Card title="Create your account">
      <p class={c.hint}>
        Your account lives on this device: no phone number, no e-mail, no server. Others add you
        with your invite.
      </p>
      <form class={s.form} onSubmit={submit} aria-describedby={error != null ? 'create-error' : undefined}>
        <div class={c.field}>
          <label class={c.label} for="create-name">Display name</label>
          <input ref={name} id="create-name" class={c.input} name="name" autoComplete="nickname" required maxLength={64} />
        </div>
        <div class={c.field}>
          <label class={c.label} for="create-passphrase">Passphrase</label>
          <input
            ref={passphrase} id="create-passphrase" class={c.input} type="password" name="passphrase"
            autoComplete="new-password" required minLength={8} aria-describedby="create-passphrase-hint"
          />
          <p id="create-passphrase-hint" class={c.hint}>
            Protects your keys on this device. It cannot be reset: without it this account cannot be opened.
          </p>
        </div>
        {error != null && <p id="create-error" class={c.error} role="alert">{error}</p>}
        <button class={`${c.button} ${c.primary} ${c.wide}`} type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
      </form>
    </Card>
  )
}

export function Unlock ({ session, accountName }: { session: Session, accountName: string }): JSX.Element {
  const passphrase = useRef<HTMLInputElement>(null)
  const busy = session.busy.value
  const error = session.formError.value
  const submit = (evt: Event): void => {
    evt.preventDefault()
    void session.unlock(passphrase.current?.value ?? '').then(() => {
      if (session.formError.value != null) {
        passphrase.current?.select()
      }
    })
  }
  return (
    <Card title={`Welcome back, ${accountName}`}>
      <form class={s.form} onSubmit={submit}>
        {/* lets password managers pair the passphrase with the account */}
        <input type="text" name="username" autoComplete="username" value={accountName} readOnly hidden />
        <div class={c.field}>
          <label class={c.label} for="unlock-passphrase">Passphrase</label>
          <input
            ref={passphrase} id="unlock-passphrase" class={c.input} type="password" name="passphrase"
            autoComplete="current-password" required autoFocus
            aria-invalid={error != null} aria-describedby={error != null ? 'unlock-error' : undefined}
          />
        </div>
        {error != null && <p id="unlock-error" class={c.error} role="alert">{error}</p>}
        <button class={`${c.button} ${c.primary} ${c.wide}`} type="submit" disabled={busy}>
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
      </form>
    </Card>
  )
}
