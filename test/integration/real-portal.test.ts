/**
 * Opt-in check against a REAL Bitrix24 portal, through the SDK's B24Hook and an admin's inbound
 * webhook (Developer resources → Other → Inbound webhook, scopes crm, userfieldconfig, user,
 * department, im, placement):
 *
 *   B24_WEBHOOK_URL=https://your.bitrix24.ru/rest/1/secret/ npx vitest run test/integration/real-portal.test.ts
 *
 * Read-only by default: it says what exists and what the installer would create. With
 * B24_ALLOW_WRITE=1 it runs the installer for real (smart process, stages, fields). Placements,
 * the routes and the install record need the application's own auth, which a webhook does not
 * have: under a webhook those steps are kept in memory and reported as skipped — the install
 * wizard inside the portal does them. B24_ADOPT=create|<typeId> answers "use the existing
 * contracts smart process?" when the portal has one.
 */
import { B24Hook } from '@bitrix24/b24jssdk'
import { beforeAll, describe, expect, it } from 'vitest'
import { runInstall } from '../../src/services/install/installer.ts'
import type { InstallOptions, InstallResult } from '../../src/services/install/installer.ts'
import { isAdoptable } from '../../src/services/install/smartProcess.ts'
import { defaultCategoryId } from '../../src/services/install/stages.ts'
import type { BitrixPort, RestParams } from '../../src/platform/port.ts'
import { createSdkPort } from '../../src/platform/sdk-port.ts'
import { ADOPTED_TYPE_CODE, CONTRACT_TYPE_CODE, FIELDS, STAGES, stageEntityId, stageId, userFieldName, type FieldKey } from '../../src/domain/schema.ts'

const WEBHOOK = process.env.B24_WEBHOOK_URL?.trim() ?? ''
const ALLOW_WRITE = process.env.B24_ALLOW_WRITE === '1'
// Why the suite may not run: there is no portal here unless someone lends one.
const SKIP_REASON = 'B24_WEBHOOK_URL is not set. To check a real Bitrix24: B24_WEBHOOK_URL=https://<portal>/rest/<userId>/<secret>/ npx vitest run test/integration/real-portal.test.ts (add B24_ALLOW_WRITE=1 to install)'
if (!WEBHOOK) console.info(`[real-portal] skipped: ${SKIP_REASON}`)

interface TypeRow {
  id: number
  entityTypeId: number
  title: string
  code: string
}

/** What the installer would find and do, read without writing anything. */
interface InstallPlan {
  type: TypeRow | null
  adoptCandidates: TypeRow[]
  missingStages: string[]
  missingFields: string[]
}

async function planInstall(port: BitrixPort): Promise<InstallPlan> {
  const types = (await port.list<TypeRow>('crm.type.list', {}, { resultKey: 'types' })).map((t) => ({
    id: Number(t.id), entityTypeId: Number(t.entityTypeId), title: String(t.title ?? ''), code: String(t.code ?? ''),
  }))
  const type = types.find((t) => t.code === CONTRACT_TYPE_CODE) ?? types.find((t) => t.code === ADOPTED_TYPE_CODE) ?? null
  const adoptCandidates = type ? [] : types.filter((t) => isAdoptable(t.title))
  if (!type) {
    return { type, adoptCandidates, missingStages: STAGES.map((s) => s.code), missingFields: (Object.keys(FIELDS) as FieldKey[]).map((k) => FIELDS[k].suffix) }
  }
  const categoryId = await defaultCategoryId(port, type.entityTypeId)
  const statuses = (await port.call<{ STATUS_ID: string }[]>('crm.status.list', { filter: { ENTITY_ID: stageEntityId(type.entityTypeId, categoryId) } })) ?? []
  const have = new Set(statuses.map((s) => s.STATUS_ID))
  const fields = await port.list<{ fieldName?: string }>('userfieldconfig.list', { moduleId: 'crm', filter: { entityId: `CRM_${type.id}` } }, { resultKey: 'fields' })
  const names = new Set(fields.map((f) => String(f.fieldName ?? '').toUpperCase()))
  return {
    type,
    adoptCandidates,
    missingStages: STAGES.filter((s) => !have.has(stageId(type.entityTypeId, categoryId, s.code))).map((s) => s.code),
    missingFields: (Object.keys(FIELDS) as FieldKey[]).map((k) => userFieldName(type.id, k)).filter((n) => !names.has(n)),
  }
}

/**
 * The port the installer gets under a webhook: placement.* and app options need the app's auth,
 * so they stay in memory and are listed in `skipped`. Everything else reaches the portal.
 */
function webhookInstallPort(base: BitrixPort, skipped: Set<string>): BitrixPort {
  const options = new Map<string, unknown>()
  return {
    ...base,
    async call<T>(method: string, params?: RestParams): Promise<T> {
      if (!method.startsWith('placement.')) return base.call<T>(method, params)
      skipped.add(method === 'placement.bind' ? `placement.bind ${String(params?.PLACEMENT)}` : method)
      return (method === 'placement.get' ? [] : true) as T
    },
    async appOption<T>(key: string): Promise<T | undefined> {
      return options.get(key) as T | undefined
    },
    async setAppOption(key: string, value: unknown): Promise<void> {
      skipped.add(`app.option.set ${key}`)
      options.set(key, value)
    },
  }
}

function adoptAnswer(): InstallOptions['adopt'] {
  const raw = process.env.B24_ADOPT?.trim()
  if (!raw) return undefined
  return raw === 'create' ? 'create' : { typeId: Number(raw) }
}

describe.skipIf(!WEBHOOK)('real Bitrix24 portal (B24_WEBHOOK_URL)', () => {
  let client: B24Hook
  let reader: BitrixPort
  let isAdmin = false
  let lang = 'ru'

  beforeAll(async () => {
    client = B24Hook.fromWebhookUrl(WEBHOOK)
    client.offClientSideWarning()
    reader = createSdkPort({ client, context: { isAdmin: false, lang } })
    // `profile` is the documented way for any auth to learn whether its user is an admin.
    const profile = await reader.call<{ ADMIN?: boolean | string }>('profile')
    isAdmin = profile?.ADMIN === true || profile?.ADMIN === 'Y'
    const me = await reader.call<{ LANGUAGE_ID?: string }>('user.current')
    lang = me?.LANGUAGE_ID || lang
  }, 60_000)

  it('answers server.time', async () => {
    const time = await reader.call<string>('server.time')
    expect(Number.isNaN(Date.parse(time))).toBe(false)
  })

  it('user.current is the webhook\'s user, and an administrator', async () => {
    const me = await reader.currentUser()
    const userId = Number(/\/rest\/(\d+)\//.exec(WEBHOOK)?.[1])
    expect(me.id).toBe(userId)
    expect(isAdmin, 'the installer needs an administrator\'s webhook').toBe(true)
  })

  it('lists smart processes with crm.type.list', async () => {
    const types = await reader.list<{ id: number; entityTypeId: number }>('crm.type.list', {}, { resultKey: 'types' })
    expect(Array.isArray(types)).toBe(true)
    for (const t of types) expect(Number(t.entityTypeId)).toBeGreaterThan(0)
  })

  it('says what exists and what the installer would create (read-only)', async () => {
    const plan = await planInstall(reader)
    console.info('[real-portal] plan', JSON.stringify({
      type: plan.type ?? 'would be created', adoptCandidates: plan.adoptCandidates, missingStages: plan.missingStages, missingFields: plan.missingFields,
      notChecked: 'placements, routes and the install record need the app\'s own auth (the wizard in the portal)',
    }, null, 2))
    if (plan.type) expect(plan.missingFields.every((n) => n.startsWith(`UF_CRM_${plan.type?.id}_`))).toBe(true)
    else expect(plan.missingStages).toEqual(STAGES.map((s) => s.code))
  }, 60_000)

  it.skipIf(!ALLOW_WRITE)('installs the smart process, stages and fields; a rerun creates nothing (B24_ALLOW_WRITE=1)', async () => {
    const skipped = new Set<string>()
    const port = webhookInstallPort(createSdkPort({ client, context: { isAdmin, lang } }), skipped)
    const opts: InstallOptions = { handlerUrl: process.env.B24_HANDLER_URL ?? 'https://contracts.example.com/', lang, adopt: adoptAnswer() }
    const first: InstallResult = await runInstall(port, opts)
    if (first.status === 'needsChoice') throw new Error(`The portal has a contracts-like smart process: set B24_ADOPT=create or B24_ADOPT=<typeId> (${JSON.stringify(first.candidates)})`)
    if (first.status === 'failed') throw new Error(`Install failed at ${first.step}: ${first.error.code} ${first.error.message}`)
    console.info(`[real-portal] skipped under a webhook (need app auth): ${[...skipped].join(', ')}`)

    const plan = await planInstall(reader)
    expect(plan.type?.id).toBe(first.record.typeId)
    expect(plan.missingStages).toEqual([])
    expect(plan.missingFields).toEqual([])

    const again = await runInstall(port, { ...opts, adopt: undefined })
    expect(again.status).toBe('done')
    for (const step of ['type', 'stages', 'fields'] as const) expect(again.steps[step].created, step).toEqual([])
  }, 180_000)
})
