/**
 * Where the portal-contract tests run: the emulator (default) or a real Bitrix24 portal when
 * `B24_WEBHOOK_URL` is set (an admin's inbound webhook). Calls go over plain HTTP(S) with fetch —
 * not through the SDK — so statuses and raw error bodies are visible exactly as the portal sends
 * them. On a real portal only read-only checks run unless `B24_ALLOW_WRITE=1`.
 */
import { it } from 'vitest'
import type { Emulator } from '../../../emulator/server.ts'
import type { PortalUser } from '../../../emulator/core/types.ts'
import { start } from '../helpers.ts'

export const WEBHOOK = (process.env.B24_WEBHOOK_URL?.trim() ?? '').replace(/\/?$/, '/')
export const REAL = WEBHOOK !== '/'
export const ALLOW_WRITE = process.env.B24_ALLOW_WRITE === '1'

export interface Reply {
  status: number
  body: Record<string, unknown>
}

export interface Target {
  real: boolean
  /** The user the webhook belongs to. */
  hookUserId: number
  /** POST JSON to `{webhook}{method}`; `auth` (a frame token) switches to `/rest/{method}` (emulator). */
  call(method: string, params?: Record<string, unknown>, auth?: string): Promise<Reply>
  /** GET an arbitrary path under the webhook base (`{webhook}{path}`). */
  raw(path: string, init?: RequestInit): Promise<Reply>
  /** The base URL, to check secrets never come back in an answer. */
  webhookUrl: string
  emu: Emulator | null
  close(): Promise<void>
}

async function asReply(res: Response): Promise<Reply> {
  const text = await res.text()
  let body: Record<string, unknown>
  try {
    body = JSON.parse(text) as Record<string, unknown>
  } catch {
    body = { raw: text }
  }
  return { status: res.status, body }
}

function user(id: number, dept: number[], read: PortalUser['crmRead'], write: PortalUser['crmWrite'], extra: Partial<PortalUser> = {}): PortalUser {
  return {
    ID: id, ACTIVE: true, NAME: `Имя${id}`, LAST_NAME: `Фамилия${id}`, SECOND_NAME: '', EMAIL: `u${id}@example.com`, WORK_POSITION: 'Сотрудник',
    PERSONAL_PHOTO: null, UF_DEPARTMENT: dept, IS_ADMIN: false, crmRead: read, crmWrite: write, webhookSecret: `secret-of-${id}`, LANG: 'ru', ...extra,
  }
}

/**
 * The emulated portal: admin 1; in sales (dept 2) an `own` manager (2) and a `department` head (3);
 * in purchasing (dept 3) an `own` manager (4); a user without CRM access (5); 62 departments in
 * all, so department.get needs two pages.
 */
export const PEOPLE = { admin: 1, ownSales: 2, deptSales: 3, ownPurchasing: 4, noCrm: 5 }

async function emulatorTarget(): Promise<Target> {
  const emu = await start({ seed: 'none', rateLimit: false })
  const db = emu.ctx.db
  db.users.push(
    user(2, [2], 'own', 'own'), user(3, [2], 'department', 'department'), user(4, [3], 'own', 'own'), user(5, [2], 'none', 'none'),
  )
  db.departments.push({ ID: 2, NAME: 'Продажи', SORT: 100, PARENT: 1, UF_HEAD: 3 }, { ID: 3, NAME: 'Закупки', SORT: 200, PARENT: 1, UF_HEAD: 4 })
  for (let id = 4; id <= 62; id++) db.departments.push({ ID: id, NAME: `Отдел ${id}`, SORT: 500, PARENT: 1, UF_HEAD: null })
  const post = (url: string, params: Record<string, unknown>): Promise<Reply> =>
    fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(params) }).then(asReply)
  return {
    real: false,
    hookUserId: 1,
    webhookUrl: emu.adminWebhookUrl,
    emu,
    call: (method, params = {}, auth) => (auth === undefined ? post(`${emu.adminWebhookUrl}${method}`, params) : post(`${emu.origin}/rest/${method}`, { ...params, auth })),
    raw: (path, init) => fetch(`${emu.adminWebhookUrl}${path}`, init).then(asReply),
    close: () => emu.close(),
  }
}

async function realTarget(): Promise<Target> {
  const hookUserId = Number(/\/rest\/(\d+)\//.exec(WEBHOOK)?.[1] ?? 0)
  return {
    real: true,
    hookUserId,
    webhookUrl: WEBHOOK,
    emu: null,
    call: (method, params = {}) =>
      fetch(`${WEBHOOK}${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(params) }).then(asReply),
    raw: (path, init) => fetch(`${WEBHOOK}${path}`, init).then(asReply),
    close: async () => {},
  }
}

export function openTarget(): Promise<Target> {
  return REAL ? realTarget() : emulatorTarget()
}

type TestFn = () => Promise<void> | void

/** A check that needs the emulator (control knobs, several users, process kills): skipped with its reason on a real portal. */
export function emulatorOnly(reason: string): (name: string, fn: TestFn, timeout?: number) => void {
  return (name, fn, timeout) => (REAL ? it.skip(`${name} [real portal: ${reason}]`, fn) : it(name, fn, timeout))
}

/** A check that writes: on a real portal only with B24_ALLOW_WRITE=1. */
export function writes(name: string, fn: TestFn, timeout?: number): void {
  if (REAL && !ALLOW_WRITE) it.skip(`${name} [real portal: writes; set B24_ALLOW_WRITE=1]`, fn)
  else it(name, fn, timeout)
}

/** `result` of a successful reply, or a thrown error with the body. */
export function ok<T = Record<string, unknown>>(r: Reply, what: string): T {
  if (r.status !== 200) throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`)
  return r.body.result as T
}
