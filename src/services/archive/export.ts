/**
 * The archive browser's export: every contract of the current query, read page by page through
 * batches, as the user's own token reads them — so rows and totals respect CRM rights. Pages go
 * 12 to a batch (list + authors + counterparties each) and batches at most one a second: a long
 * export leaves the office's shared rate-limit bucket (2 requests/s, settings/performance/limits.md)
 * room for everyone else. Cancel between batches with an AbortSignal.
 */
import type { BatchCommand, BitrixPort, PortalUserInfo } from '../../platform/port.ts'
import type { ContractSpace } from '../approval/context.ts'
import { PAGE_SIZE } from '../workspace/queries.ts'
import { listCommands, readArchivePage, type ArchiveRow } from './queries.ts'
import type { ArchiveQuery } from '../../domain/archive.ts'
import { AppError } from '../../platform/errors.ts'

/** Pages per batch: up to 4 commands each (list, authors, counterparties, the counterparty search), under the batch's 50. */
export const PAGES_PER_BATCH = 12
/** At most one export batch per this many ms. */
export const BATCH_SPACING_MS = 1000
/** The export stops past this many rows (the user should narrow the search). */
export const EXPORT_MAX_ROWS = 100_000

export interface ExportProgress {
  readonly done: number
  /** The portal's count of the query; null until the first batch answers. */
  readonly total: number | null
}

export interface ExportResult {
  readonly rows: ArchiveRow[]
  readonly companies: Map<number, string>
  readonly people: Map<number, PortalUserInfo>
  /** REST requests the export made. */
  readonly requests: number
}

export interface ExportOptions {
  readonly signal?: AbortSignal
  readonly onProgress?: (p: ExportProgress) => void
  readonly spacingMs?: number
  readonly sleep?: (ms: number) => Promise<void>
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

function aborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError('unknown', 'EXPORT_CANCELLED', 'the export was cancelled')
}

export async function exportArchive(port: BitrixPort, space: ContractSpace, q: ArchiveQuery, opts: ExportOptions = {}): Promise<ExportResult> {
  const spacing = opts.spacingMs ?? BATCH_SPACING_MS
  const sleep = opts.sleep ?? wait
  const rows: ArchiveRow[] = []
  const seen = new Set<number>()
  const companies = new Map<number, string>()
  const people = new Map<number, PortalUserInfo>()
  let total: number | null = null
  let start = 0
  let requests = 0
  let last = 0
  for (;;) {
    aborted(opts.signal)
    const pages = total === null ? 1 : Math.min(PAGES_PER_BATCH, Math.ceil((Math.min(total, EXPORT_MAX_ROWS) - start) / PAGE_SIZE))
    if (pages <= 0) break
    const gap = last ? spacing - (Date.now() - last) : 0
    if (gap > 0) await sleep(gap)
    aborted(opts.signal)
    const cmds: Record<string, BatchCommand> = {}
    const keys: string[] = []
    for (let p = 0; p < pages; p++) {
      // Each page's commands under their own names: p0, p0Companies, p0People, p0Co…
      Object.assign(cmds, listCommands(space, 'archive', start + p * PAGE_SIZE, q, `p${p}`))
      keys.push(`p${p}`)
    }
    last = Date.now()
    const outcome = await port.batch(cmds)
    requests++
    let short = false
    for (const key of keys) {
      const page = readArchivePage(outcome, space, key, 0)
      if (total === null) total = page.total ?? null
      for (const r of page.rows) {
        if (seen.has(r.id)) continue
        seen.add(r.id)
        rows.push(r)
      }
      for (const [id, name] of page.companies) companies.set(id, name)
      for (const u of page.people) people.set(u.id, u)
      if (page.rows.length < PAGE_SIZE) short = true
    }
    start += pages * PAGE_SIZE
    opts.onProgress?.({ done: rows.length, total })
    if (short || total === null || start >= Math.min(total, EXPORT_MAX_ROWS)) break
  }
  return { rows, companies, people, requests }
}
