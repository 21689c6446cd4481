import { afterEach, describe, expect, it } from 'vitest'
import App from '../../src/App.vue'
import { FRAME_INIT_FAILED, FRAME_INIT_TIMEOUT } from '../../src/platform/errors.ts'
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

  it('treats a broken handshake (postMessage refused) as outside Bitrix24', async () => {
    // happy-dom refuses postMessage to an origin other than its own (a browser drops it silently).
    window.name = 'portal.invalid|1|app-sid-123'
    const { wrapper } = mountApp(App)
    await waitFor(() => wrapper.find('[data-testid="outside-bitrix"]').exists())
    expect(useSessionStore().error?.code).toBe(FRAME_INIT_FAILED)
    wrapper.unmount()
  })

  it('gives up waiting for getInitData and shows the "open from Bitrix24" screen', async () => {
    // The frame's own origin: the message is delivered, but nobody answers it.
    window.name = `${window.location.host}|0|app-sid-123`
    const { wrapper } = mountApp(App)
    expect(wrapper.find('[data-testid="app-loading"]').exists()).toBe(true)
    await waitFor(() => wrapper.find('[data-testid="outside-bitrix"]').exists(), 5000)
    const session = useSessionStore()
    expect(session.error?.kind).toBe('outsideBitrix')
    expect(session.error?.code).toBe(FRAME_INIT_TIMEOUT)
    wrapper.unmount()
  })
})
