/**
 * A modal `<dialog>`: focus moves into it and back, Escape and the close
 * button close it, the page behind is inert while it is open.
 */

import { useEffect, useRef } from 'preact/hooks'
import c from './controls.module.css'
import s from './Dialog.module.css'
import type { ComponentChildren, JSX } from 'preact'

export interface DialogProps {
  id: string
  title: string
  onClose: () => void
  children: ComponentChildren
}

export function Dialog ({ id, title, onClose, children }: DialogProps): JSX.Element {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const dialog = ref.current
    if (dialog != null && !dialog.open) {
      dialog.showModal()
    }
    return () => { dialog?.close() }
  }, [])
  return (
    <dialog
      ref={ref} class={s.dialog} aria-labelledby={`${id}-title`}
      onClose={onClose}
      onClick={(evt) => { if (evt.target === ref.current) { onClose() } }}
    >
      <div class={s.inner}>
        <header class={s.header}>
          <h2 id={`${id}-title`} class={s.title}>{title}</h2>
          <button class={`${c.button} ${c.ghost} ${c.icon}`} type="button" aria-label="Close" title="Close" onClick={onClose}>
            <span aria-hidden="true">×</span>
          </button>
        </header>
        <div class={s.body}>{children}</div>
      </div>
    </dialog>
  )
}
