import { defineConfig, mergeConfig } from 'vitest/config'
import viteConfig, { VENDOR_ALIASES } from './vite.config'

/** Component tests that start the SDK's frame (see the `frame` project). */
const FRAME_FILES = [
  'test/component/contract-tab.test.ts',
  'test/component/errors.test.ts',
  'test/component/outside-bitrix.test.ts',
  'test/component/outside-bitrix-silent-parent.test.ts',
]

/**
 * The SDK runs on the same replaced axios and luxon as the build (`VENDOR_ALIASES`): it is
 * inlined (transformed by Vite, so the aliases apply) instead of imported by Node as is. The
 * whole SDK-against-emulator suite (test/integration: retries, 503 storms, expired_token, batch)
 * therefore runs on the fetch adapter.
 */
const SDK_ON_SHIMS = { server: { deps: { inline: [/@bitrix24\/b24jssdk/] } } }

// Projects: pure Node (domain, emulator, SDK-against-emulator integration) and
// happy-dom projects for components, which need the UI kit's Vite plugin.
export default defineConfig({
  test: {
    // Hooks seed portals: 180 s covers a full demo seed on a loaded 2-core machine.
    // Seeded portals are seeded once per run and copied per test file (test/support/portal-snapshot.ts).
    globalSetup: ['test/support/global-setup.ts'],
    // Vitest's default is one worker per core minus one: a single worker on a 2-core machine, so
    // every file ran after the other. Most of a file's time is waiting on an emulator (HTTP, a child
    // process, the tab's timers), which overlaps well beyond the core count.
    maxWorkers: 4,
    projects: [
      {
        resolve: { alias: VENDOR_ALIASES },
        test: {
          ...SDK_ON_SHIMS,
          name: 'node',
          environment: 'node',
          // A worker runs its files in one module graph instead of re-importing the app, the SDK
          // and the UI kit for every file: on 2 cores that is about a third of the run's CPU. Test
          // files share no module state: each builds its own emulator, port, Pinia and i18n, and
          // restores any global it sets (test/integration/live-xhr.ts). `--isolate` restores
          // the per-file module graph.
          isolate: false,
          // Worker threads start and share memory cheaper than forked processes: ~10 s less
          // wall time on 2 cores. Child processes (portals) are spawned the same way from either.
          pool: 'threads',
          include: ['test/unit/**/*.test.ts', 'test/emulator/**/*.test.ts', 'test/integration/**/*.test.ts'],
          env: { TZ: 'UTC' },
          testTimeout: 30_000,
          hookTimeout: 180_000
        }
      },
      mergeConfig(viteConfig, {
        test: {
          ...SDK_ON_SHIMS,
          name: 'component',
          environment: 'happy-dom',
          isolate: false,
          pool: 'threads',
          include: ['test/component/**/*.test.ts'],
          exclude: FRAME_FILES,
          env: { TZ: 'UTC' },
          testTimeout: 60_000,
          hookTimeout: 180_000
        }
      }),
      mergeConfig(viteConfig, {
        test: {
          ...SDK_ON_SHIMS,
          name: 'frame',
          environment: 'happy-dom',
          // The SDK keeps its frame (initializeB24Frame) for the life of the module: these files
          // start the app in a frame of their own, so each gets a fresh module graph.
          isolate: true,
          pool: 'threads',
          include: FRAME_FILES,
          env: { TZ: 'UTC' },
          testTimeout: 60_000,
          hookTimeout: 180_000
        }
      })
    ]
  }
})
