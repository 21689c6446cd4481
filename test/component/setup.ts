import { mount } from '@vue/test-utils'
import type { Component } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import type { Pinia } from 'pinia'
import b24UiPlugin from '@bitrix24/b24ui-nuxt/vue-plugin'
import { createAppI18n } from '../../src/i18n.ts'
import type { AppLocale } from '../../src/i18n.ts'

/** Mounts with what main.ts installs: a fresh Pinia, the app's i18n and the UI kit plugin. */
export function mountApp(component: Component, opts: { locale?: AppLocale; props?: Record<string, unknown>; pinia?: Pinia } = {}) {
  const pinia = opts.pinia ?? createPinia()
  setActivePinia(pinia)
  const i18n = createAppI18n(opts.locale ?? 'ru')
  const wrapper = mount(component, {
    props: opts.props ?? {},
    attachTo: document.body,
    global: { plugins: [pinia, i18n, b24UiPlugin] },
  })
  return { wrapper, pinia, i18n }
}

/** Polls until `check` passes or the deadline passes; the async frame start has no event to await. */
export async function waitFor(check: () => boolean, timeoutMs = 4000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > until) throw new Error('waitFor: condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
