// The bench's baseline: the smallest page the UI kit allows — B24App and one component (a
// Timeline, what the card tab paints), built by `npm run bench` with the app's own Vite config.
import { createApp } from 'vue'
import b24UiPlugin from '@bitrix24/b24ui-nuxt/vue-plugin'
import EmptyApp from './EmptyApp.vue'
import './main.css'

createApp(EmptyApp).use(b24UiPlugin).mount('#app')
