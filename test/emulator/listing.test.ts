import { describe, expect, it } from 'vitest'
import { compileFilter, paginate, sortRows, applySelect } from '../../emulator/core/listing.ts'
import { normalizeArrays, parseQuery } from '../../emulator/core/params.ts'

const rows = [
  { id: 1, title: 'Договор поставки', stageId: 'NEW', amount: 100, tags: [3, 5], createdTime: '2026-01-10T10:00:00+03:00' },
  { id: 2, title: 'Договор аренды', stageId: 'APPROVAL', amount: 500, tags: [], createdTime: '2026-02-10T10:00:00+03:00' },
  { id: 3, title: 'Дилерский договор', stageId: 'SUCCESS', amount: 1000, tags: [5], createdTime: '2026-03-10T10:00:00+03:00' },
]
const ids = (filter: unknown): number[] => rows.filter(compileFilter(filter)).map((r) => r.id)

describe('filter prefixes', () => {
  it('compares', () => {
    expect(ids({ stageId: 'NEW' })).toEqual([1])
    expect(ids({ '=stageId': 'NEW' })).toEqual([1])
    expect(ids({ '!stageId': 'NEW' })).toEqual([2, 3])
    expect(ids({ '!=stageId': 'NEW' })).toEqual([2, 3])
    expect(ids({ '>amount': 100 })).toEqual([2, 3])
    expect(ids({ '>=amount': '500' })).toEqual([2, 3])
    expect(ids({ '<amount': 500 })).toEqual([1])
    expect(ids({ '<=amount': 500 })).toEqual([1, 2])
    expect(ids({ '>createdTime': '2026-02-01' })).toEqual([2, 3])
  })
  it('in / not in / contains / like', () => {
    expect(ids({ '@stageId': ['NEW', 'SUCCESS'] })).toEqual([1, 3])
    expect(ids({ '!@stageId': ['NEW', 'SUCCESS'] })).toEqual([2])
    expect(ids({ '%title': 'ДОГОВОР' })).toEqual([1, 2, 3])
    expect(ids({ '%title': 'аренд' })).toEqual([2])
    expect(ids({ '=%title': 'Договор%' })).toEqual([1, 2])
    expect(ids({ '!%title': 'аренд' })).toEqual([1, 3])
  })
  it('matches multiple fields by any element', () => {
    expect(ids({ tags: 5 })).toEqual([1, 3])
    expect(ids({ '@tags': [3] })).toEqual([1])
    // A batch `$result[me][ID]` reference arrives as a string; employee ids are stored as numbers.
    expect(ids({ tags: '5' })).toEqual([1, 3])
    expect(ids({ tags: 4 })).toEqual([])
  })
  it('nests logic OR groups with numeric keys', () => {
    expect(ids({ 0: { logic: 'OR', 0: { stageId: 'NEW' }, 1: { '>amount': 900 } } })).toEqual([1, 3])
    expect(ids({ '%title': 'Договор', 0: { logic: 'OR', 0: { stageId: 'NEW' }, 1: { stageId: 'APPROVAL' } } })).toEqual([1, 2])
    // A PHP-array filter (from a query string) arrives as a list of groups.
    expect(ids([{ logic: 'OR', 0: { stageId: 'NEW' }, 1: { stageId: 'SUCCESS' } }])).toEqual([1, 3])
  })
})

describe('order, select, paging', () => {
  it('orders by several keys', () => {
    expect(sortRows(rows, { amount: 'DESC' }).map((r) => r.id)).toEqual([3, 2, 1])
    expect(sortRows(rows, { title: 'ASC' }).map((r) => r.id)).toEqual([3, 2, 1])
  })
  it('selects with * and uf_*', () => {
    const row = { id: 1, title: 'x', ufCrm1A: 1, ufCrm1B: 2 }
    const isUf = (k: string): boolean => k.startsWith('uf')
    expect(applySelect(row, ['id'], isUf, true)).toEqual({ id: 1 })
    expect(applySelect(row, ['*'], isUf, false)).toEqual({ id: 1, title: 'x' })
    expect(applySelect(row, ['*', 'uf_*'], isUf, false)).toEqual(row)
    expect(applySelect(row, ['ID', 'ufCrm1B'], isUf, false)).toEqual({ id: 1, ufCrm1B: 2 })
  })
  it('pages by 50 with total/next, and start=-1 skips counting', () => {
    const many = Array.from({ length: 120 }, (_, i) => i)
    expect(paginate(many, 0)).toMatchObject({ total: 120, next: 50 })
    expect(paginate(many, 100)).toEqual({ items: many.slice(100), total: 120 })
    const fast = paginate(many, -1)
    expect(fast.items).toHaveLength(50)
    expect('total' in fast || 'next' in fast).toBe(false)
  })
})

describe('PHP-style query strings', () => {
  it('parses brackets, appends and prefixes in keys', () => {
    const p = normalizeArrays(parseQuery('filter%5B%3E%3DID%5D=5&filter[ID][0]=1&filter[ID][1]=2&select[]=id&select[]=title&a+b=c+d'))
    expect(p).toEqual({ filter: { '>=ID': '5', ID: ['1', '2'] }, select: ['id', 'title'], 'a b': 'c d' })
  })
})
