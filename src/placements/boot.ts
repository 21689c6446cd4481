/**
 * The boot race. Imported first by main.ts, so it runs before Vue, Pinia, vue-i18n and the UI
 * kit evaluate: it starts the SDK's frame handshake at once, and the moment Bitrix24 says where
 * the app is (PLACEMENT), it starts the view's REST batch (the card tab's: its prefetch module)
 * and fetches the view's chunk (with its modulepreloads), while the shell still mounts. The
 * handler URL may name the view (`?view=tab`): its chunk and prefetch module are then fetched
 * before the handshake answers. App.vue takes the same connection (one handshake per page), asks
 * for the same chunk (the browser's module map answers the second import), and the card store
 * takes the batch already under way. Nothing here may import Vue or vue-i18n: they would evaluate
 * before the handshake starts.
 */
import { connectFrame } from '../platform/frame.ts'
import type { BitrixPort } from '../platform/port.ts'
import { prefetchCard } from '../services/approval/prefetch.ts'
import { resolvePlacement, VIEW_LOADERS, type PlacementViewName, type ResolvedPlacement } from './registry.ts'

let early: Promise<BitrixPort> | null = null

/** View hints a placement's handler URL may carry (`?view=tab`). */
const HINTS: Record<string, PlacementViewName> = { tab: 'contractTab' }

/** The view the handler URL names, if any. */
export function hintedView(search: string): PlacementViewName | null {
  const hint = new URLSearchParams(search).get('view')
  return hint ? (HINTS[hint] ?? null) : null
}

/** Starts the view's first REST batch where the view has one (the card tab). */
export function startViewData(port: BitrixPort, entry: ResolvedPlacement): void {
  const itemId = entry.props.itemId
  const entityTypeId = entry.props.entityTypeId
  if (entry.view !== 'contractTab' || typeof itemId !== 'number' || typeof entityTypeId !== 'number') return
  prefetchCard(port, entityTypeId, itemId)
}

/** Starts the handshake and, once it answers, the view's batch and chunk. */
export function startBoot(): void {
  if (early || typeof window === 'undefined') return
  early = connectFrame()
  const hinted = hintedView(window.location.search)
  // Named by the handler URL: the view's chunk loads during the handshake.
  if (hinted) void VIEW_LOADERS[hinted]().catch(() => undefined)
  early.then(
    (port) => {
      const entry = resolvePlacement(port.placement, port.install)
      // The batch first: it has the longest way to go (a failure is the store's to show).
      startViewData(port, entry)
      void entry.load().catch(() => undefined)
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
