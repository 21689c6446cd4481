/**
 * Bulk approve in «Мои согласования»: which rows are chosen, the run's progress and each
 * contract's result (services/approval/bulk.ts). Codes only: the view says them in words.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { bulkApprove, type BulkItem, type BulkResult } from '../services/approval/bulk.ts'
import type { ContractSpace } from '../services/approval/context.ts'
import { useSessionStore } from './session.ts'
import { useLiveStore } from './live.ts'

export const useBulkApproveStore = defineStore('bulkApprove', () => {
  const session = useSessionStore()
  const live = useLiveStore()
  const selected = ref<ReadonlySet<number>>(new Set())
  const running = ref(false)
  const total = ref(0)
  const done = ref(0)
  const results = shallowRef<readonly BulkResult[]>([])

  const count = computed(() => selected.value.size)

  function toggle(id: number, on: boolean): void {
    const next = new Set(selected.value)
    if (on) next.add(id)
    else next.delete(id)
    selected.value = next
  }

  /** Chooses every row shown (the page), or none. */
  function setAll(ids: readonly number[], on: boolean): void {
    selected.value = on ? new Set(ids) : new Set()
  }

  /** Keeps only what is still shown (a refresh took some rows away). */
  function keepShown(ids: readonly number[]): void {
    const shown = new Set(ids)
    const next = [...selected.value].filter((id) => shown.has(id))
    if (next.length !== selected.value.size) selected.value = new Set(next)
  }

  /** Approves the chosen contracts; every one gets a result, none stops the others. */
  async function approve(space: ContractSpace, items: readonly BulkItem[]): Promise<readonly BulkResult[]> {
    const port = session.requirePort()
    const user = session.user
    if (running.value || !user || items.length === 0) return []
    running.value = true
    total.value = items.length
    done.value = 0
    results.value = []
    try {
      const out = await bulkApprove(port, space, items, { id: user.id, name: user.fullName }, {
        announce: port.live !== undefined && live.available,
        onResult: (r, n) => {
          done.value = n
          results.value = [...results.value, r]
        },
      })
      results.value = out
      selected.value = new Set(out.filter((r) => r.outcome !== 'approved').map((r) => r.itemId))
      return out
    } finally {
      running.value = false
    }
  }

  function reset(): void {
    results.value = []
    total.value = 0
    done.value = 0
  }

  return { selected, count, running, total, done, results, toggle, setAll, keepShown, approve, reset }
})
