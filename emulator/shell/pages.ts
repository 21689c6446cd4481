import type { EmulatorContext, PlacementBinding, PortalUser } from '../core/types.ts'
import { findAppType, isRestError, listItems, listTypes, stageNames, typeByEntityTypeId, type Row } from './crm.ts'
import { esc, renderPage, type MenuState, type PageInput } from './layout.ts'
import { fullName, strings, type Lang } from './session.ts'

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

export function bindingTitle(b: PlacementBinding, lang: Lang): string {
  return b.langAll?.[lang]?.TITLE || b.title || 'Приложение'
}

/** Widgets stay hidden until installFinish, as in Bitrix24. */
export function boundPlacements(ctx: EmulatorContext, placement: string): PlacementBinding[] {
  return ctx.db.app.installed ? ctx.db.app.placements.filter((b) => b.placement === placement) : []
}

async function menuState(pc: PageCtx): Promise<MenuState> {
  const [types, main] = [await listTypes(pc.ctx), await findAppType(pc.ctx)]
  const left = boundPlacements(pc.ctx, 'LEFT_MENU')[0]
  return {
    types: types.map((t) => ({ entityTypeId: t.entityTypeId, title: t.title, main: t.entityTypeId === main?.entityTypeId })),
    leftMenuApp: left ? { title: bindingTitle(left, pc.lang), href: appPath(pc.ctx) } : undefined,
    appHref: appPath(pc.ctx),
  }
}

export async function page(pc: PageCtx, rest: Omit<PageInput, 'ctx' | 'user' | 'lang' | 'menu'>): Promise<string> {
  return renderPage({ ...pc, ...rest, menu: await menuState(pc) })
}

export function messageBox(kind: 'error' | 'info', testid: string, title: string, text: string): string {
  return `<div class="card message ${kind}" data-testid="${testid}"><h2>${esc(title)}</h2><p>${esc(text)}</p></div>`
}

export async function homePage(pc: PageCtx): Promise<string> {
  const t = strings(pc.lang)
  const type = await findAppType(pc.ctx)
  const body = `<div class="card"><p>${esc(t.welcome)}</p>${
    type
      ? `<p><a href="/crm/type/${type.entityTypeId}/list/" data-testid="home-contracts">${esc(type.title)}</a></p>`
      : `<p>${esc(t.noContractType)}</p>`
  }</div>`
  return page(pc, { title: t.home, active: 'home', body })
}

export async function notFoundPage(pc: PageCtx, text?: string): Promise<string> {
  const t = strings(pc.lang)
  return page(pc, { title: t.notFound, active: 'none', body: messageBox('error', 'not-found', t.notFound, text ?? t.notFoundText) })
}

export function userName(ctx: EmulatorContext, id: unknown): string {
  const u = ctx.db.users.find((x) => x.ID === Number(id))
  return u ? fullName(u) : id === null || id === undefined || id === '' ? '' : `#${String(id)}`
}

export function formatMoney(value: unknown, currency?: unknown): string {
  if (value === null || value === undefined || value === '') return ''
  const [amount, cur] = String(value).split('|')
  const n = Number(amount)
  const shown = Number.isFinite(n) ? n.toLocaleString('ru-RU', { maximumFractionDigits: 2 }) : String(amount)
  return `${shown} ${String(cur ?? currency ?? '')}`.trim()
}

/** Bitrix24's Russian display format; the portal's own time zone, as the REST value carries it. */
export function formatDate(value: unknown, withTime = true): string {
  const s = String(value ?? '')
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(s)
  if (!m) return s
  return withTime && m[4] ? `${m[3]}.${m[2]}.${m[1]} ${m[4]}:${m[5]}` : `${m[3]}.${m[2]}.${m[1]}`
}

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
  const stage = await stageNames(pc.ctx, pc.user.ID, entityTypeId, result.items.map((i) => Number(i.categoryId ?? 0)))
  const rows = result.items.map((item: Row) => {
    const s = stage(String(item.stageId ?? ''))
    const amount = formatMoney(item.opportunity, item.currencyId)
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
  const toolbar = `<div class="toolbar"><a class="btn primary" href="/crm/type/${entityTypeId}/details/0/" data-testid="create-item">${esc(t.create)}</a></div>`
  const body = toolbar + (rows.length === 0
    ? `<div class="card" data-testid="contracts-empty">${esc(t.emptyList)}</div>`
    : `<div class="card table-card"><table class="grid" data-testid="contracts-table">
<thead><tr><th>${esc(t.id)}</th><th>${esc(t.title)}</th><th>${esc(t.stage)}</th><th>${esc(t.amount)}</th><th>${esc(t.assigned)}</th></tr></thead>
<tbody>${rows.join('')}</tbody></table>
<div class="pager">${result.total !== undefined ? `<span>${esc(t.total)}: <b data-testid="contracts-total">${esc(result.total)}</b></span>` : ''} ${pager}</div></div>`)
  return page(pc, { title, active: 'contracts', body })
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
  const left = boundPlacements(pc.ctx, 'LEFT_MENU')[0]
  const frame: FrameSpec = { placement: left ? 'LEFT_MENU' : 'DEFAULT', options: {} }
  const title = !app.installed ? t.installing : left ? bindingTitle(left, pc.lang) : t.apps
  const body = `<section class="card app-panel"><div class="app-host" data-frame-host="0"></div></section>`
  return page(pc, { title, active: 'app', body, page: { kind: 'app', frames: [frame], openTab: 'app-0' } })
}
