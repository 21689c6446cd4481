/** What one block of the tab shows: a chart and a table of the same numbers, rows drilling down. */
import type { CsvCell } from '../../domain/analytics/csv.ts'

export interface SectionRow {
  readonly key: string
  /** What the drill-down is titled (the bar's name). */
  readonly label: string
  readonly cells: readonly CsvCell[]
  /** The contracts behind the row. */
  readonly ids: readonly number[]
}

export interface Section {
  readonly id: string
  readonly title: string
  readonly chart: { readonly kind: 'bar' | 'line'; readonly horizontal?: boolean; readonly values: readonly (number | null)[] }
  readonly columns: readonly string[]
  readonly rows: readonly SectionRow[]
}
