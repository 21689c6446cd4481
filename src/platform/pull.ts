/**
 * Bitrix24 Push & Pull through the SDK's own PullClient (B24PullClientManager). Loaded lazily,
 * after the first render (sdk-port.ts imports it with `import()`, so it is its own chunk).
 *
 * The client reads `pull.application.config.get` (one REST call), then holds a long poll to the
 * queue server — not a REST call, so it costs nothing against the portal's rate limit. The feed
 * reports the app's notices and whether Pull is delivering; when it is not (no `pull` scope, the
 * server down, a dropped channel) the stores fall back to their own budget-keeping checks.
 */
import { B24PullClientManager, PullStatus } from '@bitrix24/b24jssdk'
import type { TypeB24 } from '@bitrix24/b24jssdk'
import type { LiveFeed } from './port.ts'
import { toAppError } from './errors.ts'
import { LIVE_COMMAND, LIVE_MODULE_ID, parseNotice, restartDelay, type LiveNotice } from '../domain/live.ts'

interface PullLike {
  subscribe(params: unknown): () => void
  start(): Promise<unknown>
  restart(code?: number, reason?: string): void
  destroy(): void
}

export interface PullOptions {
  /** Offline this long (and again, doubling): re-read the config (a dropped channel needs it). */
  restartAfterMs?: (attempt: number) => number
}

/** Why Pull cannot be used at all on this portal (no retry would help). */
function permanent(error: unknown): boolean {
  const code = (error as { ex?: { error?: unknown } })?.ex?.error ?? toAppError(error).code
  return /^(insufficient_scope|WRONG_AUTH_TYPE|ERROR_METHOD_NOT_FOUND|SERVER_ERROR|PULL_DISABLED)$/i.test(String(code))
}

export function startPull(client: TypeB24, userId: number, opts: PullOptions = {}): LiveFeed {
  const notices = new Set<(n: LiveNotice) => void>()
  const statuses = new Set<(online: boolean) => void>()
  let online = false
  let available = true
  let stopped = false
  let attempt = 0
  let restartTimer: ReturnType<typeof setTimeout> | null = null
  const restartAfter = opts.restartAfterMs ?? restartDelay

  const pull = new B24PullClientManager({
    b24: client,
    restApplication: client.auth.getUniq(LIVE_MODULE_ID),
    userId,
    // The config is per tab; nothing of it goes to localStorage.
    skipStorageInit: true,
  }) as unknown as PullLike

  const setOnline = (value: boolean): void => {
    if (online === value) return
    online = value
    for (const fn of statuses) fn(value)
  }

  const scheduleRestart = (): void => {
    if (stopped || !available || restartTimer) return
    restartTimer = setTimeout(() => {
      restartTimer = null
      if (stopped || online) return
      attempt++
      pull.restart(3000, 'app restart after offline')
      scheduleRestart()
    }, restartAfter(attempt))
  }

  pull.subscribe({
    moduleId: LIVE_MODULE_ID,
    command: LIVE_COMMAND,
    callback: (params: unknown) => {
      const notice = parseNotice(params)
      if (notice) for (const fn of notices) fn(notice)
    },
  })
  pull.subscribe({
    type: 'status',
    callback: (data: { status?: string }) => {
      const isOnline = data?.status === PullStatus.Online
      setOnline(isOnline)
      if (isOnline) {
        attempt = 0
        if (restartTimer) clearTimeout(restartTimer)
        restartTimer = null
      } else if (data?.status === PullStatus.Offline) scheduleRestart()
    },
  })

  const started = pull.start().then(
    () => undefined,
    (error: unknown) => {
      if (permanent(error)) {
        available = false
        setOnline(false)
        for (const fn of statuses) fn(false)
      } else scheduleRestart()
    },
  )

  return {
    get online() {
      return online
    },
    get available() {
      return available
    },
    started,
    onNotice(fn) {
      notices.add(fn)
      return () => notices.delete(fn)
    },
    onStatus(fn) {
      statuses.add(fn)
      return () => statuses.delete(fn)
    },
    stop() {
      stopped = true
      if (restartTimer) clearTimeout(restartTimer)
      pull.destroy()
      setOnline(false)
    },
  }
}
