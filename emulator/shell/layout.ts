import type { EmulatorContext, PortalUser } from '../core/types.ts'
import { activeUsers, fullName, strings, type Lang } from './session.ts'

/** Escapes text for HTML element content and quoted attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** JSON safe to embed in a <script type="application/json"> block (no `</script>` breakout). */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

export interface MenuState {
  /** The portal's smart processes (CRM menu); `main` is the one the app's card tab is bound to. */
  types: Array<{ entityTypeId: number; title: string; main: boolean }>
  /** Left-menu entry of the app, when LEFT_MENU is bound and the app is installed. */
  leftMenuApp?: { title: string; href: string }
  /** Link to the app's page (marketplace), shown to admins so they can install/open it. */
  appHref: string
}

export interface PageInput {
  ctx: EmulatorContext
  user: PortalUser
  lang: Lang
  title: string
  /** Which left-menu item is highlighted. */
  active: 'home' | 'contracts' | 'app' | 'none'
  menu: MenuState
  /** Already-escaped HTML of the work area. */
  body: string
  /** Data for the browser scripts (frames to open, etc.). */
  page?: Record<string, unknown>
}

/** Bitrix24 names the root department after the company: that is the portal's name. */
function portalName(ctx: EmulatorContext): string {
  return ctx.db.departments.find((d) => d.PARENT === null)?.NAME ?? ctx.domain
}

/** Page chrome: header (portal, user switcher, bell), left menu, work area. */
export function renderPage(p: PageInput): string {
  const t = strings(p.lang)
  const options = activeUsers(p.ctx)
    .map((u) => {
      const label = u.WORK_POSITION ? `${fullName(u)} — ${u.WORK_POSITION}` : fullName(u)
      return `<option value="${u.ID}"${u.ID === p.user.ID ? ' selected' : ''}>${esc(label)}</option>`
    })
    .join('')
  const item = (key: PageInput['active'], href: string, label: string, testid: string) =>
    `<a class="menu-item${p.active === key ? ' active' : ''}" href="${esc(href)}" data-testid="${testid}">${esc(label)}</a>`
  const menu = [
    item('home', '/', t.home, 'left-menu-home'),
    p.menu.types.length > 0
      ? `<div class="menu-group">${esc(t.crm)}</div>` +
        p.menu.types
          .map((ty) => item(ty.main ? 'contracts' : 'none', `/crm/type/${ty.entityTypeId}/list/`, ty.title, ty.main ? 'left-menu-contracts' : 'left-menu-type'))
          .join('')
      : '',
    p.menu.leftMenuApp ? item('app', p.menu.leftMenuApp.href, p.menu.leftMenuApp.title, 'left-menu-app') : '',
    p.user.IS_ADMIN ? `<div class="menu-group">${esc(t.apps)}</div>` + item('none', p.menu.appHref, 'Market', 'left-menu-market') : '',
  ].join('')
  const config = {
    origin: p.ctx.origin,
    user: { id: p.user.ID, name: fullName(p.user), isAdmin: p.user.IS_ADMIN, lang: p.lang },
    strings: t,
    ...p.page,
  }
  return `<!doctype html>
<html lang="${p.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(p.title)} — ${esc(t.portal)}</title>
<link rel="icon" type="image/svg+xml" href="/shell/static/favicon.svg">
<link rel="stylesheet" href="/shell/static/shell.css">
<script type="application/json" id="shell-config">${jsonForScript(config)}</script>
<script type="module" src="/shell/static/shell.js"></script>
</head>
<body>
<header class="header">
  <a class="logo" href="/">${esc(t.portal.replace('24', ''))}<span>24</span></a>
  <span class="portal-name" data-testid="portal-name">${esc(portalName(p.ctx))}</span>
  ${portalName(p.ctx) !== p.ctx.domain ? `<span class="portal-domain">${esc(p.ctx.domain)}</span>` : ''}
  <div class="header-right">
    <a class="mobile-link" href="/mobile/" data-testid="mobile-link">${esc(t.mobile)}</a>
    <label class="switcher"><span>${esc(t.actingAs)}</span>
      <select data-testid="user-switcher" aria-label="${esc(t.actingAs)}">${options}</select>
    </label>
    <div class="bell-wrap">
      <button type="button" class="bell" data-testid="bell" aria-label="${esc(t.notifications)}">
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z"/></svg>
        <span class="bell-count" data-testid="bell-count" hidden>0</span>
      </button>
      <div class="bell-panel" data-testid="bell-panel" hidden>
        <div class="bell-head"><b>${esc(t.notifications)}</b><button type="button" class="link" data-testid="bell-read-all">${esc(t.markAllRead)}</button></div>
        <ul class="bell-list" data-testid="bell-list"></ul>
      </div>
    </div>
  </div>
</header>
<div class="layout">
  <nav class="menu" data-testid="left-menu">${menu}</nav>
  <main class="workarea">
    <h1 class="page-title" data-testid="page-title">${esc(p.title)}</h1>
    ${p.body}
  </main>
</div>
</body>
</html>`
}
