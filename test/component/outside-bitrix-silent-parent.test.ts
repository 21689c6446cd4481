import { afterEach, describe, expect, it } from 'vitest'
import App from '../../src/App.vue'
import { FRAME_INIT_FAILED, FRAME_INIT_TIMEOUT } from '../../src/platform/errors.ts'
import { FRAME_INIT_TIMEOUT_MS } from '../../src/platform/frame.ts'
import { useSessionStore } from '../../src/stores/session.ts'
import { mountApp, waitFor } from './setup.ts'

// window.name looks like Bitrix24's, but no portal is behind it (a copied link, a wrong origin):
// the SDK's handshake either breaks or waits forever for getInitData, and the app must still
// end on the "open from Bitrix24" screen. One file of its own: the SDK keeps a never-settling
// init promise module-wide after the second case.
describe('outside Bitrix24: no portal behind window.name', () => {
  afterEach(() => {
    window.name = ''
    document.body.innerHTML = ''
  })

  it('a page that is not framed is outside Bitrix24 at once', async () => {
    window.name = 'portal.invalid|1|app-sid-123'
    const { wrapper } = mountApp(App)
    await waitFor(() => wrapper.find('[data-testid="outside-bitrix"]').exists())
    // FAILED, not TIMEOUT: it did not wait for a portal that cannot answer.
    expect(useSessionStore().error?.code).toBe(FRAME_INIT_FAILED)
    expect(FRAME_INIT_TIMEOUT_MS).toBeGreaterThanOrEqual(5000)
    wrapper.unmount()
  })

  it('treats a broken handshake (postMessage refused) as outside Bitrix24', async () => {
    window.name = 'portal.invalid|1|app-sid-123'
    const realParent = window.parent
    Object.defineProperty(window, 'parent', { configurable: true, value: { postMessage: () => { throw new Error('refused') } } })
    const { wrapper } = mountApp(App)
    await waitFor(() => wrapper.find('[data-testid="outside-bitrix"]').exists())
    expect(useSessionStore().error?.code).toBe(FRAME_INIT_FAILED)
    Object.defineProperty(window, 'parent', { configurable: true, value: realParent })
    wrapper.unmount()
  })

  it('gives up waiting for getInitData (after the 5 s a slow phone may need) and shows the "open from Bitrix24" screen', async () => {
    // Framed by a parent that takes the message and never answers it.
    window.name = `${window.location.host}|0|app-sid-123`
    const realParent = window.parent
    Object.defineProperty(window, 'parent', { configurable: true, value: { postMessage: () => undefined } })
    const { wrapper } = mountApp(App)
    expect(wrapper.find('[data-testid="app-loading"]').exists()).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 3000))
    // Still waiting at 3 s: a slow portal gets its chance.
    expect(wrapper.find('[data-testid="outside-bitrix"]').exists()).toBe(false)
    await waitFor(() => wrapper.find('[data-testid="outside-bitrix"]').exists(), 8000)
    Object.defineProperty(window, 'parent', { configurable: true, value: realParent })
    const session = useSessionStore()
    expect(session.error?.kind).toBe('outsideBitrix')
    expect(session.error?.code).toBe(FRAME_INIT_TIMEOUT)
    wrapper.unmount()
  })
})
