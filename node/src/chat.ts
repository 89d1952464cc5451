/**
 * `parley chat <contact>`: the conversation so far, then live — incoming
 * messages as they arrive, each typed line sent, delivery ticks shown.
 */

import { createInterface } from 'node:readline'
import { formatMessage, keyChangeWarning, terminalSafe } from './format.ts'
import type { ApiEvent, ParleyApi } from './api.ts'

const BACKLOG = 20

export async function runChat (api: ParleyApi, ref: string): Promise<number> {
  const contact = await api.resolve(ref)
  const out = (line: string): void => { process.stdout.write(line + '\n') }
  out(`Chat with ${contact.name} — type a message and press Enter; Ctrl-D to leave.`)
  if (contact.keyChange) {
    out(keyChangeWarning(contact))
  }
  for (const m of await api.history(contact.accountId, BACKLOG)) {
    out(formatMessage(m, contact.name))
  }
  await api.markRead(contact.accountId)

  const unsubscribe = await api.subscribe((e: ApiEvent) => {
    if (e.message?.conversation !== contact.accountId) {
      return
    }
    if (e.event === 'message:received') {
      out(formatMessage(e.message, contact.name))
      api.markRead(contact.accountId).catch(() => {})
    } else if (e.event === 'message:delivered') {
      const preview = e.message.text.length > 40 ? `${e.message.text.slice(0, 40)}…` : e.message.text
      out(`  ✓✓ delivered: ${terminalSafe(preview)}`)
    }
  })

  const rl = createInterface({ input: process.stdin, terminal: process.stdin.isTTY === true })
  try {
    for await (const line of rl) {
      const text = line.trim()
      if (text === '') {
        continue
      }
      if (text === '/quit') {
        break
      }
      try {
        const sent = await api.send(contact.accountId, text)
        out(formatMessage(sent, contact.name))
      } catch (err: any) {
        process.stderr.write(`parley: ${err.message}\n`)
      }
    }
  } finally {
    unsubscribe()
    rl.close()
  }
  return 0
}
