/**
 * Mounting the workspace's lists on the demo portal: the emulator runs in a child process and
 * the port is the app's own SDK port in Node. Only the parent window is stood in for: there is
 * no Bitrix24 page around a Node test to open the card's slider, so openPath is recorded.
 */
import { mount } from '@vue/test-utils'
import type { Component } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import b24UiPlugin from '@bitrix24/b24ui-nuxt/vue-plugin'
import type { BitrixPort } from '../../../src/platform/port.ts'
import type { Locale } from '../../../src/locales/index.ts'
import { useSessionStore } from '../../../src/stores/session.ts'
import { useWorkspaceStore } from '../../../src/stores/workspace.ts'
import type { NodePort } from '../../support/node-port.ts'
import type { PortalProcess } from '../../support/portal-process.ts'
import { createTestI18n, waitFor } from '../setup.ts'

export interface Mounted {
  wrapper: ReturnType<typeof mount>
  port: NodePort
  opened: string[]
  store: ReturnType<typeof useWorkspaceStore>
}

export async function flush(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0))
}

/**
 * Mounts `component` as `userId`. `frameOptions`: the APP_OPTIONS a frame would carry (then the
 * space costs no request); `load`: run the store's first load before mounting (the view does it
 * itself).
 */
export async function mountAs(portal: PortalProcess, userId: number, component: Component, opts: { locale?: Locale; frameOptions?: Record<string, unknown>; load?: boolean } = {}): Promise<Mounted> {
  const pinia = createPinia()
  setActivePinia(pinia)
  const opened: string[] = []
  const base = portal.portAs(userId)
  const port: NodePort = {
    ...base,
    ...(opts.frameOptions ? { initialAppOptions: opts.frameOptions } : {}),
    openPath: async (path: string) => {
      opened.push(path)
    },
  }
  await useSessionStore().start(async () => port as BitrixPort)
  const store = useWorkspaceStore()
  if (opts.load !== false) await store.load()
  const wrapper = mount(component, {
    attachTo: document.body,
    global: { plugins: [pinia, createTestI18n(opts.locale ?? 'ru'), b24UiPlugin] },
  })
  await waitFor(() => store.state === 'done' || store.state === 'error')
  await flush()
  return { wrapper, port, opened, store }
}
