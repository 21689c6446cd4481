import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import App from '../../src/App.vue'
import { useSessionStore } from '../../src/stores/session.ts'
import { mountApp, waitFor } from './setup.ts'

// Opened as a plain page (no window.name from Bitrix24), the SDK refuses to start; the app must
// say where to open it instead of showing a spinner forever.
describe('outside Bitrix24', () => {
  beforeEach(() => {
    window.name = ''
  })
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('shows the "open from Bitrix24" screen when window.name is empty', async () => {
    const { wrapper } = mountApp(App)
    await waitFor(() => wrapper.find('[data-testid="outside-bitrix"]').exists())
    const screen = wrapper.get('[data-testid="outside-bitrix"]')
    expect(screen.text()).toContain('Откройте приложение в Битрикс24')
    expect(wrapper.find('[data-testid="app-loading"]').exists()).toBe(false)
    const session = useSessionStore()
    expect(session.state).toBe('error')
    expect(session.error?.kind).toBe('outsideBitrix')
    expect(session.error?.code).toBe('JSSDK_CLIENT_SIDE_WARNING')
    wrapper.unmount()
  })

  it('speaks English when the i18n locale is English', async () => {
    const { wrapper } = mountApp(App, { locale: 'en' })
    await waitFor(() => wrapper.find('[data-testid="outside-bitrix"]').exists())
    expect(wrapper.get('[data-testid="outside-bitrix"]').text()).toContain('Open the app in Bitrix24')
    wrapper.unmount()
  })
})
