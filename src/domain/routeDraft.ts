/**
 * Edits of a draft of approval routes, as the Settings tab makes them. Each returns a new list
 * and replaces only the route it touched, so the stored edition the draft started from is never
 * mutated and an unchanged route keeps its identity. Validation is `validateRouteSet`'s job.
 */
import { DEFAULT_REMINDERS, DEFAULT_REQUIRED, NO_CONDITIONS, type ApproverRef, type ReapprovalRule, type RequiredField, type Route, type RouteConditions, type RouteStep, type WatchField } from './route.ts'

export const DEFAULT_SLA_HOURS = 24

export type Draft = readonly Route[]

/** Routes are tried in list order, so the admin orders them (and the steps in them). */
export type Move = -1 | 1

/**
 * The list with the element at `from` moved one place up (-1) or down (+1); the same list when
 * that would leave it.
 *
 * @example moveBy(['a', 'b', 'c'], 2, -1) // ['a', 'c', 'b']
 */
export function moveBy<T>(list: readonly T[], from: number, delta: Move): readonly T[] {
  const to = from + delta
  if (from < 0 || from >= list.length || to < 0 || to >= list.length) return list
  const out = [...list]
  const [moved] = out.splice(from, 1) as [T]
  out.splice(to, 0, moved)
  return out
}

const approverKey = (a: ApproverRef): string => (a.kind === 'user' ? `u${a.userId}` : 'head')

function replaceRoute(draft: Draft, id: string, change: (r: Route) => Route): Route[] {
  return draft.map((r) => (r.id === id ? change(r) : r))
}

function replaceStep(draft: Draft, id: string, index: number, change: (s: RouteStep) => RouteStep): Route[] {
  return replaceRoute(draft, id, (r) => ({ ...r, steps: r.steps.map((s, i) => (i === index ? change(s) : s)) }))
}

export function findRoute(draft: Draft, id: string): Route | undefined {
  return draft.find((r) => r.id === id)
}

/** An empty route at the end; the first one is the default route. New routes require the usual fields. */
export function addRoute(draft: Draft, id: string, name = ''): Route[] {
  const isDefault = !draft.some((r) => r.isDefault)
  return [...draft, { id, name, isDefault, conditions: NO_CONDITIONS, steps: [], required: [...DEFAULT_REQUIRED], reminders: [...DEFAULT_REMINDERS] }]
}

/** The to-dos' reminders, minutes before the deadline, latest first; [] = none. */
export function setReminders(draft: Draft, id: string, minutes: readonly number[]): Route[] {
  const list = [...new Set(minutes)].filter((m) => Number.isInteger(m) && m >= 0).sort((a, b) => b - a)
  return replaceRoute(draft, id, (r) => ({ ...r, reminders: list }))
}

/**
 * Who is told when a step is overdue: for the whole route (`index` null) or one step. An empty
 * list drops the field: the step falls back to the route's people, the route to the approvers' heads.
 */
export function setEscalation(draft: Draft, id: string, index: number | null, userIds: readonly number[]): Route[] {
  const list = [...new Set(userIds)]
  if (index === null) {
    return replaceRoute(draft, id, (r) => {
      const { escalateTo: _old, ...rest } = r
      return list.length ? { ...rest, escalateTo: list } : rest
    })
  }
  return replaceStep(draft, id, index, (s) => {
    const { escalateTo: _old, ...rest } = s
    return list.length ? { ...rest, escalateTo: list } : rest
  })
}

/** Whose approvals stand when the contract comes back changed (route.ts ReapprovalRule). */
export function setReapproval(draft: Draft, id: string, rule: ReapprovalRule): Route[] {
  return replaceRoute(draft, id, (r) => {
    const { reapproval: _old, ...rest } = r
    return rule === 'all' ? rest : { ...rest, reapproval: rule }
  })
}

/** What a submission on this route must have. */
export function setRequired(draft: Draft, id: string, fields: readonly RequiredField[]): Route[] {
  return replaceRoute(draft, id, (r) => ({ ...r, required: [...fields] }))
}

/** The fields a step's approvers check; null = everything (no list kept). */
export function setWatch(draft: Draft, id: string, index: number, fields: readonly WatchField[] | null): Route[] {
  return replaceStep(draft, id, index, (s) => {
    const { watch: _old, ...rest } = s
    return fields === null ? rest : { ...rest, watch: [...fields] }
  })
}

export function removeRoute(draft: Draft, id: string): Route[] {
  return draft.filter((r) => r.id !== id)
}

export function moveRoute(draft: Draft, id: string, delta: Move): Route[] {
  return [...moveBy(draft, draft.findIndex((r) => r.id === id), delta)]
}

export function renameRoute(draft: Draft, id: string, name: string): Route[] {
  return replaceRoute(draft, id, (r) => ({ ...r, name }))
}

/** There is one default route: making one default makes the others conditional. */
export function setDefault(draft: Draft, id: string, isDefault: boolean): Route[] {
  return draft.map((r) => {
    if (r.id === id) return { ...r, isDefault }
    return isDefault && r.isDefault ? { ...r, isDefault: false } : r
  })
}

export function setConditions(draft: Draft, id: string, patch: Partial<RouteConditions>): Route[] {
  return replaceRoute(draft, id, (r) => ({ ...r, conditions: { ...r.conditions, ...patch } }))
}

/** An empty step at the end: anyone of its approvers decides, within a day. */
export function addStep(draft: Draft, id: string, title = ''): Route[] {
  return replaceRoute(draft, id, (r) => ({ ...r, steps: [...r.steps, { title, approvers: [], mode: 'any', slaHours: DEFAULT_SLA_HOURS }] }))
}

export function removeStep(draft: Draft, id: string, index: number): Route[] {
  return replaceRoute(draft, id, (r) => ({ ...r, steps: r.steps.filter((_, i) => i !== index) }))
}

export function moveStep(draft: Draft, id: string, index: number, delta: Move): Route[] {
  return replaceRoute(draft, id, (r) => {
    const steps = moveBy(r.steps, index, delta)
    return steps === r.steps ? r : { ...r, steps: [...steps] }
  })
}

export type StepPatch = Partial<Pick<RouteStep, 'title' | 'mode' | 'slaHours'>>

export function updateStep(draft: Draft, id: string, index: number, patch: StepPatch): Route[] {
  return replaceStep(draft, id, index, (s) => ({ ...s, ...patch }))
}

/** Adds approvers, skipping anyone already on the step. */
export function addApprovers(draft: Draft, id: string, index: number, refs: readonly ApproverRef[]): Route[] {
  return replaceStep(draft, id, index, (s) => {
    const approvers = [...s.approvers]
    for (const a of refs) if (!approvers.some((x) => approverKey(x) === approverKey(a))) approvers.push(a)
    return { ...s, approvers }
  })
}

export function removeApprover(draft: Draft, id: string, index: number, approver: ApproverRef): Route[] {
  return replaceStep(draft, id, index, (s) => ({ ...s, approvers: s.approvers.filter((a) => approverKey(a) !== approverKey(approver)) }))
}
