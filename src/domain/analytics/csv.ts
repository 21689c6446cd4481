/** Analytics' CSV: the app's one encoder (domain/csv.ts), formula-safe like the archive's. */
export { toCsv, type CsvCell } from '../csv.ts'
