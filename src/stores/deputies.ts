/**
 * Absences and standing deputies (domain/deputies.ts) for the workspace. Two sources, read in
 * one request: what administrators set for anyone (an app option, `canEdit`), and what each
 * person sets for themselves in the app's data storage (`saveOwn`, open to everyone).
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { checkAbsence, checkOwnAbsence, type Absence, type SelfAbsenceProblem, type SourcedAbsence } from '../domain/deputies.ts'
import { toAppError, type AppError } from '../platform/errors.ts'
import type { BatchCommand, BatchOutcome } from '../platform/port.ts'
import { absenceCommands, absencesOf, readAbsences, saveAbsence, saveOwnAbsence } from '../services/deputies/absences.ts'
import { useSessionStore } from './session.ts'

/** Today in the browser's zone, `YYYY-MM-DD`. */
export function localDay(now = new Date()): string {
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10)
}

export const useDeputiesStore = defineStore('deputies', () => {
  const session = useSessionStore()
  const absences = ref<SourcedAbsence[]>([])
  const loaded = ref(false)
  const saving = ref(false)
  const error = shallowRef<AppError | null>(null)
  const problem = ref<SelfAbsenceProblem | null>(null)

  const canEdit = computed(() => session.isAdmin)
  const today = () => localDay()
  const current = computed(() => absences.value.filter((a) => a.to >= today()).sort((x, y) => (x.from < y.from ? -1 : 1)))
  /** This user's own absence: the one they set themselves first, else an administrator's. */
  const mine = computed<SourcedAbsence | null>(() => {
    const id = session.user?.id
    if (!id) return null
    const own = current.value.filter((a) => a.person.id === id)
    return own.find((a) => a.source === 'self') ?? own[0] ?? null
  })

  /** Reads who is away unless a batch already brought it (the workspace's first one does). */
  async function load(force = false): Promise<void> {
    if (loaded.value && !force) return
    absences.value = await readAbsences(session.requirePort(), today()).catch(() => [])
    loaded.value = true
  }

  /** Commands for another store's batch (stores/workspace.ts): who is away, no request of its own. */
  function batchCommands(): Record<string, BatchCommand> {
    return absenceCommands(today())
  }

  /** Takes who is away from the answers of `batchCommands` inside that batch. */
  async function absorb(outcome: BatchOutcome): Promise<void> {
    loaded.value = true
    absences.value = await absencesOf(session.requirePort(), outcome, today()).catch(() => absences.value)
  }

  async function run(body: () => Promise<SourcedAbsence[]>): Promise<boolean> {
    saving.value = true
    error.value = null
    try {
      absences.value = await body()
      return true
    } catch (e) {
      error.value = toAppError(e)
      return false
    } finally {
      saving.value = false
    }
  }

  /** An administrator sets (or clears) anyone's absence in the app option. */
  async function save(personId: number, next: Absence | null): Promise<boolean> {
    problem.value = next ? checkAbsence(next) : null
    if (problem.value) return false
    return run(() => saveAbsence(session.requirePort(), personId, next, today()))
  }

  /** The user sets (or, with null, removes) their own absence. */
  async function saveOwn(next: Absence | null): Promise<boolean> {
    const me = session.user
    if (!me) return false
    problem.value = next ? checkOwnAbsence(next, today()) : null
    if (problem.value || (next && next.person.id !== me.id)) return false
    const port = session.requirePort()
    return run(() => saveOwnAbsence(port, me.id, next, port.lang))
  }

  return { absences, current, mine, loaded, saving, error, problem, canEdit, load, batchCommands, absorb, save, saveOwn }
})
