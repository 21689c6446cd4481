// First: starts the Bitrix24 handshake before the rest below evaluates.
import { takeBootConnection } from './placements/boot.ts'
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import b24UiPlugin from '@bitrix24/b24ui-nuxt/vue-plugin'
import App from './App.vue'
import { createAppI18n } from './i18n.ts'
import './assets/main.css'

createApp(App, { connect: takeBootConnection })
  .use(createPinia())
  .use(createAppI18n())
  .use(b24UiPlugin)
  .mount('#app')
