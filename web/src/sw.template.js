/*
 * Parley's service worker: the app shell, cached at install, so the app
 * starts without a network (the messenger then works on its local store and
 * sends once online). The build (vite.config.ts) writes the list of files
 * and the version in place of the two placeholders below.
 */

const SHELL = self.__SHELL__
const VERSION = self.__VERSION__
const CACHE = `parley-shell-${VERSION}`
const PREFIX = 'parley-shell-'

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE)
    await cache.addAll(SHELL)
    // the relays to use offline too; a site without config.json is fine
    await cache.add('./config.json').catch(() => {})
    await self.skipWaiting()
  })())
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith(PREFIX) && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  )
})

async function networkFirst (request, fallback) {
  const cache = await caches.open(CACHE)
  try {
    const response = await fetch(request)
    if (response.ok) {
      await cache.put(fallback ?? request, response.clone())
    }
    return response
  } catch (err) {
    const cached = await cache.match(fallback ?? request)
    if (cached != null) {
      return cached
    }
    throw err
  }
}

async function cacheFirst (request) {
  const cached = await caches.match(request)
  return cached ?? fetch(request)
}

self.addEventListener('fetch', (event) => {
  const request = event.request
  if (request.method !== 'GET') {
    return
  }
  const url = new URL(request.url)
  if (url.origin !== self.location.origin) {
    return
  }
  if (request.mode === 'navigate') {
    // the newest app when online, the cached one offline
    event.respondWith(networkFirst(request, new URL('./', self.location.href).href))
  } else if (url.pathname.endsWith('/config.json')) {
    // the operator may change relays: ask first, remember for offline
    event.respondWith(networkFirst(request))
  } else {
    event.respondWith(cacheFirst(request))
  }
})

self.addEventListener('notificationclick', (event) => {
  event.notification.close()
  const conversation = event.notification.data?.conversation
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true })
    const client = windows[0]
    if (client != null) {
      await client.focus()
      client.postMessage({ type: 'open-chat', conversation })
    } else {
      await self.clients.openWindow('./')
    }
  })())
})
