/**
 * CSV that Excel opens as it is, in a Russian locale too: UTF-8 with a byte-order mark (or
 * Cyrillic turns to mojibake), `;` between fields (a Russian Excel expects it; a comma is the
 * decimal separator there), CRLF line ends, decimals with a comma, and every field that holds
 * `;`, a quote or a line break quoted.
 */

export type CsvCell = string | number | null

function cell(value: CsvCell): string {
  if (value === null) return ''
  const text = typeof value === 'number' ? String(value).replace('.', ',') : value
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/**
 * One CSV document from a header and rows.
 *
 * @example toCsv(['Шаг', 'Часы'], [['Юрист', 12.5]]) // '\uFEFFШаг;Часы\r\nЮрист;12,5\r\n'
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return '\uFEFF' + [header, ...rows].map((r) => r.map(cell).join(';') + '\r\n').join('')
}
