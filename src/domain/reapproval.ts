/**
 * Approvals bound to a version of the contract, and whose approvals stand when it changes.
 *
 * A version is what an approver reviews: the contract's fields and its document. Its hash covers
 * only what the round's route watches (a title nobody checks does not unbind anybody), so the
 * same contract hashes the same in the card, in the inbox and in the machine.
 */

import { canonicalJson } from './log'
import type { FrozenRoute, FrozenStep, ReapprovalRule, RequiredField, Route, WatchField } from './route'
import { sha256Hex } from './sha256'
import { diffSnapshots, SNAPSHOT_FIELDS, type ContractSnapshot } from './snapshot'

export interface Version {
  readonly snapshot: ContractSnapshot
  readonly documentId: number | null
}

export const ALL_WATCH_FIELDS: readonly WatchField[] = [...SNAPSHOT_FIELDS, 'document']

/** What a step's approvers check (absent `watch`: everything). */
export function watchOf(step: Pick<FrozenStep, 'watch'> | undefined): readonly WatchField[] {
  return step?.watch ?? ALL_WATCH_FIELDS
}

/** Every field some step of the route watches. */
/** What hashing needs of a route: each step's watched fields. */
export type WatchedRoute = { readonly steps: readonly Pick<FrozenStep, 'watch'>[] }

export function routeWatch(route: WatchedRoute | null): readonly WatchField[] {
  if (!route) return ALL_WATCH_FIELDS
  const set = new Set<WatchField>()
  for (const s of route.steps) for (const f of watchOf(s)) set.add(f)
  return ALL_WATCH_FIELDS.filter((f) => set.has(f))
}

/**
 * The hash an approval binds to: the watched fields of `version` and its document.
 *
 * @example versionHash(route, v) === versionHash(route, { ...v, snapshot: { ...v.snapshot, title: 'x' } }) // when no step watches the title
 */
export function versionHash(route: WatchedRoute | null, version: Version): string {
  const picked: Record<string, unknown> = {}
  for (const f of routeWatch(route)) picked[f] = f === 'document' ? version.documentId : version.snapshot[f]
  return sha256Hex(canonicalJson(picked))
}

/** Fields (and `document`) that differ between two versions, in form order. */
export function changedFields(before: Version | null, after: Version): WatchField[] {
  if (!before) return []
  return diffSnapshots(before.snapshot, after.snapshot, { prev: before.documentId, next: after.documentId }).map((c) => c.field)
}

/** Whether a step must look again at a change of `changed`. */
export function stepAffected(step: Pick<FrozenStep, 'watch'> | undefined, changed: readonly WatchField[]): boolean {
  const watch = watchOf(step)
  return changed.some((f) => watch.includes(f))
}

/** The rule a frozen route runs on (absent: everyone again). */
export function ruleOf(route: Pick<FrozenRoute, 'reapproval'> | null): ReapprovalRule {
  return route?.reapproval ?? 'all'
}

/** What a step did in the round before a change: approved (and in which round first), or not. */
export interface StepBefore {
  readonly approved: boolean
  /** The step returned the contract (a resubmission's "returning step"). */
  readonly returned: boolean
  /** The same people sit on it (a re-frozen route may name others: they never saw it). */
  readonly samePeople: boolean
}

/**
 * Which steps keep their approvals when the contract comes back changed. `midRound`: the change
 * happened while the round ran (no step returned it). A returned step is never kept (it did not
 * approve), nor a step that never approved.
 *
 * @example keptSteps('changed', steps, before, ['amount'], false) // the steps that do not watch the amount and approved
 */
export function keptSteps(
  rule: ReapprovalRule,
  steps: readonly Pick<FrozenStep, 'watch'>[],
  before: readonly (StepBefore | undefined)[],
  changed: readonly WatchField[],
  midRound: boolean,
): boolean[] {
  const returnedAt = before.findIndex((b) => b?.returned)
  return steps.map((step, i) => {
    const b = before[i]
    if (!b || !b.approved || b.returned || !b.samePeople) return false
    switch (rule) {
      case 'all':
        return false
      case 'fromReturned':
        return !midRound && returnedAt >= 0 && i < returnedAt
      case 'changed':
        return !stepAffected(step, changed)
    }
  })
}

// ---------------------------------------------------------------------------------------------
// Submission rules

/**
 * The fields a route requires that the contract lacks. A route saved before routes named their
 * required fields requires none (its contracts were sent that way); new routes start with
 * DEFAULT_REQUIRED.
 */
export function missingRequired(route: Pick<Route, 'required'> | null, version: Version): RequiredField[] {
  const required = route?.required ?? []
  const s = version.snapshot
  const empty = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '') || (typeof v === 'number' && !(v > 0))
  return required.filter((f) => {
    switch (f) {
      case 'document':
        return version.documentId === null
      case 'number':
        return empty(s.number)
      case 'amount':
        return empty(s.amount)
      case 'companyId':
        return empty(s.companyId)
      case 'date':
        return empty(s.date)
      case 'contractType':
        return empty(s.contractType)
    }
  })
}
