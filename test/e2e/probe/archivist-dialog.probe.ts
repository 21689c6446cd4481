// Probe (not a test): the receipt dialog with the archivist's places. Run: npx tsx test/e2e/probe/archivist-dialog.probe.ts
import { PEOPLE, appFrame, openPortal, startStack } from '../fixtures.ts'
import { createNodePort } from '../../support/node-port.ts'
import { PLACES_OPTION, serializePlaces } from '../../../src/domain/archive.ts'

const stack = await startStack()
try {
  await createNodePort({ origin: stack.portal.origin, userId: PEOPLE.archivist, ctx: stack.portal.ctx, attempts: 3 })
    .setUserOption(PLACES_OPTION, serializePlaces(['Шкаф 3, полка 2, папка 14', 'Сейф бухгалтерии']))
  for (const vp of [{ width: 1366, height: 900 }, { width: 375, height: 812 }]) {
    const { context, page } = await openPortal(stack, PEOPLE.archivist, vp)
    await page.goto(`${stack.portal.origin}/`)
    await page.locator('[data-testid="left-menu-app"]').click()
    const frame = appFrame(page)
    const row = frame.locator('[data-testid="archive-waiting"] [data-testid="archive-row"]').first()
    await row.locator('[data-testid="archive-row-cover"]').click()
    const sheet = frame.locator('[data-testid="archive-cover-sheet"]')
    await sheet.waitFor()
    const code = String(await sheet.getAttribute('data-code'))
    await page.screenshot({ path: `/tmp/probe/cover-${vp.width}.png` })
    await page.keyboard.press('Escape')
    await sheet.waitFor({ state: 'detached' })
    const scan = frame.locator('input[data-testid="archive-scan"], [data-testid="archive-scan"] input').first()
    await scan.pressSequentially('СФЖ' + code.slice(3).replace(/:/g, 'Ж'), { delay: 5 })
    await scan.press('Enter')
    await frame.locator('[data-testid="archive-receive-dialog"]').waitFor()
    await frame.locator('input[data-testid="archive-receive-date"], [data-testid="archive-receive-date"] input').first().fill('2020-01-15')
    await page.waitForTimeout(1500)
    const place = frame.locator('[data-testid="archive-place"]').first()
    console.log(vp.width, 'places:', await frame.locator('[data-testid="archive-place"]').count(), 'box:', JSON.stringify(await place.boundingBox()), 'visible:', await place.isVisible())
    console.log('storage value:', await frame.locator('input[data-testid="archive-receive-storage"], [data-testid="archive-receive-storage"] input').first().inputValue())
    await page.screenshot({ path: `/tmp/probe/dialog-${vp.width}.png` })
    await place.click({ timeout: 10_000 }).then(() => console.log('clicked'), (e: Error) => console.log('click failed', e.message.slice(0, 600)))
    await context.close()
  }
} finally {
  await stack.close()
}
