/**
 * Absences and standing deputies (domain/deputies.ts) for the workspace: the list the frame
 * brought with its app options, and saving one person's absence. The portal lets only
 * administrators write app options: `canEdit` says whether this user may.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { absenceOf, checkAbsence, DEPUTIES_OPTION, parseAbsences, type Absence, type AbsenceProblem } from '../domain/deputies.ts'
import { toAppError, type AppError } from '../platform/errors.ts'
import { readAbsences, saveAbsence } from '../services/deputies/absences.ts'
import { useSessionStore } from './session.ts'

/** Today in the browser's zone, `YYYY-MM-DD`. */
export function localDay(now = new Date()): string {
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10)
}

export const useDeputiesStore = defineStore('deputies', () => {
  const session = useSessionStore()
  const absences = ref<Absence[]>([])
  const loaded = ref(false)
  const saving = ref(false)
  const error = shallowRef<AppError | null>(null)
  const problem = ref<AbsenceProblem | null>(null)

  const canEdit = computed(() => session.isAdmin)
  const today = () => localDay()
  const current = computed(() => absences.value.filter((a) => a.to >= today()).sort((x, y) => (x.from < y.from ? -1 : 1)))
  const mine = computed(() => (session.user ? absenceOf(absences.value, session.user.id, today()) : null))

  async function load(): Promise<void> {
    const port = session.requirePort()
    // In a frame the options came with it (APP_OPTIONS at init): no request.
    absences.value = port.initialAppOptions
      ? parseAbsences(port.initialAppOptions[DEPUTIES_OPTION])
      : await readAbsences(port).catch(() => [])
    loaded.value = true
  }

  async function save(personId: number, next: Absence | null): Promise<boolean> {
    problem.value = next ? checkAbsence(next) : null
    if (problem.value) return false
    if (next && session.user && next.deputy.id === personId) return false
    saving.value = true
    error.value = null
    try {
      absences.value = await saveAbsence(session.requirePort(), personId, next, today())
      return true
    } catch (e) {
      error.value = toAppError(e)
      return false
    } finally {
      saving.value = false
    }
  }

  return { absences, current, mine, loaded, saving, error, problem, canEdit, load, save }
})
