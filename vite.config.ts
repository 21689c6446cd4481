import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import b24ui from '@bitrix24/b24ui-nuxt/vite'
import vueI18n from '@intlify/unplugin-vue-i18n/vite'

/**
 * Bitrix24 opens an app's page with a POST (auth fields in the body). Vite's dev server only
 * serves pages to GET, so in development a POST for a page is answered as the GET it stands for.
 */
function answerPostWithPage(): Plugin {
  return {
    name: 'b24-answer-post-with-page',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        if (req.method === 'POST' && (req.headers.accept ?? '').includes('text/html')) req.method = 'GET'
        next()
      })
    }
  }
}

/**
 * The SDK's two heavy transitive dependencies, replaced for the whole build without touching the
 * SDK: axios (~20 KB gzip; the SDK posts JSON through it) by a `fetch` adapter and luxon
 * (~20 KB gzip; only the SDK's `Text` helpers and log formatter use it) by a small `DateTime`.
 * Exact-name matches only, so a deep import (the shims' unit test reads real luxon) is untouched.
 * vitest.config.ts applies the same aliases to every project, the SDK's integration suite included.
 */
export const VENDOR_ALIASES = [
  { find: /^axios$/, replacement: fileURLToPath(new URL('./src/platform/vendor/axios.ts', import.meta.url)) },
  { find: /^luxon$/, replacement: fileURLToPath(new URL('./src/platform/vendor/luxon.ts', import.meta.url)) },
]

// The UI kit's plugin already brings Tailwind and the component/auto-import unplugins.
// prose/mdc off keeps ~40 unused prose components out of the bundle; component detection
// emits CSS only for the components the app uses.
export default defineConfig({
  // Relative base: the build must work from any static host path (Bitrix24 handler URL).
  base: './',
  // The emulated portal opens the app at http://127.0.0.1:5173/ (npm run emulator's default).
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  resolve: { alias: VENDOR_ALIASES },
  plugins: [
    answerPostWithPage(),
    vue(),
    // Messages are compiled at build time, so the app ships vue-i18n's runtime-only build (no
    // message compiler) with the legacy API dropped (`__VUE_I18N_LEGACY_API__: false`).
    vueI18n({
      include: [fileURLToPath(new URL('./src/locales/**/*.json', import.meta.url))],
      runtimeOnly: true,
      compositionOnly: true,
      fullInstall: false,
      strictMessage: true,
      // Every message is precompiled, so the runtime's message compiler (~10 KB gzip) is dead
      // weight in the build. Tests keep it: some mount components with plain-string messages.
      dropMessageCompiler: process.env.VITEST !== 'true'
    }),
    b24ui({
      router: false,
      prose: false,
      mdc: false,
      colorModeStorageKey: 'b24-contract-approval-color-mode',
      experimental: { componentDetection: true },
      dts: false
    })
  ],
  build: {
    target: 'es2022',
    sourcemap: false
  }
})
