import type { Department, Notification, PortalUser, AppState, StoredFile } from './types.ts'

/** CRM-side records the REST methods keep. Shapes follow what the methods return. */
export interface CrmType {
  id: number
  entityTypeId: number
  title: string
  code: string
  createdBy: number
  updatedBy: number
  createdTime: string
  updatedTime: string
  customSectionId: number | null
  flags: Record<string, 'Y' | 'N'>
  relations: { parent: RelationDef[]; child: RelationDef[] }
  linkedUserFields: Record<string, 'Y' | 'N'>
}

export interface RelationDef {
  entityTypeId: number
  isChildrenListEnabled: 'Y' | 'N'
  isPredefined: 'Y' | 'N'
}

export interface CrmCategory {
  id: number
  entityTypeId: number
  name: string
  sort: number
  isDefault: 'Y' | 'N'
}

export interface CrmStatus {
  ID: number
  ENTITY_ID: string
  STATUS_ID: string
  NAME: string
  NAME_INIT: string
  SORT: number
  SYSTEM: 'Y' | 'N'
  CATEGORY_ID: number | null
  COLOR: string
  SEMANTICS: 'S' | 'F' | null
}

/** An item as stored: camelCase system fields plus user fields under their camelCase names. */
export type CrmItem = Record<string, unknown> & { id: number; entityTypeId: number }

export interface UserFieldConfig {
  id: number
  entityId: string
  fieldName: string
  userTypeId: string
  xmlId: string | null
  sort: number
  multiple: 'Y' | 'N'
  mandatory: 'Y' | 'N'
  showFilter: 'Y' | 'N'
  showInList: 'Y' | 'N'
  editInList: 'Y' | 'N'
  isSearchable: 'Y' | 'N'
  settings: Record<string, unknown>
  editFormLabel: Record<string, string | null>
  listColumnLabel: Record<string, string | null>
  listFilterLabel: Record<string, string | null>
  errorMessage: Record<string, string | null>
  helpMessage: Record<string, string | null>
  enum: { id: number; value: string; def: 'Y' | 'N'; sort: number; xmlId: string }[]
}

export interface LogMessage {
  id: number
  entityTypeId: number
  entityId: number
  created: string
  authorId: number
  title: string
  text: string
  iconCode: string
  /** The app context that wrote it (`app:{clientId}` or `webhook:{userId}`): only it may delete. */
  creator?: string
}

export interface TimelineComment {
  ID: number
  ENTITY_ID: number
  ENTITY_TYPE: string
  CREATED: string
  COMMENT: string
  AUTHOR_ID: number
  FILES: number[]
}

export interface Activity {
  id: number
  ownerTypeId: number
  ownerId: number
  typeId: string
  providerId: string
  subject: string
  description: string
  deadline: string
  responsibleId: number
  authorId: number
  completed: 'Y' | 'N'
  created: string
  lastUpdated: string
  pingOffsets: number[]
  colorId: string | null
}

/** A detail-form section as crm.item.details.configuration.get returns it. */
export interface CardSection {
  name: string
  title: string
  type: 'section'
  elements: { name: string; optionFlags: string; options?: Record<string, unknown> }[]
}

export interface CardConfig {
  common: CardSection[] | null
  personal: Record<string, CardSection[]>
}

/**
 * An application data storage (`entity.*`, b24restdocs `api-reference/entity/`): an information
 * block of the app with its access codes and items. Stored under `PortalData.entities` by ENTITY.
 */
export interface AppEntity {
  id: number
  entity: string
  name: string
  /** `{access_code: 'R' | 'W' | 'X'}` (`U<id>`, `G<id>`, `AU`). */
  access: Record<string, 'R' | 'W' | 'X'>
  items: AppEntityItem[]
}

/** One storage item as entity.item.get returns it (values kept typed; strings on the way out). */
export interface AppEntityItem {
  id: number
  timestampX: string
  modifiedBy: number
  dateCreate: string
  createdBy: number
  active: 'Y' | 'N'
  dateActiveFrom: string
  dateActiveTo: string
  sort: number
  name: string
  code: string | null
  section: number | null
}

export interface PortalData {
  version: 1
  users: PortalUser[]
  departments: Department[]
  notifications: Notification[]
  app: AppState
  crm: {
    types: CrmType[]
    categories: CrmCategory[]
    statuses: CrmStatus[]
    /** entityTypeId → item id → item; object keys keep ids in ascending order. */
    items: Record<string, Record<string, CrmItem>>
    userFields: UserFieldConfig[]
    logMessages: LogMessage[]
    comments: TimelineComment[]
    activities: Activity[]
    /** Card layouts (crm.item.details.configuration.*), keyed `{entityTypeId}:{categoryKey}`. */
    cardConfigs?: Record<string, CardConfig>
  }
  files: Record<string, StoredFile>
  /** The app's data storages (`entity.*`) by ENTITY code; absent on data saved before them. */
  entities?: Record<string, AppEntity>
  /** Per-sequence last issued id. */
  seq: Record<string, number>
}

export function emptyData(handlerUrl: string): PortalData {
  return {
    version: 1,
    users: [],
    departments: [],
    notifications: [],
    app: {
      handlerUrl,
      // A fresh portal has the app added but not finished installing; the demo seed installs it.
      installed: false,
      clientId: 'local.ca0000000000001.00000001',
      memberId: 'emu0000000000000000000000000001',
      options: {},
      userOptions: {},
      placements: [],
    },
    crm: { types: [], categories: [], statuses: [], items: {}, userFields: [], logMessages: [], comments: [], activities: [] },
    files: {},
    seq: {},
  }
}

/**
 * The app now lives at `url` (the emulator started with another `--handler-url`, a test's or the
 * bench's own app host): the handler and every placement bound under the old address move with
 * it, query strings kept — as if its developer had re-registered the app and re-bound its
 * placements at the new address. Bindings to other addresses stay as they are.
 */
export function moveApp(app: PortalData['app'], url: string): void {
  const old = app.handlerUrl
  if (old === url) return
  for (const b of app.placements) {
    if (b.handler === old) b.handler = url
    else if (b.handler.startsWith(old) && /^[?#]/.test(b.handler.slice(old.length))) b.handler = url + b.handler.slice(old.length)
  }
  app.handlerUrl = url
}

/** Next id of a sequence, starting above `floor` (so ids look like a lived-in portal's). */
export function nextId(data: PortalData, seq: string, floor = 0, step = 1): number {
  const cur = Math.max(data.seq[seq] ?? floor, floor)
  const id = cur + step
  data.seq[seq] = id
  return id
}
