/**
 * Every filter and order key the app sends exists on the installed type. A real portal answers
 * an unknown key with 400 INVALID_ARG_VALUE (api-reference/crm/universal/crm-item-list.md), so a
 * key that exists only in the app's imagination breaks a view on a real portal. The app's own
 * loaders run against the demo portal through the real SDK; the port is wrapped only to note
 * what they send, and every key is checked against `crm.item.fields` of the installed type.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPortal, AUTHOR, type Portal } from './approval/helpers.ts'
import { PEOPLE } from '../../emulator/seed/people.ts'
import { loadWorkspace, loadPage } from '../../src/services/workspace/queries.ts'
import { loadArchiveStart, loadArchivePage } from '../../src/services/archive/queries.ts'
import { DEFAULT_QUERY } from '../../src/domain/archive.ts'
import { changeSignature, loadCard } from '../../src/services/approval/card.ts'
import { encodeBatchParams } from '../../src/platform/batch-params.ts'
import type { BatchCommand, BitrixPort, RestParams } from '../../src/platform/port.ts'

const COMPANY = 4

interface Sent { entityTypeId: number; filter: string[]; order: string[] }

/** Strips Bitrix24's filter prefixes (`>=`, `%`, `@`, `!`, `=`…) off a key. */
const bare = (key: string) => key.replace(/^[!@<>=%*]+/, '')

function noting(port: BitrixPort, sent: Sent[]): BitrixPort {
  const note = (method: string, params: RestParams = {}) => {
    if (method !== 'crm.item.list') return
    const p = encodeBatchParams(params).params
    const keys = (o: unknown) => (o && typeof o === 'object' ? Object.keys(o) : [])
    const filter = keys(p.filter).filter((k) => k !== 'logic' && !/^\d+$/.test(k))
    for (const k of keys(p.filter)) if (/^\d+$/.test(k)) filter.push(...keys((p.filter as Record<string, unknown>)[k]).filter((x) => x !== 'logic'))
    sent.push({ entityTypeId: Number(p.entityTypeId), filter: filter.map(bare), order: keys(p.order) })
  }
  return {
    ...port,
    call: (method, params) => {
      note(method, params)
      return port.call(method, params)
    },
    batch: (commands) => {
      for (const c of Object.values(commands) as BatchCommand[]) note(c.method, c.params)
      return port.batch(commands)
    },
  }
}

let portal: Portal
beforeAll(async () => {
  portal = await startPortal()
})
afterAll(async () => {
  await portal?.close()
})

describe('filter and order keys', () => {
  it('every key the workspace, archive and card send is a field of the installed type', async () => {
    const sent: Sent[] = []
    const space = portal.space
    for (const userId of [AUTHOR, PEOPLE.lawyer, PEOPLE.archivist]) {
      const port = noting(portal.port(userId), sent)
      await loadWorkspace(port, space)
      await loadWorkspace(port, space, 'RETURNED')
      await loadPage(port, space, { kind: 'inbox', start: 50, stage: null }, userId)
      await loadArchiveStart(port, space)
      await loadArchivePage(port, space, 'archive', 0, { ...DEFAULT_QUERY, text: 'СЕВ', counterparty: 'СЕВ', number: '20', dateFrom: '2026-01-01', dateTo: '2026-12-31', contractType: 'Поставка', amountMin: 1, amountMax: 1e9, originals: 'received', authorId: 2 })
      await loadArchivePage(port, space, 'waiting', 0)
    }
    const anyItem = Object.values(portal.emu.ctx.db.crm.items[String(space.entityTypeId)] ?? {})[0] as { id: number }
    const port = noting(portal.port(PEOPLE.lawyer), sent)
    await loadCard(port, space.entityTypeId, anyItem.id)
    await changeSignature(port, space, anyItem.id)

    const fieldsOf = async (entityTypeId: number) => {
      const res = await portal.port(PEOPLE.admin).call<{ fields: Record<string, unknown> }>('crm.item.fields', { entityTypeId })
      return new Set(Object.keys(res.fields))
    }
    const known = new Map([[space.entityTypeId, await fieldsOf(space.entityTypeId)], [COMPANY, await fieldsOf(COMPANY)]])
    expect(sent.length).toBeGreaterThan(10)
    const unknown: string[] = []
    for (const s of sent) {
      const fields = known.get(s.entityTypeId)
      expect(fields, `entityTypeId ${s.entityTypeId}`).toBeDefined()
      for (const k of [...s.filter, ...s.order]) if (!fields!.has(k)) unknown.push(`${s.entityTypeId}:${k}`)
    }
    expect(unknown).toEqual([])
  })
})
