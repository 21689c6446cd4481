// The archive's pure rules (src/domain/archive.ts): who records receipts, receipt dates, the
// archivist's places, the browser's query in a page address, CSV cells, cover-sheet codes.
import { describe, expect, it } from 'vitest'
import {
  coverCode, csvCell, csvLine, DEFAULT_QUERY, hasQueryParams, isNarrowed, mayRecordReceipt, parseArchivists, parsePlaces, queryFromParams,
  landingOf, queryToParams, receiptDateIssue, scannedId, serializeArchivists, serializePlaces, withPlace, yearsBetween, type ArchiveQuery,
} from '../../src/domain/archive.ts'

describe('archivists', () => {
  it('only named archivists record receipts; administrators only until someone is named', () => {
    const named = parseArchivists(serializeArchivists({ userIds: [9, 9, 3] }))
    expect(named.userIds).toEqual([9, 3])
    expect(mayRecordReceipt(false, 9, named)).toBe(true)
    expect(mayRecordReceipt(true, 1, named)).toBe(false)
    expect(mayRecordReceipt(false, 2, named)).toBe(false)
    expect(mayRecordReceipt(true, 1, parseArchivists(undefined))).toBe(true)
    expect(mayRecordReceipt(false, 2, parseArchivists('not json'))).toBe(false)
  })
})

describe('receipt dates', () => {
  it('lie between the approval day and today', () => {
    expect(receiptDateIssue('2020-01-15', '2026-12-02', '2026-11-20')).toBe('dateBeforeApproval')
    expect(receiptDateIssue('2026-12-03', '2026-12-02', '2026-11-20')).toBe('dateFuture')
    expect(receiptDateIssue('2026-11-20', '2026-12-02', '2026-11-20')).toBeNull()
    expect(receiptDateIssue('2026-12-02', '2026-12-02', null)).toBeNull()
    expect(receiptDateIssue('', '2026-12-02', null)).toBe('dateRequired')
  })
})

describe('storage places', () => {
  it('keeps the latest first, once each, from a user option', () => {
    const list = withPlace(['Шкаф 1', 'Шкаф 2'], 'шкаф 2', 'Сейф')
    expect(list).toEqual(['Сейф', 'шкаф 2', 'Шкаф 1'])
    expect(parsePlaces(serializePlaces(list))).toEqual(list)
    expect(parsePlaces('{bad')).toEqual([])
  })
})

describe('the browser query in a page address', () => {
  it('round-trips every part and drops defaults', () => {
    const q: ArchiveQuery = {
      number: '2026-0', text: 'поставка', counterparty: 'Север', authorId: 2, contractType: 'Аренда', dateFrom: '2026-01-01', dateTo: '2026-06-30',
      amountMin: 100000, amountMax: 2500000.5, stage: 'any', originals: 'received', sort: 'amount', dir: 'asc',
    }
    const params = new URLSearchParams(queryToParams(q))
    expect(hasQueryParams((n) => params.get(n))).toBe(true)
    expect(queryFromParams((n) => params.get(n))).toEqual(q)
    expect(queryToParams(DEFAULT_QUERY)).toEqual({})
    expect(isNarrowed(DEFAULT_QUERY)).toBe(false)
    expect(isNarrowed({ ...DEFAULT_QUERY, sort: 'number' })).toBe(false)
    expect(isNarrowed({ ...DEFAULT_QUERY, amountMin: 1 })).toBe(true)
  })

  it('reads malformed parameters as the default', () => {
    const params = new URLSearchParams('ca_st=DROP&ca_df=yesterday&ca_a1=-5&ca_au=x&ca_s=evil')
    expect(queryFromParams((n) => params.get(n))).toEqual(DEFAULT_QUERY)
  })

  it('takes years from the data', () => {
    expect(yearsBetween('2019-03-01', '2026-12-31')).toEqual([2026, 2025, 2024, 2023, 2022, 2021, 2020, 2019])
    expect(yearsBetween(null, null)).toEqual([])
  })
})

describe('CSV', () => {
  it('quotes separators and quotes, defuses formulas, writes decimal commas', () => {
    expect(csvCell('ООО «Ромашка»; филиал')).toBe('"ООО «Ромашка»; филиал"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`)
    expect(csvCell(1234.5)).toBe('1234,5')
    expect(csvLine(['a', null, 2])).toBe('a;;2\r\n')
  })
})

describe('cover sheet codes', () => {
  it('a scan gives back the contract id, also typed under the Russian keyboard layout', () => {
    const code = coverCode(8061, '2026-014')
    expect(code).toBe('CA:8061:2026-014')
    expect(scannedId(code)).toBe(8061)
    expect(scannedId('СФЖ8061Ж2026-014')).toBe(8061)
    expect(scannedId(' 8061 ')).toBe(8061)
    expect(scannedId('hello')).toBeNull()
  })

  it('the workspace opens on the archive for a link with an archive query or a saved archive landing, else the inbox', () => {
    expect(landingOf(undefined, false)).toBe('inbox')
    expect(landingOf('', false)).toBe('inbox')
    expect(landingOf('archive', false)).toBe('archive')
    expect(landingOf('ARCHIVE', false)).toBe('inbox')
    expect(landingOf(undefined, true)).toBe('archive')
  })
})
