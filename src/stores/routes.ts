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
  EMPTY_ROUTE_SET, hasErrors, nextRouteSet, parseRouteSet, serializeRouteSet, validateRouteSet,
} from '../domain/route.ts'
import type { ApproverRef, ReapprovalRule, RequiredField, Route, RouteConditions, RouteSet, RouteSetParseError, WatchField } from '../domain/route.ts'
import * as edits from '../domain/routeDraft.ts'
import type { Move, StepPatch } from '../domain/routeDraft.ts'
import { useSessionStore } from './session.ts'
import { useLoader } from './loader.ts'

/** Someone saved another edition while this admin was editing: saving would overwrite it. */
export const ROUTES_CONFLICT = 'ROUTES_CONFLICT'

/** What a person on a route looks like in the editor. */
export interface RoutePerson {
  id: number
  name: string
  position: string
  photo: string | null
  /** The portal's PERSONAL_GENDER when read (not from the picker): «сохранил» / «сохранила». */
  gender?: 'male' | 'female' | null
}

function newId(taken: readonly Route[]): string {
  for (;;) {
    const id = `r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`
    if (!taken.some((r) => r.id === id)) return id
  }
}

function sameRoutes(a: readonly Route[], b: readonly Route[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

export const useRoutesStore = defineStore('routes', () => {
  const { state, error, run } = useLoader()
  /** The stored edition the draft started from. */
  const saved = ref<RouteSet>(EMPTY_ROUTE_SET)
  const draft = ref<Route[]>([])
  /** The stored value could not be read; the admin may replace it, nobody else sees routes. */
  const parseError = ref<RouteSetParseError | null>(null)
  const saving = ref(false)
  const saveError = shallowRef<AppError | null>(null)
  const people = ref<Record<number, RoutePerson>>({})

  const isAdmin = computed(() => useSessionStore().isAdmin)
  const issues = computed(() => validateRouteSet({ ...saved.value, routes: draft.value }))
  const blocked = computed(() => hasErrors(issues.value))
  const dirty = computed(() => !sameRoutes(draft.value, saved.value.routes))
  const canSave = computed(() => isAdmin.value && dirty.value && !blocked.value && !saving.value)

  function rememberPeople(users: readonly (PortalUserInfo | PickedUser)[]): void {
    const next = { ...people.value }
    for (const u of users) {
      const name = 'fullName' in u ? u.fullName : u.name
      next[u.id] = { id: u.id, name, position: u.position, photo: u.photo, ...('gender' in u ? { gender: u.gender ?? null } : {}) }
    }
    people.value = next
  }

  /** Names and photos of everyone on the routes and of who saved them, in one batch. */
  async function loadPeople(set: RouteSet): Promise<void> {
    const ids = new Set<number>()
    for (const r of set.routes) {
      for (const id of r.escalateTo ?? []) ids.add(id)
      for (const s of r.steps) {
        for (const a of s.approvers) if (a.kind === 'user') ids.add(a.userId)
        for (const id of s.escalateTo ?? []) ids.add(id)
      }
    }
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
    return run(async () => {
      const port = useSessionStore().requirePort()
      // The frame's APP_OPTIONS is a snapshot of page load; a forced load asks the portal.
      const raw = force
        ? await port.call<unknown>('app.option.get', { option: APP_OPTION_KEYS.routes })
        : await port.appOption<unknown>(APP_OPTION_KEYS.routes)
      adopt(raw)
      await loadPeople(saved.value)
    }, { force })
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

  // --- draft edits (domain/routeDraft.ts): each replaces the touched route ---

  const edit = (next: Route[]): void => {
    draft.value = next
  }
  const route = (id: string): Route | undefined => edits.findRoute(draft.value, id)
  /** Adds an empty route (the default one when there is none yet) and returns its id. */
  function addRoute(name = ''): string {
    const id = newId(draft.value)
    edit(edits.addRoute(draft.value, id, name))
    return id
  }
  const removeRoute = (id: string) => edit(edits.removeRoute(draft.value, id))
  const moveRoute = (id: string, delta: Move) => edit(edits.moveRoute(draft.value, id, delta))
  const renameRoute = (id: string, name: string) => edit(edits.renameRoute(draft.value, id, name))
  const setDefault = (id: string, isDefault: boolean) => edit(edits.setDefault(draft.value, id, isDefault))
  const setConditions = (id: string, patch: Partial<RouteConditions>) => edit(edits.setConditions(draft.value, id, patch))
  const addStep = (id: string, title = '') => edit(edits.addStep(draft.value, id, title))
  const removeStep = (id: string, index: number) => edit(edits.removeStep(draft.value, id, index))
  const moveStep = (id: string, index: number, delta: Move) => edit(edits.moveStep(draft.value, id, index, delta))
  const updateStep = (id: string, index: number, patch: StepPatch) => edit(edits.updateStep(draft.value, id, index, patch))
  const addApprovers = (id: string, index: number, refs: readonly ApproverRef[]) => edit(edits.addApprovers(draft.value, id, index, refs))
  const removeApprover = (id: string, index: number, a: ApproverRef) => edit(edits.removeApprover(draft.value, id, index, a))
  const setReapproval = (id: string, rule: ReapprovalRule) => edit(edits.setReapproval(draft.value, id, rule))
  const setRequired = (id: string, fields: readonly RequiredField[]) => edit(edits.setRequired(draft.value, id, fields))
  const setWatch = (id: string, index: number, fields: readonly WatchField[] | null) => edit(edits.setWatch(draft.value, id, index, fields))
  const setReminders = (id: string, minutes: readonly number[]) => edit(edits.setReminders(draft.value, id, minutes))
  /** `index` null: the whole route's escalation people; [] = back to the default. */
  const setEscalation = (id: string, index: number | null, userIds: readonly number[]) => edit(edits.setEscalation(draft.value, id, index, userIds))

  /** The portal's employee picker for the escalation people of a route or step; cancel changes nothing. */
  async function pickEscalation(id: string, index: number | null): Promise<void> {
    saveError.value = null
    try {
      const picked = (await useSessionStore().requirePort().selectUsers()).filter((u) => u.id > 0)
      if (picked.length === 0) return
      rememberPeople(picked)
      setEscalation(id, index, picked.map((u) => u.id))
    } catch (e) {
      saveError.value = toAppError(e)
    }
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
    addStep, removeStep, moveStep, updateStep, addApprovers, removeApprover, pickApprovers, setReapproval, setRequired, setWatch,
    setReminders, setEscalation, pickEscalation,
  }
})
