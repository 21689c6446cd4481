/**
 * Lists that follow changes (the workspace's and the archive's): a Push & Pull notice about a
 * shown contract re-reads them at once, one about another contract no sooner than the unseen gap
 * (domain/live.ts), a hidden page re-reads once when it is back on screen, and without Pull the
 * fallback's cheap check re-reads only when something changed. One copy for both stores.
 */
import type { ContractSpace } from '../services/approval/context.ts'
import { latestChange } from '../services/live/notices.ts'
import { listReadDelay } from '../domain/live.ts'
import { useLiveStore } from './live.ts'
import { useSessionStore } from './session.ts'

export interface LiveListsOptions {
  /** The lists are on screen with data (a notice before that is moot). */
  readonly shown: () => boolean
  /** A timed re-read may run now (e.g. not while a dialog writes). */
  readonly mayRefresh: () => boolean
  /** A reload is under way already. */
  readonly busy: () => boolean
  /** Whether the lists show the contract (a change there must show within 2 s). */
  readonly shows: (id: number) => boolean
  readonly space: () => ContractSpace | null
  readonly load: () => Promise<void>
  readonly refresh: () => Promise<void>
}

export function useLiveLists(o: LiveListsOptions) {
  const live = useLiveStore()
  const session = useSessionStore()
  let lastReadAt = 0
  let stops: (() => void)[] = []
  let readTimer: ReturnType<typeof setTimeout> | null = null
  let readAt = Infinity
  let changeMark: string | null = null
  let stale = false
  let unseenStale = false

  /** The lists were just read (the store calls it after each load). */
  function markRead(): void {
    lastReadAt = Date.now()
  }

  /** A re-read `delayMs` from now, unless one is due sooner. */
  function rereadIn(delayMs: number): void {
    const at = Date.now() + delayMs
    if (readTimer && readAt <= at) return
    if (readTimer) clearTimeout(readTimer)
    readAt = at
    readTimer = setTimeout(() => {
      readTimer = null
      readAt = Infinity
      if (o.mayRefresh()) void o.refresh()
    }, delayMs)
  }

  function stop(): void {
    for (const s of stops) s()
    stops = []
    if (readTimer) clearTimeout(readTimer)
    readTimer = null
  }

  function start(): void {
    stop()
    live.watchEnvironment()
    stops.push(live.onNotice((n) => {
      if (!o.shown()) return
      // A hidden page re-reads once when it is back on screen, not on every notice.
      if (!live.isOnScreen()) {
        if (o.shows(n.itemId)) stale = true
        else unseenStale = true
        return
      }
      rereadIn(listReadDelay(o.shows(n.itemId), lastReadAt, Date.now(), Math.random(), live.listTiming()))
    }))
    stops.push(live.onReturn(() => {
      if (!live.online || (!stale && !unseenStale)) return
      // A shown contract changed: now; only others: no sooner than the unseen gap allows.
      rereadIn(stale ? 0 : listReadDelay(false, lastReadAt, Date.now(), Math.random(), live.listTiming()))
      stale = false
      unseenStale = false
    }))
    stops.push(live.fallback(async () => {
      // The lists were (or are being) read a moment ago: nothing to check.
      const space = o.space()
      if (!space || !o.shown() || o.busy() || Date.now() - lastReadAt < 3000) return 'same'
      const mark = await latestChange(session.requirePort(), space)
      const before = changeMark
      changeMark = mark
      if (before === null || mark === before) return 'same'
      await o.refresh()
      return 'changed'
    }))
    void o.load().then(() => live.connect(), () => undefined)
  }

  return { markRead, start, stop }
}
