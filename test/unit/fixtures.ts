// Shared fixtures for the domain tests: the seeded car-dealer routes, people, a fake clock that
// the caller (the test) owns, and a helper that fails loudly when a command is refused.
import { expect } from 'vitest'
import {
  decide,
  EMPTY_LOG,
  makeSnapshot,
  seedRoutes,
  type Accepted,
  type Actor,
  type ApprovalLog,
  type Command,
  type ContractSnapshot,
  type Outcome,
  type Route,
  type RouteSet,
} from '../../src/domain/index.ts'

export const AUTHOR: Actor = { id: 10, name: 'Ирина Смирнова' }
export const LAWYER: Actor = { id: 20, name: 'Олег Юрьев' }
export const LAWYER2: Actor = { id: 21, name: 'Анна Правова' }
export const SECURITY: Actor = { id: 30, name: 'Пётр Охранов' }
export const CFO: Actor = { id: 40, name: 'Мария Финансова' }
export const CEO: Actor = { id: 50, name: 'Сергей Главный' }
export const HEAD: Actor = { id: 60, name: 'Дмитрий Начальников' }
export const STRANGER: Actor = { id: 99, name: 'Посторонний' }

export const ROUTES: RouteSet = seedRoutes({ lawyers: [LAWYER.id, LAWYER2.id], security: [SECURITY.id], cfo: CFO.id, ceo: CEO.id })

export const T0 = Date.parse('2026-11-02T09:00:00.000Z')
/** ISO time `minutes` after T0. */
export const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString()

let seq = 0
export const nextId = (): string => `ev-${String(++seq).padStart(4, '0')}`

export function snapshot(amount: number | null, extra: Partial<ContractSnapshot> = {}): ContractSnapshot {
  return makeSnapshot({ title: 'Поставка автомобилей', number: 'Д-2026/117', amount, currency: 'RUB', companyId: 5, ...extra })
}

export function submitCmd(amount: number | null, extra: Partial<Extract<Command, { type: 'submit' }>> = {}): Command {
  return { type: 'submit', routeSet: ROUTES, snapshot: snapshot(amount), documentId: 700, departmentHeadIds: [HEAD.id], ...extra }
}

export function resubmitCmd(amount: number | null, documentId: number | null = 701): Command {
  return { type: 'resubmit', routeSet: ROUTES, snapshot: snapshot(amount), documentId, departmentHeadIds: [HEAD.id] }
}

export function must(outcome: Outcome): Accepted {
  if (!outcome.ok) expect.fail(`refused: ${outcome.reason}`)
  return outcome
}

/** Applies a command that must be accepted; returns the new log. */
export function act(log: ApprovalLog, actor: Actor, cmd: Command, minutes = 0, id = nextId()): ApprovalLog {
  return must(decide(log, cmd, { eventId: id, at: at(minutes), actor })).log
}

export function refusalOf(log: ApprovalLog, actor: Actor, cmd: Command, id = nextId()): string {
  const outcome = decide(log, cmd, { eventId: id, at: at(1000), actor })
  if (outcome.ok) expect.fail(`accepted ${cmd.type} by ${actor.name}`)
  return outcome.reason
}

/** A contract on the standard route (lawyer → security → CEO), just submitted. */
export function submittedLog(amount = 500_000): ApprovalLog {
  return act(EMPTY_LOG, AUTHOR, submitCmd(amount), 0)
}

/** One route with one step: tests of concurrent deciders. */
export function singleStepRoutes(mode: 'all' | 'any', approverIds: readonly number[]): RouteSet {
  const route: Route = {
    id: 'board',
    name: 'Совет директоров',
    isDefault: true,
    conditions: { amountFrom: null, amountTo: null, contractTypes: [] },
    steps: [
      { title: 'Члены совета', approvers: approverIds.map((userId) => ({ kind: 'user', userId })), mode, slaHours: 8 },
      { title: 'Генеральный директор', approvers: [{ kind: 'user', userId: CEO.id }], mode: 'all', slaHours: 8 },
    ],
  }
  return { v: 1, version: 3, updatedAt: null, updatedBy: null, routes: [route] }
}

export const person = (id: number): Actor => ({ id, name: `Член совета ${id}` })
