/** The top of the UI: one screen per session phase. */

import { CreateAccount, Failed, Opening, Unlock } from './Boot.tsx'
import { Main } from './Main.tsx'
import type { JSX } from 'preact'
import type { Session } from '../state/index.ts'
import type { Nav, Shell } from './shell.ts'

export function App ({ session, shell, nav }: { session: Session, shell: Shell, nav: Nav }): JSX.Element {
  const phase = session.phase.value
  const app = session.app.value
  switch (phase.name) {
    case 'opening':
      return <Opening />
    case 'create':
      return <CreateAccount session={session} />
    case 'unlock':
      return <Unlock session={session} accountName={phase.accountName} />
    case 'failed':
      return <Failed message={phase.message} />
    case 'ready':
      return app == null ? <Opening /> : <Main app={app} shell={shell} nav={nav} />
  }
}
