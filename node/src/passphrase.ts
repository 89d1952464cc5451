/**
 * The vault passphrase: PARLEY_PASSPHRASE for scripts, else a prompt on the
 * terminal with echo off. Never logged.
 */

import { stdin, stderr } from 'node:process'

export class PassphraseRequiredError extends Error {
  static override name = 'PassphraseRequiredError'
  override name = 'PassphraseRequiredError'
}

export async function readPassphrase (options: { confirm?: boolean } = {}): Promise<string> {
  const fromEnv = process.env.PARLEY_PASSPHRASE
  if (fromEnv != null && fromEnv !== '') {
    return fromEnv
  }
  if (stdin.isTTY !== true) {
    throw new PassphraseRequiredError('A passphrase is needed: set PARLEY_PASSPHRASE, or run in a terminal to be asked for it.')
  }
  const first = await prompt('Passphrase: ')
  if (options.confirm === true && await prompt('Repeat passphrase: ') !== first) {
    throw new PassphraseRequiredError('The passphrases did not match; nothing was created.')
  }
  return first
}

async function prompt (question: string): Promise<string> {
  stderr.write(question)
  stdin.setRawMode(true)
  stdin.resume()
  stdin.setEncoding('utf8')
  let answer = ''
  try {
    return await new Promise<string>((resolve, reject) => {
      const onData = (chunk: string): void => {
        for (const ch of chunk) {
          if (ch === '\r' || ch === '\n') {
            stdin.off('data', onData)
            resolve(answer)
            return
          }
          if (ch === '\u0003') {
            stdin.off('data', onData)
            reject(new PassphraseRequiredError('Cancelled.'))
            return
          }
          if (ch === '\u007f' || ch === '\b') {
            answer = answer.slice(0, -1)
          } else {
            answer += ch
          }
        }
      }
      stdin.on('data', onData)
    })
  } finally {
    stdin.setRawMode(false)
    stdin.pause()
    stderr.write('\n')
  }
}
