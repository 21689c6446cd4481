/**
 * Who and where: the Bitrix24 connection (port), the placement, the portal language and the
 * current user. Every other store takes the port from here.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { connectFrame } from '../platform/frame.ts'
import { AppError } from '../platform/errors.ts'
import type { BitrixPort, PortalUserInfo } from '../platform/port.ts'
import { useLoader } from './loader.ts'

export type Connector = () => Promise<BitrixPort>

export const useSessionStore = defineStore('session', () => {
  const { state, error, run } = useLoader()
  // shallowRef: the port holds SDK objects that must not be made reactive.
  const port = shallowRef<BitrixPort | null>(null)
  const user = ref<PortalUserInfo | null>(null)

  const lang = computed(() => port.value?.lang ?? 'ru')
  const isAdmin = computed(() => port.value?.isAdmin ?? false)
  const placement = computed(() => port.value?.placement ?? null)

  /** Connects to Bitrix24 once; concurrent callers share the same attempt. */
  function start(connect: Connector = connectFrame): Promise<void> {
    return run(async () => {
      port.value = await connect()
    })
  }

  /** The port, or an AppError when used before start() succeeded (a programming error). */
  function requirePort(): BitrixPort {
    if (!port.value) throw new AppError('unknown', 'NOT_CONNECTED', 'Bitrix24 connection is not established')
    return port.value
  }

  function setUser(value: PortalUserInfo): void {
    user.value = value
  }

  /** The current user, read once per page. */
  async function loadUser(): Promise<PortalUserInfo> {
    if (user.value) return user.value
    const loaded = await requirePort().currentUser()
    user.value = loaded
    return loaded
  }

  return { state, error, port, user, lang, isAdmin, placement, start, requirePort, setUser, loadUser }
})
