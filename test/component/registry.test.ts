import { afterEach, describe, expect, it } from 'vitest'
import ContractTabView from '../../src/placements/ContractTabView.vue'
import InstallView from '../../src/placements/InstallView.vue'
import UnknownPlacementView from '../../src/placements/UnknownPlacementView.vue'
import WorkspaceView from '../../src/placements/WorkspaceView.vue'
import { placementItemId, resolvePlacement } from '../../src/placements/registry.ts'
import { PLACEMENTS } from '../../src/domain/schema.ts'
import { mountApp } from './setup.ts'

const notInstalling = { installMode: false, firstRun: false }

describe('placement registry', () => {
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('sends the contract card tab to ContractTabView with the entity type and item id', async () => {
    const entry = resolvePlacement({ code: PLACEMENTS.detailTab(1032), options: { ID: '8061' } }, notInstalling)
    expect(entry.view).toBe('contractTab')
    expect(entry.props).toEqual({ entityTypeId: 1032, itemId: 8061 })
    expect((await entry.load()).default).toBe(ContractTabView)
  })

  it('passes a null item id when the tab has no ID option', () => {
    const entry = resolvePlacement({ code: PLACEMENTS.detailTab(1032), options: {} }, notInstalling)
    expect(entry.props).toEqual({ entityTypeId: 1032, itemId: null })
  })

  it('sends the left menu to WorkspaceView', async () => {
    const entry = resolvePlacement({ code: PLACEMENTS.leftMenu, options: {} }, notInstalling)
    expect(entry.view).toBe('workspace')
    expect((await entry.load()).default).toBe(WorkspaceView)
  })

  it('shows the install screen for DEFAULT while Bitrix24 is installing the app', async () => {
    for (const install of [{ installMode: true, firstRun: false }, { installMode: false, firstRun: true }]) {
      const entry = resolvePlacement({ code: PLACEMENTS.default, options: {} }, install)
      expect(entry.view).toBe('install')
      expect((await entry.load()).default).toBe(InstallView)
    }
  })

  it('shows the workspace for DEFAULT once installed', () => {
    expect(resolvePlacement({ code: PLACEMENTS.default, options: {} }, notInstalling).view).toBe('workspace')
  })

  it('names an unknown placement instead of guessing a view', async () => {
    for (const code of ['CRM_DEAL_DETAIL_TAB', 'CRM_DYNAMIC_X_DETAIL_TAB', 'TASK_VIEW_TAB']) {
      const entry = resolvePlacement({ code, options: {} }, notInstalling)
      expect(entry.view).toBe('unknown')
      expect(entry.props).toEqual({ code })
      expect((await entry.load()).default).toBe(UnknownPlacementView)
    }
  })

  it('renders the unknown placement message with the code as text', () => {
    const code = '<img src=x onerror=alert(1)>'
    const { wrapper } = mountApp(UnknownPlacementView, { props: { code } })
    const root = wrapper.get('[data-testid="unknown-placement"]')
    expect(root.text()).toContain('Это место встраивания не поддерживается')
    expect(root.text()).toContain(code)
    expect(root.find('img').exists()).toBe(false)
    wrapper.unmount()
  })

  it.each([
    [{ ID: '8061' }, 8061],
    [{ ID: 12 }, 12],
    [{ id: '5' }, 5],
    [{ ID: '' }, null],
    [{ ID: '0' }, null],
    [{ ID: 'abc' }, null],
    [{}, null],
  ])('reads the item id from %j as %s', (options, expected) => {
    expect(placementItemId(options)).toBe(expected)
  })
})
