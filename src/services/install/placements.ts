/**
 * Step "placements": the contract card tab, the left-menu page, the mobile app's chat menu
 * (IMMOBILE_CONTEXT_MENU, the only placement the mobile app shows) and the app's own link
 * (REST_APP_URI: `/marketplace/view/{code}/` opens the app in a slider), bound to the app's handler.
 * Bitrix24 refuses a second bind of the same placement + handler, so existing bindings are read
 * first (`placement.get`) and only the missing ones are bound. REST_APP_URI takes one handler per
 * app (a second bind answers ERROR_PLACEMENT_MAX_COUNT, widgets/universal/app-url.md): one bound
 * to another address is unbound first.
 */
import { PLACEMENTS } from '../../domain/schema.ts'
import type { BitrixPort } from '../../platform/port.ts'
import type { StepState } from './types.ts'

interface Binding {
  placement: string
  handler: string
}

export interface PlacementSpec {
  placement: string
  title: { ru: string; en: string }
  /** placement.bind OPTIONS (the mobile menu: all chats, employees only; its handler checks rights itself). */
  options?: Record<string, string>
  /** One handler per app: another address bound before is replaced. */
  single?: boolean
  /**
   * The view the handler URL names (`?view=tab`): the app starts loading that view during the
   * frame's handshake (placements/boot.ts). Bitrix24 opens each placement's own HANDLER.
   */
  view?: string
}

/** The handler URL with the view hint in its query string. */
export function handlerWithView(handlerUrl: string, view: string | undefined): string {
  if (!view) return handlerUrl
  const url = new URL(handlerUrl)
  url.searchParams.set('view', view)
  return url.toString()
}

export function placementSpecs(entityTypeId: number): PlacementSpec[] {
  return [
    { placement: PLACEMENTS.detailTab(entityTypeId), title: { ru: 'Согласование', en: 'Approval' }, view: 'tab' },
    { placement: PLACEMENTS.leftMenu, title: { ru: 'Согласование договоров', en: 'Contract approval' } },
    {
      placement: PLACEMENTS.mobileChat,
      title: { ru: 'Согласование договоров', en: 'Contract approval' },
      options: { context: 'ALL', role: 'USER', extranet: 'N' },
    },
    // No OPTIONS and no USER_ID: the placement keeps neither (widgets/universal/app-url.md).
    { placement: PLACEMENTS.appLink, title: { ru: 'Согласование договоров', en: 'Contract approval' }, single: true },
  ]
}

/** Handlers compare without the query string and trailing slash: the portal may add either. */
function sameHandler(a: string, b: string): boolean {
  const norm = (u: string) => u.split('?')[0]?.replace(/\/+$/, '') ?? ''
  return norm(a) === norm(b)
}

export async function ensurePlacements(
  port: BitrixPort,
  entityTypeId: number,
  handlerUrl: string,
  lang: string,
  state: StepState,
): Promise<void> {
  const bound = (await port.call<Binding[]>('placement.get', {})) ?? []
  for (const spec of placementSpecs(entityTypeId)) {
    if (bound.some((b) => b.placement === spec.placement && sameHandler(b.handler, handlerUrl))) {
      state.found.push(spec.placement)
      continue
    }
    if (spec.single && bound.some((b) => b.placement === spec.placement)) {
      await port.call('placement.unbind', { PLACEMENT: spec.placement })
    }
    await port.call('placement.bind', {
      PLACEMENT: spec.placement,
      HANDLER: handlerWithView(handlerUrl, spec.view),
      TITLE: lang === 'ru' ? spec.title.ru : spec.title.en,
      LANG_ALL: { ru: { TITLE: spec.title.ru }, en: { TITLE: spec.title.en } },
      ...(spec.options ? { OPTIONS: spec.options } : {}),
    })
    state.created.push(spec.placement)
  }
}
