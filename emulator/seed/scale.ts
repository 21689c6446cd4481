/**
 * Benchmark seed: N extra contracts, inserted through crm.item.add in-process (no HTTP), each with
 * a realistic approval history, so analytics means something at scale: returns (with reasons),
 * up to three rounds, a parallel committee step (`all`), delegations to deputies, slow approvers
 * (the CFO and the procurement head take longer than their SLA allows, often), overdue steps
 * still waiting, withdrawals, originals received and archived — over the last 26 weeks.
 *
 * The histories are played by the domain's own `decide` (so every event is one the app would
 * accept), as a pool of templates with times relative to the seed's clock. Each contract takes a
 * template with its own ids, its own snapshot (title, number, counterparty), its times moved up
 * to three days earlier, and its hash chain recomputed with node:crypto (the domain's pure-JS
 * SHA-256 would take minutes for 100 000 contracts; the chain is the same, see hashEvent).
 */
import { createHash } from 'node:crypto'
import type { Emu } from '../core/context.ts'
import { APP_OPTION_KEYS, stageId, type StageCode } from '../../src/domain/schema.ts'
import { projectMetrics } from '../../src/domain/analytics/metrics.ts'
import { decide, type Command } from '../../src/domain/machine.ts'
import { canonicalJson, EMPTY_LOG, GENESIS_HASH, type Actor, type ApprovalEvent, type ApprovalLog, type EventContent } from '../../src/domain/log.ts'
import { project, type Projection } from '../../src/domain/projection.ts'
import { parseRouteSet, type Route, type RouteSet } from '../../src/domain/route.ts'
import { makeSnapshot, type ContractSnapshot } from '../../src/domain/snapshot.ts'
import { versionHash } from '../../src/domain/reapproval.ts'
import { itemStateFields } from '../../src/domain/itemFields.ts'
import { storedWrite } from '../../src/services/approval/stored-log.ts'
import { parseInstallRecord } from '../../src/services/install/routes.ts'
import { CONTRACT_KIND_TYPES, CONTRACT_KINDS, COUNTERPARTIES, DEPARTMENTS, PEOPLE } from './people.ts'
import { prng } from './demo.ts'

const HOUR = 3_600_000
const TEMPLATES = 600
const HISTORY_WEEKS = 26
/** How long each person typically takes to decide, in hours (the median of a log-normal spread). */
const PACE: Record<number, number> = {
  [PEOPLE.lawyer]: 7, [PEOPLE.security]: 10, [PEOPLE.cfo]: 34, [PEOPLE.ceo]: 18,
  [PEOPLE.salesHead]: 4, [PEOPLE.procurementHead]: 26, [PEOPLE.admin]: 8,
}
/** How often each person sends a contract back. */
const RETURNS: Record<number, number> = {
  [PEOPLE.lawyer]: 0.16, [PEOPLE.security]: 0.07, [PEOPLE.cfo]: 0.2, [PEOPLE.ceo]: 0.08, [PEOPLE.salesHead]: 0.05, [PEOPLE.procurementHead]: 0.09,
}
/** Who takes over when someone delegates (the CEO's first deputy is the CFO and the other way round). */
const DEPUTY: Record<number, number> = {
  [PEOPLE.lawyer]: PEOPLE.admin, [PEOPLE.security]: PEOPLE.admin, [PEOPLE.cfo]: PEOPLE.ceo, [PEOPLE.ceo]: PEOPLE.cfo,
  [PEOPLE.salesHead]: PEOPLE.ceo, [PEOPLE.procurementHead]: PEOPLE.ceo,
}
const DELEGATE_RATE = 0.06
const REASONS: Record<number, readonly string[]> = {
  [PEOPLE.lawyer]: [
    'Подсудность не по шаблону холдинга: споры — в Арбитражном суде Санкт-Петербурга.',
    'Нет пункта об ответственности за просрочку поставки. Добавьте неустойку.',
    'Реквизиты контрагента не совпадают с выпиской ЕГРЮЛ.',
  ],
  [PEOPLE.security]: [
    'Контрагент не прошёл проверку: нет лицензии. Запросите копию лицензии.',
    'Директор контрагента в реестре дисквалифицированных лиц. Нужна проверка.',
  ],
  [PEOPLE.cfo]: [
    'Сумма превышает бюджет квартала. Разбейте оплату на два этапа.',
    'Предоплата не более 30 %: измените график платежей.',
    'Цена выше рыночной: нужна скидка не менее 3 %.',
  ],
  [PEOPLE.ceo]: ['Согласую после снижения бонуса дилера до 3 %.', 'Срок действия договора — не более одного года.'],
  [PEOPLE.salesHead]: ['Нет обоснования выбора подрядчика: приложите два коммерческих предложения.'],
  [PEOPLE.procurementHead]: ['Цена выше рыночной: нужен тендер.', 'Приложите график поставки.'],
}

/** The demo's routes plus a dealer committee: an `all` step of three people deciding in parallel. */
function scaleRoutes(stored: RouteSet): RouteSet {
  const lawyer = stored.routes.flatMap((r) => r.steps).find((s) => s.approvers.some((a) => a.kind === 'user' && a.userId === PEOPLE.lawyer))
  const committee: Route = {
    id: 'dealer-committee',
    name: 'Дилерские договоры: комитет',
    isDefault: false,
    conditions: { amountFrom: null, amountTo: null, contractTypes: ['Дилерский'] },
    steps: [
      ...(lawyer ? [lawyer] : []),
      {
        title: 'Комитет по сделкам',
        approvers: [PEOPLE.cfo, PEOPLE.ceo, PEOPLE.security].map((userId) => ({ kind: 'user' as const, userId })),
        mode: 'all',
        slaHours: 48,
      },
    ],
  }
  return { ...stored, routes: [committee, ...stored.routes] }
}

interface Template {
  readonly kind: number
  readonly amount: number
  readonly author: number
  /** Events in order, times in ms; empty for a draft. */
  readonly events: readonly EventContent[]
  readonly route: ApprovalLog['route']
}

function gauss(rnd: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd())
}

/** Plays one contract's history with decide(), from `start` (ms) until it ends or reaches `now`. */
function playTemplate(k: number, rnd: () => number, routes: RouteSet, now: number, actor: (id: number) => Actor): Template {
  const kind = k % CONTRACT_KINDS.length
  const band = rnd()
  const amount = Math.round(band < 0.4 ? 50_000 + rnd() * 240_000 : band < 0.75 ? 320_000 + rnd() * 650_000 : 1_000_000 + rnd() * 25_000_000)
  const author = [PEOPLE.salesManager, PEOPLE.procurementManager, PEOPLE.salesManager2][k % 3] as number
  const heads = [DEPARTMENTS.find((d) => d.ID === (author === PEOPLE.procurementManager ? 4 : 3))?.UF_HEAD ?? PEOPLE.ceo]
  if (rnd() < 0.04) return { kind, amount, author, events: [], route: null }
  const snapshot = makeSnapshot({ title: CONTRACT_KINDS[kind] as string, amount, currency: 'RUB', contractType: CONTRACT_KIND_TYPES[kind] as string })
  let log: ApprovalLog = EMPTY_LOG
  let n = 0
  let t = now - rnd() * HISTORY_WEEKS * 7 * 24 * HOUR
  const act = (who: number, cmd: Command, at: number): boolean => {
    const out = decide(log, cmd, { eventId: `t${k}-${n++}`, at: new Date(at).toISOString(), actor: actor(who) })
    if (!out.ok) throw new Error(`Scale seed: ${cmd.type} by ${who} refused (${out.reason})`)
    log = out.log
    return true
  }
  const pace = (who: number) => (PACE[who] ?? 8) * Math.exp(0.8 * gauss(rnd)) * HOUR
  act(author, { type: 'submit', routeSet: routes, snapshot, departmentHeadIds: heads }, t)
  // When each person on the current step will act; redrawn when the step (or round) changes.
  let seatKey = ''
  let due = new Map<number, number>()
  const delegated = new Set<string>()
  for (let guard = 0; guard < 60; guard++) {
    const p: Projection = project(log)
    if (p.stageCode === 'APPROVAL') {
      const key = `${p.round}:${p.currentStep}`
      if (key !== seatKey) {
        seatKey = key
        due = new Map(p.currentApprovers.map((id) => [id, t + pace(id)]))
      }
      for (const id of p.currentApprovers) if (!due.has(id)) due.set(id, t + pace(id))
      const [who, at] = [...due.entries()].filter(([id]) => p.currentApprovers.includes(id)).sort((a, b) => a[1] - b[1])[0] ?? [0, Infinity]
      if (at > now) break
      if (rnd() < 0.015) {
        act(author, { type: 'withdraw', comment: 'Сделка отменена клиентом.' }, at)
        break
      }
      t = at
      due.delete(who)
      const deputy = DEPUTY[who]
      const step = p.steps[p.currentStep ?? 0]
      if (deputy && !delegated.has(key) && rnd() < DELEGATE_RATE && step && !step.approverIds.includes(deputy) && deputy !== author) {
        delegated.add(key)
        act(who, { type: 'delegate', to: actor(deputy) }, at)
        due.set(deputy, at + pace(deputy))
        continue
      }
      if (rnd() < (RETURNS[who] ?? 0.05) * (p.round > 1 ? 0.5 : 1)) {
        const reasons = REASONS[who] ?? ['Нужны исправления.']
        act(who, { type: 'return', comment: reasons[Math.floor(rnd() * reasons.length)] as string }, at)
      } else {
        act(who, { type: 'approve' }, at)
      }
      continue
    }
    if (p.stageCode === 'RETURNED') {
      const at = t + (2 + rnd() * 94) * HOUR
      if (at > now) break
      t = at
      if (p.round >= 3 || rnd() < 0.15) act(author, { type: 'withdraw', comment: 'Проведём тендер и оформим новый договор.' }, at)
      else act(author, { type: 'resubmit', routeSet: routes, snapshot, departmentHeadIds: heads, comment: 'Исправлено по замечаниям.' }, at)
      continue
    }
    if (p.stageCode === 'ORIGINALS' && !p.originals && rnd() < 0.7) {
      const at = t + (24 + rnd() * 216) * HOUR
      if (at > now) break
      t = at
      act(PEOPLE.archivist, { type: 'receiveOriginal', receivedAt: new Date(at).toISOString().slice(0, 10), storageLocation: `Архив, стеллаж ${1 + (k % 6)}` }, at)
      const filed = t + (1 + rnd() * 47) * HOUR
      if (filed <= now) act(PEOPLE.archivist, { type: 'archive' }, filed)
    }
    break
  }
  return { kind, amount, author, events: log.events, route: log.route }
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')

/** A template as one contract's own history: its ids, snapshot and times, re-chained. */
function instantiate(tpl: Template, i: number, shiftMs: number, snapshot: ContractSnapshot): ApprovalLog {
  const events: ApprovalEvent[] = []
  let prev = GENESIS_HASH
  // What an approval binds to (reapproval.ts): this contract's own version, not the template's.
  let seen: string | null = null
  for (const [n, e] of tpl.events.entries()) {
    const { prevHash: _p, hash: _h, ...rest } = e as ApprovalEvent
    if (e.type === 'submitted' || e.type === 'resubmitted') seen = versionHash(e.route, { snapshot, documentId: e.documentId ?? null })
    const content = {
      ...rest,
      id: `scale-${i}-${n}`,
      at: new Date(Date.parse(e.at) - shiftMs).toISOString(),
      ...(e.type === 'submitted' || e.type === 'resubmitted' ? { snapshot } : {}),
      ...(e.type === 'approved' && typeof e.seen === 'string' && seen !== null ? { seen } : {}),
    } as EventContent
    const hash = sha256(prev + '\n' + canonicalJson(content))
    events.push({ ...content, prevHash: prev, hash } as ApprovalEvent)
    prev = hash
  }
  return { v: 1, route: tpl.route, events }
}

export function seedScale(ctx: Emu, count: number): void {
  const install = parseInstallRecord(ctx.db.app.options[APP_OPTION_KEYS.install])
  if (!install) throw new Error('Scale seed needs the app installed (run the demo seed first)')
  const method = ctx.methods['crm.item.add']
  const author = ctx.db.users.find((u) => u.ID === PEOPLE.salesManager) ?? ctx.db.users[0]
  if (!method || !author) throw new Error('Scale seed: crm.item.add or users missing')
  const stored = parseRouteSet(ctx.db.app.options[APP_OPTION_KEYS.routes])
  if (!stored.ok || stored.set.routes.length === 0) throw new Error('Scale seed needs the demo routes')
  const routes = scaleRoutes(stored.set)
  const rnd = prng(42)
  const f = install.fields
  const people = new Map(ctx.db.users.map((u) => [u.ID, { id: u.ID, name: `${u.NAME} ${u.LAST_NAME}`.trim() }]))
  const actor = (id: number): Actor => people.get(id) ?? { id, name: `#${id}` }
  // The demo's counterparties, as their CRM companies.
  const companies = Object.values(ctx.db.crm.items['4'] ?? {}).map((c) => Number(c.id)).filter((id) => id > 0)
  // The clock the histories end at: now, to the minute, so a reseed within a minute is the same.
  const now = Math.floor(Date.now() / 60_000) * 60_000
  const templates = Array.from({ length: Math.min(TEMPLATES, count) }, (_, k) => playTemplate(k, rnd, routes, now, actor))
  const ids = { typeId: install.typeId, entityTypeId: install.entityTypeId, categoryId: install.categoryId }

  for (let i = 0; i < count; i++) {
    const tpl = templates[Math.floor(rnd() * templates.length)] as Template
    const partyIdx = i % COUNTERPARTIES.length
    const companyId = companies.length > 0 ? (companies[partyIdx % companies.length] as number) : null
    const number = `BENCH-${String(i + 1).padStart(6, '0')}`
    const title = `${CONTRACT_KINDS[tpl.kind]} с ${COUNTERPARTIES[partyIdx]} (массовый №${i + 1})`
    const snapshot = makeSnapshot({ title, number, amount: tpl.amount, currency: 'RUB', companyId, contractType: CONTRACT_KIND_TYPES[tpl.kind] as string })
    const log = instantiate(tpl, i, rnd() * 72 * HOUR, snapshot)
    const p = project(log)
    const stage: StageCode = p.stageCode
    // The projection's fields as the writer puts them; the log itself in the writer's stored form,
    // where every side effect of these old events counts as done.
    const state: Record<string, unknown> = log.events.length > 0
      ? {
        ...itemStateFields({ ...log, events: [] }, p, ids),
        [f.approvalLog]: storedWrite({ log, fx: {}, fxBefore: p.round + 1, archive: null }).text,
        // The analytics metrics the writer projects in the same update (domain/analytics/metrics.ts).
        [f.metrics]: projectMetrics(log, stageId(install.entityTypeId, install.categoryId, stage), p.round),
      }
      : { stageId: `DT${install.entityTypeId}_${install.categoryId}:NEW` }
    // crm.item.add is synchronous in this implementation; calling it directly skips Promise churn.
    void method({
      ctx, user: author, auth: 'internal', method: 'crm.item.add', token: null,
      params: {
        entityTypeId: install.entityTypeId,
        fields: {
          title,
          assignedById: tpl.author,
          ...(companyId !== null ? { companyId } : {}),
          [f.number]: number, [f.amount]: `${tpl.amount}|RUB`, [f.contractType]: CONTRACT_KIND_TYPES[tpl.kind],
          [f.date]: `2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
          ...state,
          ...(stage === 'NEW' ? { [f.round]: 0 } : {}),
        },
      },
    })
  }
  ctx.save()
}
