import { mount } from '@vue/test-utils'
import type { Component } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import type { Pinia } from 'pinia'
import b24UiPlugin from '@bitrix24/b24ui-nuxt/vue-plugin'
import { applyLocale, createAppI18n } from '../../src/i18n.ts'
import { loadMessages, LOCALES, type Locale, type MessageSchema } from '../../src/locales/index.ts'

// Both languages through the app's own loader (precompiled by the Vite plugin, as in the build),
// once per file, so mounting stays synchronous.
const MESSAGES = Object.fromEntries(await Promise.all(LOCALES.map(async (l) => [l, await loadMessages(l)] as const))) as Record<Locale, MessageSchema>

/**
 * The app's i18n as App.vue leaves it once the portal's language is known: `createAppI18n()`,
 * then that language's messages applied (App.vue's `loadLocale` without the wait).
 */
export function createTestI18n(locale: Locale = 'ru') {
  const i18n = createAppI18n()
  applyLocale(i18n.global, locale, MESSAGES[locale])
  return i18n
}

/** Mounts with what main.ts installs: a fresh Pinia, the app's i18n and the UI kit plugin. */
export function mountApp(component: Component, opts: { locale?: Locale; props?: Record<string, unknown>; pinia?: Pinia } = {}) {
  const pinia = opts.pinia ?? createPinia()
  setActivePinia(pinia)
  const i18n = createTestI18n(opts.locale ?? 'ru')
  const wrapper = mount(component, {
    props: opts.props ?? {},
    attachTo: document.body,
    global: { plugins: [pinia, i18n, b24UiPlugin] },
  })
  return { wrapper, pinia, i18n }
}

/** Polls until `check` passes or the deadline passes; the async frame start has no event to await. */
export async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > until) throw new Error('waitFor: condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
