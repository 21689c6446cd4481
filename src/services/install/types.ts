/**
 * The installer's vocabulary: its steps, what each reports while it runs, and what a run ends
 * with. The wizard's store renders these; nothing here knows Vue or the SDK.
 */
import type { FieldKey } from '../../domain/schema.ts'
import type { RouteSet } from '../../domain/route.ts'
import type { AppError } from '../../platform/errors.ts'

import { INSTALL_STEPS, type InstallStepId } from '../../domain/install.ts'

export { INSTALL_STEPS, type InstallStepId }

export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped'

export interface StepState {
  status: StepStatus
  /** What this run created in Bitrix24 (stage codes, field names, placement codes…). */
  created: string[]
  /** What already existed and was kept. */
  found: string[]
  /** What existed and was changed to match (renamed stages, enabled type flags). */
  updated: string[]
  /** What was removed (default stages of our own type that the workflow does not use). */
  removed: string[]
  error: AppError | null
}

/** A smart process named like contracts that the admin may adopt instead of creating one. */
export interface AdoptCandidate {
  id: number
  entityTypeId: number
  title: string
}

/** What the installer keeps under APP_OPTION_KEYS.install once everything exists. */
export interface InstallRecord {
  version: 1
  typeId: number
  entityTypeId: number
  categoryId: number
  fields: Record<FieldKey, string>
  installedAt: string
  /**
   * The app's code (app.info CODE: a local app's client_id), for links that open the app itself
   * (`/marketplace/view/{code}/`, widgets/universal/app-url.md). Absent in records written before
   * it was kept: links then go to the card.
   */
  appCode?: string
}

export type InstallSteps = Record<InstallStepId, StepState>

export type InstallResult =
  | { status: 'done'; record: InstallRecord; steps: InstallSteps }
  /** A contracts-like smart process exists: rerun with `adopt: { typeId }` or `adopt: 'create'`. */
  | { status: 'needsChoice'; candidates: AdoptCandidate[]; steps: InstallSteps }
  | { status: 'failed'; step: InstallStepId; error: AppError; steps: InstallSteps }

export interface InstallOptions {
  onProgress?: (step: InstallStepId, state: Readonly<StepState>) => void
  /** The admin's answer to a `needsChoice` result. */
  adopt?: { typeId: number } | 'create'
  /** Language of stage names and placement titles written to the portal (`ru` or anything else → English). */
  lang?: string
  /** The URL Bitrix24 opens for the placements: the app's own address (window.location in the browser). */
  handlerUrl: string
  /** Routes to store when none exist; by default one route: department head, then the installing admin. */
  defaultRoutes?: RouteSet
  /** Clock for installedAt / route timestamps. */
  now?: () => Date
}

export function emptyStep(): StepState {
  return { status: 'pending', created: [], found: [], updated: [], removed: [], error: null }
}

export function emptySteps(): InstallSteps {
  const steps = {} as InstallSteps
  for (const id of INSTALL_STEPS) steps[id] = emptyStep()
  return steps
}
