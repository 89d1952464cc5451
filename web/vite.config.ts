/**
 * Builds the browser app: `vite build --config web/vite.config.ts` writes
 * web/dist (served by web/serve.ts). Besides Preact, one small plugin: it
 * writes the service worker with the list of every file of this build, so the
 * worker can cache the whole app shell at install (offline start).
 */

import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import preact from '@preact/preset-vite'
import { defineConfig } from 'vite'
import type { Plugin } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))
const publicDir = fileURLToPath(new URL('./public', import.meta.url))

/** Emits sw.js from src/sw.template.js, with the build's file list and a version derived from it. */
function serviceWorker (): Plugin {
  return {
    name: 'parley-service-worker',
    apply: 'build',
    async generateBundle (_options, bundle) {
      const built = Object.keys(bundle).filter(name => !name.endsWith('.map'))
      const copied = (await readdir(publicDir, { recursive: true, withFileTypes: true }))
        .filter(entry => entry.isFile())
        .map(entry => `${entry.parentPath}/${entry.name}`.slice(publicDir.length).replace(/^\/+/, ''))
      const shell = ['./', ...[...built, ...copied].sort().map(name => `./${name}`)]
      const version = createHash('sha256').update(shell.join('\n')).digest('hex').slice(0, 16)
      const template = await readFile(new URL('./src/sw.template.js', import.meta.url), 'utf8')
      this.emitFile({
        type: 'asset',
        fileName: 'sw.js',
        source: template
          .replace('self.__SHELL__', JSON.stringify(shell))
          .replace('self.__VERSION__', JSON.stringify(version))
      })
    }
  }
}

export default defineConfig({
  root,
  base: './',
  plugins: [preact(), serviceWorker()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // libp2p is one large chunk; splitting it buys nothing for an app that needs it at start
    chunkSizeWarningLimit: 2048
  },
  server: {
    host: '127.0.0.1',
    port: 5173
  }
})
