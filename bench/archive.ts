/**
 * Bench section `archive.*`: the archive browser's CSV export of every contract on the 10 000
 * scale seed, as the archivist (all CRM rights) through the app's own export (services/archive/
 * export.ts), the port and the real SDK in Node — with the portal's STANDARD rate limit on, so
 * the number shows the export keeps within it (batches at most one a second). Keys:
 *   - archive.export10kMs        the whole export: read + the CSV text built;
 *   - archive.exportRequests10k  REST HTTP requests it made (a batch is one);
 *   - archive.exportRows10k      contracts in the CSV (what the archivist may read);
 *   - archive.exportCsvKb10k     the CSV's size;
 *   - archive.exportHttp10k      HTTP requests the SDK actually made for it (a retried one — the
 *                                portal's 503 QUERY_LIMIT_EXCEEDED — counts twice).
 *
 * Run alone: `npx tsx bench/archive.ts`.
 */
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { startEmulator } from '../emulator/server.ts'
import { PEOPLE } from '../emulator/seed/people.ts'
import { parseContractSpace } from '../src/services/approval/context.ts'
import { exportArchive } from '../src/services/archive/export.ts'
import { archiveCsv } from '../src/components/archive/csv.ts'
import { DEFAULT_QUERY } from '../src/domain/archive.ts'
import { createTranslator } from '../src/locales/index.ts'
import ruArchive from '../src/locales/ru/archive.json'
import ruStages from '../src/locales/ru/stages.json'
import { createNodePort } from '../test/support/node-port.ts'

type Metrics = Record<string, number | string>

export async function archiveExportAt(contracts: number, label: string): Promise<Metrics> {
  const t0 = performance.now()
  const portal = await startEmulator({ port: 0, seed: 'demo', scaleContracts: contracts, rateLimit: 'standard', dataFile: null })
  const seedMs = Math.round(performance.now() - t0)
  try {
    const space = parseContractSpace(portal.ctx.db.app.options.ca_install)
    if (!space) throw new Error('not installed')
    const port = createNodePort({ origin: portal.origin, userId: PEOPLE.archivist, ctx: portal.ctx, attempts: 3 })
    const t = createTranslator('ru', { ...ruArchive, ...ruStages })
    const start = performance.now()
    const http0 = port.requestCount()
    const result = await exportArchive(port, space, { ...DEFAULT_QUERY, stage: 'any', sort: 'id', dir: 'asc' })
    const csv = archiveCsv(result, t)
    const ms = Math.round(performance.now() - start)
    return {
      [`archive.export${label}Ms`]: ms,
      [`archive.exportRequests${label}`]: result.requests,
      [`archive.exportRows${label}`]: result.rows.length,
      [`archive.exportCsvKb${label}`]: Math.round(Buffer.byteLength(csv) / 1024),
      [`archive.exportHttp${label}`]: port.requestCount() - http0,
      [`archive.seed${label}Ms`]: seedMs,
    }
  } finally {
    await portal.close()
  }
}

export const archiveSection = {
  name: 'archive',
  run: async (): Promise<Metrics> => archiveExportAt(10_000, '10k'),
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  archiveExportAt(10_000, '10k').then((m) => console.log(JSON.stringify(m, null, 2)), (e: unknown) => {
    console.error(e)
    process.exit(1)
  })
}
