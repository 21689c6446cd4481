/** Build sizes (gzip level 9) of dist/ and of any build the bench makes itself. */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

export interface AssetRow {
  file: string
  bytes: number
  gzip: number
}

export function assetRows(dist: string): AssetRow[] {
  const assets = join(dist, 'assets')
  return readdirSync(assets)
    .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
    .map((f) => {
      const buf = readFileSync(join(assets, f))
      return { file: f, bytes: buf.length, gzip: gzipSync(buf, { level: 9 }).length }
    })
    .sort((a, b) => b.gzip - a.gzip)
}

export function totalGzip(rows: AssetRow[], ext: '.js' | '.css'): number {
  return rows.filter((r) => r.file.endsWith(ext)).reduce((a, r) => a + r.gzip, 0)
}

/** gzip bytes of the named asset files (basenames), split by kind. */
export function gzipOf(rows: AssetRow[], files: Iterable<string>): { js: number; css: number; files: string[] } {
  const wanted = new Set(files)
  const hit = rows.filter((r) => wanted.has(r.file))
  return { js: totalGzip(hit, '.js'), css: totalGzip(hit, '.css'), files: hit.map((r) => r.file) }
}
