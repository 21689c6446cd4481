// The list index narrows, never decides: for any filter, index candidates + the full filter give
// exactly the rows a full scan gives, in the same order — also after writes (ctx.save()).
import { describe, expect, it } from 'vitest'
import { candidateRows, bucketKey } from '../../emulator/core/index-items.ts'
import { compileFilter, sortRows, type Row } from '../../emulator/core/listing.ts'

function rng(seed: number) {
  let s = seed >>> 0
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32)
}

const STAGES = ['DT1036_12:NEW', 'DT1036_12:APPROVAL', 'DT1036_12:SUCCESS', 'DT1036_12:FAIL']
const odd = ['DT1036_12:NEW\u200b', 'Договор', '', null, '5', 5, ' 5', '2026-01-01', '2026-01-01T00:00:00+00:00', true]

function makeStore(n: number, seed: number): Record<string, Row> {
  const r = rng(seed)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T
  const store: Record<string, Row> = {}
  for (let id = 1; id <= n; id++) {
    const approvers = Array.from({ length: Math.floor(r() * 3) }, () => 1 + Math.floor(r() * 6))
    store[String(id)] = {
      id,
      stageId: r() < 0.05 ? pick(odd) : pick(STAGES),
      assignedById: r() < 0.05 ? String(1 + Math.floor(r() * 6)) : 1 + Math.floor(r() * 6),
      createdBy: 1 + Math.floor(r() * 6),
      companyId: r() < 0.1 ? null : 1 + Math.floor(r() * 20),
      ufCrm5CaApprovers: r() < 0.05 ? pick(odd) : approvers,
      ufCrm5CaDeadline: r() < 0.3 ? null : `2026-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)}T10:00:00+03:00`,
      title: pick(['Поставка', 'Аренда', 'поставка бумаги', 'Services']),
    }
  }
  return store
}

const FILTERS: Record<string, unknown>[] = [
  { stageId: 'DT1036_12:APPROVAL' },
  { '=stageId': 'DT1036_12:NEW', '>opportunity': 5 },
  { '@stageId': ['DT1036_12:NEW', 'DT1036_12:FAIL'] },
  { ufCrm5CaApprovers: 3 },
  { ufCrm5CaApprovers: '3', stageId: 'DT1036_12:APPROVAL' },
  { assignedById: 2 },
  { assignedById: '2', stageId: 'DT1036_12:SUCCESS' },
  { createdBy: 4, '%title': 'постав' },
  { companyId: null },
  { companyId: '' },
  { '@companyId': [1, 2, 3] },
  { '@companyId': [] },
  { stageId: 'DT1036_12:NEW\u200b' },
  { stageId: '5' },
  { stageId: '2026-01-01' },
  { stageId: true },
  { logic: 'OR', stageId: 'DT1036_12:NEW', assignedById: 2 },
  { '!stageId': 'DT1036_12:NEW' },
  { stageId: 'DT1036_12:SUCCESS', 0: { logic: 'OR', '%title': 'аренда', '@companyId': [4, 5] } },
]

describe('list index (emulator/core/index-items.ts)', () => {
  it('gives exactly the rows and order of a full scan, for every filter and after writes', () => {
    const ctx = { save() {} }
    const store = makeStore(2000, 7)
    const order = { ufCrm5CaDeadline: 'ASC', id: 'ASC' }
    const check = () => {
      for (const filter of FILTERS) {
        const pred = compileFilter(filter)
        const scan = sortRows(Object.values(store).filter(pred), order)
        const fast = sortRows((candidateRows(ctx, store, filter) ?? Object.values(store)).filter(pred), order)
        expect(fast.map((r) => r.id), JSON.stringify(filter)).toEqual(scan.map((r) => r.id))
      }
    }
    check()
    // Writes as crm.item.update makes them (in place, then save) and an added row.
    const r = rng(99)
    for (let i = 0; i < 300; i++) {
      const row = store[String(1 + Math.floor(r() * 2000))] as Row
      Object.assign(row, { stageId: STAGES[i % 4], ufCrm5CaApprovers: [1 + (i % 6)], assignedById: 1 + (i % 5) })
    }
    ctx.save()
    store['2001'] = { id: 2001, stageId: 'DT1036_12:APPROVAL', ufCrm5CaApprovers: [3], assignedById: 2 }
    check()
  })

  it('keys follow the emulator’s equality: numbers by value, dates by instant, null as empty', () => {
    expect(bucketKey(5)).toBe(bucketKey('5'))
    expect(bucketKey('2026-01-01T00:00:00+00:00')).toBe(bucketKey('2026-01-01T03:00:00+03:00'))
    expect(bucketKey(null)).toBe(bucketKey(''))
    expect(bucketKey('Договор')).toBeNull()
  })
})
