/**
 * Provisions everything the app keeps in Bitrix24, through the BitrixPort only.
 *
 * Idempotent and resumable: every step first reads what exists and creates only what is
 * missing, so a second run creates nothing and a run interrupted by any failing REST call is
 * completed by the next one. The install record is written last: its presence means "complete".
 */
import { APP_OPTION_KEYS } from '../../domain/schema.ts'
import type { RouteSet } from '../../domain/route.ts'
import { AppError, toAppError } from '../../platform/errors.ts'
import type { BitrixPort } from '../../platform/port.ts'
import { ensureFields } from './fields.ts'
import { ensureCardLayout } from './layout.ts'
import { ensurePlacements } from './placements.ts'
import { buildRecord, ensureRoutes, parseInstallRecord, starterRoutes } from './routes.ts'
import { ensureSmartProcess } from './smartProcess.ts'
import { ensureStorage } from './storage.ts'
import type { TypeInfo } from './smartProcess.ts'
import { defaultCategoryId, ensureStages } from './stages.ts'
import { emptySteps } from './types.ts'
import type { InstallOptions, InstallRecord, InstallResult, InstallStepId, InstallSteps, StepState } from './types.ts'

import { pickLocale } from '../../locales/index.ts'

export * from './types.ts'
export { parseInstallRecord } from './routes.ts'

/** Portal languages whose users read Russian get Russian names in the portal; the rest English (one rule: pickLocale). */
export const portalLanguage = pickLocale

export const NOT_ADMIN = 'INSTALL_NOT_ADMIN'

class StepFailed extends Error {
  constructor(
    readonly step: InstallStepId,
    readonly appError: AppError,
  ) {
    super(appError.message)
  }
}

export async function runInstall(port: BitrixPort, opts: InstallOptions): Promise<InstallResult> {
  const steps: InstallSteps = emptySteps()
  const lang = portalLanguage(opts.lang ?? port.lang)
  const now = () => (opts.now ? opts.now() : new Date()).toISOString()

  const report = (id: InstallStepId, patch: Partial<StepState>) => {
    Object.assign(steps[id], patch)
    opts.onProgress?.(id, { ...steps[id] })
  }

  async function step<T>(id: InstallStepId, body: (state: StepState) => Promise<T>): Promise<T> {
    report(id, { status: 'running', error: null })
    try {
      const out = await body(steps[id])
      report(id, { status: 'done' })
      return out
    } catch (e) {
      const error = toAppError(e)
      report(id, { status: 'failed', error })
      throw new StepFailed(id, error)
    }
  }

  try {
    await step('admin', async () => {
      if (!port.isAdmin) {
        throw new AppError('access', NOT_ADMIN, 'Only a Bitrix24 administrator can install the app')
      }
    })

    let stored: InstallRecord | undefined
    const typeOutcome = await step('type', async (state) => {
      stored = parseInstallRecord(await port.appOption<unknown>(APP_OPTION_KEYS.install))
      return ensureSmartProcess(port, stored, { adopt: opts.adopt, lang }, state)
    })
    if ('candidates' in typeOutcome) {
      // The admin decides; the type step waits for the answer rather than counting as failed.
      report('type', { status: 'pending' })
      return { status: 'needsChoice', candidates: typeOutcome.candidates, steps }
    }
    const type: TypeInfo = typeOutcome.type
    const ownType = typeOutcome.own

    const categoryId = await step('stages', async (state) => {
      const id = await defaultCategoryId(port, type.entityTypeId)
      await ensureStages(port, type.entityTypeId, id, { lang, ownType }, state)
      return id
    })

    await step('fields', async (state) => {
      await ensureFields(port, type.id, state)
      await ensureCardLayout(port, type.entityTypeId, type.id, lang)
    })
    await step('placements', (state) => ensurePlacements(port, type.entityTypeId, opts.handlerUrl, lang, state))
    await step('routes', (state) =>
      ensureRoutes(port, () => fallbackRoutes(port, opts.defaultRoutes, lang, now()), state),
    )

    await step('storage', (state) => ensureStorage(port, lang, state))

    const record = await step('record', async (state) => {
      const record = buildRecord(type.id, type.entityTypeId, categoryId, now(), (await appCodeOf(port)) ?? stored?.appCode)
      const sameType = stored && stored.typeId === record.typeId && stored.entityTypeId === record.entityTypeId && stored.categoryId === record.categoryId
      // The same installation (only the app's code is new, to an older record): its date stays.
      if (sameType && stored) record.installedAt = stored.installedAt || record.installedAt
      if (sameType && stored && stored.appCode === record.appCode) {
        state.found.push(APP_OPTION_KEYS.install)
        return record
      }
      await port.setAppOption(APP_OPTION_KEYS.install, record)
      state.created.push(APP_OPTION_KEYS.install)
      return record
    })

    if (port.install.installMode) {
      await step('finish', () => port.installFinish())
    } else {
      report('finish', { status: 'skipped' })
    }
    return { status: 'done', record, steps }
  } catch (e) {
    if (e instanceof StepFailed) return { status: 'failed', step: e.step, error: e.appError, steps }
    throw e
  }
}

/**
 * The app's code (app.info → CODE: the symbolic code, or a local app's client_id), which links to
 * the app need (`/marketplace/view/{code}/`, widgets/universal/app-url.md). Optional: without it
 * notifications link to the card as before, so a portal that does not answer does not stop the install.
 */
async function appCodeOf(port: BitrixPort): Promise<string | undefined> {
  try {
    const info = await port.call<{ CODE?: unknown }>('app.info', {})
    return typeof info?.CODE === 'string' && info.CODE !== '' ? info.CODE : undefined
  } catch {
    return undefined
  }
}

async function fallbackRoutes(port: BitrixPort, given: RouteSet | undefined, lang: string, at: string): Promise<RouteSet> {
  if (given) return given
  const me = await port.currentUser()
  return starterRoutes(me.id, lang, at)
}
