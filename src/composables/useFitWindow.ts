/**
 * Keeps the Bitrix24 iframe as tall as its content: the portal does not measure the frame
 * itself, so without this a tab is either clipped or followed by blank space.
 */
import { onBeforeUnmount, onMounted, toValue } from 'vue'
import type { MaybeRefOrGetter } from 'vue'
import type { BitrixPort } from '../platform/port.ts'

export function useFitWindow(port: MaybeRefOrGetter<BitrixPort | null>, target: MaybeRefOrGetter<HTMLElement | null>): void {
  let observer: ResizeObserver | null = null
  let scheduled = false

  function fit(): void {
    if (scheduled) return
    scheduled = true
    // One message per frame at most: content changes arrive in bursts while a view renders.
    const run = () => {
      scheduled = false
      // Resizing is cosmetic; a failed message must not break the view.
      const el = toValue(target)
      // Content bottom in document coordinates: whatever sits above the view counts too.
      const height = el ? el.getBoundingClientRect().bottom + window.scrollY : undefined
      toValue(port)?.fitWindow(height).catch(() => undefined)
    }
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(run)
    else setTimeout(run, 0)
  }

  onMounted(() => {
    const el = toValue(target)
    fit()
    if (el && typeof ResizeObserver !== 'undefined') {
      observer = new ResizeObserver(fit)
      observer.observe(el)
    }
  })

  onBeforeUnmount(() => observer?.disconnect())
}
