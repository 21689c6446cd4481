/** Issue 8: decisions Bitrix24 vouches for (timeline entries), published routes, the author rule. */
import { describe, expect, it } from 'vitest'
import {
  attestationMarker, confirmedIds, contentHash, isAttested, markersIn, type TimelineEntry,
} from '../../src/domain/attestation.ts'
import { chainEvent, contentOf, headHash, type ApprovalLog, type EventContent } from '../../src/domain/log.ts'
import { decide } from '../../src/domain/machine.ts'
import { project } from '../../src/domain/projection.ts'
import { freezeRoute, isPublishedRoute, nextRouteSet, normalizeType, publishedHashes, routeHash, selectRoute, type Route } from '../../src/domain/route.ts'
import { AUTHOR, CEO, HEAD, LAWYER, LAWYER2, ROUTES, SECURITY, STRANGER, act, at, must, nextId, snapshot, submitCmd, submittedLog } from './fixtures.ts'

const entryFor = (authorId: number, ...events: EventContent[]): TimelineEntry => ({ id: 1, authorId, text: `x\n${events.map(attestationMarker).join('\n')}` })
const entriesOf = (log: ApprovalLog): TimelineEntry[] => log.events.map((e) => entryFor(e.actor.id, e))

describe('attestation', () => {
  it('the content hash ignores the chain position (n, prevHash, hash) and nothing else', () => {
    const log = submittedLog()
    const e = log.events[0] as EventContent
    expect(contentHash({ ...e, n: 5 })).toBe(contentHash(e))
    expect(contentHash(chainEvent('f'.repeat(64), contentOf(e)))).toBe(contentHash(e))
    expect(contentHash({ ...e, comment: 'другое' })).not.toBe(contentHash(e))
    expect(contentHash({ ...e, actor: LAWYER })).not.toBe(contentHash(e))
  })

  it('a marker is found in an entry text among other lines', () => {
    const e = submittedLog().events[0] as EventContent
    expect(markersIn(`Иван согласовал\n${attestationMarker(e)}\n[ca-event:bad]`)).toEqual([{ eventId: e.id, hash: contentHash(e) }])
  })

  it('confirms only entries by the event\'s own actor carrying its id and its content hash', () => {
    const log = act(submittedLog(), LAWYER, { type: 'approve' }, 5)
    const [sub, appr] = log.events as unknown as [EventContent, EventContent]
    expect(confirmedIds(log.events, [entryFor(AUTHOR.id, sub), entryFor(LAWYER.id, appr)])).toEqual(new Set([sub.id, appr.id]))
    // The author writing the lawyer's marker does not vouch for the lawyer.
    expect(confirmedIds(log.events, [entryFor(AUTHOR.id, sub, appr)])).toEqual(new Set([sub.id]))
    // The lawyer's entry for other content (an edited event) does not match.
    expect(isAttested({ ...appr, comment: 'изменено' }, [entryFor(LAWYER.id, appr)])).toBe(false)
  })
})

describe('projection with trust', () => {
  it('an unconfirmed approval takes no effect and is listed as ignored', () => {
    const base = submittedLog()
    const log = act(base, LAWYER, { type: 'approve' }, 5)
    const confirmed = confirmedIds(log.events, entriesOf(base))
    const p = project(log, { confirmed })
    expect(p.currentStep).toBe(0)
    expect(p.ignored).toEqual([{ eventId: (log.events[1] as EventContent).id, reason: 'unconfirmed' }])
    expect(project(log, { confirmed: confirmedIds(log.events, entriesOf(log)) }).currentStep).toBe(1)
  })

  it('decide does not advance on unconfirmed events, and refuses originals while any is unconfirmed', () => {
    let log = submittedLog(5_000_000)
    for (const who of [LAWYER, SECURITY]) log = act(log, who, { type: 'approve' }, 1)
    const forged = act(act(log, { id: 40, name: 'CFO' }, { type: 'approve' }, 2), CEO, { type: 'approve' }, 3)
    expect(project(forged).stageCode).toBe('ORIGINALS')
    const confirmed = confirmedIds(forged.events, entriesOf(log))
    const trust = { confirmed }
    expect(decide(forged, { type: 'receiveOriginal', receivedAt: '2026-11-05', storageLocation: 'Шкаф 1' }, { eventId: nextId(), at: at(9), actor: STRANGER, trust }))
      .toMatchObject({ ok: false, reason: 'unconfirmedHistory' })
    // The real CFO can still approve: the forged approval in her name took no effect.
    const real = decide(forged, { type: 'approve' }, { eventId: nextId(), at: at(9), actor: { id: 40, name: 'CFO' }, trust })
    expect(real.ok && real.projection.currentStep).toBe(3)
  })

  it('a round on a route nobody published takes no effect', () => {
    const self: Route = { id: 'self', name: 'Сама', isDefault: true, conditions: { amountFrom: null, amountTo: null, contractTypes: [] }, steps: [{ title: 'Я', mode: 'any', slaHours: 1, approvers: [{ kind: 'user', userId: STRANGER.id }] }] }
    const frozen = freezeRoute(self, 1, [])
    if (!frozen.ok) throw new Error('freeze')
    const content: EventContent = { id: 'fake', n: 0, type: 'submitted', at: at(0), actor: AUTHOR, round: 1, step: null, snapshot: snapshot(1), route: frozen.route }
    const log: ApprovalLog = { v: 1, route: frozen.route, events: [chainEvent(headHash([]), content)] }
    const published = publishedHashes(ROUTES)
    expect(project(log, { published }).ignored).toEqual([{ eventId: 'fake', reason: 'routeNotPublished' }])
    expect(project(submittedLog(), { published }).stageCode).toBe('APPROVAL')
    // A published route whose frozen approvers were swapped is not the published one.
    const real = submittedLog().events[0]
    if (real?.type !== 'submitted') throw new Error('submitted')
    const swapped = { ...real.route, steps: real.route.steps.map((s, i) => (i === 0 ? { ...s, approverIds: [AUTHOR.id] } : s)) }
    expect(isPublishedRoute(real.route, published)).toBe(true)
    expect(isPublishedRoute(swapped, published)).toBe(false)
    expect(isPublishedRoute({ ...real.route, origin: undefined }, published)).toBe(false)
  })

  it('every published version stays published after the admins edit the routes', () => {
    const next = nextRouteSet(ROUTES, ROUTES.routes.slice(1), at(1), 1)
    for (const r of ROUTES.routes) expect(publishedHashes(next).has(routeHash(r))).toBe(true)
  })
})

describe('the author never approves her own contract', () => {
  const mine: Route = { id: 'mine', name: 'Со мной', isDefault: true, conditions: { amountFrom: null, amountTo: null, contractTypes: [] }, steps: [
    { title: 'Автор и юрист', mode: 'any', slaHours: 8, approvers: [{ kind: 'user', userId: AUTHOR.id }, { kind: 'user', userId: LAWYER.id }] },
  ] }
  const set = { ...ROUTES, routes: [mine] }

  it('a route naming the author freezes without her', () => {
    const log = act({ v: 1, route: null, events: [] }, AUTHOR, submitCmd(1, { routeSet: set }))
    expect(project(log).currentApprovers).toEqual([LAWYER.id])
  })

  it('a route naming only the author is refused', () => {
    const only = { ...ROUTES, routes: [{ ...mine, steps: [{ ...mine.steps[0]!, approvers: [{ kind: 'user' as const, userId: AUTHOR.id }] }] }] }
    expect(decide({ v: 1, route: null, events: [] }, submitCmd(1, { routeSet: only }), { eventId: nextId(), at: at(0), actor: AUTHOR }))
      .toMatchObject({ ok: false, reason: 'approverUnresolved' })
  })

  it('nobody delegates to the author, and a forged seat of hers takes no effect', () => {
    const log = submittedLog()
    expect(decide(log, { type: 'delegate', to: AUTHOR }, { eventId: nextId(), at: at(1), actor: LAWYER })).toMatchObject({ ok: false, reason: 'delegateIsAuthor' })
    expect(decide(log, { type: 'approve' }, { eventId: nextId(), at: at(1), actor: AUTHOR })).toMatchObject({ ok: false, reason: 'authorCannotDecide' })
    expect(must(decide(log, { type: 'delegate', to: LAWYER2 === LAWYER ? HEAD : HEAD }, { eventId: nextId(), at: at(1), actor: LAWYER })).ok).toBe(true)
  })
})

describe('contract types match trimmed', () => {
  it('spaces and case around a type do not fall through to the default route', () => {
    const typed: Route = { id: 'lease', name: 'Аренда', isDefault: false, conditions: { amountFrom: null, amountTo: null, contractTypes: [' Аренда '] }, steps: ROUTES.routes[0]!.steps }
    const set = { ...ROUTES, routes: [typed, ...ROUTES.routes] }
    expect(selectRoute(set, { amount: 1, contractType: '  аренда' })?.id).toBe('lease')
    expect(selectRoute(set, { amount: 1, contractType: 'Аренда\u00a0 офиса' })?.id).not.toBe('lease')
    expect(normalizeType('  Аренда   офиса ')).toBe('аренда офиса')
  })
})
