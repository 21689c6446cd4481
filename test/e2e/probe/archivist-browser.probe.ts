// Probe (not a test): the archive browser at 1366 and 375 px. Run: npx tsx test/e2e/probe/archivist-browser.probe.ts
import { PEOPLE, appFrame, openPortal, startStack } from '../fixtures.ts'

const stack = await startStack()
try {
  for (const vp of [{ width: 1366, height: 900 }, { width: 375, height: 812 }]) {
    const { context, page } = await openPortal(stack, PEOPLE.archivist, vp)
    await page.goto(`${stack.portal.origin}/`)
    await page.locator('[data-testid="left-menu-app"]').click()
    const frame = appFrame(page)
    const browser = frame.locator('[data-testid="archive-browser"]')
    await browser.locator('[data-testid="archive-row"]').first().waitFor({ timeout: 90_000 })
    await frame.locator('[data-testid="archive-filters"]').screenshot({ path: `/tmp/probe/filters-${vp.width}.png` })
    await browser.locator('[data-testid="archive-row"]').first().screenshot({ path: `/tmp/probe/row-${vp.width}.png` })
    console.log(vp.width, 'overflow:', await frame.locator('html').evaluate((el) => el.scrollWidth - el.clientWidth))
    await context.close()
  }
} finally {
  await stack.close()
}
