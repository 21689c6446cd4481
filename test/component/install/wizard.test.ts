/**
 * The install wizard on a real (emulated) portal through the real SDK: what a non-admin sees,
 * and that a failure mid-install shows the step and a retry that finishes the job. The states
 * come from the installer itself, not from a hand-set store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import InstallWizard from '../../../src/components/install/InstallWizard.vue'
import { useSessionStore } from '../../../src/stores/session.ts'
import { useInstallStore } from '../../../src/stores/install.ts'
import { startPortalProcess } from '../../support/portal-process.ts'
import type { PortalProcess } from '../../support/portal-process.ts'
import { mountApp, waitFor } from '../setup.ts'

const HANDLER = 'http://127.0.0.1:5173/'
const ADMIN_ID = 1
const EMPLOYEE_ID = 2

let portal: PortalProcess

beforeEach(async () => {
  portal = await startPortalProcess({ seed: 'none', employee: true, handlerUrl: HANDLER })
})

afterEach(async () => {
  document.body.innerHTML = ''
  await portal.close()
})

async function mountAs(userId: number) {
  const mounted = mountApp(InstallWizard, { props: { handlerUrl: HANDLER } })
  await useSessionStore().start(async () => portal.portAs(userId))
  return mounted
}

async function typeCount(): Promise<number> {
  return (await portal.rest<{ types: unknown[] }>(ADMIN_ID, 'crm.type.list')).types.length
}

describe('install wizard', () => {
  it('tells a non-admin, in words, that only an administrator can install', async () => {
    const { wrapper } = await mountAs(EMPLOYEE_ID)
    await wrapper.get('[data-testid="install-start"]').trigger('click')
    await waitFor(() => wrapper.find('[data-testid="install-not-admin"]').exists())
    const text = wrapper.get('[data-testid="install-not-admin"]').text()
    expect(text).toContain('Установить приложение может только администратор Битрикс24')
    // No stack trace or raw error class leaks into the page, and no retry is offered.
    expect(wrapper.text()).not.toMatch(/AppError|at runInstall|INSTALL_NOT_ADMIN/)
    expect(wrapper.find('[data-testid="install-retry"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="install-step-admin"]').attributes('data-status')).toBe('failed')
    expect(await typeCount()).toBe(0)
    wrapper.unmount()
  })

  it('shows where a failed install stopped, and Retry completes it', async () => {
    await portal.control({ failMethods: { 'placement.bind': 1 } })
    const { wrapper } = await mountAs(ADMIN_ID)
    await wrapper.get('[data-testid="install-start"]').trigger('click')
    await waitFor(() => wrapper.find('[data-testid="install-failed"]').exists())
    expect(wrapper.get('[data-testid="install-failed"]').text()).toContain('Установка остановилась на шаге «Вкладка в карточке и пункт меню»')
    expect(wrapper.get('[data-testid="install-step-fields"]').attributes('data-status')).toBe('done')
    expect(wrapper.get('[data-testid="install-step-placements"]').attributes('data-status')).toBe('failed')

    await wrapper.get('[data-testid="install-retry"]').trigger('click')
    await waitFor(() => wrapper.find('[data-testid="install-done"]').exists())
    expect(wrapper.get('[data-testid="install-done"]').text()).toContain('Приложение установлено')
    // The retry created only what the failed run had not: the placements and the record.
    expect(wrapper.find('[data-testid="install-created-type"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="install-created-placements"]').exists()).toBe(true)
    expect(useInstallStore().record?.typeId).toBeGreaterThan(0)
    expect(await typeCount()).toBe(1)
    wrapper.unmount()
  })

  it('asks whether to adopt an existing "Договоры" smart process', async () => {
    const typeId = (await portal.rest<{ type: { id: number } }>(ADMIN_ID, 'crm.type.add', { fields: { title: 'Договоры' } })).type.id
    const { wrapper } = await mountAs(ADMIN_ID)
    await wrapper.get('[data-testid="install-start"]').trigger('click')
    await waitFor(() => wrapper.find('[data-testid="install-choice"]').exists())
    await wrapper.get(`[data-testid="install-adopt-${typeId}"]`).trigger('click')
    await waitFor(() => wrapper.find('[data-testid="install-done"]').exists())
    expect(useInstallStore().record?.typeId).toBe(typeId)
    expect(await typeCount()).toBe(1)
    wrapper.unmount()
  })
})
