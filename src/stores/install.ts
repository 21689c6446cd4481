/**
 * The install wizard's state: runs the installer on the session's port, mirrors its step
 * progress, holds the adopt-or-create question and the failure to retry. No toasts, no texts:
 * the wizard renders `phase`, `steps` and `error.kind`.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { toAppError } from '../platform/errors.ts'
import type { AppError } from '../platform/errors.ts'
import { INSTALL_STEPS, NOT_ADMIN, emptySteps, runInstall } from '../services/install/installer.ts'
import type { AdoptCandidate, InstallOptions, InstallRecord, InstallStepId, InstallSteps } from '../services/install/installer.ts'
import { useSessionStore } from './session.ts'

export type InstallPhase = 'idle' | 'running' | 'choice' | 'done' | 'failed'

export interface InstallRequest {
  /** Where Bitrix24 should open the placements: the app's own URL. */
  handlerUrl: string
}

export const useInstallStore = defineStore('install', () => {
  const phase = ref<InstallPhase>('idle')
  const steps = ref<InstallSteps>(emptySteps())
  const candidates = ref<AdoptCandidate[]>([])
  const error = shallowRef<AppError | null>(null)
  const failedStep = ref<InstallStepId | null>(null)
  const record = ref<InstallRecord | null>(null)
  // Remembered so "retry" repeats the admin's adopt/create answer and handler.
  let lastRequest: InstallRequest | null = null
  let lastAdopt: InstallOptions['adopt']
  let running: Promise<void> | null = null

  const notAdmin = computed(() => error.value?.code === NOT_ADMIN)
  const doneCount = computed(() => INSTALL_STEPS.filter((id) => ['done', 'skipped'].includes(steps.value[id].status)).length)

  /** Runs (or reruns) the installer; concurrent calls share one run. */
  function install(request: InstallRequest, adopt?: InstallOptions['adopt']): Promise<void> {
    if (running) return running
    lastRequest = request
    lastAdopt = adopt
    phase.value = 'running'
    error.value = null
    failedStep.value = null
    steps.value = emptySteps()
    running = (async () => {
      try {
        const port = useSessionStore().requirePort()
        const result = await runInstall(port, {
          handlerUrl: request.handlerUrl,
          ...(adopt !== undefined ? { adopt } : {}),
          onProgress: (id, state) => {
            steps.value = { ...steps.value, [id]: state }
          },
        })
        steps.value = result.steps
        if (result.status === 'done') {
          record.value = result.record
          phase.value = 'done'
        } else if (result.status === 'needsChoice') {
          candidates.value = result.candidates
          phase.value = 'choice'
        } else {
          error.value = result.error
          failedStep.value = result.step
          phase.value = 'failed'
        }
      } catch (e) {
        error.value = toAppError(e)
        phase.value = 'failed'
      } finally {
        running = null
      }
    })()
    return running
  }

  /** The admin's answer to the adopt-or-create question. */
  function choose(adopt: { typeId: number } | 'create'): Promise<void> {
    if (!lastRequest) return Promise.resolve()
    return install(lastRequest, adopt)
  }

  function retry(): Promise<void> {
    if (!lastRequest) return Promise.resolve()
    return install(lastRequest, lastAdopt)
  }

  return { phase, steps, candidates, error, failedStep, record, notAdmin, doneCount, install, choose, retry }
})
