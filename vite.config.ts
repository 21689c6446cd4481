import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import b24ui from '@bitrix24/b24ui-nuxt/vite'

// The UI kit's plugin already brings Tailwind and the component/auto-import unplugins.
// prose/mdc off keeps ~40 unused prose components out of the bundle; component detection
// emits CSS only for the components the app uses.
export default defineConfig({
  // Relative base: the build must work from any static host path (Bitrix24 handler URL).
  base: './',
  plugins: [
    vue(),
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
