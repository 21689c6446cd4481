/** A list that grows page by page ("show more"), as the workspace's and the archive's lists do. */
import type { AppError } from '../platform/errors.ts'

export interface PagedList<Row> {
  rows: Row[]
  /** Offset of the next page; null when everything is loaded. */
  next: number | null
  loadingMore: boolean
  error: AppError | null
}

export const emptyPagedList = <Row>(): PagedList<Row> => ({ rows: [], next: null, loadingMore: false, error: null })

/** Appends a page. Offset paging can repeat a row when the list shifts between pages. */
export function appendPage<Row extends { readonly id: number }>(have: readonly Row[], more: readonly Row[]): Row[] {
  const seen = new Set(have.map((r) => r.id))
  return [...have, ...more.filter((r) => !seen.has(r.id))]
}
