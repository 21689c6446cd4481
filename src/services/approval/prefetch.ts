/**
 * The card tab's one REST batch, started by the boot (placements/boot.ts) the moment the frame's
 * handshake answers — while Vue, the view's chunk and the language's texts still load — and
 * taken by the card store for its first load instead of asking again. Exactly the batch the store
 * would send (`loadCard` with nothing known but the frame's APP_OPTIONS), so the first full
 * render still costs one request. No Vue here, and nothing heavy: the boot imports this module
 * statically (so the slot is filled the moment the handshake answers, before any view can ask),
 * and the card's reading code comes with `import()`, the chunk the view needs too.
 */
import type { BitrixPort } from '../../platform/port.ts'
import type { CardData } from './card.ts'

interface Prefetched {
  readonly port: BitrixPort
  readonly entityTypeId: number
  readonly itemId: number
  readonly data: Promise<CardData>
}

let prefetched: Prefetched | null = null

/** Starts the card's batch now; a later `takePrefetchedCard` for the same card receives it. */
export function prefetchCard(port: BitrixPort, entityTypeId: number, itemId: number): void {
  const data = import('./card.ts').then((m) => m.loadCard(port, entityTypeId, itemId))
  // Whoever takes it sees the failure; untaken, it is not an unhandled rejection.
  data.catch(() => undefined)
  prefetched = { port, entityTypeId, itemId, data }
}

/**
 * The prefetched batch for this port and card, once (a refresh or a retry reads afresh); null
 * when none was started for it.
 */
export function takePrefetchedCard(port: BitrixPort, entityTypeId: number, itemId: number): Promise<CardData> | null {
  const p = prefetched
  if (!p || p.port !== port || p.entityTypeId !== entityTypeId || p.itemId !== itemId) return null
  prefetched = null
  return p.data
}
