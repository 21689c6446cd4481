import { describe, expect, it } from 'vitest'
import { diffSnapshots, formatMoney, makeSnapshot, parseMoney } from '../../src/domain/index.ts'

describe('diffSnapshots', () => {
  const a = makeSnapshot({ title: 'Лизинг', amount: 900_000, currency: 'RUB', number: 'Д-1' })

  it('lists changed fields in form order with before and after', () => {
    const b = { ...a, amount: 1_200_000, number: 'Д-1/2', closedate: '2027-01-31' }
    expect(diffSnapshots(a, b)).toEqual([
      { field: 'number', before: 'Д-1', after: 'Д-1/2' },
      { field: 'amount', before: 900_000, after: 1_200_000 },
      { field: 'closedate', before: null, after: '2027-01-31' },
    ])
  })

  it('reports a new document version and nothing when nothing changed', () => {
    expect(diffSnapshots(a, a)).toEqual([])
    expect(diffSnapshots(a, a, { prev: 7, next: 7 })).toEqual([])
    expect(diffSnapshots(a, a, { prev: 7, next: 8 })).toEqual([{ field: 'document', before: 7, after: 8 }])
  })

  it('treats a missing previous snapshot as all-null', () => {
    expect(diffSnapshots(null, a).map((c) => c.field)).toEqual(['title', 'number', 'amount', 'currency'])
  })
})

describe('parseMoney', () => {
  it('reads Bitrix24 money strings', () => {
    expect(parseMoney('1500000.50|RUB')).toEqual({ amount: 1_500_000.5, currency: 'RUB' })
    expect(parseMoney('700')).toEqual({ amount: 700, currency: null })
    expect(parseMoney(42)).toEqual({ amount: 42, currency: null })
    expect(parseMoney('')).toBeNull()
    expect(parseMoney('abc|RUB')).toBeNull()
    expect(parseMoney(undefined)).toBeNull()
    expect(parseMoney(formatMoney(10, 'USD'))).toEqual({ amount: 10, currency: 'USD' })
  })
})
