import { copyFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Frame, Page } from 'playwright-core'
import type { B24Frame } from '@bitrix24/b24jssdk'
import { ROOT } from './fixtures.ts'

/** A folder to serve as "the app": the probe page plus the SDK's UMD build as sdk.js. */
export function probeAppRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'b24-probe-'))
  copyFileSync(join(ROOT, 'test/e2e/probe/index.html'), join(dir, 'index.html'))
  copyFileSync(join(ROOT, 'node_modules/@bitrix24/b24jssdk/dist/umd/index.min.js'), join(dir, 'sdk.js'))
  return dir
}

/** The probe frame once its SDK finished getInitData. */
export async function probeFrame(page: Page, within = 'body'): Promise<Frame> {
  const handle = await page.locator(`${within} iframe[data-testid="app-frame"]`).first().elementHandle()
  const frame = await handle?.contentFrame()
  if (!frame) throw new Error('no app frame')
  // The frame may still hold its blank first document (no #state at all): wait for the probe
  // page itself to settle, not merely for "not loading".
  await frame.waitForFunction(() => {
    const state = document.getElementById('state')?.textContent
    return state !== undefined && state !== 'loading'
  }, undefined, { timeout: 20_000 })
  const state = await frame.locator('#state').textContent()
  if (state !== 'ready') throw new Error(`probe did not initialise: ${state}`)
  return frame
}

/** The probe's window as seen inside page.evaluate: the initialised SDK frame. */
export type W = Window & { b24: B24Frame }
