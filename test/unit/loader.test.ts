// The load shape every store shares (src/stores/loader.ts), without a portal: concurrent callers
// share a run, a refresh keeps what is shown, and a slow answer for an earlier key never
// overwrites a later one (two contracts opened one after the other).
import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/platform/errors.ts'
import { useLoader } from '../../src/stores/loader.ts'

/** A promise the test settles by hand. */
function gate<T = void>() {
  let open!: (v: T) => void
  let fail!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => { open = res; fail = rej })
  return { promise, open, fail }
}

describe('useLoader', () => {
  it('shares one run between concurrent callers and does not run a loaded key again', async () => {
    const l = useLoader()
    let runs = 0
    const g = gate()
    const task = async () => { runs++; await g.promise }
    const a = l.run(task)
    const b = l.run(task)
    expect(a).toBe(b)
    expect(l.state.value).toBe('loading')
    expect(l.busy()).toBe(true)
    g.open()
    await a
    expect(l.state.value).toBe('done')
    expect(l.busy()).toBe(false)
    await l.run(task)
    expect(runs).toBe(1)
  })

  it('a failed first load is an error state; a retry clears it', async () => {
    const l = useLoader()
    await l.run(async () => { throw new AppError('network', 'DOWN', 'no network') })
    expect(l.state.value).toBe('error')
    expect(l.error.value?.kind).toBe('network')
    const g = gate()
    const retry = l.run(() => g.promise)
    expect(l.state.value).toBe('loading')
    expect(l.error.value).toBeNull()
    g.open()
    await retry
    expect(l.state.value).toBe('done')
  })

  it('a forced reload keeps what is shown: refreshing, and a failure beside the data', async () => {
    const l = useLoader()
    await l.run(async () => {})
    const g = gate()
    const refresh = l.run(() => g.promise, { force: true })
    expect(l.state.value).toBe('done')
    expect(l.refreshing.value).toBe(true)
    g.fail(new Error('boom'))
    await refresh
    expect(l.state.value).toBe('done')
    expect(l.refreshing.value).toBe(false)
    expect(l.error.value).not.toBeNull()
    await l.run(async () => {}, { force: true })
    expect(l.error.value).toBeNull()
  })

  it('another key is a first load, and only the latest run writes the state', async () => {
    const l = useLoader()
    const first = gate()
    const stored: number[] = []
    const slow = l.run(async (current) => { await first.promise; if (current()) stored.push(1) }, { key: 1 })
    const fast = l.run(async (current) => { if (current()) stored.push(2) }, { key: 2 })
    expect(fast).not.toBe(slow)
    await fast
    expect(l.state.value).toBe('done')
    first.fail(new Error('late failure of the earlier contract'))
    await slow
    expect(stored).toEqual([2])
    expect(l.state.value).toBe('done')
    expect(l.error.value).toBeNull()
    // The loaded key is 2: asking for 1 again is a new first load.
    const again = l.run(async () => {}, { key: 1 })
    expect(l.state.value).toBe('loading')
    await again
  })
})
