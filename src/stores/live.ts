/**
 * The page's live status: the Push & Pull feed (started after the first render, shared by every
 * store of the page) and, when Pull does not deliver, each view's own fallback checks that keep
 * to the REST budget (rules in domain/live.ts): only while the frame is on screen
 * (IntersectionObserver: inside the frame document.hidden stays false when the card's tab is
 * hidden) and the person is active, 15 s → 120 s while nothing changes, at once when the view
 * comes back on screen or into focus, further back after a 503/429.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { LiveFeed } from '../platform/port.ts'
import { toAppError } from '../platform/errors.ts'
import {
  FALLBACK_TIMING, LIST_TIMING, checkOnReturn, fallbackTiming, mayCheck, nextCheckDelay,
  type CheckOutcome, type FallbackTiming, type ListTiming, type LiveNotice, type Presence,
} from '../domain/live.ts'
import { useSessionStore } from './session.ts'

/** localStorage key that shortens the fallback's first interval (browser tests, the demo). */
export const FALLBACK_MS_KEY = 'ca-live-fallback-ms'
/** How long after the first render the Pull client is loaded and started. */
export const LIVE_START_DELAY_MS = 800

function configuredTiming(): FallbackTiming {
  try {
    const raw = typeof localStorage === 'undefined' ? null : localStorage.getItem(FALLBACK_MS_KEY)
    const ms = raw === null ? NaN : Number(raw)
    return Number.isFinite(ms) && ms > 0 ? fallbackTiming(ms) : FALLBACK_TIMING
  } catch {
    return FALLBACK_TIMING
  }
}

export const useLiveStore = defineStore('live', () => {
  const session = useSessionStore()
  /** Pull is delivering now. */
  const online = ref(false)
  /** false once the portal refused Pull altogether: actions send no notice then. */
  const available = ref(true)
  let feed: LiveFeed | null = null
  let connecting: Promise<void> | null = null
  const notices = new Set<(n: LiveNotice) => void>()
  const statuses = new Set<(online: boolean) => void>()
  const returns = new Set<() => void>()
  let timing: FallbackTiming = configuredTiming()
  let listTiming: ListTiming = LIST_TIMING
  const presence: { -readonly [K in keyof Presence]: Presence[K] } = { onScreen: true, lastInputAt: Date.now(), focused: true }
  let environment = false

  /** Starts Pull once, after the first render (the pull client is its own chunk). */
  function connect(delayMs = LIVE_START_DELAY_MS): Promise<void> {
    if (connecting) return connecting
    connecting = (async () => {
      const port = session.port
      const user = session.user
      if (!port?.live || !user) {
        if (!port?.live) available.value = false
        connecting = null
        return
      }
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs))
      try {
        feed = await port.live(user.id)
      } catch {
        available.value = false
        return
      }
      feed.onNotice((n) => {
        for (const fn of notices) fn(n)
      })
      feed.onStatus((value) => {
        online.value = value
        available.value = feed?.available ?? false
        for (const fn of statuses) fn(value)
      })
      await feed.started
      online.value = feed.online
      available.value = feed.available
    })()
    return connecting
  }

  function onNotice(fn: (n: LiveNotice) => void): () => void {
    notices.add(fn)
    return () => notices.delete(fn)
  }

  function onStatus(fn: (online: boolean) => void): () => void {
    statuses.add(fn)
    return () => statuses.delete(fn)
  }

  const back = (): void => {
    for (const fn of returns) fn()
  }

  /** Watches the frame's presence: on screen (IntersectionObserver), input, focus. Browser only. */
  function watchEnvironment(): void {
    if (environment || typeof window === 'undefined' || typeof document === 'undefined') return
    environment = true
    timing = configuredTiming()
    const touch = (): void => {
      presence.lastInputAt = Date.now()
    }
    for (const type of ['pointerdown', 'keydown', 'wheel', 'touchstart', 'scroll']) window.addEventListener(type, touch, { passive: true })
    let lastMove = 0
    window.addEventListener('pointermove', () => {
      const now = Date.now()
      if (now - lastMove > 1000) touch()
      lastMove = now
    }, { passive: true })
    presence.focused = typeof document.hasFocus === 'function' ? document.hasFocus() : true
    window.addEventListener('focus', () => {
      presence.focused = true
      touch()
      back()
    })
    window.addEventListener('blur', () => {
      presence.focused = false
    })
    document.addEventListener('visibilitychange', () => {
      presence.onScreen = document.visibilityState === 'visible'
      if (presence.onScreen) back()
    })
    if (typeof IntersectionObserver !== 'undefined' && document.body) {
      const io = new IntersectionObserver((entries) => {
        const seen = entries.some((e) => e.isIntersecting)
        const was = presence.onScreen
        presence.onScreen = seen
        if (seen && !was) back()
      })
      io.observe(document.body)
    }
  }

  /**
   * A view's fallback checks: `check` looks for a change (the cheapest call) and re-reads when
   * there is one. Runs only while Pull does not deliver. Returns the stop function.
   */
  function fallback(check: () => Promise<'changed' | 'same'>, firstMs?: number): () => void {
    let delay: number | null = null
    let timer: ReturnType<typeof setTimeout> | null = null
    let lastCheckAt: number | null = null
    let running = false
    let stopped = false
    const schedule = (ms: number): void => {
      if (timer) clearTimeout(timer)
      timer = stopped ? null : setTimeout(() => void tick(), ms)
    }
    async function tick(): Promise<void> {
      if (stopped || running) return
      const now = Date.now()
      if (!mayCheck(online.value, presence, now, timing)) {
        // Nothing is sent while Pull delivers or nobody looks; look again later (no request).
        schedule(timing.minMs)
        return
      }
      running = true
      lastCheckAt = now
      let outcome: CheckOutcome
      try {
        outcome = await check()
      } catch (e) {
        outcome = toAppError(e).kind === 'rateLimit' ? 'throttled' : 'failed'
      } finally {
        running = false
      }
      delay = nextCheckDelay(delay, outcome, timing)
      schedule(delay)
    }
    const onBack = (): void => {
      if (!online.value && checkOnReturn(lastCheckAt, Date.now(), timing)) void tick()
    }
    const onOffline = (value: boolean): void => {
      if (!value) {
        delay = null
        schedule(timing.minMs)
      }
    }
    returns.add(onBack)
    statuses.add(onOffline)
    schedule(Math.min(firstMs ?? timing.minMs, timing.minMs))
    return () => {
      stopped = true
      if (timer) clearTimeout(timer)
      returns.delete(onBack)
      statuses.delete(onOffline)
    }
  }

  /** The view is on screen: a hidden one re-reads when it comes back, not on every notice. */
  const isOnScreen = (): boolean => presence.onScreen

  /** Called when the view comes back on screen or into focus. */
  function onReturn(fn: () => void): () => void {
    returns.add(fn)
    return () => returns.delete(fn)
  }

  /** Tests and the bench: set presence (a hidden view coming back fires onReturn) and timings. */
  function simulate(p: Partial<Presence>, minMs?: number, lists?: Partial<ListTiming>): void {
    const was = presence.onScreen
    Object.assign(presence, p)
    if (minMs !== undefined) timing = fallbackTiming(minMs)
    if (lists) listTiming = { ...listTiming, ...lists }
    if (!was && presence.onScreen) back()
  }

  return {
    online, available, connect, onNotice, onStatus, onReturn, isOnScreen, watchEnvironment, fallback, simulate,
    listTiming: (): ListTiming => listTiming,
  }
})
