/**
 * One tab owns the node: two tabs on the same keys and store would be two
 * libp2p nodes with one peer id, fighting over the relay reservation and
 * writing the same IndexedDB. The owner holds an exclusive Web Lock for as
 * long as it lives; another tab waits for it and takes over when the owner
 * closes.
 */

export const OWNER_LOCK = 'parley-owner'

/**
 * Resolves once this tab owns Parley. If another tab owns it, `onWaiting` is
 * called first and the promise resolves when that tab is gone. Browsers
 * without Web Locks (very old ones) get no protection and resolve at once.
 */
export async function becomeOwner (onWaiting: () => void): Promise<void> {
  const locks = navigator.locks
  if (locks == null) {
    return
  }
  const hold = async (): Promise<void> => { await new Promise<never>(() => {}) }
  const got = await new Promise<boolean>((resolve, reject) => {
    locks.request(OWNER_LOCK, { ifAvailable: true }, async (lock) => {
      resolve(lock != null)
      if (lock != null) {
        await hold()
      }
    }).catch(reject)
  })
  if (got) {
    return
  }
  onWaiting()
  await new Promise<void>((resolve, reject) => {
    locks.request(OWNER_LOCK, async () => {
      resolve()
      await hold()
    }).catch(reject)
  })
}
