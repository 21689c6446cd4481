/**
 * One folder per `vitest run` for the seeded portals the test files share (portal-snapshot.ts),
 * removed when the run ends. Workers inherit the folder through the environment.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SNAPSHOT_DIR_ENV } from './portal-snapshot.ts'

export default function setup(): (() => void) | void {
  // CA_TEST_SEED_EACH=1: every portal seeds itself, as before (to tell a seed problem from a test's).
  if (process.env.CA_TEST_SEED_EACH) return
  const dir = mkdtempSync(join(tmpdir(), 'ca-portals-'))
  process.env[SNAPSHOT_DIR_ENV] = dir
  return () => rmSync(dir, { recursive: true, force: true })
}
