import { hueOf, initials } from './format.ts'
import s from './Avatar.module.css'
import type { JSX } from 'preact'

/** A coloured disc with the contact's initials (decorative: the name is next to it). */
export function Avatar ({ id, name }: { id: string, name: string }): JSX.Element {
  return (
    <span class={s.avatar} aria-hidden="true" style={{ '--hue': String(hueOf(id)) }}>
      {initials(name)}
    </span>
  )
}
