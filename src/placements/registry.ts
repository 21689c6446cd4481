/**
 * Placement code → entry view. The SPA has no URL routes: Bitrix24 tells it where it is
 * (PLACEMENT), and each placement gets one lazily loaded view, so the card tab never downloads
 * the workspace and vice versa.
 */
import type { Component } from 'vue'
import { APP_LINK_CONTRACT, detailTabEntityTypeId, PLACEMENTS } from '../domain/schema.ts'
import type { InstallState, PlacementInfo } from '../platform/port.ts'

export type PlacementViewName = 'contractTab' | 'workspace' | 'phone' | 'install' | 'unknown'

export interface ResolvedPlacement {
  view: PlacementViewName
  /** Props for the view. */
  props: Record<string, unknown>
  load: () => Promise<{ default: Component }>
}

export const VIEW_LOADERS: Record<PlacementViewName, () => Promise<{ default: Component }>> = {
  contractTab: () => import('./ContractTabView.vue'),
  workspace: () => import('./WorkspaceView.vue'),
  phone: () => import('./PhoneView.vue'),
  install: () => import('./InstallView.vue'),
  unknown: () => import('./UnknownPlacementView.vue'),
}

/** The contract id of a detail tab: PLACEMENT_OPTIONS `{ "ID": "8061" }`; null when absent. */
export function placementItemId(options: Record<string, unknown>): number | null {
  const raw = options.ID ?? options.id
  const id = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number.parseInt(raw, 10) : Number.NaN
  return Number.isInteger(id) && id > 0 ? id : null
}

function entry(view: PlacementViewName, props: Record<string, unknown> = {}): ResolvedPlacement {
  return { view, props, load: VIEW_LOADERS[view] }
}

export function resolvePlacement(placement: PlacementInfo, install: InstallState): ResolvedPlacement {
  const code = placement.code
  const entityTypeId = detailTabEntityTypeId(code)
  if (entityTypeId !== undefined) {
    return entry('contractTab', { entityTypeId, itemId: placementItemId(placement.options) })
  }
  if (code === PLACEMENTS.leftMenu) return entry('workspace')
  // The mobile app's chat menu: PLACEMENT_OPTIONS `{ "dialogId": "chat1" }` (widgets/mobile-app.md).
  if (code === PLACEMENTS.mobileChat) return entry('phone', { dialogId: typeof placement.options.dialogId === 'string' ? placement.options.dialogId : null })
  // A link to the app (widgets/universal/app-url.md): `params[contract]` → that contract's approval
  // view, in the slider; the smart process is the installed one (the view reads it from the install
  // record). Any other link (no or a bad contract) → the workspace.
  if (code === PLACEMENTS.appLink) {
    const itemId = placementItemId({ ID: placement.options[APP_LINK_CONTRACT] })
    return itemId === null ? entry('workspace') : entry('contractTab', { entityTypeId: null, itemId })
  }
  if (code === PLACEMENTS.default || code === '') {
    return install.installMode || install.firstRun ? entry('install') : entry('workspace')
  }
  return entry('unknown', { code })
}
