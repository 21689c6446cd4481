/**
 * Approval routes: what the admin edits (RouteSet, stored with app.option.set under
 * APP_OPTION_KEYS.routes), how a contract picks one, and the frozen copy a round runs on.
 */

import type { ContractSnapshot, SnapshotField } from './snapshot'
import { decodeStoredJson } from './json'
import { canonicalJson } from './log'
import { sha256Hex } from './sha256'

export type StepMode = 'all' | 'any'

/** Who approves a step: a named user, or the head of the author's department at submit time. */
export type ApproverRef = { readonly kind: 'user'; readonly userId: number } | { readonly kind: 'departmentHead' }

/** What an approver may care about: a contract field, or the document version. */
export type WatchField = SnapshotField | 'document'

/**
 * Whose approvals stand when the contract comes back changed (a resubmission, or an edit
 * mid-round): `all` asks everyone again; `fromReturned` keeps the steps before the one that
 * returned it (mid-round, nothing returned: everyone again); `changed` asks only the steps whose
 * watched fields changed, the others carried over.
 */
export type ReapprovalRule = 'all' | 'fromReturned' | 'changed'

export const REAPPROVAL_RULES: readonly ReapprovalRule[] = ['all', 'fromReturned', 'changed']

/** Fields a submission must have (reapproval.ts `missingRequired`); a new route starts with DEFAULT_REQUIRED. */
export type RequiredField = 'document' | 'number' | 'amount' | 'companyId' | 'date' | 'contractType'

export const DEFAULT_REQUIRED: readonly RequiredField[] = ['document', 'number', 'amount', 'companyId']

export interface RouteStep {
  readonly title: string
  readonly approvers: readonly ApproverRef[]
  /** `all`: every approver must approve; `any`: the first approval completes the step. */
  readonly mode: StepMode
  /** Calendar hours from the step's start to its deadline. */
  readonly slaHours: number
  /** The fields this step's approvers check; absent = every field and the document. */
  readonly watch?: readonly WatchField[]
  /** Who is told when this step is overdue; absent = the route's `escalateTo`, then the approvers' heads. */
  readonly escalateTo?: readonly number[]
}

/**
 * Reminders of an approver's to-do, in minutes before the step's deadline: Bitrix24's own
 * `pingOffsets` of `crm.activity.todo.add` (0 = at the deadline). A new route starts with
 * DEFAULT_REMINDERS; a route saved before they existed has none (its to-dos had none).
 */
export const REMINDER_CHOICES: readonly number[] = [2880, 1440, 180, 60, 15, 0]
export const DEFAULT_REMINDERS: readonly number[] = [1440, 60]

/**
 * When a route applies. Amounts are in the contract's currency: `amountFrom` inclusive,
 * `amountTo` exclusive, null = unbounded. An empty `contractTypes` matches every type.
 */
export interface RouteConditions {
  readonly amountFrom: number | null
  readonly amountTo: number | null
  readonly contractTypes: readonly string[]
}

export interface Route {
  readonly id: string
  readonly name: string
  /** The default route takes contracts no other route matches; its conditions are ignored. */
  readonly isDefault: boolean
  readonly conditions: RouteConditions
  readonly steps: readonly RouteStep[]
  /** Absent = `all` (everyone again). */
  readonly reapproval?: ReapprovalRule
  /** What a submission must have; absent (a route saved before the rule) = nothing. */
  readonly required?: readonly RequiredField[]
  /** Minutes before the deadline the approver's to-do reminds them; absent = no reminders. */
  readonly reminders?: readonly number[]
  /** Who is told when a step is overdue, unless the step names its own; absent = the approvers' heads. */
  readonly escalateTo?: readonly number[]
}

export interface RouteSet {
  readonly v: 1
  /** Bumped on every save, so a frozen route says which edition it came from. */
  readonly version: number
  readonly updatedAt: string | null
  readonly updatedBy: number | null
  readonly routes: readonly Route[]
  /**
   * routeHash of every route of every version the admins published, this one included. The set
   * lives in an app option only admins can write, so a frozen route whose source hash is not
   * here was not published (an author cannot make up a route naming herself).
   */
  readonly published?: readonly string[]
}

export interface FrozenStep {
  readonly title: string
  readonly mode: StepMode
  readonly slaHours: number
  /** Concrete user ids: department heads already resolved. */
  readonly approverIds: readonly number[]
  readonly watch?: readonly WatchField[]
  /** As the route's step named it. */
  readonly escalateTo?: readonly number[]
}

/** The route one round runs on. Later edits of the RouteSet never change it. */
export interface FrozenRoute {
  readonly routeId: string
  readonly name: string
  readonly version: number
  readonly steps: readonly FrozenStep[]
  /** Absent = `all`. */
  readonly reapproval?: ReapprovalRule
  /** The to-dos' reminders (minutes before the deadline); absent = none. */
  readonly reminders?: readonly number[]
  /** The route's escalation people; absent = the approvers' heads. */
  readonly escalateTo?: readonly number[]
  /**
   * What the route said before freezing (absent in rounds frozen before it was kept): with the
   * frozen fields it rebuilds the published route, whose routeHash must be a published one.
   */
  readonly origin?: FrozenOrigin
}

export interface FrozenOrigin {
  readonly isDefault: boolean
  readonly conditions: RouteConditions
  /** Per step, the approvers as the route named them (before department heads were resolved). */
  readonly approvers: readonly (readonly ApproverRef[])[]
}

export const NO_CONDITIONS: RouteConditions = { amountFrom: null, amountTo: null, contractTypes: [] }

export const EMPTY_ROUTE_SET: RouteSet = { v: 1, version: 0, updatedAt: null, updatedBy: null, routes: [] }

// ---------------------------------------------------------------------------------------------
// Validation

export type RouteIssueCode =
  | 'noRoutes'
  | 'noDefault'
  | 'multipleDefaults'
  | 'duplicateRouteId'
  | 'emptyName'
  | 'noSteps'
  | 'emptyStepTitle'
  | 'stepWithoutApprovers'
  | 'duplicateApprover'
  | 'invalidUserId'
  | 'invalidSla'
  | 'invalidAmountRange'
  | 'overlappingConditions'

export interface RouteIssue {
  readonly code: RouteIssueCode
  /** Errors block saving and submitting; warnings are shown to the admin. */
  readonly severity: 'error' | 'warning'
  readonly routeId?: string
  readonly stepIndex?: number
  /** For overlaps: the other route. */
  readonly otherRouteId?: string
}

const validUserId = (id: unknown): boolean => Number.isInteger(id) && (id as number) > 0

/** Errors of one route on its own (conditions overlap is a property of the set). */
export function validateRoute(route: Route): RouteIssue[] {
  const issues: RouteIssue[] = []
  const at = (code: RouteIssueCode, stepIndex?: number): RouteIssue =>
    stepIndex === undefined ? { code, severity: 'error', routeId: route.id } : { code, severity: 'error', routeId: route.id, stepIndex }
  if (route.name.trim() === '') issues.push(at('emptyName'))
  if (route.steps.length === 0) issues.push(at('noSteps'))
  route.steps.forEach((step, i) => {
    if (step.title.trim() === '') issues.push(at('emptyStepTitle', i))
    if (step.approvers.length === 0) issues.push(at('stepWithoutApprovers', i))
    if (!(Number.isFinite(step.slaHours) && step.slaHours > 0)) issues.push(at('invalidSla', i))
    if (step.escalateTo && !step.escalateTo.every(validUserId)) issues.push(at('invalidUserId', i))
    const seen = new Set<string>()
    for (const a of step.approvers) {
      if (a.kind === 'user' && !(Number.isInteger(a.userId) && a.userId > 0)) issues.push(at('invalidUserId', i))
      const key = a.kind === 'user' ? `u${a.userId}` : 'head'
      if (seen.has(key)) issues.push(at('duplicateApprover', i))
      seen.add(key)
    }
  })
  if (route.escalateTo && !route.escalateTo.every(validUserId)) issues.push(at('invalidUserId'))
  const { amountFrom, amountTo } = route.conditions
  const badBound = (n: number | null) => n !== null && !(Number.isFinite(n) && n >= 0)
  if (badBound(amountFrom) || badBound(amountTo) || (amountFrom !== null && amountTo !== null && amountFrom >= amountTo)) {
    issues.push(at('invalidAmountRange'))
  }
  return issues
}

function amountRangesOverlap(a: RouteConditions, b: RouteConditions): boolean {
  const lo = Math.max(a.amountFrom ?? -Infinity, b.amountFrom ?? -Infinity)
  const hi = Math.min(a.amountTo ?? Infinity, b.amountTo ?? Infinity)
  return lo < hi
}

function typesOverlap(a: RouteConditions, b: RouteConditions): boolean {
  if (a.contractTypes.length === 0 || b.contractTypes.length === 0) return true
  return a.contractTypes.some((t) => b.contractTypes.some((u) => normalizeType(u) === normalizeType(t)))
}

/** Two conditional routes overlap when one contract could match both (the first one wins). */
export function conditionsOverlap(a: RouteConditions, b: RouteConditions): boolean {
  return amountRangesOverlap(a, b) && typesOverlap(a, b)
}

/** Everything wrong with a route set. Saving is allowed only when no issue is an error. */
export function validateRouteSet(set: RouteSet): RouteIssue[] {
  const issues: RouteIssue[] = []
  if (set.routes.length === 0) return [{ code: 'noRoutes', severity: 'error' }]
  const defaults = set.routes.filter((r) => r.isDefault)
  if (defaults.length === 0) issues.push({ code: 'noDefault', severity: 'error' })
  if (defaults.length > 1) {
    for (const r of defaults.slice(1)) issues.push({ code: 'multipleDefaults', severity: 'error', routeId: r.id })
  }
  const ids = new Set<string>()
  for (const r of set.routes) {
    if (ids.has(r.id)) issues.push({ code: 'duplicateRouteId', severity: 'error', routeId: r.id })
    ids.add(r.id)
    issues.push(...validateRoute(r))
  }
  const conditional = set.routes.filter((r) => !r.isDefault)
  for (let i = 0; i < conditional.length; i++) {
    for (let j = i + 1; j < conditional.length; j++) {
      const a = conditional[i] as Route
      const b = conditional[j] as Route
      if (conditionsOverlap(a.conditions, b.conditions)) {
        issues.push({ code: 'overlappingConditions', severity: 'warning', routeId: b.id, otherRouteId: a.id })
      }
    }
  }
  return issues
}

export function hasErrors(issues: readonly RouteIssue[]): boolean {
  return issues.some((i) => i.severity === 'error')
}

// ---------------------------------------------------------------------------------------------
// Selection and freezing

export type RouteFacts = Pick<ContractSnapshot, 'amount' | 'contractType'>

/** Contract types compare trimmed, inner runs of spaces collapsed, case-insensitive. */
export function normalizeType(type: string | null | undefined): string {
  return (type ?? '').replace(/\s+/g, ' ').trim().toLocaleLowerCase()
}

export function routeMatches(route: Route, facts: RouteFacts): boolean {
  const c = route.conditions
  if (c.amountFrom !== null || c.amountTo !== null) {
    if (facts.amount === null) return false
    if (c.amountFrom !== null && facts.amount < c.amountFrom) return false
    if (c.amountTo !== null && facts.amount >= c.amountTo) return false
  }
  if (c.contractTypes.length > 0) {
    const type = normalizeType(facts.contractType)
    if (type === '' || !c.contractTypes.some((t) => normalizeType(t) === type)) return false
  }
  return true
}

/** The first conditional route (in the admin's order) that matches, else the default route. */
export function selectRoute(set: RouteSet, facts: RouteFacts): Route | null {
  return set.routes.find((r) => !r.isDefault && routeMatches(r, facts)) ?? set.routes.find((r) => r.isDefault) ?? null
}

/**
 * Resolves a route to concrete approvers. `departmentHeadIds` are the heads of the author's
 * department, looked up by the caller (the domain knows no org chart); duplicates collapse.
 * Returns the index of the first step left without anyone, or the frozen route.
 */
export function freezeRoute(
  route: Route,
  version: number,
  departmentHeadIds: readonly number[],
  /** Never an approver of this contract, whatever the route says: its author. */
  authorId: number | null = null,
): { ok: true; route: FrozenRoute } | { ok: false; emptyStep: number } {
  const steps: FrozenStep[] = []
  for (const [i, step] of route.steps.entries()) {
    const ids: number[] = []
    for (const a of step.approvers) {
      const candidates = a.kind === 'user' ? [a.userId] : departmentHeadIds
      for (const id of candidates) if (!ids.includes(id) && id !== authorId) ids.push(id)
    }
    if (ids.length === 0) return { ok: false, emptyStep: i }
    steps.push({
      title: step.title, mode: step.mode, slaHours: step.slaHours, approverIds: ids, ...(step.watch ? { watch: [...step.watch] } : {}),
      ...(step.escalateTo?.length ? { escalateTo: [...step.escalateTo] } : {}),
    })
  }
  const origin: FrozenOrigin = {
    isDefault: route.isDefault,
    conditions: route.conditions,
    approvers: route.steps.map((s) => s.approvers.map((a) => (a.kind === 'user' ? { kind: 'user' as const, userId: a.userId } : { kind: 'departmentHead' as const }))),
  }
  const rule = route.reapproval && route.reapproval !== 'all' ? { reapproval: route.reapproval } : {}
  const reminders = route.reminders?.length ? { reminders: [...route.reminders] } : {}
  const escalation = route.escalateTo?.length ? { escalateTo: [...route.escalateTo] } : {}
  return { ok: true, route: { routeId: route.id, name: route.name, version, steps, ...rule, ...reminders, ...escalation, origin } }
}

/**
 * A route's identity as published: only the fields that decide who approves and who is told
 * when a step is overdue, canonical. The re-approval rule, watched fields and escalation people
 * count only when set, so routes published before they existed keep their hashes.
 */
export function routeHash(route: Route): string {
  const c = route.conditions
  return sha256Hex(canonicalJson({
    id: route.id, name: route.name, isDefault: route.isDefault,
    conditions: { amountFrom: c.amountFrom, amountTo: c.amountTo, contractTypes: [...c.contractTypes] },
    steps: route.steps.map((s) => ({
      title: s.title, mode: s.mode, slaHours: s.slaHours,
      approvers: s.approvers.map((a) => (a.kind === 'user' ? { kind: 'user', userId: a.userId } : { kind: 'departmentHead' })),
      ...(s.watch ? { watch: [...s.watch] } : {}),
      ...(s.escalateTo?.length ? { escalateTo: [...s.escalateTo] } : {}),
    })),
    ...(route.reapproval && route.reapproval !== 'all' ? { reapproval: route.reapproval } : {}),
    ...(route.escalateTo?.length ? { escalateTo: [...route.escalateTo] } : {}),
  }))
}

/** Every published route's hash: the stored history plus the routes of this version. */
export function publishedHashes(set: RouteSet): Set<string> {
  return new Set([...(set.published ?? []), ...set.routes.map(routeHash)])
}

/**
 * The published route a frozen one came from, rebuilt, or null when it cannot be (frozen before
 * origins were kept, or its fields do not fit). The frozen approvers must be what the refs say:
 * every named user (but the author), and others only where a step names department heads.
 */
export function sourceOf(frozen: FrozenRoute): Route | null {
  const o = frozen.origin
  if (!o || !Array.isArray(o.approvers) || o.approvers.length !== frozen.steps.length || !o.conditions) return null
  const steps: RouteStep[] = []
  for (const [i, s] of frozen.steps.entries()) {
    const refs: readonly ApproverRef[] = o.approvers[i] ?? []
    const named = refs.flatMap((a) => (a.kind === 'user' ? [a.userId] : []))
    const heads = refs.some((a) => a.kind === 'departmentHead')
    if (!Array.isArray(s.approverIds) || s.approverIds.some((id) => !named.includes(id) && !heads)) return null
    steps.push({
      title: s.title, approvers: refs, mode: s.mode, slaHours: s.slaHours, ...(Array.isArray(s.watch) ? { watch: s.watch } : {}),
      ...(Array.isArray(s.escalateTo) ? { escalateTo: s.escalateTo } : {}),
    })
  }
  const rule = frozen.reapproval && frozen.reapproval !== 'all' ? { reapproval: frozen.reapproval } : {}
  const escalation = Array.isArray(frozen.escalateTo) ? { escalateTo: frozen.escalateTo } : {}
  return { id: frozen.routeId, name: frozen.name, isDefault: o.isDefault, conditions: o.conditions, steps, ...rule, ...escalation }
}

/** Whether the frozen route is one the administrators published. */
export function isPublishedRoute(frozen: FrozenRoute, published: ReadonlySet<string>): boolean {
  const source = sourceOf(frozen)
  return source !== null && published.has(routeHash(source))
}

// ---------------------------------------------------------------------------------------------
// Versioning and storage

/** The next edition of a route set: same shape, version + 1, who and when. */
export function nextRouteSet(prev: RouteSet, routes: readonly Route[], at: string, by: number): RouteSet {
  const published = [...new Set([...publishedHashes(prev), ...routes.map(routeHash)])]
  return { v: 1, version: prev.version + 1, updatedAt: at, updatedBy: by, routes, published }
}

export function serializeRouteSet(set: RouteSet): string {
  return JSON.stringify(set)
}

export type RouteSetParseError = 'invalidJson' | 'unsupportedVersion' | 'invalidShape'

function isConditions(x: unknown): x is RouteConditions {
  const c = x as RouteConditions
  const bound = (n: unknown) => n === null || typeof n === 'number'
  return typeof c === 'object' && c !== null && bound(c.amountFrom) && bound(c.amountTo) &&
    Array.isArray(c.contractTypes) && c.contractTypes.every((t) => typeof t === 'string')
}

function isStep(x: unknown): x is RouteStep {
  const s = x as RouteStep
  return typeof s === 'object' && s !== null && typeof s.title === 'string' && (s.mode === 'all' || s.mode === 'any') &&
    typeof s.slaHours === 'number' && Array.isArray(s.approvers) &&
    s.approvers.every((a) => (a?.kind === 'user' && typeof a.userId === 'number') || a?.kind === 'departmentHead') &&
    (s.watch === undefined || (Array.isArray(s.watch) && s.watch.every((w) => typeof w === 'string'))) &&
    (s.escalateTo === undefined || isIdList(s.escalateTo))
}

const isIdList = (x: unknown): boolean => Array.isArray(x) && x.every((n) => typeof n === 'number')
const isMinutes = (x: unknown): boolean => Array.isArray(x) && x.every((n) => Number.isInteger(n) && n >= 0)

function isRoute(x: unknown): x is Route {
  const r = x as Route
  return typeof r === 'object' && r !== null && typeof r.id === 'string' && typeof r.name === 'string' &&
    typeof r.isDefault === 'boolean' && isConditions(r.conditions) && Array.isArray(r.steps) && r.steps.every(isStep) &&
    (r.reapproval === undefined || REAPPROVAL_RULES.includes(r.reapproval)) &&
    (r.required === undefined || (Array.isArray(r.required) && r.required.every((f) => typeof f === 'string'))) &&
    (r.reminders === undefined || isMinutes(r.reminders)) && (r.escalateTo === undefined || isIdList(r.escalateTo))
}

/**
 * Who is told when the current step of a round on `route` is overdue: the step's escalation
 * people, else the route's, else (a route that names nobody, as every route saved before this
 * rule) the heads of the approvers still waiting. Never the waiting approvers themselves; when
 * the named people are all among them, the heads are told instead.
 */
export function escalationRecipients(
  route: FrozenRoute | null,
  step: number,
  waiting: readonly number[],
  /** The heads of each waiting approver (the caller looks them up; only asked for when needed). */
  headsOf: (approverId: number) => readonly number[],
): number[] {
  const named = namedEscalation(route, step).filter((id) => !waiting.includes(id))
  if (named.length > 0) return named
  const heads: number[] = []
  for (const a of waiting) for (const h of headsOf(a)) if (!waiting.includes(h) && !heads.includes(h)) heads.push(h)
  return heads
}

/** The escalation people the route names for a step (the step's own first), deduplicated; [] = none. */
export function namedEscalation(route: FrozenRoute | null, step: number): number[] {
  const s = route?.steps[step]
  const list = s?.escalateTo?.length ? s.escalateTo : (route?.escalateTo ?? [])
  return [...new Set(list.filter((id) => Number.isInteger(id) && id > 0))]
}

/** Reads what app.option.get returned: a JSON string or the already-decoded object; empty → no routes yet. */
export function parseRouteSet(raw: unknown): { ok: true; set: RouteSet } | { ok: false; error: RouteSetParseError } {
  if (raw === undefined || raw === null || raw === '') return { ok: true, set: EMPTY_ROUTE_SET }
  const decoded = decodeStoredJson(raw)
  if (!decoded.ok) return { ok: false, error: 'invalidJson' }
  const set = decoded.value as RouteSet
  if (typeof set !== 'object' || set === null) return { ok: false, error: 'invalidShape' }
  if (set.v !== 1) return { ok: false, error: 'unsupportedVersion' }
  if (typeof set.version !== 'number' || !Array.isArray(set.routes) || !set.routes.every(isRoute)) {
    return { ok: false, error: 'invalidShape' }
  }
  return {
    ok: true,
    set: {
      v: 1, version: set.version, updatedAt: set.updatedAt ?? null, updatedBy: set.updatedBy ?? null, routes: set.routes,
      ...(Array.isArray(set.published) ? { published: set.published.filter((h): h is string => typeof h === 'string') } : {}),
    },
  }
}
