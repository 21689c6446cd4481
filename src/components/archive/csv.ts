/** The export's CSV in the user's language: a header, one line per contract, a total line. */
import type { ExportResult } from '../../services/archive/export.ts'
import { CSV_BOM, csvLine } from '../../domain/archive.ts'

type Translate = (key: string, named?: Record<string, unknown>) => string

const COLUMNS = ['id', 'number', 'title', 'counterparty', 'author', 'type', 'date', 'amount', 'currency', 'stage', 'originals', 'receivedAt', 'storage'] as const

export function archiveCsv(r: ExportResult, t: Translate): string {
  const out = [CSV_BOM, csvLine(COLUMNS.map((c) => t(`archive.export.header.${c}`)))]
  let sum = 0
  const currencies = new Set<string>()
  for (const row of r.rows) {
    if (row.amount !== null) sum += row.amount
    if (row.currency) currencies.add(row.currency)
    out.push(csvLine([
      row.id, row.number, row.title, row.companyId ? r.companies.get(row.companyId) ?? null : null,
      row.authorId ? r.people.get(row.authorId)?.fullName ?? null : null, row.contractType, row.date, row.amount, row.currency,
      row.stageCode ? t(`stages.${row.stageCode}`) : null, t(row.originalsReceived ? 'archive.export.yes' : 'archive.export.no'),
      row.receivedAt, row.storageLocation,
    ]))
  }
  // One sum only when every amount is in one currency: adding roubles to euros means nothing.
  const total = currencies.size <= 1 ? Math.round(sum * 100) / 100 : null
  out.push(csvLine([t('archive.export.totalRow', { n: r.rows.length }), null, null, null, null, null, null, total, currencies.size === 1 ? [...currencies][0] : null]))
  return out.join('')
}
