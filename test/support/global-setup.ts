/**
 * One folder per `vitest run` for the seeded portals the test files share (portal-snapshot.ts),
 * removed when the run ends. Workers inherit the folder through the environment.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SNAPSHOT_DIR_ENV } from './portal-snapshot.ts'

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'ca-portals-'))
  process.env[SNAPSHOT_DIR_ENV] = dir
  return () => rmSync(dir, { recursive: true, force: true })
}
