/**
 * `npm run package`: a fresh production build, zipped for upload to any static host:
 * artifacts/contract-approval-<version>.zip with the contents of dist/ at the archive's root
 * (index.html at the top, as a host's document root expects).
 *
 *   --no-build   zip dist/ as it is
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { zip, type ZipEntry } from '../emulator/seed/zip.ts'

const root = fileURLToPath(new URL('..', import.meta.url))

/** Every file under `dir`, sorted, so the same build gives the same archive. */
export function filesUnder(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...filesUnder(path))
    else out.push(path)
  }
  return out
}

/** Zip entries for a folder's contents; names use `/` whatever the OS. */
export function folderEntries(dir: string): ZipEntry[] {
  return filesUnder(dir).map((path) => ({ name: relative(dir, path).split(sep).join('/'), data: readFileSync(path) }))
}

async function main(): Promise<void> {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
  const dist = join(root, 'dist')
  if (!process.argv.includes('--no-build')) {
    console.log('Building the app (vite build)…')
    await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn' })
  }
  const entries = folderEntries(dist)
  if (!entries.some((e) => e.name === 'index.html')) throw new Error(`${dist} has no index.html: run npm run build`)
  const outDir = join(root, 'artifacts')
  mkdirSync(outDir, { recursive: true })
  const out = join(outDir, `contract-approval-${version}.zip`)
  const archive = zip(entries)
  writeFileSync(out, archive)
  console.log(`${relative(root, out)}: ${entries.length} files, ${(archive.length / 1024).toFixed(0)} KiB`)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
