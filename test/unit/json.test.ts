import { describe, expect, it } from 'vitest'
import { decodeStoredJson } from '../../src/domain/json.ts'
import { parseRouteSet, serializeRouteSet, EMPTY_ROUTE_SET } from '../../src/domain/route.ts'

describe('stored JSON: text or an already decoded value', () => {
  it('parses text and passes any other value through', () => {
    expect(decodeStoredJson('{"a":[1,2]}')).toEqual({ ok: true, value: { a: [1, 2] } })
    expect(decodeStoredJson('"x"')).toEqual({ ok: true, value: 'x' })
    const obj = { a: 1 }
    const passed = decodeStoredJson(obj)
    expect(passed.ok && passed.value).toBe(obj)
    expect(decodeStoredJson(7)).toEqual({ ok: true, value: 7 })
  })

  it('says the text is not JSON instead of throwing', () => {
    expect(decodeStoredJson('{oops')).toEqual({ ok: false })
    expect(decodeStoredJson('')).toEqual({ ok: false })
  })

  it('gives route sets the same reading as text and as an object', () => {
    const text = serializeRouteSet(EMPTY_ROUTE_SET)
    expect(parseRouteSet(text)).toEqual(parseRouteSet(JSON.parse(text)))
    expect(parseRouteSet(JSON.parse(text))).toEqual({ ok: true, set: EMPTY_ROUTE_SET })
  })
})
