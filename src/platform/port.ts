/**
 * What the app needs from Bitrix24, in the app's own terms. Stores and views depend on this
 * interface only; `sdk-port.ts` implements it on the official SDK, so no SDK type leaks past
 * src/platform/ and a store can be exercised against any implementation (frame, OAuth in Node).
 */
import type { AppError } from './errors.ts'

/** REST parameters as Bitrix24 takes them (JSON body). */
export type RestParams = Record<string, unknown>

export interface ListOptions {
  /** The key rows are grouped under in `result` (`items`, `types`, `fields`…). */
  resultKey?: string
  /** At most this many pages of 50 (default 200). */
  maxPages?: number
}

/**
 * A reference to an earlier command's result inside the same batch (Bitrix24 writes it
 * `$result[key][path]…`). The only way to put one in a batch: the port refuses to send a plain
 * string that contains `$result` inside a batch, because Bitrix24 substitutes such text in every
 * parameter value — free text too — so a user's comment would be altered (batch.md).
 */
export class BatchRef {
  readonly text: string
  constructor(key: string, path: readonly (string | number)[]) {
    this.text = `$result[${key}]` + path.map((p) => `[${p}]`).join('')
  }
}

/** `batchRef('item', 'item', 'companyId')` → `$result[item][item][companyId]`. */
export const batchRef = (key: string, ...path: (string | number)[]): BatchRef => new BatchRef(key, path)

/** One command of a batch: the method and its parameters. */
export interface BatchCommand {
  method: string
  params?: RestParams
}

/**
 * The outcome of a batch: each command either has a result or an error — the batch runs with
 * halt=0, so one failing command (e.g. access denied to the item) never hides the others.
 */
export interface BatchOutcome<K extends string = string> {
  results: Partial<Record<K, unknown>>
  errors: Partial<Record<K, AppError>>
  /**
   * Per command, how many rows the list method counted in all (Bitrix24's `result_total`).
   * Absent for a command that did not count: `start: -1` lists and methods that are not lists.
   */
  totals?: Partial<Record<K, number>>
  /** Per command, the `start` of the list's next page (`result_next`); absent on the last page. */
  next?: Partial<Record<K, number>>
}

/** A user as the app shows it. */
export interface PortalUserInfo {
  id: number
  name: string
  lastName: string
  /** "NAME LAST_NAME", trimmed; falls back to the e-mail or `#id` when both are empty. */
  fullName: string
  position: string
  photo: string | null
  departmentIds: number[]
  /** `PERSONAL_GENDER`: `M` → male, `F` → female; null when the profile says nothing. */
  gender?: 'male' | 'female' | null
}

/** A user picked in Bitrix24's own selection dialog. */
export interface PickedUser {
  id: number
  name: string
  position: string
  photo: string | null
}

/** A crm.item record: camelCase fields exactly as crm.item.* returns them. */
export type CrmItem = Record<string, unknown> & { id: number }

export interface ListItemsQuery {
  select?: string[]
  filter?: Record<string, unknown>
}

export interface PlacementInfo {
  /** `DEFAULT`, `LEFT_MENU`, `CRM_DYNAMIC_{n}_DETAIL_TAB`, … */
  code: string
  /** What the portal passed to the placement (the detail tab gets `{ ID: "8061" }`). */
  options: Record<string, unknown>
}

/** What the install handler is opened for (FIRST_RUN / INSTALL flags of the frame). */
export interface InstallState {
  /** The portal opened the app to install it: installFinish() is expected. */
  installMode: boolean
  firstRun: boolean
}

/** A contract changed (Push & Pull notice): its id and change counter, nothing else. */
export interface LiveNoticeInfo {
  readonly itemId: number
  readonly n: number
}

/** The app's Push & Pull feed (platform/pull.ts). */
export interface LiveFeed {
  /** Pull is delivering right now (connected to the queue server). */
  readonly online: boolean
  /** false once the portal said Pull cannot be used at all (no `pull` scope…). */
  readonly available: boolean
  /** Settles when the first connection attempt is over (either way). */
  readonly started: Promise<void>
  onNotice(fn: (notice: LiveNoticeInfo) => void): () => void
  onStatus(fn: (online: boolean) => void): () => void
  stop(): void
}

export interface BitrixPort {
  // --- REST ---------------------------------------------------------------------------------
  /** One REST call; resolves to `result`, rejects with an AppError. */
  call<T = unknown>(method: string, params?: RestParams): Promise<T>
  /** Up to 50 named commands in ONE HTTP request; per-command errors are returned, not thrown. */
  batch<K extends string>(commands: Record<K, BatchCommand>): Promise<BatchOutcome<K>>
  /**
   * Every page of a list method, bounded: at most `maxPages` pages, and a page that repeats the
   * previous one fails (LIST_NOT_ADVANCING) instead of looping. `resultKey` is the key rows are
   * grouped under (`items` for crm.item.list).
   */
  list<T = unknown>(method: string, params?: RestParams, opts?: ListOptions): Promise<T[]>

  // --- CRM items ----------------------------------------------------------------------------
  getItem(entityTypeId: number, id: number): Promise<CrmItem>
  listItems(entityTypeId: number, query?: ListItemsQuery): Promise<CrmItem[]>
  updateItem(entityTypeId: number, id: number, fields: Record<string, unknown>): Promise<CrmItem>

  // --- users --------------------------------------------------------------------------------
  currentUser(): Promise<PortalUserInfo>
  getUsers(ids: readonly number[]): Promise<PortalUserInfo[]>

  // --- options ------------------------------------------------------------------------------
  /** An app option (app.option.get); undefined when not set. */
  appOption<T = unknown>(key: string): Promise<T | undefined>
  /** Admin only (Bitrix24 refuses others with ACCESS_DENIED). */
  setAppOption(key: string, value: unknown): Promise<void>
  userOption<T = unknown>(key: string): Promise<T | undefined>
  setUserOption(key: string, value: unknown): Promise<void>

  // --- files --------------------------------------------------------------------------------
  /**
   * The bytes of a file field's value from its `urlMachine`, sent with the current user's token
   * (refreshed once if it expired), so views never handle tokens. Refuses a URL off the portal's
   * origin (AppError `validation`, code FOREIGN_FILE_URL) and a file over `maxBytes` (code
   * FILE_TOO_BIG; default 10 MB).
   */
  downloadFile(urlMachine: string, opts?: { maxBytes?: number }): Promise<ArrayBuffer>

  // --- frame context ------------------------------------------------------------------------
  readonly placement: PlacementInfo
  readonly isAdmin: boolean
  /** Portal interface language (`ru`, `en`, `de`…). */
  readonly lang: string
  readonly install: InstallState
  /** Portal origin, e.g. `https://example.bitrix24.ru`: absolute links for notifications. */
  readonly portalOrigin: string
  /**
   * The app's options as the frame delivered them with APP_OPTIONS at init (no request; a
   * snapshot of page load, so an option set since may differ). `null` when there is no frame
   * (a Node/OAuth port): the caller then has to ask the portal.
   */
  readonly initialAppOptions: Readonly<Record<string, unknown>> | null

  // --- parent window ------------------------------------------------------------------------
  /**
   * Sizes the iframe to the content: to `contentHeight` px when given (lets the frame shrink:
   * the document never measures shorter than the iframe it is in), else to the document height.
   */
  fitWindow(contentHeight?: number): Promise<void>
  resize(width: number, height: number): Promise<void>
  setTitle(title: string): Promise<void>
  /** Opens a portal path in Bitrix24's slider; resolves when the slider closes. */
  openPath(path: string): Promise<void>
  /** null when the user closes the dialog without choosing. */
  selectUser(): Promise<PickedUser | null>
  selectUsers(): Promise<PickedUser[]>
  /** Tells Bitrix24 installation is over (widgets stay hidden until then). */
  installFinish(): Promise<void>

  // --- Push & Pull --------------------------------------------------------------------------
  /**
   * The app's Push & Pull feed for this page, started on the first call (the SDK's pull client
   * is loaded then, in its own chunk) and shared by later calls. Absent on ports that cannot
   * receive Pull; the stores then rely on their fallback checks.
   */
  live?(userId: number): Promise<LiveFeed>
}
