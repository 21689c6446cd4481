/**
 * The Analytics tab: who may see it, the contracts read once per page session (a refresh reads
 * again), the filter, and the report computed from them in the browser. Changing the filter
 * costs no request. No toasts, no texts: the view renders `state`, `progress` and `error.kind`.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import {
  canSeeAnalytics, computeReport, filterChoices, NO_FILTER, NO_VIEWERS, parseViewers, serializeViewers, type AnalyticsFilter,
  type AnalyticsViewers,
} from '../domain/analytics/index.ts'
import { APP_OPTION_KEYS, cardPath } from '../domain/schema.ts'
import { toAppError, type AppError } from '../platform/errors.ts'
import type { PortalUserInfo } from '../platform/port.ts'
import type { ContractSpace } from '../services/approval/context.ts'
import { loadAnalytics, type AnalyticsData, type AnalyticsProgress } from '../services/analytics/loader.ts'
import { resolveSpace } from '../services/workspace/queries.ts'
import { useLoader } from './loader.ts'
import { useSessionStore } from './session.ts'

export const useAnalyticsStore = defineStore('analytics', () => {
  const session = useSessionStore()
  const { state, error, refreshing, run } = useLoader()
  const data = shallowRef<AnalyticsData | null>(null)
  const space = shallowRef<ContractSpace | null>(null)
  const progress = ref<AnalyticsProgress | null>(null)
  const filter = ref<AnalyticsFilter>({ ...NO_FILTER })

  const viewers = ref<AnalyticsViewers>(NO_VIEWERS)
  const viewersLoaded = ref(false)
  const viewerPeople = ref<Record<number, PortalUserInfo>>({})
  const savingViewers = ref(false)
  const viewersError = shallowRef<AppError | null>(null)

  const visible = computed(() => canSeeAnalytics(session.isAdmin, session.user?.id ?? null, viewers.value))

  const report = computed(() => {
    const d = data.value
    if (!d) return null
    return computeReport(d.facts, filter.value, { now: d.loadedAt, departmentsOf: (id) => d.users.get(id)?.departmentIds ?? [] })
  })

  const choices = computed(() => {
    const d = data.value
    if (!d) return null
    const c = filterChoices(d.facts)
    const departments = new Set<number>()
    for (const id of c.authorIds) for (const dep of d.users.get(id)?.departmentIds ?? []) departments.add(dep)
    return {
      ...c,
      departments: [...departments].map((id) => ({ id, name: d.departments.get(id) ?? `#${id}` })).sort((a, b) => a.name.localeCompare(b.name)),
      companies: c.companyIds.map((id) => ({ id, name: d.companies.get(id) ?? `#${id}` })).sort((a, b) => a.name.localeCompare(b.name)),
    }
  })

  /** Reads every contract the user may see; a second call reuses what was read unless forced. */
  function load(force = false): Promise<void> {
    return run(async (current) => {
      const port = session.requirePort()
      const where = space.value ?? (await resolveSpace(port))
      space.value = where
      progress.value = { read: 0, total: null }
      const loaded = await loadAnalytics(port, where, { onProgress: (p) => { if (current()) progress.value = p } })
      if (current()) data.value = loaded
    }, { force })
  }

  function setFilter(patch: Partial<AnalyticsFilter>): void {
    filter.value = { ...filter.value, ...patch }
  }

  function resetFilter(): void {
    filter.value = { ...NO_FILTER }
  }

  /** The viewer list: from the frame's APP_OPTIONS when there is one (no request), else asked for. */
  async function loadViewers(): Promise<void> {
    const port = session.requirePort()
    const initial = port.initialAppOptions
    const raw = initial ? initial[APP_OPTION_KEYS.analyticsViewers] : await port.appOption(APP_OPTION_KEYS.analyticsViewers)
    viewers.value = parseViewers(raw)
    viewersLoaded.value = true
  }

  /** Names of the people on the list (Settings shows them). */
  async function loadViewerPeople(): Promise<void> {
    const missing = viewers.value.userIds.filter((id) => !viewerPeople.value[id])
    if (missing.length === 0) return
    for (const u of await session.requirePort().getUsers(missing)) viewerPeople.value[u.id] = u
  }

  /** Admin only: stores a new list (Bitrix24 refuses others). */
  async function saveViewers(userIds: readonly number[]): Promise<boolean> {
    const next: AnalyticsViewers = { v: 1, userIds: [...new Set(userIds)] }
    savingViewers.value = true
    viewersError.value = null
    try {
      await session.requirePort().setAppOption(APP_OPTION_KEYS.analyticsViewers, serializeViewers(next))
      viewers.value = next
      return true
    } catch (e) {
      viewersError.value = toAppError(e)
      return false
    } finally {
      savingViewers.value = false
    }
  }

  /** Opens a contract's card in Bitrix24's slider, as the workspace rows do. */
  async function openContract(id: number): Promise<void> {
    if (!space.value) return
    await session.requirePort().openPath(cardPath(space.value.entityTypeId, id))
  }

  function rememberPeople(people: readonly PortalUserInfo[]): void {
    for (const p of people) viewerPeople.value[p.id] = p
  }

  return {
    state, error, refreshing, data, progress, filter, report, choices, visible,
    viewers, viewersLoaded, viewerPeople, savingViewers, viewersError,
    load, openContract, setFilter, resetFilter, loadViewers, loadViewerPeople, saveViewers, rememberPeople,
  }
})
