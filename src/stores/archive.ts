/**
 * The archivist's tab: contracts waiting for their paper originals, the archive with its search,
 * and the receipt of originals (which files the contract). The first load is one batch that also
 * names the current user. No texts, no toasts: views render states, refusal codes, error kinds.
 *
 * Who may record a receipt: anyone Bitrix24 lets write the contract. The action is offered to
 * everyone who can see the contract; the portal refuses a user without write access, and the
 * view says so. The receipt is recorded with its actor (the log and the "archivist" field).
 */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { toAppError, type AppError } from '../platform/errors.ts'
import { act, type ReceiveIntent } from '../services/approval/actions.ts'
import type { ContractSpace } from '../services/approval/context.ts'
import { loadArchivePage, loadArchiveStart, NO_FILTER, type ArchiveFilter, type ArchiveListKind, type ArchivePage, type ArchiveRow } from '../services/archive/queries.ts'
import { resolveSpace } from '../services/workspace/queries.ts'
import type { RefusalCode } from '../domain/refusal.ts'
import { cardPath } from '../domain/schema.ts'
import { newEventId } from '../domain/eventId.ts'
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

export type ReceiveOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly refusal: RefusalCode | null; readonly error: AppError | null }

const emptyList = (): ArchiveList => ({ ...emptyPagedList<ArchiveRow>(), total: null })

const isFiltered = (f: ArchiveFilter): boolean => f.text.trim() !== '' || f.year !== null || f.contractType.trim() !== ''

export const useArchiveStore = defineStore('archive', () => {
  const session = useSessionStore()
  const live = useLiveStore()
  const { state, error, refreshing, run } = useLoader()
  const space = shallowRef<ContractSpace | null>(null)
  const waiting = ref<ArchiveList>(emptyList())
  const archive = ref<ArchiveList>(emptyList())
  const filter = ref<ArchiveFilter>({ ...NO_FILTER })
  const companies = ref<Record<number, string>>({})
  /** The contract whose receipt is being written. */
  const receiving = ref<number | null>(null)
  /** A search of the archive is on its way. */
  const searching = ref(false)
  /** A retry of the same receipt after a failure reuses its event id: it is recorded at most once. */
  const pending = new Map<number, { key: string; eventId: string; at: string }>()
  let searchSeq = 0

  function absorb(page: ArchivePage): void {
    for (const [id, title] of page.companies) companies.value[id] = title
  }

  async function where(): Promise<ContractSpace> {
    if (!space.value) space.value = await resolveSpace(session.requirePort())
    return space.value
  }

  /** First load; concurrent callers share it. `force` reloads the first pages. */
  function load(force = false): Promise<void> {
    return run(async () => {
      const port = session.requirePort()
      const s = await where()
      const filtered = isFiltered(filter.value)
      const data = await loadArchiveStart(port, s)
      session.setUser(data.me)
      absorb(data.waiting)
      absorb(data.archive)
      waiting.value = { ...emptyList(), rows: data.waiting.rows, next: data.waiting.next, total: data.waiting.total }
      // A refresh keeps the archivist's search: its page is read again with the filter.
      const arch = filtered ? await loadArchivePage(port, s, 'archive', 0, filter.value) : data.archive
      if (filtered) absorb(arch)
      archive.value = { ...emptyList(), rows: arch.rows, next: arch.next, total: arch.total }
      liveLists.markRead()
    }, { force })
  }

  const refresh = () => load(true)

  // --- live: Push & Pull notices, or the fallback's cheap checks (stores/liveLists.ts) ---
  const shows = (id: number): boolean => waiting.value.rows.some((r) => r.id === id) || archive.value.rows.some((r) => r.id === id)
  const liveLists = useLiveLists({
    shown: () => state.value === 'done',
    mayRefresh: () => state.value === 'done' && receiving.value === null,
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
      const page = await loadArchivePage(session.requirePort(), space.value, kind, list.value.next, kind === 'archive' ? filter.value : NO_FILTER)
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

  /** Searches the archive from its first page; the latest search wins over slower earlier ones. */
  async function search(next: ArchiveFilter): Promise<void> {
    filter.value = { ...next }
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

  /**
   * Records the receipt of a contract's originals and files it, in one write. A second call for
   * the same contract while one runs is ignored (a double click).
   */
  async function receive(itemId: number, receipt: Receipt): Promise<ReceiveOutcome> {
    if (receiving.value !== null) return { ok: false, refusal: null, error: null }
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
      const moved = waiting.value.rows.find((r) => r.id === itemId)
      waiting.value.rows = waiting.value.rows.filter((r) => r.id !== itemId)
      if (moved && waiting.value.total !== null) waiting.value.total = Math.max(0, waiting.value.total - 1)
      if (moved && !archive.value.rows.some((r) => r.id === itemId)) {
        // The count of a search stays as the portal gave it: the filed contract may not match it.
        if (archive.value.total !== null && !isFiltered(filter.value)) archive.value.total += 1
        const o = res.projection.originals
        archive.value.rows = [{
          ...moved, stageCode: res.projection.stageCode, receivedAt: o?.receivedAt ?? receipt.receivedAt,
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

  /** Opens the contract's card in Bitrix24's slider; when it closes, the lists may have changed. */
  async function open(row: ArchiveRow): Promise<void> {
    if (!space.value) return
    await session.requirePort().openPath(cardPath(space.value.entityTypeId, row.id))
    await refresh()
  }

  return {
    state, error, space, waiting, archive, filter, companies, receiving, searching, load, refresh, loadMore, search, receive, open,
    startLive, stopLive,
  }
})
