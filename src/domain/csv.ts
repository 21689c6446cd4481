/**
 * CSV that Excel opens as it is, in a Russian locale too: UTF-8 with a byte-order mark (or
 * Cyrillic turns to mojibake), `;` between fields (a Russian Excel expects it; a comma is the
 * decimal separator there), CRLF line ends, decimals with a comma, every field that holds `;`, a
 * quote or a line break quoted — and no text a spreadsheet would run as a formula. One encoder
 * for every export (the archive's, analytics').
 */

export const CSV_BOM = '\uFEFF'
export const CSV_SEPARATOR = ';'

export type CsvCell = string | number | null | undefined

/**
 * One CSV cell. Quoted when it holds the separator, a quote or a line break; a text starting
 * with `=`, `+`, `-`, `@` or a tab gets a leading apostrophe, so a spreadsheet never runs it
 * as a formula (a title or a name typed in Bitrix24 is anyone's text). Numbers go as they are.
 */
export function csvCell(v: CsvCell): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'number') return Number.isFinite(v) ? String(v).replace('.', ',') : ''
  let s = v
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function csvLine(cells: readonly CsvCell[]): string {
  return cells.map(csvCell).join(CSV_SEPARATOR) + '\r\n'
}

/**
 * One CSV document from a header and rows.
 *
 * @example toCsv(['Шаг', 'Часы'], [['Юрист', 12.5]]) // '\uFEFFШаг;Часы\r\nЮрист;12,5\r\n'
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return CSV_BOM + [header, ...rows].map(csvLine).join('')
}
