import type { EmulatorContext, PlacementBinding, PortalUser } from '../core/types.ts'
import { FIELDS, PLACEMENTS, itemFieldNames, type FieldKey } from '../../src/domain/schema.ts'
import { findContractType, getItem, isRestError, listItems, stageNames, typeByEntityTypeId } from './crm.ts'
import { esc, renderPage, type MenuState, type PageInput } from './layout.ts'
import { fullName, strings, type Lang, type Strings } from './session.ts'

/** Server-rendered portal pages. Every value is escaped with esc(); the browser adds behaviour. */

export interface PageCtx {
  ctx: EmulatorContext
  user: PortalUser
  lang: Lang
}

/** A frame the browser opens the way Bitrix24 does (see public/app-frame.js). */
export interface FrameSpec {
  placement: string
  options: Record<string, unknown>
}

export function appCode(ctx: EmulatorContext): string {
  return ctx.db.app.clientId || 'contract-approval'
}

export function appPath(ctx: EmulatorContext): string {
  return `/marketplace/app/${encodeURIComponent(appCode(ctx))}/`
}

function bindingTitle(b: PlacementBinding, lang: Lang): string {
  return b.langAll?.[lang]?.TITLE || b.title || 'Приложение'
}

/** Widgets stay hidden until installFinish, as in Bitrix24. */
function boundPlacements(ctx: EmulatorContext, placement: string): PlacementBinding[] {
  return ctx.db.app.installed ? ctx.db.app.placements.filter((b) => b.placement === placement) : []
}

async function menuState(pc: PageCtx): Promise<MenuState> {
  const type = await findContractType(pc.ctx)
  const left = boundPlacements(pc.ctx, PLACEMENTS.leftMenu)[0]
  return {
    contractsEntityTypeId: type?.entityTypeId,
    leftMenuApp: left ? { title: bindingTitle(left, pc.lang), href: appPath(pc.ctx) } : undefined,
    appHref: appPath(pc.ctx),
  }
}

async function page(pc: PageCtx, rest: Omit<PageInput, 'ctx' | 'user' | 'lang' | 'menu'>): Promise<string> {
  return renderPage({ ...pc, ...rest, menu: await menuState(pc) })
}

function messageBox(kind: 'error' | 'info', testid: string, title: string, text: string): string {
  return `<div class="card message ${kind}" data-testid="${testid}"><h2>${esc(title)}</h2><p>${esc(text)}</p></div>`
}

export async function homePage(pc: PageCtx): Promise<string> {
  const t = strings(pc.lang)
  const type = await findContractType(pc.ctx)
  const body = `<div class="card"><p>${esc(t.welcome)}</p>${
    type
      ? `<p><a href="/crm/type/${type.entityTypeId}/list/" data-testid="home-contracts">${esc(t.contracts)}</a></p>`
      : `<p>${esc(t.noContractType)}</p>`
  }</div>`
  return page(pc, { title: t.home, active: 'home', body })
}

export async function notFoundPage(pc: PageCtx, text?: string): Promise<string> {
  const t = strings(pc.lang)
  return page(pc, { title: t.notFound, active: 'none', body: messageBox('error', 'not-found', t.notFound, text ?? t.notFoundText) })
}

function userName(ctx: EmulatorContext, id: unknown): string {
  const u = ctx.db.users.find((x) => x.ID === Number(id))
  return u ? fullName(u) : id === null || id === undefined || id === '' ? '' : `#${String(id)}`
}

function formatMoney(value: unknown, currency?: unknown): string {
  if (value === null || value === undefined || value === '') return ''
  const [amount, cur] = String(value).split('|')
  const n = Number(amount)
  const shown = Number.isFinite(n) ? n.toLocaleString('ru-RU', { maximumFractionDigits: 2 }) : String(amount)
  return `${shown} ${String(cur ?? currency ?? '')}`.trim()
}

/** Bitrix24's Russian display format; the portal's own time zone, as the REST value carries it. */
function formatDate(value: unknown, withTime = true): string {
  const s = String(value ?? '')
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(s)
  if (!m) return s
  return withTime && m[4] ? `${m[3]}.${m[2]}.${m[1]} ${m[4]}:${m[5]}` : `${m[3]}.${m[2]}.${m[1]}`
}

function formatField(ctx: EmulatorContext, key: FieldKey, value: unknown, t: Strings): string {
  const def = FIELDS[key]
  const values = Array.isArray(value) ? value : value === null || value === undefined || value === '' ? [] : [value]
  const one = (v: unknown): string => {
    switch (def.type) {
      case 'employee': return userName(ctx, v)
      case 'boolean': return v === true || v === 'Y' || v === 1 || v === '1' ? t.yes : t.no
      case 'money': return formatMoney(v)
      case 'date': return formatDate(v, false)
      case 'datetime': return formatDate(v)
      case 'file': return typeof v === 'object' && v !== null ? `#${String((v as { id?: unknown }).id ?? '')}` : String(v)
      default: return typeof v === 'object' ? JSON.stringify(v) : String(v)
    }
  }
  if (def.type === 'boolean' && values.length === 0) return t.no
  return values.map(one).join(', ')
}

type Row = Record<string, unknown>

/** The contracts list, read with crm.item.list as the current user. */
export async function listPage(pc: PageCtx, entityTypeId: number, start: number): Promise<string> {
  const t = strings(pc.lang)
  const type = await typeByEntityTypeId(pc.ctx, entityTypeId)
  const title = type?.title ?? t.contracts
  let result
  try {
    result = await listItems(pc.ctx, pc.user.ID, entityTypeId, start)
  } catch (e) {
    const denied = isRestError(e) && e.error === 'ACCESS_DENIED'
    const body = denied
      ? messageBox('error', 'access-denied', t.accessDenied, t.accessDeniedText)
      : messageBox('error', 'error', t.error, isRestError(e) ? `${e.error}: ${e.error_description ?? ''}` : String(e))
    return page(pc, { title, active: 'contracts', body })
  }
  const stage = await stageNames(pc.ctx, pc.user.ID, entityTypeId, result.items.map((i) => Number(i.categoryId ?? 0)), pc.lang)
  const amountField = type ? itemFieldNames(type.typeId).amount : undefined
  const rows = result.items.map((item: Row) => {
    const s = stage(String(item.stageId ?? ''))
    const amount = amountField && item[amountField] ? formatMoney(item[amountField]) : formatMoney(item.opportunity, item.currencyId)
    return `<tr data-testid="contract-row" data-id="${esc(item.id)}">
<td>${esc(item.id)}</td>
<td><a data-testid="contract-link" href="/crm/type/${entityTypeId}/details/${esc(item.id)}/">${esc(item.title)}</a></td>
<td><span class="stage" style="--stage:${esc(s.color)}">${esc(s.name)}</span></td>
<td class="num">${esc(amount)}</td>
<td>${esc(userName(pc.ctx, item.assignedById))}</td>
</tr>`
  })
  const pager = [
    start > 0 ? `<a href="?start=${Math.max(0, start - 50)}">${esc(t.prev)}</a>` : '',
    result.next !== undefined ? `<a href="?start=${result.next}" data-testid="next-page">${esc(t.next)}</a>` : '',
  ].join(' ')
  const body = rows.length === 0
    ? `<div class="card" data-testid="contracts-empty">${esc(t.emptyList)}</div>`
    : `<div class="card"><table class="grid" data-testid="contracts-table">
<thead><tr><th>${esc(t.id)}</th><th>${esc(t.title)}</th><th>${esc(t.stage)}</th><th>${esc(t.amount)}</th><th>${esc(t.assigned)}</th></tr></thead>
<tbody>${rows.join('')}</tbody></table>
<div class="pager">${result.total !== undefined ? `<span>${esc(t.total)}: <b data-testid="contracts-total">${esc(result.total)}</b></span>` : ''} ${pager}</div></div>`
  return page(pc, { title, active: 'contracts', body })
}

/** A contract card: the main tab (fields as the user may read them) and one tab per bound app tab. */
export async function cardPage(pc: PageCtx, entityTypeId: number, id: number, openTab: string | null): Promise<string> {
  const t = strings(pc.lang)
  let item: Row
  try {
    item = await getItem(pc.ctx, pc.user.ID, entityTypeId, id)
  } catch (e) {
    if (isRestError(e) && e.error === 'ACCESS_DENIED') {
      return page(pc, { title: t.accessDenied, active: 'contracts', body: messageBox('error', 'access-denied', t.accessDenied, t.accessDeniedText) })
    }
    if (isRestError(e) && e.error === 'NOT_FOUND') return notFoundPage(pc)
    const text = isRestError(e) ? `${e.error}: ${e.error_description ?? ''}` : String(e)
    return page(pc, { title: t.error, active: 'contracts', body: messageBox('error', 'error', t.error, text) })
  }
  const type = await typeByEntityTypeId(pc.ctx, entityTypeId)
  const stage = (await stageNames(pc.ctx, pc.user.ID, entityTypeId, [Number(item.categoryId ?? 0)], pc.lang))(String(item.stageId ?? ''))
  const fields: Array<[string, string]> = [
    [t.title, String(item.title ?? '')],
    [t.assigned, userName(pc.ctx, item.assignedById)],
    [t.created, formatDate(item.createdTime)],
    [t.updated, formatDate(item.updatedTime)],
  ]
  if (type) {
    const names = itemFieldNames(type.typeId)
    for (const key of Object.keys(FIELDS) as FieldKey[]) {
      if (!FIELDS[key].showInForm) continue
      fields.push([FIELDS[key].label[pc.lang], formatField(pc.ctx, key, item[names[key]], t)])
    }
  } else if (item.opportunity !== undefined) {
    fields.push([t.amount, formatMoney(item.opportunity, item.currencyId)])
  }
  const tabs = boundPlacements(pc.ctx, PLACEMENTS.detailTab(entityTypeId))
  const frames: FrameSpec[] = tabs.map(() => ({ placement: PLACEMENTS.detailTab(entityTypeId), options: { ID: String(id) } }))
  const tabButtons = [
    `<button type="button" class="tab" data-tab="main" data-testid="main-tab">${esc(t.general)}</button>`,
    ...tabs.map((b, i) => `<button type="button" class="tab" data-tab="app-${i}" data-frame="${i}" data-testid="app-tab">${esc(bindingTitle(b, pc.lang))}</button>`),
  ].join('')
  const fieldRows = fields
    .map(([label, value]) => `<div class="field"><div class="field-label">${esc(label)}</div><div class="field-value">${esc(value)}</div></div>`)
    .join('')
  const panels = [
    `<section class="tab-panel card" data-panel="main" data-testid="card-fields">${fieldRows}</section>`,
    ...tabs.map((_b, i) => `<section class="tab-panel card app-panel" data-panel="app-${i}" hidden><div class="app-host" data-frame-host="${i}"></div></section>`),
  ].join('')
  const body = `<div class="card-head"><span class="stage" data-testid="card-stage" style="--stage:${esc(stage.color)}">${esc(stage.name)}</span></div>
<div class="tabs" role="tablist">${tabButtons}</div>${panels}`
  return page(pc, {
    title: String(item.title ?? `#${id}`),
    active: 'contracts',
    body,
    page: { kind: 'card', frames, openTab: openTab ?? 'main' },
  })
}

/**
 * The app's own page. Not installed: admins get the install placement (DEFAULT, INSTALL and
 * FIRST_RUN true) so installFinish() can run; everybody else is told to ask an admin.
 */
export async function appPage(pc: PageCtx): Promise<string> {
  const t = strings(pc.lang)
  const { app } = pc.ctx.db
  if (!app.installed && !pc.user.IS_ADMIN) {
    return page(pc, { title: t.apps, active: 'app', body: messageBox('info', 'app-not-installed', t.apps, t.appNotInstalled) })
  }
  const left = boundPlacements(pc.ctx, PLACEMENTS.leftMenu)[0]
  const frame: FrameSpec = { placement: left ? PLACEMENTS.leftMenu : PLACEMENTS.default, options: {} }
  const title = !app.installed ? t.installing : left ? bindingTitle(left, pc.lang) : t.apps
  const body = `<section class="card app-panel"><div class="app-host" data-frame-host="0"></div></section>`
  return page(pc, { title, active: 'app', body, page: { kind: 'app', frames: [frame], openTab: 'app-0' } })
}
