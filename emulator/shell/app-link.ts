import type { EmulatorContext } from '../core/types.ts'
import { esc } from './layout.ts'
import { appCode, boundPlacements, messageBox, page, type PageCtx } from './pages.ts'
import { strings } from './session.ts'

/**
 * Links to the app (api-reference/widgets/universal/app-url.md): `/marketplace/view/#APP_CODE#/`
 * opens the app's REST_APP_URI handler in a slider over the page the link was followed from. Its
 * PLACEMENT_OPTIONS are the link's `params[…]` keys (values as strings) plus the universal `URI`
 * key — the path with the query string of that page — which never overwrites a `params[URI]`
 * the app passed itself. Keys outside `params` do not reach the handler.
 */
export const APP_LINK_PLACEMENT = 'REST_APP_URI'

const LINK_PATH = /^\/marketplace\/view\/([^/]+)\/?$/
const PARAM_KEY = /^params\[([^\]]*)\]$/

/** The app code a link path names, or null when the path is not an app link. */
export function appLinkCode(path: string): string | null {
  const m = LINK_PATH.exec(path)
  if (!m) return null
  try {
    return decodeURIComponent(m[1] as string)
  } catch {
    return null
  }
}

/** PLACEMENT_OPTIONS for a followed link: its params (strings) and the URI it was followed from. */
export function appLinkOptions(link: URL, from: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of link.searchParams) {
    const m = PARAM_KEY.exec(key)
    if (m && m[1] !== '') out[m[1] as string] = String(value)
  }
  if (out.URI === undefined) out.URI = from
  return out
}

/**
 * Whether the link opens this portal's app: its code, installed, with a REST_APP_URI handler
 * (app-url.md: "the handler is substituted only for an installed application").
 */
export function appLinkOpens(ctx: EmulatorContext, path: string): boolean {
  const code = appLinkCode(path)
  return code !== null && code === appCode(ctx) && boundPlacements(ctx, APP_LINK_PLACEMENT).length > 0
}

/** The page a link was followed from, as a path with its query (same-origin Referer, or `/`). */
export function linkSource(ctx: EmulatorContext, referer: string | undefined): string {
  if (!referer) return '/'
  try {
    const u = new URL(referer)
    return u.origin === ctx.origin ? u.pathname + u.search : '/'
  } catch {
    return '/'
  }
}

/**
 * A link opened as a page of its own (typed, or followed from outside the portal): the home page
 * with the app's slider over it. Unknown code: undefined (404).
 */
export async function appLinkPage(pc: PageCtx, url: URL, referer: string | undefined): Promise<string | undefined> {
  if (appLinkCode(url.pathname) !== appCode(pc.ctx)) return undefined
  const t = strings(pc.lang)
  if (!appLinkOpens(pc.ctx, url.pathname)) {
    return page(pc, { title: t.apps, active: 'none', body: messageBox('info', 'app-not-installed', t.apps, t.appNotInstalled) })
  }
  const body = `<div class="card"><p>${esc(t.welcome)}</p></div>`
  return page(pc, { title: t.home, active: 'home', body, page: { kind: 'appLink', link: url.pathname + url.search, from: linkSource(pc.ctx, referer) } })
}
