// Absences people set themselves (issue 10, Deliver 6) in the app's data storage: an entry counts
// only when the portal vouches that the absent person wrote it — its CREATED_BY and MODIFIED_BY,
// which Bitrix24 sets from the caller's token (b24restdocs api-reference/entity/items/
// entity-item-add.md and entity-item-update.md take neither as a parameter; entity-item-get.md
// returns both) — and such entries merge with the administrators' app option.
import { describe, expect, it } from 'vitest'
import {
  checkOwnAbsence, deputyOn, deputySeats, entryDates, entryName, mergeAbsences, ownEntryIds, trustedEntries, trustedEntry, type Absence,
} from '../../src/domain/deputies.ts'
import type { Actor } from '../../src/domain/log.ts'

const CFO: Actor = { id: 6, name: 'Сергей Морозов' }
const HEAD: Actor = { id: 11, name: 'Игорь Кузнецов' }
const THIEF: Actor = { id: 3, name: 'Дмитрий Волков' }
const LAWYER: Actor = { id: 5, name: 'Елена Соколова' }

const away = (person: Actor, deputy: Actor, from = '2026-11-01', to = '2026-11-10'): Absence => ({ person, deputy, from, to })

/** A storage item as entity.item.get returns it (strings, as documented). */
const row = (id: number, a: Absence, createdBy: number, modifiedBy = createdBy, active = 'Y') => ({
  ID: String(id), NAME: entryName(a), ACTIVE: active, CREATED_BY: String(createdBy), MODIFIED_BY: String(modifiedBy),
  TIMESTAMP_X: '2026-11-01T10:00:00+03:00', DATE_CREATE: '2026-11-01T10:00:00+03:00', ...entryDates(a),
})

describe('the trust rule', () => {
  it('counts an entry the absent person created and last changed', () => {
    expect(trustedEntry(row(2301, away(CFO, HEAD), CFO.id))).toEqual({ ...away(CFO, HEAD), source: 'self', entryId: 2301 })
  })

  it('ignores an entry someone else wrote naming the absent person (a forged deputy)', () => {
    expect(trustedEntry(row(2302, away(CFO, THIEF), THIEF.id))).toBeNull()
  })

  it('ignores an entry changed by anyone but the absent person since', () => {
    expect(trustedEntry(row(2303, away(CFO, HEAD), CFO.id, THIEF.id))).toBeNull()
    // … even when the one who changed it is named as deputy or is an administrator.
    expect(trustedEntry(row(2304, away(CFO, HEAD), CFO.id, HEAD.id))).toBeNull()
  })

  it('ignores inactive, malformed and self-naming entries', () => {
    expect(trustedEntry(row(2305, away(CFO, HEAD), CFO.id, CFO.id, 'N'))).toBeNull()
    expect(trustedEntry({ ID: '2306', NAME: 'not json', CREATED_BY: '6', MODIFIED_BY: '6' })).toBeNull()
    expect(trustedEntry({ ID: '2307', NAME: '[{"person":{"id":6}}]', CREATED_BY: '6', MODIFIED_BY: '6' })).toBeNull()
    expect(trustedEntry(row(2308, away(CFO, CFO), CFO.id))).toBeNull()
    expect(trustedEntry(row(2309, away(CFO, HEAD, '2026-11-10', '2026-11-01'), CFO.id))).toBeNull()
    expect(trustedEntry(null)).toBeNull()
    expect(trustedEntries('nonsense')).toEqual([])
  })

  it('keeps the trusted entries of a listing, whatever else is there', () => {
    const rows = [row(1, away(CFO, THIEF), THIEF.id), row(2, away(LAWYER, HEAD), LAWYER.id), row(3, away(CFO, HEAD), CFO.id)]
    expect(trustedEntries(rows).map((a) => [a.person.id, a.deputy.id])).toEqual([[LAWYER.id, HEAD.id], [CFO.id, HEAD.id]])
    // The forger's entry is theirs to change or remove, never the CFO's.
    expect(ownEntryIds(rows, THIEF.id)).toEqual([1])
    expect(ownEntryIds(rows, CFO.id)).toEqual([3])
  })
})

describe('both sources merged', () => {
  it('a self-set deputy takes the turn as an administrator-set one does', () => {
    const merged = mergeAbsences([], trustedEntries([row(3, away(CFO, HEAD), CFO.id)]))
    expect(deputyOn(merged, CFO.id, '2026-11-05')).toEqual(HEAD)
    expect(deputySeats(2, [CFO.id], merged, '2026-11-05', LAWYER.id)).toEqual([{ step: 2, from: CFO, to: HEAD }])
    expect(deputySeats(2, [CFO.id], merged, '2026-11-11', LAWYER.id)).toEqual([])
  })

  it('keeps the administrators\' absences working, and the forged entry changes nothing', () => {
    const merged = mergeAbsences([away(CFO, LAWYER)], trustedEntries([row(1, away(CFO, THIEF), THIEF.id)]))
    expect(merged.map((a) => a.source)).toEqual(['admin'])
    expect(deputyOn(merged, CFO.id, '2026-11-05')).toEqual(LAWYER)
  })

  it('on the same start day the person\'s own choice stands; otherwise the latest start wins', () => {
    const own = trustedEntries([row(3, away(CFO, HEAD), CFO.id)])
    expect(deputyOn(mergeAbsences([away(CFO, LAWYER)], own), CFO.id, '2026-11-05')).toEqual(HEAD)
    expect(deputyOn(mergeAbsences([away(CFO, LAWYER, '2026-11-04', '2026-11-06')], own), CFO.id, '2026-11-05')).toEqual(LAWYER)
    expect(deputyOn(mergeAbsences([away(CFO, LAWYER, '2026-11-04', '2026-11-06')], own), CFO.id, '2026-11-08')).toEqual(HEAD)
  })
})

describe('checkOwnAbsence', () => {
  it('refuses naming oneself, a range that ends before it starts, and a range already over', () => {
    expect(checkOwnAbsence(away(CFO, CFO), '2026-11-01')).toBe('deputyIsSelf')
    expect(checkOwnAbsence(away(CFO, HEAD, '2026-11-10', '2026-11-01'), '2026-11-01')).toBe('rangeInvalid')
    expect(checkOwnAbsence(away(CFO, HEAD, '2026-10-01', '2026-10-31'), '2026-11-01')).toBe('rangePast')
    // A range that began before today but has not ended is fine: the rest of it still counts.
    expect(checkOwnAbsence(away(CFO, HEAD, '2026-10-25', '2026-11-01'), '2026-11-01')).toBeNull()
  })

  it('stores the range as the item\'s activity dates too', () => {
    expect(entryDates(away(CFO, HEAD))).toEqual({ DATE_ACTIVE_FROM: '2026-11-01T00:00:00', DATE_ACTIVE_TO: '2026-11-10T23:59:59' })
  })
})
