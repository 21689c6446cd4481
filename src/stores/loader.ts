/**
 * The load shape every store shares: a `state`, the `error` of the last run, concurrent callers
 * sharing one run, and try/finally around the flags. A store calls `run(task, …)`; the task does
 * the reading and stores what it read.
 *
 * - The first load (or a load of another `key`, e.g. another contract) shows `loading` and, if it
 *   fails, `error`. A forced reload of what is already shown keeps `done` and only raises
 *   `refreshing`: a failed refresh leaves the data on screen and sets `error` beside it.
 * - A caller asking while a run for the same key is on its way gets that run.
 * - Only the latest run writes `state` and `error`; the task can ask `current()` before storing,
 *   so a slow answer for an earlier key never overwrites a later one.
 */
import { ref, shallowRef } from 'vue'
import { toAppError, type AppError } from '../platform/errors.ts'

export type LoadState = 'idle' | 'loading' | 'done' | 'error'

export interface RunOptions {
  /** Read again even when the key is already loaded. */
  force?: boolean
  /** What is loaded (e.g. the item id); another key is another first load. */
  key?: unknown
}

export function useLoader() {
  const state = ref<LoadState>('idle')
  const error = shallowRef<AppError | null>(null)
  /** A forced reload of what is shown is on its way. */
  const refreshing = ref(false)
  let inFlight: { key: unknown; promise: Promise<void> } | null = null
  let loadedKey: unknown = undefined
  let seq = 0

  function run(task: (current: () => boolean) => Promise<void>, opts: RunOptions = {}): Promise<void> {
    const key = opts.key
    if (inFlight && inFlight.key === key) return inFlight.promise
    const shown = state.value === 'done' && loadedKey === key
    if (shown && !opts.force) return Promise.resolve()
    const mine = ++seq
    const current = () => mine === seq
    if (shown) refreshing.value = true
    else {
      state.value = 'loading'
      error.value = null
    }
    const promise = (async () => {
      try {
        await task(current)
        if (!current()) return
        loadedKey = key
        error.value = null
        state.value = 'done'
      } catch (e) {
        if (!current()) return
        error.value = toAppError(e)
        if (!shown) state.value = 'error'
      } finally {
        if (current()) {
          refreshing.value = false
          inFlight = null
        }
      }
    })()
    inFlight = { key, promise }
    return promise
  }

  /** A run is on its way (first load or refresh). */
  const busy = (): boolean => inFlight !== null

  return { state, error, refreshing, run, busy }
}
