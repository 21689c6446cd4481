/**
 * `npm start`: builds the app, starts the portal emulator (demo seed, persisted to
 * .data/portal.json) and a static host for dist/, then prints where to go. The demo seed installs
 * the app with its own installer, against the running emulator, before the URL is printed.
 *
 *   PORTAL_PORT (8080) · APP_PORT (5173) · EMULATOR_WEBHOOK_TOKEN · --reset (fresh demo data)
 *   --no-build (reuse dist/ as it is) · --seed people (with --reset: the app not installed yet,
 *   to try the install wizard as the admin)
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { SEED_KINDS, startEmulator, type SeedKind } from '../emulator/server.ts'
import { startStaticServer } from './static-server.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const argv = process.argv.slice(2)
const args = new Set(argv)
const seedArg = argv[argv.indexOf('--seed') + 1]
const seed: SeedKind = argv.includes('--seed') ? (seedArg as SeedKind) : 'demo'
if (!SEED_KINDS.includes(seed)) throw new Error(`--seed takes ${SEED_KINDS.join(', ')}`)
const portalPort = Number(process.env.PORTAL_PORT ?? 8080)
const appPort = Number(process.env.APP_PORT ?? 5173)
const host = '127.0.0.1'

async function main(): Promise<void> {
  const dist = `${root}dist`
  if (!args.has('--no-build') || !existsSync(`${dist}/index.html`)) {
    console.log('Building the app (vite build)…')
    await build({ root, configFile: `${root}vite.config.ts`, logLevel: 'warn' })
  }

  const app = await startStaticServer({ root: dist, port: appPort, host })
  const handlerUrl = `${app.origin}/`
  const portal = await startEmulator({
    port: portalPort,
    host,
    dataFile: `${root}.data/portal.json`,
    reset: args.has('--reset'),
    seed,
    handlerUrl,
    webhookToken: process.env.EMULATOR_WEBHOOK_TOKEN,
  })
  const admin = portal.ctx.db.users.find((u) => u.IS_ADMIN && u.ACTIVE)
  const who = admin ? `${admin.NAME} ${admin.LAST_NAME} (${admin.WORK_POSITION || 'admin'})` : 'nobody (no users seeded)'
  console.log('')
  console.log(`  Portal (Bitrix24 emulator):  ${portal.origin}/`)
  console.log(`  Logged in as:                ${who} — switch users in the page header`)
  console.log(`  App host (dist/):            ${handlerUrl}`)
  console.log(`  Admin webhook:               ${portal.adminWebhookUrl}`)
  console.log(`  Data file:                   .data/portal.json${args.has('--reset') ? ' (reset)' : ''}`)
  console.log(`  App:                         ${portal.ctx.db.app.installed ? 'installed (by its own installer)' : 'not installed — as the admin, open Market to run the install wizard'}`)
  console.log('')
  console.log('Press Ctrl+C to stop.')

  let stopping = false
  const stop = async (): Promise<void> => {
    if (stopping) return
    stopping = true
    await Promise.allSettled([portal.close(), app.close()])
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
