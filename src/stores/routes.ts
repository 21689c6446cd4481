/**
 * Approval routes as the Settings tab edits them: the stored RouteSet (read by everyone with
 * app.option.get, written by the admin with app.option.set), a draft of its routes, the
 * domain's validation of that draft, and the people shown on it. No toasts, no texts: the view
 * renders `state`, `issues` and `error.kind`.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { AppError, toAppError } from '../platform/errors.ts'
import type { PickedUser, PortalUserInfo } from '../platform/port.ts'
import { APP_OPTION_KEYS } from '../domain/schema.ts'
import {
  EMPTY_ROUTE_SET, NO_CONDITIONS, hasErrors, nextRouteSet, parseRouteSet, serializeRouteSet, validateRouteSet,
} from '../domain/route.ts'
import type { ApproverRef, Route, RouteConditions, RouteSet, RouteSetParseError, RouteStep } from '../domain/route.ts'
import { useSessionStore } from './session.ts'

export type RoutesLoadState = 'idle' | 'loading' | 'done' | 'error'

/** Someone saved another edition while this admin was editing: saving would overwrite it. */
export const ROUTES_CONFLICT = 'ROUTES_CONFLICT'

/** What a person on a route looks like in the editor. */
export interface RoutePerson {
  id: number
  name: string
  position: string
  photo: string | null
}

export const DEFAULT_SLA_HOURS = 24

function newId(taken: readonly Route[]): string {
  for (;;) {
    const id = `r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`
    if (!taken.some((r) => r.id === id)) return id
  }
}

function sameRoutes(a: readonly Route[], b: readonly Route[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

function approverKey(a: ApproverRef): string {
  return a.kind === 'user' ? `u${a.userId}` : 'head'
}

export const useRoutesStore = defineStore('routes', () => {
  const state = ref<RoutesLoadState>('idle')
  const error = shallowRef<AppError | null>(null)
  /** The stored edition the draft started from. */
  const saved = ref<RouteSet>(EMPTY_ROUTE_SET)
  const draft = ref<Route[]>([])
  /** The stored value could not be read; the admin may replace it, nobody else sees routes. */
  const parseError = ref<RouteSetParseError | null>(null)
  const saving = ref(false)
  const saveError = shallowRef<AppError | null>(null)
  const people = ref<Record<number, RoutePerson>>({})
  let loading: Promise<void> | null = null

  const isAdmin = computed(() => useSessionStore().isAdmin)
  const issues = computed(() => validateRouteSet({ ...saved.value, routes: draft.value }))
  const blocked = computed(() => hasErrors(issues.value))
  const dirty = computed(() => !sameRoutes(draft.value, saved.value.routes))
  const canSave = computed(() => isAdmin.value && dirty.value && !blocked.value && !saving.value)

  function rememberPeople(users: readonly (PortalUserInfo | PickedUser)[]): void {
    const next = { ...people.value }
    for (const u of users) {
      const name = 'fullName' in u ? u.fullName : u.name
      next[u.id] = { id: u.id, name, position: u.position, photo: u.photo }
    }
    people.value = next
  }

  /** Names and photos of everyone on the routes and of who saved them, in one batch. */
  async function loadPeople(set: RouteSet): Promise<void> {
    const ids = new Set<number>()
    for (const r of set.routes) for (const s of r.steps) for (const a of s.approvers) if (a.kind === 'user') ids.add(a.userId)
    if (set.updatedBy !== null) ids.add(set.updatedBy)
    const missing = [...ids].filter((id) => !people.value[id])
    if (missing.length > 0) rememberPeople(await useSessionStore().requirePort().getUsers(missing))
  }

  function adopt(raw: unknown): void {
    const parsed = parseRouteSet(raw)
    if (parsed.ok) {
      parseError.value = null
      saved.value = parsed.set
    } else {
      parseError.value = parsed.error
      saved.value = EMPTY_ROUTE_SET
    }
    draft.value = [...saved.value.routes]
  }

  /** Reads the routes once; concurrent callers share the read. `force` re-reads over REST. */
  function load(force = false): Promise<void> {
    if (loading) return loading
    if (state.value === 'done' && !force) return Promise.resolve()
    state.value = 'loading'
    error.value = null
    loading = (async () => {
      try {
        const port = useSessionStore().requirePort()
        // The frame's APP_OPTIONS is a snapshot of page load; a forced load asks the portal.
        const raw = force
          ? await port.call<unknown>('app.option.get', { option: APP_OPTION_KEYS.routes })
          : await port.appOption<unknown>(APP_OPTION_KEYS.routes)
        adopt(raw)
        await loadPeople(saved.value)
        state.value = 'done'
      } catch (e) {
        error.value = toAppError(e)
        state.value = 'error'
      } finally {
        loading = null
      }
    })()
    return loading
  }

  /**
   * Stores the draft as the next edition, then reads it back from the portal so what is shown
   * is what everyone else will read. Refuses (ROUTES_CONFLICT) when another edition was saved
   * since this one was loaded: Bitrix24 has no conditional write, so this check is the best guard.
   */
  async function save(): Promise<boolean> {
    if (!canSave.value) return false
    saving.value = true
    saveError.value = null
    try {
      const session = useSessionStore()
      const port = session.requirePort()
      const me = await session.loadUser()
      const current = parseRouteSet(await port.call<unknown>('app.option.get', { option: APP_OPTION_KEYS.routes }))
      if (current.ok && current.set.version !== saved.value.version) {
        throw new AppError('validation', ROUTES_CONFLICT, `routes were saved as version ${current.set.version} meanwhile`)
      }
      const next = nextRouteSet(saved.value, draft.value, new Date().toISOString(), me.id)
      await port.setAppOption(APP_OPTION_KEYS.routes, serializeRouteSet(next))
      adopt(await port.call<unknown>('app.option.get', { option: APP_OPTION_KEYS.routes }))
      rememberPeople([me])
      await loadPeople(saved.value)
      return true
    } catch (e) {
      saveError.value = toAppError(e)
      return false
    } finally {
      saving.value = false
    }
  }

  function discard(): void {
    draft.value = [...saved.value.routes]
    saveError.value = null
  }

  // --- draft edits: each replaces the touched route, so the stored edition is never mutated ---

  function route(id: string): Route | undefined {
    return draft.value.find((r) => r.id === id)
  }

  function replaceRoute(id: string, change: (r: Route) => Route): void {
    draft.value = draft.value.map((r) => (r.id === id ? change(r) : r))
  }

  function replaceStep(id: string, index: number, change: (s: RouteStep) => RouteStep): void {
    replaceRoute(id, (r) => ({ ...r, steps: r.steps.map((s, i) => (i === index ? change(s) : s)) }))
  }

  /** Adds an empty route (the default one when there is none yet) and returns its id. */
  function addRoute(name = ''): string {
    const id = newId(draft.value)
    const isDefault = !draft.value.some((r) => r.isDefault)
    draft.value = [...draft.value, { id, name, isDefault, conditions: NO_CONDITIONS, steps: [] }]
    return id
  }

  function removeRoute(id: string): void {
    draft.value = draft.value.filter((r) => r.id !== id)
  }

  /** Routes are tried in list order, so the admin orders them: -1 up, +1 down. */
  function moveRoute(id: string, delta: -1 | 1): void {
    const from = draft.value.findIndex((r) => r.id === id)
    const to = from + delta
    if (from < 0 || to < 0 || to >= draft.value.length) return
    const routes = [...draft.value]
    const [moved] = routes.splice(from, 1)
    if (moved) routes.splice(to, 0, moved)
    draft.value = routes
  }

  function renameRoute(id: string, name: string): void {
    replaceRoute(id, (r) => ({ ...r, name }))
  }

  /** There is one default route: making one default makes the others conditional. */
  function setDefault(id: string, isDefault: boolean): void {
    draft.value = draft.value.map((r) => {
      if (r.id === id) return { ...r, isDefault }
      return isDefault && r.isDefault ? { ...r, isDefault: false } : r
    })
  }

  function setConditions(id: string, patch: Partial<RouteConditions>): void {
    replaceRoute(id, (r) => ({ ...r, conditions: { ...r.conditions, ...patch } }))
  }

  function addStep(id: string, title = ''): void {
    replaceRoute(id, (r) => ({ ...r, steps: [...r.steps, { title, approvers: [], mode: 'any', slaHours: DEFAULT_SLA_HOURS }] }))
  }

  function removeStep(id: string, index: number): void {
    replaceRoute(id, (r) => ({ ...r, steps: r.steps.filter((_, i) => i !== index) }))
  }

  /** Moves a step one place up (-1) or down (+1); out of range does nothing. */
  function moveStep(id: string, index: number, delta: -1 | 1): void {
    replaceRoute(id, (r) => {
      const to = index + delta
      if (to < 0 || to >= r.steps.length) return r
      const steps = [...r.steps]
      const [moved] = steps.splice(index, 1)
      if (moved) steps.splice(to, 0, moved)
      return { ...r, steps }
    })
  }

  function updateStep(id: string, index: number, patch: Partial<Pick<RouteStep, 'title' | 'mode' | 'slaHours'>>): void {
    replaceStep(id, index, (s) => ({ ...s, ...patch }))
  }

  /** Adds approvers, skipping anyone already on the step. */
  function addApprovers(id: string, index: number, refs: readonly ApproverRef[]): void {
    replaceStep(id, index, (s) => {
      const approvers = [...s.approvers]
      for (const a of refs) if (!approvers.some((x) => approverKey(x) === approverKey(a))) approvers.push(a)
      return { ...s, approvers }
    })
  }

  function removeApprover(id: string, index: number, approver: ApproverRef): void {
    replaceStep(id, index, (s) => ({ ...s, approvers: s.approvers.filter((a) => approverKey(a) !== approverKey(approver)) }))
  }

  /** Opens the portal's employee picker and adds whoever was chosen; cancel adds nobody. */
  async function pickApprovers(id: string, index: number): Promise<void> {
    saveError.value = null
    try {
      const picked = (await useSessionStore().requirePort().selectUsers()).filter((u) => u.id > 0)
      rememberPeople(picked)
      addApprovers(id, index, picked.map((u) => ({ kind: 'user', userId: u.id }) as const))
    } catch (e) {
      saveError.value = toAppError(e)
    }
  }

  return {
    state, error, saved, draft, parseError, saving, saveError, people, isAdmin, issues, blocked, dirty, canSave,
    load, save, discard, route, addRoute, removeRoute, moveRoute, renameRoute, setDefault, setConditions,
    addStep, removeStep, moveStep, updateStep, addApprovers, removeApprover, pickApprovers,
  }
})
