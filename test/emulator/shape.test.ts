import { describe, expect, it } from 'vitest'
import { shapeMismatches } from './shape.ts'

// The conformance suite is only as good as this comparator, so it gets its own tests.
describe('shapeMismatches', () => {
  it('accepts extra keys and equal types', () => {
    expect(shapeMismatches({ a: 1, b: 'x' }, { a: 2, b: 'y', c: true })).toEqual([])
  })
  it('reports a missing key and a type change', () => {
    expect(shapeMismatches({ a: 1, b: 'x' }, { a: '1' })).toEqual(['$.a: expected number, got string ("1")', '$.b: missing'])
  })
  it('matches each list element against some documented element', () => {
    expect(shapeMismatches([{ ID: 'a' }, { ID: 'b', X: 1 }], [{ ID: 'c' }, { ID: 'd', X: 2 }])).toEqual([])
    expect(shapeMismatches([{ ID: 'a', X: 1 }], [{ ID: 'c' }])).toEqual(['$[0].X: missing'])
    expect(shapeMismatches([{ ID: 'a' }], [])).toEqual(['$: expected a non-empty list'])
  })
  it('compares id-keyed maps by value', () => {
    expect(shapeMismatches({ 1: { id: 1 } }, { 30001: { id: 30001 } })).toEqual([])
    expect(shapeMismatches({ 1: { id: 1 } }, { 30001: { id: '30001' } })).toHaveLength(1)
  })
})
