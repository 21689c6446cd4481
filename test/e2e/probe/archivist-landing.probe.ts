// Probe (not a test): does the archivist land on her tab? Run: npx tsx test/e2e/probe/archivist-landing.probe.ts
import { PEOPLE, appFrame, openPortal, startStack } from '../fixtures.ts'

const stack = await startStack()
try {
  const { context, page } = await openPortal(stack, PEOPLE.archivist)
  page.on('console', (m) => console.log('console:', m.text()))
  await page.goto(`${stack.portal.origin}/`)
  await page.locator('[data-testid="left-menu-app"]').click()
  const frame = appFrame(page)
  await frame.locator('[data-testid="greeting"]').waitFor({ timeout: 90_000 })
  await page.waitForTimeout(4000)
  console.log('archive-tab:', await frame.locator('[data-testid="archive-tab"]').count())
  console.log('tabs:', await frame.getByRole('tab').evaluateAll((els) => els.map((e) => `${e.textContent}=${e.getAttribute('aria-selected')}`)))
  console.log('option:', JSON.stringify(stack.portal.ctx.db.app.options.ca_archivists))
  await page.screenshot({ path: '/tmp/probe/landing.png' })
  await context.close()
} finally {
  await stack.close()
}
