/** Portal-level methods: users, departments, notifications, app/user options, placements, misc. */
import type { Call, MethodTable } from '../../core/context.ts'
import type { PortalUser, PlacementBinding } from '../../core/types.ts'
import { nextId } from '../../core/db.ts'
import { badRequest, invalidArg, notFound } from '../../core/errors.ts'
import { listRows } from '../../core/listing.ts'
import { isoPortal } from '../../core/time.ts'
import { requireAdmin, requireAppOrWebhook } from '../rights.ts'

export function userOut(u: PortalUser): Record<string, unknown> {
  return {
    ID: String(u.ID), ACTIVE: u.ACTIVE, NAME: u.NAME, LAST_NAME: u.LAST_NAME, SECOND_NAME: u.SECOND_NAME, EMAIL: u.EMAIL,
    LAST_LOGIN: isoPortal(), DATE_REGISTER: '2023-09-01T00:00:00+03:00', TIME_ZONE: 'Europe/Moscow', IS_ONLINE: 'Y',
    TIMESTAMP_X: '01.09.2023 10:00:00', LAST_ACTIVITY_DATE: '2026-01-01 10:00:00', PERSONAL_GENDER: '', PERSONAL_WWW: '',
    PERSONAL_BIRTHDAY: '', PERSONAL_MOBILE: '', PERSONAL_CITY: 'Санкт-Петербург', PERSONAL_PHOTO: u.PERSONAL_PHOTO ?? '',
    WORK_PHONE: '', WORK_POSITION: u.WORK_POSITION, UF_EMPLOYMENT_DATE: '', UF_DEPARTMENT: u.UF_DEPARTMENT, USER_TYPE: 'employee',
  }
}

const DEPARTMENT_KEYS = ['ID', 'NAME', 'SORT', 'PARENT', 'UF_HEAD']

const USER_NON_FILTER = new Set(['SORT', 'ORDER', 'START', 'FILTER', 'ADMIN_MODE', 'AUTH'])

/** Portal languages: Bitrix24 reports a placement's titles for each of them. */
const PORTAL_LANGS = ['ru', 'en', 'de'] as const

function placementOut(p: PlacementBinding): Record<string, unknown> {
  const langAll: Record<string, unknown> = {}
  for (const lang of PORTAL_LANGS) {
    const given = p.langAll[lang] ?? {}
    langAll[lang] = { TITLE: given.TITLE ?? p.title, DESCRIPTION: given.DESCRIPTION ?? p.description, GROUP_NAME: given.GROUP_NAME ?? '' }
  }
  // app-url.md: for REST_APP_URI "placement.get returns an empty array" (PHP's empty array is `[]`).
  const options = p.placement === 'REST_APP_URI' ? [] : p.options
  return { placement: p.placement, userId: p.userId, handler: p.handler, options, title: p.title, description: p.description, langAll }
}

export const PLACEMENT_CODES = ['DEFAULT', 'LEFT_MENU', 'CRM_DEAL_DETAIL_TAB', 'CRM_LEAD_DETAIL_TAB', 'IMMOBILE_CONTEXT_MENU', 'REST_APP_URI']

/**
 * api-reference/widgets/universal/app-url.md: the link `/marketplace/view/#APP_CODE#/` opens the
 * app's handler in a slider. OPTIONS are not retained (placement.get shows an empty array), a
 * personal binding (USER_ID) is refused with ERROR_PLACEMENT_USER_MODE, and an app registers one
 * handler only: a repeated bind answers ERROR_PLACEMENT_MAX_COUNT.
 */
const APP_URI = 'REST_APP_URI'

/**
 * api-reference/widgets/mobile-app.md: the mobile app's only placement (the *Apps* menu of a
 * chat) takes three OPTIONS, each checked (INVALID_ERROR_CONTEXT / _EXTRANET / _ROLE); anything
 * else (an iconName…) is not retained, and a personal binding (USER_ID) is refused.
 */
const MOBILE_MENU = 'IMMOBILE_CONTEXT_MENU'
const MOBILE_CONTEXTS = new Set(['ALL', 'USER', 'CHAT', 'LINES', 'CRM'])

function refuseUserMode(p: Record<string, unknown>): void {
  if (p.USER_ID !== undefined && p.USER_ID !== null && p.USER_ID !== '' && Number(p.USER_ID) !== 0) {
    throw badRequest('ERROR_PLACEMENT_USER_MODE', 'User mode is not available')
  }
}

function mobileMenuOptions(p: Record<string, unknown>): Record<string, unknown> {
  refuseUserMode(p)
  const given = (p.OPTIONS && typeof p.OPTIONS === 'object' ? p.OPTIONS : {}) as Record<string, unknown>
  const out: Record<string, unknown> = {}
  if (given.context !== undefined) {
    const parts = String(given.context).split(';')
    if (parts.some((c) => !MOBILE_CONTEXTS.has(c))) throw badRequest('INVALID_ERROR_CONTEXT', 'Invalid context')
    out.context = String(given.context)
  }
  if (given.extranet !== undefined) {
    if (given.extranet !== 'N' && given.extranet !== 'Y') throw badRequest('INVALID_ERROR_EXTRANET', 'Invalid extranet')
    out.extranet = given.extranet
  }
  if (given.role !== undefined) {
    if (given.role !== 'USER' && given.role !== 'ADMIN') throw badRequest('INVALID_ERROR_ROLE', 'Invalid role')
    out.role = given.role
  }
  return out
}

export const portalMethods: MethodTable = {
  'user.get'(call) {
    const p = call.params
    const top = Object.fromEntries(Object.entries(p).filter(([k]) => !USER_NON_FILTER.has(k.toUpperCase())))
    const nested = (p.FILTER ?? p.filter ?? {}) as Record<string, unknown>
    const filter = { ...top, ...nested }
    if (typeof filter.ID === 'string' && filter.ID.includes(',')) filter.ID = filter.ID.split(',')
    const order = p.SORT ? { [String(p.SORT)]: String(p.ORDER ?? 'ASC') } : p.sort ? { [String(p.sort)]: String(p.order ?? 'ASC') } : { ID: 'ASC' }
    const rows = call.ctx.db.users.map(userOut)
    const page = listRows(rows, { filter, order, start: p.start ?? p.START })
    return { result: page.items, total: page.total, next: page.next }
  },
  'user.current'(call) {
    return { result: userOut(call.user) }
  },
  /**
   * api-reference/departments/department-get.md: filters only by the top-level keys ID, NAME,
   * SORT, PARENT, UF_HEAD (exact values; no `filter` object, no operator prefixes — anything else
   * is ignored), `sort`/`order` strings over the same five fields, pages of 50 by `START`/`start`
   * 0, 50, 100… A negative start is not the crm `-1` optimisation here: it is the first page.
   */
  'department.get'(call) {
    const p = call.params
    const filter: Record<string, unknown> = {}
    for (const k of DEPARTMENT_KEYS) if (p[k] !== undefined && p[k] !== '') filter[k] = p[k]
    const sortKey = String(p.sort ?? p.SORT_BY ?? '').toUpperCase()
    const dir = String(p.order ?? 'ASC').toUpperCase() === 'DESC' ? 'DESC' : 'ASC'
    const order = DEPARTMENT_KEYS.includes(sortKey) ? { [sortKey]: dir } : { SORT: 'ASC' }
    const rows = call.ctx.db.departments.map((d) => {
      const out: Record<string, unknown> = { ID: String(d.ID), NAME: d.NAME, SORT: d.SORT }
      if (d.PARENT !== null) out.PARENT = String(d.PARENT)
      if (d.UF_HEAD !== null) out.UF_HEAD = String(d.UF_HEAD)
      return out
    })
    const rawStart = Number(p.START ?? p.start ?? 0)
    const start = Number.isFinite(rawStart) && rawStart > 0 ? Math.floor(rawStart) : 0
    const page = listRows(rows, { filter, order, start })
    return { result: page.items, total: page.total, next: page.next }
  },

  'im.notify.system.add'(call) {
    return notify(call, 'system')
  },
  'im.notify.personal.add'(call) {
    return notify(call, 'personal')
  },
  'im.notify'(call) {
    return notify(call, call.params.TYPE === 'SYSTEM' ? 'system' : 'personal')
  },

  'app.option.get'(call) {
    const opts = call.ctx.db.app.options
    if (call.params.option !== undefined) return { result: opts[String(call.params.option)] ?? null }
    return { result: Object.keys(opts).length ? opts : [] }
  },
  'app.option.set'(call) {
    requireAdmin(call)
    const opts = call.params.options
    if (!opts || typeof opts !== 'object') throw invalidArg('options must be an object')
    Object.assign(call.ctx.db.app.options, opts)
    call.ctx.save()
    return { result: true }
  },
  'user.option.get'(call) {
    const opts = call.ctx.db.app.userOptions[call.user.ID] ?? {}
    if (call.params.option !== undefined) return { result: opts[String(call.params.option)] ?? null }
    return { result: Object.keys(opts).length ? opts : [] }
  },
  'user.option.set'(call) {
    const opts = call.params.options
    if (!opts || typeof opts !== 'object') throw invalidArg('options must be an object')
    call.ctx.db.app.userOptions[call.user.ID] = { ...(call.ctx.db.app.userOptions[call.user.ID] ?? {}), ...(opts as Record<string, unknown>) }
    call.ctx.save()
    return { result: true }
  },

  'placement.bind'(call) {
    requireAdmin(call)
    const p = call.params
    const placement = String(p.PLACEMENT ?? '').toUpperCase()
    const handler = String(p.HANDLER ?? '')
    if (!placement || !handler) throw invalidArg('PLACEMENT and HANDLER are required')
    if (!/^(DEFAULT|LEFT_MENU|CRM_[A-Z0-9_]+|IM_[A-Z_]+|IMMOBILE_CONTEXT_MENU|REST_APP_URI|USER_PROFILE_[A-Z_]+|PAGE_BACKGROUND_WORKER)$/.test(placement)) throw invalidArg(`Unknown placement ${placement}`)
    const list = call.ctx.db.app.placements
    if (placement === APP_URI) {
      refuseUserMode(p)
      if (list.some((b) => b.placement === APP_URI)) throw badRequest('ERROR_PLACEMENT_MAX_COUNT', 'Placement max count reached')
    }
    const options = placement === MOBILE_MENU
      ? mobileMenuOptions(p)
      : placement === APP_URI
        ? {}
        : (p.OPTIONS && typeof p.OPTIONS === 'object' ? p.OPTIONS : {}) as Record<string, unknown>
    if (list.some((b) => b.placement === placement && b.handler === handler)) throw invalidArg('Handler already binded')
    list.push({
      placement, handler, title: String(p.TITLE ?? ''), description: String(p.DESCRIPTION ?? ''),
      options,
      langAll: (p.LANG_ALL && typeof p.LANG_ALL === 'object' ? p.LANG_ALL : {}) as PlacementBinding['langAll'], userId: Number(p.USER_ID ?? 0),
    })
    call.ctx.save()
    return { result: true }
  },
  'placement.unbind'(call) {
    requireAdmin(call)
    const placement = String(call.params.PLACEMENT ?? '').toUpperCase()
    const handler = call.params.HANDLER === undefined ? null : String(call.params.HANDLER)
    const before = call.ctx.db.app.placements.length
    call.ctx.db.app.placements = call.ctx.db.app.placements.filter((b) => !(b.placement === placement && (handler === null || b.handler === handler)))
    call.ctx.save()
    return { result: { count: before - call.ctx.db.app.placements.length } }
  },
  'placement.get'(call) {
    return { result: call.ctx.db.app.placements.map(placementOut) }
  },
  'placement.list'(call) {
    const dynamic = call.ctx.db.crm.types.map((t) => `CRM_DYNAMIC_${t.entityTypeId}_DETAIL_TAB`)
    return { result: [...PLACEMENT_CODES, ...dynamic] }
  },

  'app.info'(call) {
    const app = call.ctx.db.app
    return {
      result: {
        ID: 1, CODE: app.clientId, VERSION: 1, STATUS: 'L', INSTALLED: app.installed, PAYMENT_EXPIRED: 'N', DAYS: null,
        LANGUAGE_ID: call.user.LANG, LICENSE: 'ru_company', LICENSE_TYPE: 'company', LICENSE_FAMILY: 'company',
      },
    }
  },
  profile(call) {
    const u = call.user
    return { result: { ID: u.ID, ADMIN: u.IS_ADMIN, NAME: u.NAME, LAST_NAME: u.LAST_NAME, PERSONAL_GENDER: '', PERSONAL_PHOTO: u.PERSONAL_PHOTO ?? '', TIME_ZONE: 'Europe/Moscow', TIME_ZONE_OFFSET: 10800 } }
  },
  'server.time'() {
    return { result: isoPortal() }
  },
  scope() {
    return { result: ['crm', 'user', 'user_basic', 'department', 'im', 'placement', 'app'] }
  },
  methods(call) {
    return { result: Object.keys(call.ctx.methods).sort() }
  },
}

function notify(call: Call, kind: 'system' | 'personal'): { result: number } {
  requireAppOrWebhook(call)
  const p = call.params
  const userId = Number(p.USER_ID ?? p.to)
  if (!call.ctx.db.users.some((u) => u.ID === userId)) throw notFound(`User ${String(p.USER_ID)} not found`)
  const message = String(p.MESSAGE ?? p.message ?? '')
  if (message.trim() === '') throw invalidArg('MESSAGE is empty')
  const tag = p.TAG === undefined ? null : String(p.TAG)
  const list = call.ctx.db.notifications
  // Bitrix24 replaces an earlier notification with the same TAG for the same user.
  if (tag !== null) {
    for (let i = list.length - 1; i >= 0; i--) if (list[i]?.userId === userId && list[i]?.tag === tag) list.splice(i, 1)
  }
  const id = nextId(call.ctx.db, 'notification', 12000)
  list.push({
    id, userId, kind, fromUserId: kind === 'personal' ? call.user.ID : null, message,
    messageOut: p.MESSAGE_OUT === undefined ? null : String(p.MESSAGE_OUT), tag, subTag: p.SUB_TAG === undefined ? null : String(p.SUB_TAG),
    date: isoPortal(), read: false,
  })
  call.ctx.save()
  return { result: id }
}
