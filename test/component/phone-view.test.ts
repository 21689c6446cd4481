/**
 * The mobile chat menu's view (IMMOBILE_CONTEXT_MENU, api-reference/widgets/mobile-app.md) on the
 * demo portal through the real SDK: App dispatches to it, it lists the approver's inbox, and a
 * contract's decision buttons appear only for its current approver — the card tab's own rules,
 * since the mobile app filters by neither role nor chat type.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import App from '../../src/App.vue'
import PhoneDecision from '../../src/components/phone/PhoneDecision.vue'
import { useSessionStore } from '../../src/stores/session.ts'
import { useWorkspaceStore } from '../../src/stores/workspace.ts'
import { PLACEMENTS } from '../../src/domain/schema.ts'
import { startPortalProcess, type PortalProcess } from '../support/portal-process.ts'
import { mountApp, waitFor } from './setup.ts'
import { PEOPLE } from '../support/people.ts'

let portal: PortalProcess

beforeAll(async () => {
  portal = await startPortalProcess({ seed: 'demo' })
}, 60_000)

afterAll(async () => {
  await portal?.close()
})

afterEach(() => {
  document.body.innerHTML = ''
})

async function mountDecision(userId: number, entityTypeId: number, itemId: number) {
  const pinia = createPinia()
  setActivePinia(pinia)
  await useSessionStore().start(async () => portal.portAs(userId))
  return mountApp(PhoneDecision, { pinia, props: { entityTypeId, itemId } }).wrapper
}

describe('phone view', () => {
  it('opens from the chat menu with the approver\'s inbox, and only the current approver may decide', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    const port = { ...portal.portAs(PEOPLE.lawyer), placement: { code: PLACEMENTS.mobileChat, options: { dialogId: 'chat1' } } }
    const app = mountApp(App, { pinia, props: { connect: async () => port } }).wrapper
    await waitFor(() => app.find('[data-testid="phone-inbox"]').exists(), 60_000)
    expect(app.text()).toContain('Ждут вашего решения')
    const workspace = useWorkspaceStore()
    const entityTypeId = workspace.space?.entityTypeId as number
    // Someone else's turn: a contract waiting on the lawyer and not on the CFO.
    const row = workspace.inboxRows.find((r) => r.approverIds.includes(PEOPLE.lawyer) && !r.approverIds.includes(PEOPLE.cfo) && !r.inconsistent)
    expect(row).toBeDefined()
    expect(app.findAll('[data-testid="workspace-row"]').length).toBe(workspace.inboxRows.length)
    app.unmount()
    if (!row) return

    const mine = await mountDecision(PEOPLE.lawyer, entityTypeId, row.id)
    await waitFor(() => mine.find('[data-testid="approval-header"]').exists(), 60_000)
    expect(mine.find('[data-testid="phone-approve"]').exists()).toBe(true)
    expect(mine.find('[data-testid="phone-return"]').exists()).toBe(true)
    mine.unmount()

    const theirs = await mountDecision(PEOPLE.cfo, entityTypeId, row.id)
    await waitFor(() => theirs.find('[data-testid="approval-header"]').exists(), 60_000)
    expect(theirs.find('[data-testid="phone-approve"]').exists()).toBe(false)
    expect(theirs.find('[data-testid="phone-return"]').exists()).toBe(false)
    expect(theirs.get('[data-testid="phone-read-only"]').text()).toBe('Решение по этому договору сейчас принимаете не вы: его можно только просмотреть.')
    theirs.unmount()
  })
})
