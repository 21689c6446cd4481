import { defineConfig } from 'vitest/config'

// Browser tests: Playwright (playwright-core) drives Debian's Chromium against the emulator and
// the built app. One file at a time: Chromium and the build share the machine's two cores.
export default defineConfig({
  test: {
    name: 'e2e',
    environment: 'node',
    include: ['test/e2e/**/*.e2e.ts'],
    env: { TZ: 'UTC' },
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 240_000
  }
})
