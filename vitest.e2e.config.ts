import { defineConfig } from 'vitest/config'

// Browser tests: Playwright (playwright-core) drives Debian's Chromium against the emulator and
// the built app. One file at a time: Chromium and the build share the machine's two cores.
//
// Timeouts are sized for a loaded 2-core machine (a benchmark or a build running alongside), not
// for an idle one: the install flow takes ~35 s alone and more than twice that under load. A hang
// still fails, just later; the numbers below are ceilings, never waits.
export default defineConfig({
  test: {
    name: 'e2e',
    environment: 'node',
    include: ['test/e2e/**/*.e2e.ts'],
    env: { TZ: 'UTC' },
    fileParallelism: false,
    // One test drives several pages and roles (author, approvers, phone): 5 min under load.
    testTimeout: 300_000,
    // beforeAll may build the app (vite) and start the emulator, the static host and Chromium.
    hookTimeout: 420_000,
    teardownTimeout: 60_000,
    // expect.poll waits for the UI to catch up with a write; 1 s (the default) is too little
    // when Chromium shares two cores with a build.
    expect: { poll: { timeout: 20_000, interval: 100 } },
  },
})
