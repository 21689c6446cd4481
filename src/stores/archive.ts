/**
 * The archivist's tab: contracts waiting for their paper originals, the archive browser with its
 * query, the receipt of originals (which files the contract), reminders, the CSV export. The
 * first load is one batch that also names the current user. No texts, no toasts: views render
 * states, refusal codes, error kinds.
 *
 * Who records a receipt: the archivists the administrator named in Settings (app option
 * `ca_archivists`; until anyone is named, administrators). Everyone else sees where the paper
 * is, without the action. The portal still refuses a user without write access to the contract.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { toAppError, type AppError } from '../platform/errors.ts'
import type { PortalUserInfo } from '../platform/port.ts'
import { act, type ReceiveIntent } from '../services/approval/actions.ts'
import type { ContractSpace } from '../services/approval/context.ts'
import { loadArchivePage, loadArchiveRows, loadArchiveStart, type ArchiveListKind, type ArchivePage, type ArchiveRow } from '../services/archive/queries.ts'
import { exportArchive, type ExportProgress, type ExportResult } from '../services/archive/export.ts'
import { readArchivists, remindAuthor } from '../services/archive/queue.ts'
import { loadCover, type CoverSheet } from '../services/archive/cover.ts'
import { resolveSpace } from '../services/workspace/queries.ts'
import type { RefusalCode } from '../domain/refusal.ts'
import { cardPath } from '../domain/schema.ts'
import { newEventId } from '../domain/eventId.ts'
import {
  ARCHIVISTS_OPTION, DEFAULT_QUERY, isNarrowed, mayRecordReceipt, NO_ARCHIVISTS, parseArchivists, parsePlaces, PLACES_OPTION, QUERY_OPTION,
  queryFromParams, receiptDateIssue, serializeArchivists, serializePlaces, withoutPlace, withPlace, type ArchiveQuery, type Archivists,
} from '../domain/archive.ts'
import { useSessionStore } from './session.ts'
import { appendPage, emptyPagedList, type PagedList } from './pagedList.ts'
import { useLoader } from './loader.ts'
import { useLiveStore } from './live.ts'
import { useLiveLists } from './liveLists.ts'

/** A list with the portal's count of it (the archive's: of the current search). */
export type ArchiveList = PagedList<ArchiveRow> & { total: number | null }

export interface Receipt {
  /** YYYY-MM-DD */
  readonly receivedAt: string
  readonly storageLocation: string
  readonly comment?: string
}

export type ReceiveRefusal = RefusalCode | 'notArchivist' | 'dateBeforeApproval' | 'dateFuture'

export type ReceiveOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly refusal: ReceiveRefusal | null; readonly error: AppError | null }

export type ExportOutcome =
  | { readonly ok: true; readonly result: ExportResult }
  | { readonly ok: false; readonly cancelled: boolean; readonly error: AppError | null }

const emptyList = (): ArchiveList => ({ ...emptyPagedList<ArchiveRow>(), total: null })

/** The day part of an ISO instant in the user's calendar. */
function localDay(iso: string | null): string | null {
  const t = iso ? Date.parse(iso) : NaN
  if (!Number.isFinite(t)) return null
  const d = new Date(t)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

export const useArchiveStore = defineStore('archive', () => {
  const session = useSessionStore()
  const live = useLiveStore()
  const { state, error, refreshing, run } = useLoader()
  const space = shallowRef<ContractSpace | null>(null)
  const waiting = ref<ArchiveList>(emptyList())
  const archive = ref<ArchiveList>(emptyList())
  const query = ref<ArchiveQuery>({ ...DEFAULT_QUERY })
  const years = ref<number[]>([])
  /** CRM rights hide every contract from the user (the portal shows none of any stage). */
  const noAccess = ref(false)
  const companies = ref<Record<number, string>>({})
  const people = ref<Record<number, PortalUserInfo>>({})
  const archivists = ref<Archivists>(NO_ARCHIVISTS)
  const places = ref<string[]>([])
  /** The contract whose receipt is being written. */
  const receiving = ref<number | null>(null)
  /** A search of the archive is on its way. */
  const searching = ref(false)
  const exporting = ref<ExportProgress | null>(null)
  const reminded = ref<Record<number, 'sending' | 'sent' | 'failed'>>({})
  const savingRoles = ref(false)
  const rolesError = shallowRef<AppError | null>(null)
  /** A retry of the same receipt after a failure reuses its event id: it is recorded at most once. */
  const pending = new Map<number, { key: string; eventId: string; at: string }>()
  let searchSeq = 0
  let exportAbort: AbortController | null = null

  const mayReceive = computed(() => mayRecordReceipt(session.isAdmin, session.user?.id ?? null, archivists.value))
  const narrowed = computed(() => isNarrowed(query.value))

  function absorb(page: ArchivePage): void {
    for (const [id, title] of page.companies) companies.value[id] = title
    for (const u of page.people) people.value[u.id] = u
  }

  async function where(): Promise<ContractSpace> {
    if (!space.value) space.value = await resolveSpace(session.requirePort())
    return space.value
  }

  /** The archivists as the frame brought them (no request); null when there is no frame. */
  function rolesFromFrame(): Archivists | null {
    const opts = session.port?.initialAppOptions
    return opts ? parseArchivists(opts[ARCHIVISTS_OPTION]) : null
  }

  /**
   * Knows the archivists without a request in a frame, or from app options already read (the
   * card's batch brings them); asks the portal elsewhere.
   */
  async function loadRoles(options?: Readonly<Record<string, unknown>>): Promise<Archivists> {
    archivists.value = (options ? parseArchivists(options[ARCHIVISTS_OPTION]) : null) ?? rolesFromFrame() ?? (await readArchivists(session.requirePort()))
    return archivists.value
  }

  async function saveRoles(userIds: number[]): Promise<boolean> {
    savingRoles.value = true
    rolesError.value = null
    try {
      const next = { userIds }
      await session.requirePort().setAppOption(ARCHIVISTS_OPTION, serializeArchivists(next))
      archivists.value = parseArchivists(serializeArchivists(next))
      return true
    } catch (e) {
      rolesError.value = toAppError(e)
      return false
    } finally {
      savingRoles.value = false
    }
  }

  /**
   * The query the page starts with: the page address's, else the one the user left last time
   * (a user option the frame brings without a request).
   */
  async function startingQuery(): Promise<ArchiveQuery> {
    if (typeof location !== 'undefined') {
      const params = new URLSearchParams(location.search)
      if ([...params.keys()].some((k) => k.startsWith('ca_'))) return queryFromParams((n) => params.get(n))
    }
    const port = session.requirePort()
    // Only inside Bitrix24's frame, where the frame brought the user's options (no request).
    const framed = typeof window !== 'undefined' && window.parent !== window
    if (!port.initialAppOptions || !framed) return { ...DEFAULT_QUERY }
    const saved = await port.userOption<string>(QUERY_OPTION).catch(() => undefined)
    if (typeof saved !== 'string' || !saved) return { ...DEFAULT_QUERY }
    const params = new URLSearchParams(saved)
    return queryFromParams((n) => params.get(n))
  }

  /** First load; concurrent callers share it. `force` reloads the first pages. */
  function load(force = false): Promise<void> {
    return run(async () => {
      const port = session.requirePort()
      const s = await where()
      if (state.value !== 'done' && !force) query.value = await startingQuery()
      const data = await loadArchiveStart(port, s, query.value)
      session.setUser(data.me)
      archivists.value = data.archivists ?? rolesFromFrame() ?? archivists.value
      absorb(data.waiting)
      absorb(data.archive)
      years.value = data.years
      // An administrator sees every contract: nothing seen means there are none yet.
      noAccess.value = !data.seesAny && !session.isAdmin
      waiting.value = { ...emptyList(), rows: data.waiting.rows, next: data.waiting.next, total: data.waiting.total }
      archive.value = { ...emptyList(), rows: data.archive.rows, next: data.archive.next, total: data.archive.total }
      liveLists.markRead()
    }, { force })
  }

  const refresh = () => load(true)

  // --- live: Push & Pull notices, or the fallback's cheap checks (stores/liveLists.ts) ---
  const shows = (id: number): boolean => waiting.value.rows.some((r) => r.id === id) || archive.value.rows.some((r) => r.id === id)
  const liveLists = useLiveLists({
    shown: () => state.value === 'done',
    mayRefresh: () => state.value === 'done' && receiving.value === null && exporting.value === null,
    busy: () => refreshing.value,
    shows,
    space: () => space.value,
    load: () => load(),
    refresh: () => refresh(),
  })
  const startLive = (): void => liveLists.start()
  const stopLive = (): void => liveLists.stop()

  const listOf = (kind: ArchiveListKind) => (kind === 'waiting' ? waiting : archive)

  /** The next page of a list ("show more"). */
  async function loadMore(kind: ArchiveListKind): Promise<void> {
    const list = listOf(kind)
    if (list.value.next === null || list.value.loadingMore || !space.value) return
    list.value.loadingMore = true
    list.value.error = null
    const seq = searchSeq
    try {
      const page = await loadArchivePage(session.requirePort(), space.value, kind, list.value.next, kind === 'archive' ? query.value : DEFAULT_QUERY)
      // A new search started meanwhile: this page belongs to the old one.
      if (kind === 'archive' && seq !== searchSeq) return
      absorb(page)
      list.value.rows = appendPage(list.value.rows, page.rows)
      list.value.next = page.next
      list.value.total = page.total
    } catch (e) {
      list.value.error = toAppError(e)
    } finally {
      list.value.loadingMore = false
    }
  }

  /** Searches the archive from its first page (one request); the latest search wins. */
  async function search(next: ArchiveQuery): Promise<void> {
    query.value = { ...next }
    if (!space.value) return
    const seq = ++searchSeq
    searching.value = true
    archive.value.error = null
    try {
      const page = await loadArchivePage(session.requirePort(), space.value, 'archive', 0, next)
      if (seq !== searchSeq) return
      absorb(page)
      archive.value = { ...emptyList(), rows: page.rows, next: page.next, total: page.total }
    } catch (e) {
      if (seq === searchSeq) archive.value.error = toAppError(e)
    } finally {
      if (seq === searchSeq) searching.value = false
    }
  }

  /** Remembers the query for the next visit (after the list is shown; best effort). */
  async function rememberQuery(params: string): Promise<void> {
    const port = session.port
    if (!port?.initialAppOptions || typeof window === 'undefined' || window.parent === window) return
    await port.setUserOption(QUERY_OPTION, params).catch(() => undefined)
  }

  /** The storage places the archivist keeps (a user option; free in a frame). */
  async function loadPlaces(): Promise<string[]> {
    const raw = await session.port?.userOption(PLACES_OPTION).catch(() => undefined)
    places.value = parsePlaces(raw)
    return places.value
  }

  async function savePlaces(next: string[]): Promise<void> {
    places.value = next
    await session.port?.setUserOption(PLACES_OPTION, serializePlaces(next)).catch(() => undefined)
  }

  const addPlace = (place: string) => savePlaces(withPlace(places.value, place))
  const removePlace = (place: string) => savePlaces(withoutPlace(places.value, place))

  /** The day a waiting contract was approved (it entered "awaiting originals"), if known. */
  function approvedOn(row: { readonly movedTime: string | null } | undefined): string | null {
    return localDay(row?.movedTime ?? null)
  }

  /**
   * Records the receipt of a contract's originals and files it, in one write. A second call for
   * the same contract while one runs is ignored (a double click). `approved`: the approval day
   * when the caller knows it better than the waiting list (the card).
   */
  async function receive(itemId: number, receipt: Receipt, approved: string | null = approvedOn(waiting.value.rows.find((r) => r.id === itemId)), today?: string): Promise<ReceiveOutcome> {
    if (receiving.value !== null) return { ok: false, refusal: null, error: null }
    if (!mayReceive.value) return { ok: false, refusal: 'notArchivist', error: null }
    const day = today ?? localDay(new Date().toISOString()) ?? ''
    const dateIssue = receiptDateIssue(receipt.receivedAt, day, approved)
    if (dateIssue === 'dateBeforeApproval' || dateIssue === 'dateFuture') return { ok: false, refusal: dateIssue, error: null }
    receiving.value = itemId
    try {
      const port = session.requirePort()
      const s = await where()
      const me = await session.loadUser()
      const key = JSON.stringify([receipt.receivedAt, receipt.storageLocation.trim(), receipt.comment?.trim() ?? ''])
      let p = pending.get(itemId)
      if (!p || p.key !== key) {
        p = { key, eventId: newEventId(), at: new Date().toISOString() }
        pending.set(itemId, p)
      }
      const intent: ReceiveIntent = {
        type: 'receiveOriginal', receivedAt: receipt.receivedAt, storageLocation: receipt.storageLocation.trim(),
        ...(receipt.comment?.trim() ? { comment: receipt.comment.trim() } : {}),
      }
      const res = await act(port, s, { itemId, actor: { id: me.id, name: me.fullName }, eventId: p.eventId, at: p.at, intent },
        { announce: port.live !== undefined && live.available })
      pending.delete(itemId)
      if (!res.ok) return { ok: false, refusal: res.reason, error: null }
      void addPlace(receipt.storageLocation)
      const moved = waiting.value.rows.find((r) => r.id === itemId)
      waiting.value.rows = waiting.value.rows.filter((r) => r.id !== itemId)
      if (moved && waiting.value.total !== null) waiting.value.total = Math.max(0, waiting.value.total - 1)
      if (moved && !archive.value.rows.some((r) => r.id === itemId)) {
        // The count of a search stays as the portal gave it: the filed contract may not match it.
        if (archive.value.total !== null && !narrowed.value) archive.value.total += 1
        const o = res.projection.originals
        archive.value.rows = [{
          ...moved, stageCode: res.projection.stageCode, originalsReceived: true, receivedAt: o?.receivedAt ?? receipt.receivedAt,
          storageLocation: o?.storageLocation ?? receipt.storageLocation.trim(), archivistId: me.id,
        }, ...archive.value.rows]
      }
      return { ok: true }
    } catch (e) {
      return { ok: false, refusal: null, error: toAppError(e) }
    } finally {
      receiving.value = null
    }
  }

  /** One click: the author is reminded to bring the paper original. */
  async function remind(row: ArchiveRow): Promise<boolean> {
    if (!row.authorId || reminded.value[row.id] === 'sending') return false
    reminded.value[row.id] = 'sending'
    try {
      const me = await session.loadUser()
      await remindAuthor(session.requirePort(), await where(), { id: row.id, title: row.title, number: row.number }, row.authorId, me.fullName)
      reminded.value[row.id] = 'sent'
      return true
    } catch {
      reminded.value[row.id] = 'failed'
      return false
    }
  }

  /** Every contract of the current query, with progress; `cancelExport` stops it between batches. */
  async function exportRows(): Promise<ExportOutcome> {
    if (exporting.value || !space.value) return { ok: false, cancelled: false, error: null }
    exportAbort = new AbortController()
    exporting.value = { done: 0, total: archive.value.total }
    try {
      const result = await exportArchive(session.requirePort(), space.value, query.value, {
        signal: exportAbort.signal,
        onProgress: (p) => { exporting.value = p },
      })
      return { ok: true, result }
    } catch (e) {
      const cancelled = exportAbort?.signal.aborted ?? false
      return { ok: false, cancelled, error: cancelled ? null : toAppError(e) }
    } finally {
      exporting.value = null
      exportAbort = null
    }
  }

  function cancelExport(): void {
    exportAbort?.abort()
  }

  const cover = shallowRef<CoverSheet | null>(null)
  const coverState = ref<'idle' | 'loading' | 'done' | 'error'>('idle')

  /** The cover sheet of one contract (one request: the item with its log). */
  async function showCover(itemId: number): Promise<void> {
    cover.value = null
    coverState.value = 'loading'
    try {
      cover.value = await loadCover(session.requirePort(), await where(), itemId)
      coverState.value = 'done'
    } catch {
      coverState.value = 'error'
    }
  }

  /** A waiting contract by id: the shown rows first, else the portal (a scan of a sheet from page 3). */
  async function findWaiting(itemId: number): Promise<ArchiveRow | 'notWaiting' | null> {
    const shown = waiting.value.rows.find((r) => r.id === itemId)
    if (shown) return shown
    const s = await where()
    const page = await loadArchiveRows(session.requirePort(), s, [itemId])
    absorb(page)
    const row = page.rows.find((r) => r.id === itemId)
    if (!row) return null
    return row.stageCode === 'ORIGINALS' ? row : 'notWaiting'
  }

  /** Opens the contract's card in Bitrix24's slider; when it closes, the lists may have changed. */
  async function open(row: { id: number }): Promise<void> {
    if (!space.value) return
    await session.requirePort().openPath(cardPath(space.value.entityTypeId, row.id))
    await refresh()
  }

  return {
    state, error, space, waiting, archive, query, years, noAccess, companies, people, archivists, places, receiving, searching, exporting, reminded,
    savingRoles, rolesError, mayReceive, narrowed,
    load, refresh, loadMore, search, rememberQuery, receive, remind, exportRows, cancelExport, open, approvedOn,
    cover, coverState, showCover, findWaiting,
    loadRoles, saveRoles, loadPlaces, addPlace, removePlace, startLive, stopLive,
  }
})
