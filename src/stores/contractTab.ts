/**
 * The contract card tab. Its first render costs ONE REST request: a batch of user.current and
 * crm.item.get, so the greeting and the contract arrive together. The item may be unreadable
 * for this user; that is a state of the tab, not a failure of the page.
 */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { AppError } from '../bitrix/errors.ts'
import { mapItemEnvelope, mapUser } from '../bitrix/mappers.ts'
import type { CrmItem } from '../bitrix/port.ts'
import { toAppError } from '../bitrix/errors.ts'
import { useSessionStore } from './session.ts'
import type { LoadState } from './session.ts'

export const useContractTabStore = defineStore('contractTab', () => {
  const session = useSessionStore()
  const state = ref<LoadState>('idle')
  const error = shallowRef<AppError | null>(null)
  const item = ref<CrmItem | null>(null)
  /** Why the item is not shown while the rest of the tab is (access denied, deleted). */
  const itemError = shallowRef<AppError | null>(null)
  let inFlight: { key: string; promise: Promise<void> } | null = null

  function load(entityTypeId: number, itemId: number): Promise<void> {
    const key = `${entityTypeId}:${itemId}`
    if (inFlight?.key === key) return inFlight.promise
    state.value = 'loading'
    error.value = null
    const promise = (async () => {
      try {
        const outcome = await session.requirePort().batch({
          me: { method: 'user.current' },
          item: { method: 'crm.item.get', params: { entityTypeId, id: itemId } },
        })
        if (outcome.errors.me) throw outcome.errors.me
        session.setUser(mapUser(outcome.results.me))
        if (outcome.errors.item) {
          item.value = null
          itemError.value = outcome.errors.item
        } else {
          item.value = mapItemEnvelope(outcome.results.item)
          itemError.value = null
        }
        state.value = 'done'
      } catch (e) {
        error.value = toAppError(e)
        state.value = 'error'
      } finally {
        if (inFlight?.key === key) inFlight = null
      }
    })()
    inFlight = { key, promise }
    return promise
  }

  return { state, error, item, itemError, load }
})
