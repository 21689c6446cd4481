/**
 * The archive browser and its export under CRM rights, through the real SDK: two people who may
 * read different contracts get different rows, different totals and a different CSV — the
 * portal leaves out what a token may not read; nothing of ours filters. And the export pages
 * through batches, one request per batch, and can be cancelled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PEOPLE } from '../../../emulator/seed/people.ts'
import { loadArchivePage, loadArchiveStart } from '../../../src/services/archive/queries.ts'
import { exportArchive } from '../../../src/services/archive/export.ts'
import { archiveCsv } from '../../../src/components/archive/csv.ts'
import { DEFAULT_QUERY, type ArchiveQuery } from '../../../src/domain/archive.ts'
import { createTranslator } from '../../../src/locales/index.ts'
import ruArchive from '../../../src/locales/ru/archive.json'
import ruStages from '../../../src/locales/ru/stages.json'
import { stageCodeOf } from '../../../src/domain/schema.ts'
import type { NodePort } from '../../support/node-port.ts'
import { startPortal, type Portal } from '../approval/helpers.ts'

let portal: Portal
const t = createTranslator('ru', { ...ruArchive, ...ruStages })
/** Every contract of any stage: what each person may read differs most here. */
const ALL: ArchiveQuery = { ...DEFAULT_QUERY, stage: 'any', sort: 'id', dir: 'asc' }

const framed = (userId: number): NodePort => ({ ...portal.port(userId), initialAppOptions: { ...portal.emu.ctx.db.app.options } })

function items(): Record<string, unknown>[] {
  return Object.values(portal.emu.ctx.db.crm.items[String(portal.space.entityTypeId)] ?? {}) as Record<string, unknown>[]
}
const ownedBy = (userId: number) => items().filter((it) => Number(it.assignedById) === userId || Number(it.createdBy) === userId)

beforeAll(async () => {
  portal = await startPortal()
})
afterAll(async () => {
  await portal?.close()
})

describe('archive under CRM rights', () => {
  it('two people who see different contracts get different rows, totals and CSV', async () => {
    const a = PEOPLE.salesManager
    const b = PEOPLE.procurementManager
    const csvOf = async (userId: number) => archiveCsv(await exportArchive(framed(userId), portal.space, ALL, { spacingMs: 0 }), t)
    const pageOf = (userId: number) => loadArchivePage(framed(userId), portal.space, 'archive', 0, ALL)

    const [pa, pb] = await Promise.all([pageOf(a), pageOf(b)])
    // Each reads only their own contracts ('own' rights), and the portal counts only those.
    expect(pa.rows.map((r) => r.id).sort((x, y) => x - y)).toEqual(ownedBy(a).map((it) => Number(it.id)).sort((x, y) => x - y))
    expect(pb.rows.map((r) => r.id).sort((x, y) => x - y)).toEqual(ownedBy(b).map((it) => Number(it.id)).sort((x, y) => x - y))
    expect(pa.total).toBe(ownedBy(a).length)
    expect(pb.total).toBe(ownedBy(b).length)
    expect(pa.total).not.toBe(pb.total)
    expect(pa.rows.some((r) => pb.rows.some((x) => x.id === r.id))).toBe(false)

    const [ca, cb] = await Promise.all([csvOf(a), csvOf(b)])
    expect(ca).not.toBe(cb)
    for (const [csv, page] of [[ca, pa], [cb, pb]] as const) {
      expect(csv.startsWith('\uFEFFID;Номер;Название;Контрагент;Автор;')).toBe(true)
      const lines = csv.split('\r\n').filter(Boolean)
      // The header, a line per readable contract, the total line.
      expect(lines).toHaveLength((page.total ?? 0) + 2)
      expect(lines.at(-1)).toMatch(new RegExp(`^Итого договоров: ${page.total};`))
      const ids = lines.slice(1, -1).map((l) => Number(l.split(';')[0]))
      expect(ids.sort((x, y) => x - y)).toEqual(page.rows.map((r) => r.id).sort((x, y) => x - y))
    }

    // The archivist (all rights) sees both, and someone without CRM rights none: "no access".
    const all = await loadArchivePage(framed(PEOPLE.archivist), portal.space, 'archive', 0, ALL)
    expect(all.total).toBe(items().length)
    const blind = await loadArchiveStart(framed(PEOPLE.noAccess), portal.space)
    expect(blind.seesAny).toBe(false)
    expect(blind.archive.rows).toEqual([])
    expect((await loadArchiveStart(framed(PEOPLE.salesManager), portal.space)).seesAny).toBe(true)
  })

  it('the export pages through batches (one request each), reports progress and can be cancelled', async () => {
    const port = framed(PEOPLE.archivist)
    const total = items().length
    const progress: number[] = []
    const before = port.requestCount()
    const res = await exportArchive(port, portal.space, ALL, { spacingMs: 0, onProgress: (p) => progress.push(p.done) })
    expect(res.rows).toHaveLength(total)
    expect(port.requestCount() - before).toBe(res.requests)
    expect(progress.at(-1)).toBe(total)
    // Archived only, by amount: the filter is the browser's own.
    const archived = await exportArchive(port, portal.space, { ...DEFAULT_QUERY, amountMin: 1_000_000 }, { spacingMs: 0 })
    expect(archived.rows.length).toBeGreaterThan(0)
    expect(archived.rows.every((r) => stageCodeOf(`x:${r.stageCode}`) === 'SUCCESS' && (r.amount ?? 0) >= 1_000_000)).toBe(true)

    const ctl = new AbortController()
    ctl.abort()
    await expect(exportArchive(port, portal.space, ALL, { signal: ctl.signal })).rejects.toMatchObject({ code: 'EXPORT_CANCELLED' })
  })
})
