/**
 * Seeded portals, seeded once per test run. The demo seed installs the app and walks contracts
 * through their history over HTTP, which takes seconds on a loaded machine; a dozen test files
 * each seeding their own portal made that most of `npm test`. The first file that needs a seed
 * makes it in a child process and saves the portal's data; every portal after that (in-process or
 * in a child) starts empty and takes a fresh copy of that data, so tests stay isolated from each
 * other. Without the run's folder (global-setup.ts) nothing is shared and each portal seeds itself.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'

export type SeedKind = 'none' | 'people' | 'demo'

export const SNAPSHOT_DIR_ENV = 'CA_TEST_PORTAL_SNAPSHOTS'

const SEED_TIMEOUT_MS = 180_000

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function seedOnce(seed: SeedKind, handlerUrl: string | undefined, file: string): Promise<void> {
  const script = resolve(process.cwd(), 'test/support/serve-portal.ts')
  const args = ['--import', 'tsx', script, '--seed', seed, '--save-to', file, ...(handlerUrl ? ['--handler-url', handlerUrl] : [])]
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'], cwd: process.cwd() })
    child.once('error', fail)
    child.once('exit', (code) => (code === 0 ? ok() : fail(new Error(`seeding ${seed} exited with ${code}`))))
  })
}

/**
 * The file holding a freshly seeded portal's data (PortalData JSON), or null when this run
 * shares no seeds (or for `none`, which costs nothing to seed). Concurrent callers across test
 * workers wait for one seeding.
 */
export async function seededSnapshot(seed: SeedKind, handlerUrl?: string): Promise<string | null> {
  const dir = process.env[SNAPSHOT_DIR_ENV]
  if (!dir || seed === 'none') return null
  const name = `${seed}-${Buffer.from(handlerUrl ?? 'default').toString('hex')}`
  const file = join(dir, `${name}.json`)
  const lock = join(dir, `${name}.lock`)
  const until = Date.now() + SEED_TIMEOUT_MS
  while (!existsSync(file)) {
    let mine = false
    try {
      mkdirSync(lock)
      mine = true
    } catch {
      // Another worker is seeding: wait for its file.
    }
    if (mine) {
      try {
        await seedOnce(seed, handlerUrl, file)
      } finally {
        rmSync(lock, { recursive: true, force: true })
      }
      break
    }
    if (Date.now() > until) throw new Error(`no ${seed} snapshot after ${SEED_TIMEOUT_MS} ms`)
    await sleep(100)
  }
  return file
}
