/**
 * Child-process side of portal-process.ts: starts an emulator, prints one JSON line with its
 * origin and a token per user, and stops when the parent closes stdin.
 *   node --import tsx test/support/serve-portal.ts [--seed none|people|demo] [--employee] [--handler-url U]
 *   … --save-to FILE: seed, save the portal's data to FILE and exit (portal-snapshot.ts).
 */
import { renameSync, writeFileSync } from 'node:fs'
import { startEmulator } from '../../emulator/server.ts'
import { startSeededEmulator } from './seeded-emulator.ts'

const args = process.argv.slice(2)
const SEEDS = ['none', 'people', 'demo'] as const
const asked = args.includes('--seed') ? args[args.indexOf('--seed') + 1] : 'none'
const seed = SEEDS.find((s) => s === asked)
if (!seed) throw new Error(`serve-portal: unknown seed ${asked} (${SEEDS.join(', ')})`)
const handlerUrl = args.includes('--handler-url') ? args[args.indexOf('--handler-url') + 1] : undefined
const saveTo = args.includes('--save-to') ? args[args.indexOf('--save-to') + 1] : undefined
const options = { port: 0, host: '127.0.0.1', seed, rateLimit: false, devMode: true, dataFile: null, ...(handlerUrl ? { handlerUrl } : {}) } as const
if (saveTo) {
  // Seeds this run's shared copy (portal-snapshot.ts), written whole or not at all, and exits.
  const seeded = await startEmulator(options)
  writeFileSync(`${saveTo}.tmp`, JSON.stringify(seeded.ctx.db))
  renameSync(`${saveTo}.tmp`, saveTo)
  await seeded.close()
  process.exit(0)
}
const emu = await startSeededEmulator(options)
if (args.includes('--employee') && !emu.ctx.db.users.some((u) => u.ID === 2)) {
  // An empty portal has only its admin; installer tests need someone to refuse.
  emu.ctx.db.users.push({
    ID: 2, ACTIVE: true, NAME: 'Ирина', LAST_NAME: 'Сотрудникова', SECOND_NAME: '', EMAIL: 'irina@example.test',
    WORK_POSITION: 'Менеджер', PERSONAL_PHOTO: null, UF_DEPARTMENT: [1], IS_ADMIN: false, crmRead: 'all', crmWrite: 'all',
    webhookSecret: 'employee-secret', LANG: 'ru',
  })
}
const users = emu.ctx.db.users.filter((u) => u.ACTIVE).map((u) => ({ id: u.ID, isAdmin: u.IS_ADMIN, lang: u.LANG, auth: emu.ctx.auth.issue(u.ID) }))
process.stdout.write(JSON.stringify({ origin: emu.origin, domain: emu.ctx.domain, memberId: emu.ctx.db.app.memberId, controlToken: emu.ctx.controlToken, users }) + '\n')
process.stdin.resume()
process.stdin.on('end', () => void emu.close().then(() => process.exit(0)))
process.on('SIGTERM', () => void emu.close().then(() => process.exit(0)))
