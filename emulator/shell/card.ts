import type { EmulatorContext, PortalUser } from '../core/types.ts'
import { cardLayout, funnelStages, getItem, isRestError, itemFields, listCompanies, serverTime, typeByEntityTypeId, type Row } from './crm.ts'
import { cardSections, portalOffset, renderField, toRest, type CardField, type Upload } from './fields.ts'
import { esc } from './layout.ts'
import { bindingTitle, boundPlacements, formatDate, messageBox, notFoundPage, page, userName, type FrameSpec, type PageCtx } from './pages.ts'
import { activeUsers, fullName, strings } from './session.ts'

/**
 * The item card, as Bitrix24 shows it: the item's fields as inputs (which ones: the card layout
 * everyone shares, or the default card), saved with crm.item.update / crm.item.add as the current
 * user, plus one tab per app placement bound to the card (the app's iframe). `id` 0 = a new item.
 */

const detailTab = (entityTypeId: number): string => `CRM_DYNAMIC_${entityTypeId}_DETAIL_TAB`

function restErrorPage(pc: PageCtx, e: unknown): Promise<string> {
  const t = strings(pc.lang)
  if (isRestError(e) && e.error === 'ACCESS_DENIED') {
    return page(pc, { title: t.accessDenied, active: 'contracts', body: messageBox('error', 'access-denied', t.accessDenied, t.accessDeniedText) })
  }
  if (isRestError(e) && e.error === 'NOT_FOUND') return notFoundPage(pc)
  const text = isRestError(e) ? `${e.error}: ${e.error_description ?? ''}` : String(e)
  return page(pc, { title: t.error, active: 'contracts', body: messageBox('error', 'error', t.error, text) })
}

export async function cardPage(pc: PageCtx, entityTypeId: number, id: number, openTab: string | null): Promise<string> {
  const t = strings(pc.lang)
  const isNew = id === 0
  // A new item starts as Bitrix24's form does: the current user responsible, the base currency.
  let item: Row = isNew ? { assignedById: pc.user.ID, currencyId: 'RUB' } : {}
  let fields: Record<string, Row>
  try {
    if (!isNew) item = await getItem(pc.ctx, pc.user.ID, entityTypeId, id)
    fields = await itemFields(pc.ctx, pc.user.ID, entityTypeId)
  } catch (e) {
    return restErrorPage(pc, e)
  }
  const type = await typeByEntityTypeId(pc.ctx, entityTypeId)
  const categoryId = item.categoryId === undefined ? undefined : Number(item.categoryId)
  // One funnel (categories off): its layout is the type's default one, asked for without extras.
  const funnels = type?.flags.isCategoriesEnabled === 'Y' || type?.flags.isCategoriesEnabled === true
  const layout = await cardLayout(pc.ctx, pc.user.ID, entityTypeId, funnels ? categoryId : undefined)
  const sections = cardSections(fields, layout, type, t)
  const needsCompanies = sections.some((s) => s.fields.some((f) => f.type === 'crm_company'))
  const data = {
    item,
    users: activeUsers(pc.ctx).map((u) => ({ id: u.ID, name: fullName(u) })),
    companies: needsCompanies ? await listCompanies(pc.ctx, pc.user.ID) : [],
    t,
  }

  const stages = categoryId === undefined ? [] : await funnelStages(pc.ctx, pc.user.ID, entityTypeId, categoryId)
  const stage = stages.find((s) => s.id === String(item.stageId ?? ''))
  const head = isNew
    ? ''
    : `<div class="card-head"><span class="stage" data-testid="card-stage" style="--stage:${esc(stage?.color ?? '#A8ADB4')}">${esc(stage?.name ?? String(item.stageId ?? ''))}</span>` +
      `<span class="card-meta">${esc(t.created)} ${esc(formatDate(item.createdTime))} · ${esc(t.createdBy)}: ${esc(userName(pc.ctx, item.createdBy))} · ${esc(t.updated)} ${esc(formatDate(item.updatedTime))}</span></div>`

  const tabs = isNew ? [] : boundPlacements(pc.ctx, detailTab(entityTypeId))
  const frames: FrameSpec[] = tabs.map(() => ({ placement: detailTab(entityTypeId), options: { ID: String(id) } }))
  const tabButtons = [
    `<button type="button" class="tab" data-tab="main" data-testid="main-tab">${esc(t.general)}</button>`,
    ...tabs.map((b, i) => `<button type="button" class="tab" data-tab="app-${i}" data-frame="${i}" data-testid="app-tab">${esc(bindingTitle(b, pc.lang))}</button>`),
  ].join('')
  const form = `<form class="card-form" data-testid="card-form" novalidate>
${sections.map((s) => `<fieldset class="section"><legend>${esc(s.title)}</legend>${s.fields.map((f) => renderField(f, data)).join('')}</fieldset>`).join('')}
<div class="card-error" data-testid="card-error" role="alert" hidden><h2></h2><p></p></div>
<div class="form-buttons"><button type="submit" class="btn primary" data-testid="card-save">${esc(t.save)}</button><a class="btn" href="${isNew ? `/crm/type/${entityTypeId}/list/` : ''}" data-testid="card-cancel">${esc(t.cancel)}</a></div>
</form>`
  const panels = [
    `<section class="tab-panel card" data-panel="main" data-testid="card-fields">${form}</section>`,
    ...tabs.map((_b, i) => `<section class="tab-panel card app-panel" data-panel="app-${i}" hidden><div class="app-host" data-frame-host="${i}"></div></section>`),
  ].join('')
  const title = isNew ? `${type?.title ?? ''}: ${t.newItem}` : String(item.title || `#${id}`)
  return page(pc, {
    title,
    active: 'contracts',
    body: `${head}<div class="tabs" role="tablist">${tabButtons}</div>${panels}`,
    page: { kind: 'card', frames, openTab: openTab ?? 'main', entityTypeId, itemId: id },
  })
}

export interface SaveResult {
  status: number
  body: Record<string, unknown>
}

function uploadsOf(v: unknown): Upload[] {
  if (!Array.isArray(v)) return []
  return v
    .filter((u): u is Row => typeof u === 'object' && u !== null)
    .map((u) => ({ name: String(u.name ?? 'file'), content: String(u.content ?? '') }))
}

/**
 * `POST /shell/api/crm/item/save` `{entityTypeId, id, values, uploads}`: the card's changed
 * fields, converted by their crm.item.fields type and written as the current user, so CRM
 * rights and validation errors come back as Bitrix24 gives them.
 */
export async function saveItem(ctx: EmulatorContext, user: PortalUser, body: Row): Promise<SaveResult> {
  const entityTypeId = Number(body.entityTypeId)
  const id = Number(body.id ?? 0)
  const values = (typeof body.values === 'object' && body.values !== null ? body.values : {}) as Row
  const uploads = (typeof body.uploads === 'object' && body.uploads !== null ? body.uploads : {}) as Row
  try {
    const described = await itemFields(ctx, user.ID, entityTypeId)
    const item = id > 0 ? await getItem(ctx, user.ID, entityTypeId, id) : {}
    // Datetimes are typed in the portal's local time; new items take its offset from server.time.
    const offset = portalOffset(id > 0 ? item : { updatedTime: await serverTime(ctx, user.ID) })
    const out: Row = {}
    for (const name of new Set([...Object.keys(values), ...Object.keys(uploads)])) {
      const d = described[name]
      if (!d || d.isReadOnly === true) continue
      const f: CardField = {
        name,
        title: String(d.title ?? name),
        type: String(d.type),
        multiple: d.isMultiple === true,
        readOnly: false,
        rows: 1,
        items: [],
      }
      Object.assign(out, toRest(f, values[name], item, uploadsOf(uploads[name]), offset))
    }
    const method = id > 0 ? 'crm.item.update' : 'crm.item.add'
    const { result } = await ctx.callAs(user.ID, method, id > 0 ? { entityTypeId, id, fields: out } : { entityTypeId, fields: out })
    const saved = ((result as { item?: Row })?.item ?? {}) as Row
    const savedId = Number(saved.id ?? id)
    return { status: 200, body: { id: savedId, url: `/crm/type/${entityTypeId}/details/${savedId}/` } }
  } catch (e) {
    if (isRestError(e)) return { status: e.status ?? 400, body: { error: e.error, error_description: e.error_description ?? '' } }
    return { status: 500, body: { error: 'INTERNAL_ERROR', error_description: e instanceof Error ? e.message : String(e) } }
  }
}
