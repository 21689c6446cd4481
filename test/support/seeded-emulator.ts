/**
 * startEmulator for tests: a seeded portal from this run's shared seed (portal-snapshot.ts) when
 * there is one, otherwise seeded on the spot. The copy is the seed's data, parsed afresh: what one
 * test file writes no other file sees.
 */
import { readFileSync } from 'node:fs'
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/server.ts'
import { seedScale } from '../../emulator/seed/scale.ts'
import { moveApp } from '../../emulator/core/db.ts'
import { seededSnapshot, type SeedKind } from './portal-snapshot.ts'

export async function startSeededEmulator(opts: EmulatorOptions & { seed: SeedKind }): Promise<Emulator> {
  const file = await seededSnapshot(opts.seed, opts.handlerUrl)
  if (!file) return startEmulator(opts)
  const emu = await startEmulator({ ...opts, seed: 'none', dataFile: null, scaleContracts: 0 })
  emu.ctx.replaceData(JSON.parse(readFileSync(file, 'utf8')))
  // What startEmulator does for a portal loaded from a data file.
  if (opts.handlerUrl) moveApp(emu.ctx.db.app, opts.handlerUrl)
  const admin = emu.ctx.db.users.find((u) => u.ID === 1)
  if (opts.webhookToken && admin) admin.webhookSecret = opts.webhookToken
  // The scale seed adds its contracts on top of the demo, as startEmulator does after seeding.
  if (opts.scaleContracts && opts.scaleContracts > 0) seedScale(emu.ctx, opts.scaleContracts)
  return emu
}
