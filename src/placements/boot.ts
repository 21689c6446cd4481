/**
 * The boot race. Imported first by main.ts, so it runs before Vue, Pinia, vue-i18n and the UI
 * kit evaluate: it starts the SDK's frame handshake at once, and the moment Bitrix24 says where
 * the app is (PLACEMENT), it starts fetching that view's chunk (with its modulepreloads) while
 * the shell still mounts. App.vue takes the same connection (one handshake per page) and asks for
 * the same chunk (the browser's module map answers the second import). Nothing here may import
 * Vue or vue-i18n: they would evaluate before the handshake starts.
 */
import { connectFrame } from '../platform/frame.ts'
import type { BitrixPort } from '../platform/port.ts'
import { resolvePlacement } from './registry.ts'

let early: Promise<BitrixPort> | null = null

/** Starts the handshake and, once it answers, the view's chunk. */
export function startBoot(): void {
  if (early || typeof window === 'undefined') return
  early = connectFrame()
  early.then(
    (port) => {
      void resolvePlacement(port.placement, port.install).load().catch(() => undefined)
    },
    // The session reports the failure when it takes the connection.
    () => undefined,
  )
}

/**
 * The session's connector: the connection the boot started (once), then a fresh handshake for
 * a retry after a failure.
 */
export function takeBootConnection(): Promise<BitrixPort> {
  const started = early ?? connectFrame()
  early = null
  return started
}

startBoot()
