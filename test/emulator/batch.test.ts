import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/server.ts'
import { resolveRefs } from '../../emulator/rest/batch.ts'
import { rest, start } from './helpers.ts'

let emu: Emulator
beforeAll(async () => {
  // 43 demo contracts + 30 more, so a list needs a second page.
  emu = await start({ seed: 'demo', scaleContracts: 30 })
}, 60_000)
afterAll(async () => {
  await emu.close()
})

type BatchResult = { result: Record<string, unknown>; result_error: Record<string, { error: string }> | []; result_total: Record<string, number> | []; result_next: Record<string, number> | []; result_time: Record<string, unknown> }

describe('batch', () => {
  // settings/how-to-call-rest-api/batch.md; the portal core's CRestUtil::processBatchElement.
  it('resolves $result references as the portal core does (whole value keeps its type, missing path → last resolved parent)', () => {
    const state = { result: { u: { ID: '7', UF_DEPARTMENT: [5, 6] } } }
    expect(resolveRefs('$result[u][UF_DEPARTMENT][1]', state)).toBe(6)
    expect(resolveRefs('$result[u][UF_DEPARTMENT]', state)).toEqual([5, 6])
    expect(resolveRefs('id-$result[u][ID] x', state)).toBe('id-7 x')
    expect(resolveRefs('$result[u][missing]', state)).toEqual({ ID: '7', UF_DEPARTMENT: [5, 6] })
    expect(resolveRefs('$result[missing][0]', state)).toEqual(state.result)
    // Free text is altered too; an array inside text leaves the reference as written.
    expect(resolveRefs('цена $result[u][ID] руб.', state)).toBe('цена 7 руб.')
    // A reference runs to the next whitespace: trailing punctuation is swallowed with it.
    expect(resolveRefs('цена $result[u][ID], ok', state)).toBe('цена 7 ok')
    expect(resolveRefs('list $result[u][UF_DEPARTMENT] end', state)).toBe('list $result[u][UF_DEPARTMENT] end')
  })

  it('runs commands with references, list totals and per-command errors', async () => {
    const install = emu.ctx.db.app.options.ca_install as { entityTypeId: number }
    const r = await rest(emu, 'batch', {
      halt: 0,
      cmd: {
        me: 'user.current',
        dept: 'department.get?ID=$result[me][UF_DEPARTMENT][0]',
        items: `crm.item.list?entityTypeId=${install.entityTypeId}&select[]=id&filter[>id]=0`,
        broken: `crm.item.get?entityTypeId=${install.entityTypeId}&id=999999`,
        after: 'server.time',
      },
    })
    expect(r.status).toBe(200)
    const b = r.body.result as BatchResult
    expect((b.result.dept as { NAME: string }[])[0]?.NAME).toBe('ИТ-отдел')
    expect((b.result_total as Record<string, number>).items).toBeGreaterThan(40)
    expect((b.result_next as Record<string, number>).items).toBe(50)
    expect((b.result_error as Record<string, { error: string }>).broken?.error).toBe('NOT_FOUND')
    expect(b.result.after).toBeTypeOf('string')
    expect(Object.keys(b.result_time)).toEqual(['me', 'dept', 'items', 'after'])
  })

  it('stops at the first error with halt', async () => {
    const r = await rest(emu, 'batch', { halt: 1, cmd: { a: 'server.time', b: 'crm.nothing', c: 'server.time' } })
    const b = r.body.result as BatchResult
    expect(Object.keys(b.result)).toEqual(['a'])
    expect((b.result_error as Record<string, { error: string }>).b?.error).toBe('ERROR_METHOD_NOT_FOUND')
  })

  it('refuses more than 50 commands', async () => {
    const cmd = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`c${i}`, 'server.time']))
    const r = await rest(emu, 'batch', { cmd })
    expect([r.status, r.body.error]).toEqual([400, 'ERROR_BATCH_LENGTH_EXCEEDED'])
  })

  it('is one request for the rate limit: a full bucket refuses the whole batch with HTTP 503', async () => {
    const limited = await start({ seed: 'none', rateLimit: { drainPerSec: 0.001, burst: 2 } })
    try {
      const cmd = { a: 'server.time', b: 'server.time', c: 'server.time', d: 'server.time' }
      const first = await rest(limited, 'batch', { halt: 0, cmd })
      expect(first.status).toBe(200)
      expect(Object.keys((first.body.result as BatchResult).result)).toEqual(['a', 'b', 'c', 'd'])
      expect((await rest(limited, 'server.time')).status).toBe(200)
      const refused = await rest(limited, 'batch', { halt: 0, cmd })
      expect([refused.status, refused.body.error]).toEqual([503, 'QUERY_LIMIT_EXCEEDED'])
    } finally {
      await limited.close()
    }
  })
})
