/**
 * The emulator at scale: the list queries the app really sends (inbox, my contracts, archive
 * waiting/filtered, a stage + amount filter), counted (`start: 0`, total + next) and uncounted
 * (`start: -1`), and a 50-command batch — on 10 000 and 100 000 contracts.
 */
import { performance } from 'node:perf_hooks'
import { startEmulator, type Emulator } from '../emulator/server.ts'
import { PEOPLE } from '../emulator/seed/people.ts'
import { parseInstallRecord } from '../src/services/install/installer.ts'
import { stageId } from '../src/domain/schema.ts'
import { archiveListFilter, archiveSelect } from '../src/services/archive/queries.ts'
import { DEFAULT_QUERY } from '../src/domain/archive.ts'
import { parseContractSpace } from '../src/services/approval/context.ts'
import { ratio, time, type Metrics } from './stats.ts'

export async function startScalePortal(contracts: number, handlerUrl?: string): Promise<{ portal: Emulator; seedMs: number }> {
  const t0 = performance.now()
  const portal = await startEmulator({ port: 0, seed: 'demo', scaleContracts: contracts, rateLimit: false, devMode: true, ...(handlerUrl ? { handlerUrl } : {}) })
  return { portal, seedMs: Math.round(performance.now() - t0) }
}

/** Latencies over HTTP (webhook, as an admin sees every row; the lawyer's inbox as the lawyer). */
export async function emulatorLatencies(portal: Emulator, label: string, runs: number): Promise<Metrics> {
  const install = parseInstallRecord(portal.ctx.db.app.options.ca_install)
  const space = parseContractSpace(portal.ctx.db.app.options.ca_install)
  if (!install || !space) throw new Error('not installed')
  const post = async (method: string, body: unknown) => {
    const res = await fetch(`${portal.adminWebhookUrl}${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
    if (!res.ok) throw new Error(`${method}: HTTP ${res.status} ${await res.text()}`)
    return res.json()
  }
  const etid = install.entityTypeId
  const f = space.fields
  const k = (name: string) => `emulator.${label}.${name}`
  const list = (filter: Record<string, unknown>, order: Record<string, string>, start: number, select: string[] = ['id', 'title', 'stageId']) =>
    () => post('crm.item.list', { entityTypeId: etid, filter, order, select, start })
  const stageFilter = { stageId: stageId(etid, install.categoryId, 'APPROVAL'), '>opportunity': 500_000 }
  const inbox = { [f.approvers]: PEOPLE.lawyer }
  const inboxOrder = { [f.deadline]: 'ASC', id: 'ASC' }
  const archive = archiveListFilter(space, 'archive', { ...DEFAULT_QUERY, text: 'поставк' })
  const archiveOrder = { [f.receivedAt]: 'DESC', id: 'DESC' }
  const out: Metrics = {}
  out[k('listFirstPageMs')] = await time(runs, list({}, { id: 'ASC' }, -1))
  out[k('listFirstPageCountedMs')] = await time(runs, list({}, { id: 'ASC' }, 0))
  out[k('listFilteredPageMs')] = await time(runs, list(stageFilter, { id: 'DESC' }, -1))
  out[k('listFilteredCountedMs')] = await time(runs, list(stageFilter, { id: 'DESC' }, 0))
  out[k('inboxPageMs')] = await time(runs, list(inbox, inboxOrder, -1))
  out[k('inboxCountedMs')] = await time(runs, list(inbox, inboxOrder, 0))
  out[k('mineCountedMs')] = await time(runs, list({ assignedById: PEOPLE.salesManager }, { id: 'DESC' }, 0))
  out[k('archiveSearchCountedMs')] = await time(runs, list(archive, archiveOrder, 0, archiveSelect(space)))
  out[k('listSearchCountedMs')] = await time(runs, list({ '%title': 'поставк' }, { id: 'ASC' }, 0))
  out[k('batch50GetsMs')] = await time(runs, () =>
    post('batch', { halt: 0, cmd: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`g${i}`, `crm.item.get?entityTypeId=${etid}&id=${i * 1000 + 1}`])) }))
  const med = (key: string) => (out[k(key)] as { median: number }).median
  out[k('countedToUncounted')] = ratio(med('listFilteredCountedMs'), med('listFilteredPageMs'))
  out[k('inboxCountedToUncounted')] = ratio(med('inboxCountedMs'), med('inboxPageMs'))
  return out
}
