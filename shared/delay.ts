/** Resolves true after `ms`, or false as soon as `signal` aborts (never rejects). */
export async function delay (ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) {
    return false
  }
  return new Promise(resolve => {
    const timer = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(true) }, ms)
    const onAbort = (): void => { clearTimeout(timer); resolve(false) }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
