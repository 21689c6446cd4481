/**
 * crm.item.details.configuration.get / set / reset / forceCommonScopeForAll — the card layout
 * (b24restdocs api-reference/crm/universal/item-details-configuration/). Stored per entityTypeId and
 * category, with a common scope ('C', for everybody) and personal scopes ('P', per user).
 * Rights: anyone reads their own and the common layout and sets their own; other users' and the
 * common layout need an administrator. Errors come back with an empty `error` code, HTTP 400, as
 * the pages document. `get` answers `null` when no layout is stored for that scope.
 */
import type { Call, MethodTable } from '../../core/context.ts'
import type { CardConfig, CardSection } from '../../core/db.ts'
import { RestError } from '../../core/errors.ts'
import { entityTypeExists } from './crm-type.ts'

const fail = (description: string): RestError => new RestError('', description, 400)

interface Target {
  key: string
  scope: 'P' | 'C'
  userId: number
}

function target(call: Call): Target {
  const p = call.params
  const etid = Number(p.entityTypeId)
  if (p.entityTypeId === undefined || p.entityTypeId === '' || !Number.isInteger(etid)) throw fail("Parameter 'entityTypeId' is not defined")
  if (!entityTypeExists(call.ctx, etid)) throw fail(`The entity type '${etid}' is not supported in current context.`)
  const extras = (p.extras && typeof p.extras === 'object' ? p.extras : {}) as Record<string, unknown>
  // crm-item-details-configuration-set.md, extras: without a funnel id the type's default funnel
  // is meant — so a layout set without extras is the one read with the default funnel's id.
  const given = extras.categoryId ?? extras.dealCategoryId ?? extras.leadCustomerType
  const fallback = call.ctx.db.crm.categories.find((c) => c.entityTypeId === etid && c.isDefault === 'Y')?.id
  const category = given !== undefined && given !== '' ? Number(given) : fallback ?? 'default'
  const scope = String(p.scope ?? 'P').toUpperCase() === 'C' ? 'C' : 'P'
  const userId = p.userId === undefined || p.userId === '' ? call.user.ID : Number(p.userId)
  return { key: `${etid}:${String(category)}`, scope, userId }
}

function store(call: Call, key: string): CardConfig {
  const all = (call.ctx.db.crm.cardConfigs ??= {})
  return (all[key] ??= { common: null, personal: {} })
}

function requireAdminFor(call: Call, t: Target, writing: boolean): void {
  const foreign = t.userId !== call.user.ID
  const needsAdmin = t.scope === 'C' ? writing : foreign
  if (needsAdmin && !call.user.IS_ADMIN) throw fail('Access denied.')
}

/** Validates `data` the way crm-item-details-configuration-set.md lists its errors. */
function sections(data: unknown): CardSection[] {
  if (data === null || typeof data !== 'object') throw fail("Parameter 'data' must be an array.")
  if (!Array.isArray(data)) throw fail('The data must be an indexed array.')
  if (data.length === 0) throw fail('There are no data to write.')
  return data.map((raw, i) => {
    const s = (raw ?? {}) as Record<string, unknown>
    if (s.type !== 'section') throw fail(`Section at index ${i} has type ${String(s.type)}. The expected type is 'section'.`)
    if (!s.name) throw fail(`Section at index ${i} does not have a name.`)
    if (!s.title) throw fail(`Section at index ${i} does not have a title.`)
    const elements = Array.isArray(s.elements) ? s.elements : []
    return {
      name: String(s.name), title: String(s.title), type: 'section' as const,
      elements: elements.map((rawEl, j) => {
        const e = (rawEl ?? {}) as Record<string, unknown>
        if (!e.name) throw fail(`Element at index ${j} in section at index ${i} does not have a name.`)
        // get returns optionFlags as a string "0"/"1".
        const out: CardSection['elements'][number] = { name: String(e.name), optionFlags: String(Number(e.optionFlags ?? 0) === 1 ? 1 : 0) }
        if (e.options && typeof e.options === 'object') out.options = structuredClone(e.options as Record<string, unknown>)
        return out
      }),
    }
  })
}

export const cardConfigMethods: MethodTable = {
  'crm.item.details.configuration.get'(call) {
    const t = target(call)
    requireAdminFor(call, t, false)
    const cfg = call.ctx.db.crm.cardConfigs?.[t.key]
    const found = t.scope === 'C' ? cfg?.common : cfg?.personal[String(t.userId)]
    return { result: found ? structuredClone(found) : null }
  },
  'crm.item.details.configuration.set'(call) {
    const t = target(call)
    requireAdminFor(call, t, true)
    const data = sections(call.params.data)
    const cfg = store(call, t.key)
    if (t.scope === 'C') cfg.common = data
    else cfg.personal[String(t.userId)] = data
    call.ctx.save()
    return { result: true }
  },
  'crm.item.details.configuration.reset'(call) {
    const t = target(call)
    requireAdminFor(call, t, true)
    const cfg = store(call, t.key)
    if (t.scope === 'C') cfg.common = null
    else delete cfg.personal[String(t.userId)]
    call.ctx.save()
    return { result: true }
  },
  'crm.item.details.configuration.forcecommonscopeforall'(call) {
    const t = target(call)
    if (!call.user.IS_ADMIN) throw fail('Access denied.')
    store(call, t.key).personal = {}
    call.ctx.save()
    return { result: true }
  },
}
