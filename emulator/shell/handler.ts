import type { IncomingMessage, ServerResponse } from 'node:http'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { EmulatorContext } from '../core/types.ts'
import { handleApi } from './api.ts'
import { appLinkCode, appLinkPage } from './app-link.ts'
import { cardPage } from './card.ts'
import { appPage, homePage, listPage, notFoundPage, type PageCtx } from './pages.ts'
import { phonePage } from './phone.ts'
import { currentUser } from './session.ts'

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url))
const STATIC_TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
}

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    // The shell frames the app from another origin and talks to it only by postMessage.
    'Content-Security-Policy': "default-src 'self'; frame-src *; form-action *; img-src * data:; style-src 'self' 'unsafe-inline'",
    'X-Content-Type-Options': 'nosniff',
  })
  res.end(body)
}

async function serveStatic(res: ServerResponse, name: string): Promise<boolean> {
  // A flat whitelist of names: no path separators, so no way out of public/.
  const m = /^([a-z0-9-]+)\.(js|css|svg|png)$/.exec(name)
  if (!m) return false
  try {
    const body = await readFile(PUBLIC_DIR + name)
    res.writeHead(200, { 'Content-Type': STATIC_TYPES[m[2] as string] as string, 'Cache-Control': 'no-cache' })
    res.end(body)
    return true
  } catch {
    return false
  }
}

/**
 * Serves the portal shell (every path that is not /rest/ or /_emulator/): a minimal Bitrix24 with
 * a user switcher, notifications, the contracts list and card, and the app's frames.
 * Answers true when it handled the request (it handles every path, with a 404 page if need be).
 */
export async function handleShell(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext): Promise<boolean> {
  const url = new URL(req.url ?? '/', ctx.origin)
  const path = url.pathname.replace(/\/{2,}/g, '/')
  const method = req.method ?? 'GET'

  if (path.startsWith('/shell/api/')) {
    await handleApi(req, res, ctx, path)
    return true
  }
  if (path.startsWith('/shell/static/') && method === 'GET') {
    if (await serveStatic(res, path.slice('/shell/static/'.length))) return true
  }
  if (path === '/favicon.ico') {
    res.writeHead(302, { Location: '/shell/static/favicon.svg' }).end()
    return true
  }
  if (path === '/bitrix/services/main/ajax.php' && method === 'GET' && url.searchParams.get('action') === 'crm.controller.item.getFile') {
    // A file link in the portal's UI: the browser's session is the user's, so the download goes
    // to the REST file method with a token of the logged-in user (their CRM rights apply there).
    const user = currentUser(req, ctx)
    if (!user) {
      res.writeHead(403).end()
      return true
    }
    const q = new URLSearchParams()
    for (const k of ['entityTypeId', 'id', 'fieldName', 'fileId']) q.set(k, url.searchParams.get(k) ?? '')
    q.set('auth', ctx.auth.issue(user.ID).accessToken)
    res.writeHead(302, { Location: `/rest/crm.controller.item.getFile.json?${q.toString()}`, 'Cache-Control': 'no-store' }).end()
    return true
  }
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed')
    return true
  }
  // The app frame can only talk to the portal origin spelled exactly as in window.name, so a page
  // opened under another spelling (localhost vs 127.0.0.1) is sent to the canonical one.
  if (req.headers.host && req.headers.host !== ctx.domain) {
    res.writeHead(302, { Location: ctx.origin + path + url.search }).end()
    return true
  }

  const user = currentUser(req, ctx)
  if (!user) {
    res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end('The portal has no active users: start the emulator with a seed.')
    return true
  }
  const pc: PageCtx = { ctx, user, lang: user.LANG === 'en' ? 'en' : 'ru' }
  const body = appLinkCode(path) !== null ? await appLinkPage(pc, url, req.headers.referer) : await routePage(pc, path, url)
  html(res, body === undefined ? 404 : 200, body ?? (await notFoundPage(pc)))
  return true
}

async function routePage(pc: PageCtx, path: string, url: URL): Promise<string | undefined> {
  if (path === '/') return homePage(pc)
  let m = /^\/crm\/type\/(\d+)\/list\/?$/.exec(path)
  if (m) return listPage(pc, Number(m[1]), Math.max(0, Number(url.searchParams.get('start')) || 0))
  m = /^\/crm\/type\/(\d+)\/details\/(\d+)\/?$/.exec(path)
  if (m) return cardPage(pc, Number(m[1]), Number(m[2]), url.searchParams.get('tab'))
  if (/^\/marketplace\/app\/[^/]+\/?$/.test(path)) return appPage(pc)
  // Phone mode (phone.ts): the mobile app's chat with its *Apps* menu.
  if (/^\/mobile\/?$/.test(path)) return phonePage(pc, 'chat1')
  m = /^\/mobile\/chat\/(chat\d+|\d+)\/?$/.exec(path)
  if (m) return phonePage(pc, m[1] as string)
  return undefined
}
