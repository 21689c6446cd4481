/**
 * The baseline page: B24App + one Timeline (bench/empty-app/), built with the app's own
 * vite.config.ts into a temp dir. What the card tab costs beyond it is the app's own weight.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const EMPTY_APP_DIR = join(ROOT, 'bench', 'empty-app')
/** What the empty page paints: the readiness selector the bench waits for. */
export const EMPTY_READY = '[data-testid="bench-empty"]'

export async function buildEmptyPage(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'bench-empty-'))
  const { build } = await import('vite')
  await build({
    configFile: join(ROOT, 'vite.config.ts'),
    root: EMPTY_APP_DIR,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  })
  return outDir
}
