/**
 * Shared browser-test fixtures: the portal emulator (in memory, demo seed, no rate limit), a
 * static host for the built app, and Debian's Chromium driven by playwright-core. Persona specs
 * start one stack per file and log in as whoever they need.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type FrameLocator, type Page } from 'playwright-core'
import type { EmulatorContext, PortalUser } from '../../emulator/core/types.ts'
import { startEmulator } from '../../emulator/server.ts'
import { USER_COOKIE } from '../../emulator/shell/session.ts'
export { PEOPLE } from '../../emulator/seed/people.ts'
import { startStaticServer, type StaticServer } from '../../scripts/static-server.ts'
import { parseContractSpace, type ContractSpace } from '../../src/services/approval/context.ts'
import { APP_OPTION_KEYS } from '../../src/domain/schema.ts'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const ARTIFACTS = join(ROOT, 'artifacts')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), st.mtimeMs)
}

/** Builds dist/ unless it is newer than every input of the build (CI builds once before e2e). */
export function ensureAppBuilt(): string {
  const dist = join(ROOT, 'dist')
  const built = existsSync(join(dist, 'index.html')) ? statSync(join(dist, 'index.html')).mtimeMs : 0
  const inputs = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json'].map((p) => newestMtime(join(ROOT, p)))
  if (built === 0 || Math.max(...inputs) > built) {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' })
  }
  return dist
}

export interface Stack {
  portal: { origin: string; ctx: EmulatorContext; adminWebhookUrl: string }
  app: StaticServer
  browser: Browser
  close(): Promise<void>
}

export interface StackOptions {
  seed?: 'demo' | 'people' | 'none'
  /** Serve this folder as the app instead of dist/ (protocol probes). */
  appRoot?: string
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const root = opts.appRoot ?? ensureAppBuilt()
  const app = await startStaticServer({ root, port: 0 })
  const portal = await startEmulator({ port: 0, seed: opts.seed ?? 'demo', handlerUrl: `${app.origin}/`, rateLimit: false, devMode: true })
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS })
  return {
    portal,
    app,
    browser,
    async close() {
      await browser.close()
      await Promise.allSettled([portal.close(), app.close()])
    },
  }
}

/** Where the installed app keeps contracts on this portal (the `ca_install` option). */
export function contractSpace(stack: Stack): ContractSpace {
  const space = parseContractSpace(stack.portal.ctx.db.app.options[APP_OPTION_KEYS.install])
  if (!space) throw new Error('the portal has no ca_install option: is the app installed?')
  return space
}

export type UserMatch = number | ((u: PortalUser) => boolean)

export function findUser(ctx: EmulatorContext, match: UserMatch): PortalUser {
  const user = ctx.db.users.find((u) => u.ACTIVE && (typeof match === 'number' ? u.ID === match : match(u)))
  if (!user) throw new Error(`no active portal user matches ${String(match)}`)
  return user
}

export const fullName = (u: PortalUser): string => `${u.NAME} ${u.LAST_NAME}`

/**
 * Playwright's per-action and navigation ceiling (its default is 30 s). Generous on purpose: on a
 * loaded 2-core machine a click that starts an iframe app can take tens of seconds; a real hang
 * still fails.
 */
export const ACTION_TIMEOUT = 90_000

/** The narrowest phone the views must work on (approvers decide from their phone). */
export const PHONE = { width: 375, height: 812 }

/** A fresh browser context (own cookies) logged into the portal as the given user. */
export async function openPortal(stack: Stack, match: UserMatch, viewport = { width: 1366, height: 900 }): Promise<{ context: BrowserContext; page: Page; user: PortalUser }> {
  const user = findUser(stack.portal.ctx, match)
  const context = await stack.browser.newContext({ viewport, locale: 'ru-RU' })
  context.setDefaultTimeout(ACTION_TIMEOUT)
  context.setDefaultNavigationTimeout(ACTION_TIMEOUT)
  await context.addCookies([{ name: USER_COOKIE, value: String(user.ID), url: stack.portal.origin }])
  const page = await context.newPage()
  return { context, page, user }
}

/** Switches the portal user the way a person does: the header's user switcher (reloads). */
export async function switchUser(page: Page, user: PortalUser): Promise<void> {
  await Promise.all([
    page.waitForEvent('load'),
    page.locator('select[data-testid="user-switcher"]').selectOption(String(user.ID)),
  ])
}

export function appFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe[data-testid="app-frame"]')
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true })
  const path = join(ARTIFACTS, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}
