/**
 * Mounting the Settings tab on a real (emulated) portal: the emulator runs in a child process,
 * the port is the app's own SDK port in Node, and the routes are stored with app.option.set
 * exactly as the installer or an earlier save would have left them.
 */
import { mount } from '@vue/test-utils'
import type { DOMWrapper, VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import b24UiPlugin from '@bitrix24/b24ui-nuxt/vue-plugin'
import SettingsTab from '../../../src/components/settings/SettingsTab.vue'
import type { BitrixPort, PickedUser } from '../../../src/platform/port.ts'
import type { Locale } from '../../../src/locales/index.ts'
import { serializeRouteSet } from '../../../src/domain/route.ts'
import { seedRoutes } from '../../../src/domain/seedRoutes.ts'
import { APP_OPTION_KEYS } from '../../../src/domain/schema.ts'
import { useSessionStore } from '../../../src/stores/session.ts'
import { useRoutesStore } from '../../../src/stores/routes.ts'
import type { PortalProcess } from '../../support/portal-process.ts'
import { createTestI18n, waitFor } from '../setup.ts'
import { PEOPLE } from '../../support/people.ts'

/** Demo-portal people (emulator/seed/people.ts). */
export const ADMIN = PEOPLE.admin
export const LAWYER = PEOPLE.lawyer
export const CFO = PEOPLE.cfo
export const CEO = PEOPLE.ceo
export const SECURITY = PEOPLE.security
export const ARCHIVIST = PEOPLE.archivist

export async function storeSeedRoutes(portal: PortalProcess): Promise<void> {
  const set = seedRoutes({ lawyers: [LAWYER], security: [SECURITY], cfo: CFO, ceo: CEO }, '2026-11-20T09:00:00.000Z', ADMIN)
  await portal.rest(ADMIN, 'app.option.set', { options: { [APP_OPTION_KEYS.routes]: serializeRouteSet(set) } })
}

export interface MountOptions {
  /** What the portal's employee picker answers (the parent window is not in a Node test). */
  picks?: PickedUser[]
  /** The frame's IS_ADMIN claim, when it should differ from the portal's (a stale frame). */
  isAdmin?: boolean
  locale?: Locale
}

export async function mountSettings(portal: PortalProcess, userId: number, opts: MountOptions = {}) {
  const pinia = createPinia()
  setActivePinia(pinia)
  const base = portal.portAs(userId)
  const port: BitrixPort = {
    ...base,
    ...(opts.isAdmin !== undefined ? { isAdmin: opts.isAdmin } : {}),
    selectUsers: async () => opts.picks ?? [],
  }
  await useSessionStore().start(async () => port)
  const wrapper = mount(SettingsTab, {
    attachTo: document.body,
    global: { plugins: [pinia, createTestI18n(opts.locale ?? 'ru'), b24UiPlugin] },
  })
  const store = useRoutesStore()
  await waitFor(() => store.state === 'done' || store.state === 'error')
  await flush()
  return { wrapper, store }
}

export async function flush(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0))
}

/** The <input> of a kit field, whether the test id sits on the input or on its wrapper. */
export function input(root: VueWrapper | DOMWrapper<Element>, testId: string, nth = 0): DOMWrapper<HTMLInputElement> {
  const all = root.findAll<HTMLInputElement>(`input[data-testid="${testId}"], [data-testid="${testId}"] input`)
  const found = all[nth]
  if (!found) throw new Error(`no input ${testId}[${nth}]`)
  return found
}

export async function type(el: DOMWrapper<HTMLInputElement>, value: string): Promise<void> {
  await el.setValue(value)
  await flush()
}

export async function selectRoute(wrapper: VueWrapper, id: string): Promise<void> {
  await wrapper.get(`[data-testid="settings-route"][data-route-id="${id}"]`).trigger('click')
  await flush()
}

export function stepTitles(wrapper: VueWrapper): string[] {
  return wrapper.findAll('[data-testid="settings-step"]').map((s) => input(s, 'settings-step-title').element.value)
}
