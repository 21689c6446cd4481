/**
 * BitrixPort on the official SDK. The REST client is injected: in the browser it is the
 * B24Frame from initializeB24Frame() (which also drives the parent window); in Node tests it can
 * be a B24OAuth pointed at the emulator, with `frame` absent and the frame context passed in.
 */
import { MessageCommands } from '@bitrix24/b24jssdk'
import type { AjaxResult, B24Frame, Result, TypeB24 } from '@bitrix24/b24jssdk'
import { AppError, toAppError } from './errors.ts'
import { mapItemEnvelope, mapPickedUser, mapUser } from './mappers.ts'
import { APP_OPTION_KEYS } from '../domain/schema.ts'
import { downloadWithAuth } from './download.ts'
import { MAX_DOCUMENT_BYTES } from '../domain/documents/errors.ts'
import { encodeBatchParams } from './batch-params.ts'
import type {
  BatchCommand,
  BatchOutcome,
  BitrixPort,
  CrmItem,
  InstallState,
  ListItemsQuery,
  LiveFeed,
  ListOptions,
  PlacementInfo,
  PortalUserInfo,
  RestParams,
} from './port.ts'

/** Bitrix24 runs at most 50 commands in one batch. */
export const BATCH_MAX = 50

/** Pages a `list` reads at the most (50 rows each): a safety cap, never reached by the app's lists. */
export const LIST_MAX_PAGES = 200

export interface SdkPortDeps {
  client: TypeB24
  /** The frame when running inside Bitrix24; parent-window features need it. */
  frame?: B24Frame
  /** Frame context for a client without a frame (Node tests); ignored when `frame` is given. */
  context?: {
    placement?: PlacementInfo
    isAdmin?: boolean
    lang?: string
    install?: InstallState
  }
}

function firstError(result: Result | AjaxResult): AppError {
  const [error] = [...result.getErrors()]
  return toAppError(error ?? new Error(result.getErrorMessages().join('; ') || 'REST call failed'))
}

export function createSdkPort(deps: SdkPortDeps): BitrixPort {
  const { client, frame } = deps
  const ctx = deps.context ?? {}
  // Options the app wrote in this page's life: the frame's APP_OPTIONS is a snapshot of page load.
  const appOptionCache = new Map<string, unknown>()
  const userOptionCache = new Map<string, unknown>()

  async function call<T>(method: string, params: RestParams = {}): Promise<T> {
    let response: AjaxResult
    try {
      response = await client.actions.v2.call.make({ method, params })
    } catch (error) {
      throw toAppError(error)
    }
    if (!response.isSuccess) throw firstError(response)
    return response.getData()?.result as T
  }

  async function batch<K extends string>(commands: Record<K, BatchCommand>): Promise<BatchOutcome<K>> {
    const keys = Object.keys(commands) as K[]
    if (keys.length === 0) return { results: {}, errors: {}, totals: {}, next: {} }
    if (keys.length > BATCH_MAX) {
      throw new AppError('validation', 'BATCH_TOO_LARGE', `A batch takes at most ${BATCH_MAX} commands, got ${keys.length}`)
    }
    const calls: Record<string, { method: string; params: RestParams }> = {}
    // Commands whose text holds `$result` would be altered by Bitrix24's substitution: they go
    // as direct calls after the batch, where nothing is substituted.
    const direct: K[] = []
    for (const key of keys) {
      const encoded = encodeBatchParams(commands[key].params ?? {})
      if (encoded.tainted && encoded.refs) {
        throw new AppError('validation', 'BATCH_REF_WITH_RESULT_TEXT', `Batch command "${key}" mixes references with text that contains $result`)
      }
      if (encoded.tainted) direct.push(key)
      else calls[key] = { method: commands[key].method, params: encoded.params }
    }
    if (Object.keys(calls).length === 0) return runDirect(commands, direct, { results: {}, errors: {}, totals: {}, next: {} })
    let response: Result
    try {
      // halt=0 and AjaxResults: every command reports on its own, so one denied item does not
      // turn the whole first render into an error.
      response = await client.actions.v2.batch.make({
        calls,
        options: { isHaltOnError: false, returnAjaxResult: true },
      }) as Result
    } catch (error) {
      throw toAppError(error)
    }
    const byKey = (response.getData() ?? {}) as Record<string, AjaxResult>
    const totals: Partial<Record<K, number>> = {}
    const next: Partial<Record<K, number>> = {}
    const outcome: BatchOutcome<K> = { results: {}, errors: {}, totals, next }
    for (const key of keys) {
      const one = byKey[key]
      if (direct.includes(key)) continue
      if (!one) {
        outcome.errors[key] = new AppError('unknown', 'BATCH_NO_ANSWER', `No answer for batch command "${key}"`)
      } else if (one.isSuccess) {
        const result = one.getData()?.result
        outcome.results[key] = result
        const paging = pagingOf(result, one.getTotal(), commands[key].params?.start)
        if (paging.total !== undefined) totals[key] = paging.total
        if (paging.next !== undefined) next[key] = paging.next
      } else {
        outcome.errors[key] = firstError(one)
      }
    }
    return runDirect(commands, direct, outcome)
  }

  async function runDirect<K extends string>(commands: Record<K, BatchCommand>, keys: readonly K[], outcome: BatchOutcome<K>): Promise<BatchOutcome<K>> {
    for (const key of keys) {
      try {
        outcome.results[key] = await call(commands[key].method, commands[key].params ?? {})
      } catch (error) {
        outcome.errors[key] = toAppError(error)
      }
    }
    return outcome
  }

  /**
   * Every page of a list method, by offset (`start` 0, 50, 100… as `next` says): it works for
   * any Bitrix24 list, including those that ignore `filter`/`order` (a cursor loop over
   * `department.get` never ends: `start=-1` there means "the first 50" again). Bounded twice: at
   * most `maxPages` pages, and a page that repeats the previous one, or a `next` that does not
   * move forward, ends the loop with LIST_NOT_ADVANCING instead of looping.
   */
  async function list<T>(method: string, params: RestParams = {}, opts: ListOptions = {}): Promise<T[]> {
    const maxPages = opts.maxPages ?? LIST_MAX_PAGES
    const rows: T[] = []
    let start = 0
    let previous = ''
    for (let page = 0; ; page++) {
      if (page >= maxPages) {
        throw new AppError('unknown', 'LIST_TOO_LONG', `${method}: more than ${maxPages} pages; narrow the filter`)
      }
      let response: AjaxResult
      try {
        response = await client.actions.v2.call.make({ method, params: { ...params, start } })
      } catch (error) {
        throw toAppError(error)
      }
      if (!response.isSuccess) throw firstError(response)
      const payload = (response.getData() ?? {}) as { result?: unknown }
      const raw = opts.resultKey && payload.result && typeof payload.result === 'object' && !Array.isArray(payload.result)
        ? (payload.result as Record<string, unknown>)[opts.resultKey]
        : payload.result
      const pageRows = Array.isArray(raw) ? (raw as T[]) : []
      const signature = JSON.stringify(pageRows)
      if (page > 0 && pageRows.length > 0 && signature === previous) {
        throw new AppError('unknown', 'LIST_NOT_ADVANCING', `${method}: page at start=${start} repeats the previous page`)
      }
      previous = signature
      rows.push(...pageRows)
      // Bitrix24's `next` is the offset after this page; the SDK says only whether there is one.
      if (!response.isMore() || pageRows.length === 0) return rows
      start += pageRows.length
    }
  }

  async function getItem(entityTypeId: number, id: number): Promise<CrmItem> {
    return mapItemEnvelope(await call('crm.item.get', { entityTypeId, id }))
  }

  async function listItems(entityTypeId: number, query: ListItemsQuery = {}): Promise<CrmItem[]> {
    // Offset paging needs a stable order: by id, which is also always selected.
    const params: RestParams = { entityTypeId, filter: query.filter ?? {}, order: { id: 'ASC' } }
    if (query.select) params.select = query.select.includes('id') ? query.select : ['id', ...query.select]
    const rows = await list<Record<string, unknown>>('crm.item.list', params, { resultKey: 'items' })
    return rows.map((row) => ({ ...row, id: Number(row.id) }))
  }

  async function updateItem(entityTypeId: number, id: number, fields: Record<string, unknown>): Promise<CrmItem> {
    return mapItemEnvelope(await call('crm.item.update', { entityTypeId, id, fields }))
  }

  async function currentUser(): Promise<PortalUserInfo> {
    return mapUser(await call('user.current'))
  }

  async function getUsers(ids: readonly number[]): Promise<PortalUserInfo[]> {
    const unique = [...new Set(ids)].filter((id) => Number.isInteger(id) && id > 0)
    const users: PortalUserInfo[] = []
    // One user.get per id inside batches: the ID filter of user.get takes one value.
    for (let i = 0; i < unique.length; i += BATCH_MAX) {
      const chunk = unique.slice(i, i + BATCH_MAX)
      const commands: Record<string, BatchCommand> = {}
      for (const id of chunk) commands[`u${id}`] = { method: 'user.get', params: { ID: id } }
      const outcome = await batch(commands)
      for (const id of chunk) {
        const rows = outcome.results[`u${id}`]
        if (Array.isArray(rows) && rows[0]) users.push(mapUser(rows[0]))
      }
    }
    return users
  }

  async function appOption<T>(key: string): Promise<T | undefined> {
    if (appOptionCache.has(key)) return appOptionCache.get(key) as T
    if (frame) {
      try {
        return frame.options.appGet(key) as T
      } catch {
        // appGet throws for a key the portal never stored.
        return undefined
      }
    }
    const value = await call<unknown>('app.option.get', { option: key })
    return (value === null || value === '' ? undefined : value) as T | undefined
  }

  async function setAppOption(key: string, value: unknown): Promise<void> {
    // REST rather than the frame's setAppOption message: the message is fire-and-forget and
    // would hide ACCESS_DENIED for a non-admin.
    await call('app.option.set', { options: { [key]: value } })
    appOptionCache.set(key, value)
  }

  async function userOption<T>(key: string): Promise<T | undefined> {
    if (userOptionCache.has(key)) return userOptionCache.get(key) as T
    if (frame) {
      try {
        return frame.options.userGet(key) as T
      } catch {
        return undefined
      }
    }
    const value = await call<unknown>('user.option.get', { option: key })
    return (value === null || value === '' ? undefined : value) as T | undefined
  }

  async function setUserOption(key: string, value: unknown): Promise<void> {
    await call('user.option.set', { options: { [key]: value } })
    userOptionCache.set(key, value)
  }

  function needFrame(what: string): B24Frame {
    if (!frame) throw new AppError('outsideBitrix', 'NO_FRAME', `${what} needs the Bitrix24 frame`)
    return frame
  }

  async function frameCall<T>(what: string, run: (f: B24Frame) => Promise<T>): Promise<T> {
    try {
      return await run(needFrame(what))
    } catch (error) {
      throw toAppError(error)
    }
  }

  async function downloadFile(urlMachine: string, opts: { maxBytes?: number } = {}): Promise<ArrayBuffer> {
    return downloadWithAuth(urlMachine, {
      origin: client.getTargetOrigin(),
      maxBytes: opts.maxBytes ?? MAX_DOCUMENT_BYTES,
      token: () => {
        const data = client.auth.getAuthData()
        return data ? data.access_token : null
      },
      refresh: async () => {
        try {
          return (await client.auth.refreshAuth()).access_token
        } catch (error) {
          throw toAppError(error)
        }
      },
    })
  }

  // One Push & Pull feed per page, its SDK code in its own chunk, loaded on first use.
  let liveFeed: Promise<LiveFeed> | null = null
  function live(userId: number): Promise<LiveFeed> {
    if (!liveFeed) liveFeed = import('./pull.ts').then((m) => m.startPull(client, userId))
    return liveFeed
  }

  const placement: PlacementInfo = frame
    ? { code: String(frame.placement.placement || 'DEFAULT'), options: normalizeOptions(frame.placement.options) }
    : (ctx.placement ?? { code: 'DEFAULT', options: {} })

  return {
    call,
    batch,
    list,
    getItem,
    listItems,
    updateItem,
    currentUser,
    getUsers,
    appOption,
    setAppOption,
    userOption,
    setUserOption,
    downloadFile,
    live,
    placement,
    isAdmin: frame ? frame.auth.isAdmin : (ctx.isAdmin ?? false),
    lang: frame ? String(frame.getLang()) : (ctx.lang ?? 'ru'),
    install: frame
      ? { installMode: frame.isInstallMode, firstRun: frame.isFirstRun }
      : (ctx.install ?? { installMode: false, firstRun: false }),
    portalOrigin: client.getTargetOrigin(),
    initialAppOptions: frame ? frameAppOptions(frame) : null,
    async fitWindow(contentHeight) {
      // Resizing is cosmetic: outside a frame there is nothing to fit.
      if (!frame) return
      if (contentHeight === undefined || !(contentHeight > 0)) {
        await frameCall('fitWindow', (f) => f.parent.fitWindow())
        return
      }
      // What parent.fitWindow() sends, with the content's height instead of the document's.
      const height = Math.ceil(contentHeight)
      await frameCall('fitWindow', (f) => f.parent.message.send(MessageCommands.resizeWindow, { width: '100%', height, isSafely: true }))
    },
    async resize(width, height) {
      if (frame) await frameCall('resize', (f) => f.parent.resizeWindow(width, height))
    },
    async setTitle(title) {
      if (frame) await frameCall('setTitle', (f) => f.parent.setTitle(title))
    },
    async openPath(path) {
      await frameCall('openPath', (f) => f.slider.openPath(f.slider.getUrl(path)))
    },
    async selectUser() {
      const picked = await frameCall('selectUser', (f) => f.dialog.selectUser())
      return picked ? mapPickedUser(picked) : null
    },
    async selectUsers() {
      const picked = await frameCall('selectUsers', (f) => f.dialog.selectUsers())
      return Array.isArray(picked) ? picked.map(mapPickedUser) : []
    },
    async installFinish() {
      await frameCall('installFinish', (f) => f.installFinish())
    },
  }
}

/**
 * The app's own options out of the frame's init data. The SDK keeps APP_OPTIONS private and only
 * answers per key (throwing for an unset one), so the snapshot holds the keys the app defines.
 */
function frameAppOptions(frame: B24Frame): Readonly<Record<string, unknown>> {
  const out: Record<string, unknown> = {}
  for (const key of Object.values(APP_OPTION_KEYS)) {
    try {
      out[key] = frame.options.appGet(key)
    } catch {
      // Not set on this portal (yet): absent from the snapshot.
    }
  }
  return Object.freeze(out)
}

/** The rows of a list method's result: an array, or the one array it is wrapped in (`items`). */
function rowsOf(result: unknown): unknown[] | null {
  if (Array.isArray(result)) return result
  if (typeof result !== 'object' || result === null) return null
  const values = Object.values(result)
  return values.length === 1 && Array.isArray(values[0]) ? values[0] : null
}

/**
 * A batch command's count and next offset. The SDK reads `result_total` into getTotal() but
 * turns a missing entry into 0, and its batch envelope makes `next` 0 for every command (so
 * isMore() is always true there). Hence: a zero total is believed only for a counted list
 * that came back empty, and `next` is what Bitrix24 computes from the count — the offset
 * after this page while rows remain.
 */
export function pagingOf(result: unknown, total: number, start: unknown): { total?: number; next?: number } {
  if (Number(start) === -1) return {}
  const rows = rowsOf(result)
  if (rows === null || !(total > 0 || rows.length === 0)) return {}
  const from = Number(start) > 0 ? Math.floor(Number(start)) : 0
  const after = from + rows.length
  return rows.length > 0 && after < total ? { total, next: after } : { total }
}

/** PLACEMENT_OPTIONS arrives as an object from the frame, but a JSON string from a POST. */
function normalizeOptions(raw: unknown): Record<string, unknown> {
  if (typeof raw === 'string') {
    try {
      const parsed: unknown = JSON.parse(raw)
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {}
    } catch {
      return {}
    }
  }
  return typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {}
}
