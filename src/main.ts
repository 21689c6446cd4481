// First: starts the Bitrix24 handshake before the rest below evaluates.
import { takeBootConnection } from './placements/boot.ts'
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import colorMode from '@bitrix24/b24ui-nuxt/runtime/vue/plugins/color-mode.js'
import App from './App.vue'
import { createAppI18n } from './i18n.ts'
import './assets/main.css'

/**
 * What the UI kit's Vue plugin (`@bitrix24/b24ui-nuxt/vue-plugin`) does that this app needs,
 * without the rest: its plugins install unhead (+ hookable) only to write a `<meta name="b24ui">`,
 * an empty colour `<style>` and the `data-platform`/`data-version` attributes on `<html>` (the
 * kit's CSS styles Bitrix24's desktop and mobile apps by them). The attributes are set here as
 * the kit's platform plugin sets them; the colour mode (dark by the system) is the kit's own plugin.
 */
function markPlatform(ua: string): void {
  const mobile = /BitrixMobile\/Version=(\d+)/.exec(ua)
  const desktop = /BitrixDesktop\/([\d.]+)/.exec(ua)
  const [name, version] = mobile ? ['bitrix-mobile', mobile[1]] : desktop ? ['bitrix-desktop', desktop[1]] : ['web', 'air']
  document.documentElement.dataset.platform = name
  document.documentElement.dataset.version = version ?? ''
}

markPlatform(navigator.userAgent)

createApp(App, { connect: takeBootConnection })
  .use(createPinia())
  .use(createAppI18n())
  .use(colorMode)
  .mount('#app')
