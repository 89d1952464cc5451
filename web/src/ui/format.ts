/** Display helpers: times and ids as people read them. */

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short' })
const dateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' })
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** For the chat list: the time today, the weekday this week, else the date. */
export function shortTime (ms: number, now = Date.now()): string {
  const date = new Date(ms)
  const today = new Date(now)
  if (date.toDateString() === today.toDateString()) {
    return timeFormat.format(date)
  }
  if (now - ms < 6 * 24 * 3600 * 1000) {
    return dayFormat.format(date)
  }
  return dateFormat.format(date)
}

/** For a message: the time of day (the full date in its title). */
export function messageTime (ms: number): string {
  return timeFormat.format(new Date(ms))
}

export function fullTime (ms: number): string {
  return fullFormat.format(new Date(ms))
}

/** A long id cut to its start and end: `12D3Koo…x7Yq`. */
export function shortId (id: string, keep = 6): string {
  return id.length <= keep * 2 + 1 ? id : `${id.slice(0, keep)}…${id.slice(-4)}`
}

/** Initials for an avatar: the first letters of the first two words. */
export function initials (name: string): string {
  const words = name.trim().split(/\s+/).filter(w => w !== '')
  const letters = words.slice(0, 2).map(w => [...w][0] ?? '')
  return letters.join('').toUpperCase() || '?'
}

/** A stable hue for a contact's avatar, from its id. */
export function hueOf (id: string): number {
  let hash = 0
  for (let i = 0; i < id.length; i++) {
    hash = (hash * 31 + id.charCodeAt(i)) >>> 0
  }
  return hash % 360
}
