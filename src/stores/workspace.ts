/**
 * The workspace's "My approvals" and "My contracts": both lists, the people and counterparties
 * they name, paging, the stage filter, and refreshes. The first load is one batch that also
 * gives the session its current user (the greeting), so the page costs ONE request. No toasts,
 * no texts: the views render `state` and `error.kind`.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { toAppError } from '../platform/errors.ts'
import type { PortalUserInfo } from '../platform/port.ts'
import type { ContractSpace } from '../services/approval/context.ts'
import { loadPage, loadWorkspace, resolveSpace, type ListKind, type PageData } from '../services/workspace/queries.ts'
import { byDeadline, type ContractRow } from '../services/workspace/rows.ts'
import { cardPath, type StageCode } from '../domain/schema.ts'
import { useSessionStore } from './session.ts'
import { appendPage, emptyPagedList, type PagedList } from './pagedList.ts'
import { useLoader } from './loader.ts'
import { useLiveLists } from './liveLists.ts'
import { useDeputiesStore } from './deputies.ts'

/** A list with the portal's count of it: the tabs show exact totals, not the rows loaded. */
export type ListState = PagedList<ContractRow> & { total: number | null }

const emptyList = (): ListState => ({ ...emptyPagedList<ContractRow>(), total: null })

/** The portal's count; the rows loaded only when the port could not count. */
const countOf = (list: ListState): number => list.total ?? list.rows.length

export const useWorkspaceStore = defineStore('workspace', () => {
  const session = useSessionStore()
  // A failed refresh keeps the lists already shown; only a failed first load is an error page.
  const { state, error, refreshing, run } = useLoader()
  const space = shallowRef<ContractSpace | null>(null)
  const inbox = ref<ListState>(emptyList())
  const mine = ref<ListState>(emptyList())
  const mineStage = ref<StageCode | null>(null)
  const returnedCount = ref(0)
  const people = ref<Record<number, PortalUserInfo>>({})
  const companies = ref<Record<number, string>>({})

  /** Inbox rows, what presses most first. */
  const inboxRows = computed(() => [...inbox.value.rows].sort(byDeadline))
  /** How many contracts wait on the user, all pages together ("137", not "50+"). */
  const inboxCount = computed(() => String(countOf(inbox.value)))
  /** How many contracts the user is responsible for (in the chosen stage). */
  const mineCount = computed(() => String(countOf(mine.value)))

  function absorb(data: PageData): void {
    for (const u of data.users) people.value[u.id] = u
    for (const [id, title] of data.companies) companies.value[id] = title
  }

  /** People a row names that no batch has read yet (a committee of more than three). */
  async function nameMissing(): Promise<void> {
    const ids = new Set<number>()
    for (const r of [...inbox.value.rows, ...mine.value.rows]) {
      for (const id of [r.authorId, ...r.approverIds]) if (id !== null && !people.value[id]) ids.add(id)
    }
    if (ids.size === 0) return
    try {
      for (const u of await session.requirePort().getUsers([...ids])) people.value[u.id] = u
    } catch {
      // Names are a courtesy: a row without one shows the id rather than failing the list.
    }
  }

  async function fetchAll(): Promise<void> {
    const port = session.requirePort()
    let where: ContractSpace
    try {
      where = space.value ?? (await resolveSpace(port))
    } catch (e) {
      // Not installed (or the option unreadable): the page still greets the user by name.
      await session.loadUser().catch(() => undefined)
      throw e
    }
    space.value = where
    // Who is away comes in the same batch (the deputy panel under the inbox): no request more.
    const deputies = useDeputiesStore()
    const data = await loadWorkspace(port, where, mineStage.value, deputies.batchCommands())
    if (data.extra) void deputies.absorb(data.extra)
    session.setUser(data.me)
    people.value[data.me.id] = data.me
    absorb(data.inbox)
    absorb(data.mine)
    inbox.value = { ...emptyList(), ...data.inbox.page }
    mine.value = { ...emptyList(), ...data.mine.page }
    returnedCount.value = data.returnedCount
    liveLists.markRead()
    void nameMissing()
  }

  /** First load; concurrent callers share it. `force` reloads what is shown (first pages). */
  function load(force = false): Promise<void> {
    return run(fetchAll, { force })
  }

  const refresh = () => load(true)

  // --- live: Push & Pull notices, or the fallback's cheap checks (stores/liveLists.ts) ---
  /** Whether the lists show the contract (a change there must show within 2 s). */
  const shows = (id: number): boolean => inbox.value.rows.some((r) => r.id === id) || mine.value.rows.some((r) => r.id === id)
  const liveLists = useLiveLists({
    shown: () => state.value === 'done',
    mayRefresh: () => state.value === 'done',
    busy: () => refreshing.value,
    shows,
    space: () => space.value,
    load: () => load(),
    refresh: () => refresh(),
  })
  const startLive = (): void => liveLists.start()
  const stopLive = (): void => liveLists.stop()


  function listOf(kind: ListKind) {
    return kind === 'inbox' ? inbox : mine
  }

  async function fetchPage(kind: ListKind, start: number): Promise<PageData | null> {
    const list = listOf(kind)
    const user = session.user
    if (!space.value || !user) return null
    list.value.loadingMore = true
    list.value.error = null
    try {
      const data = await loadPage(session.requirePort(), space.value, { kind, start, stage: kind === 'mine' ? mineStage.value : null }, user.id)
      absorb(data)
      return data
    } catch (e) {
      list.value.error = toAppError(e)
      return null
    } finally {
      list.value.loadingMore = false
    }
  }

  /** The next page of a list ("show more"). */
  async function loadMore(kind: ListKind): Promise<void> {
    const list = listOf(kind)
    if (list.value.next === null || list.value.loadingMore) return
    const data = await fetchPage(kind, list.value.next)
    if (!data) return
    list.value.rows = appendPage(list.value.rows, data.page.rows)
    list.value.next = data.page.next
    // The count as of this page: contracts may have come or gone since the first one.
    list.value.total = data.page.total
    void nameMissing()
  }

  /** Shows "My contracts" of one stage (null = all), from its first page. */
  async function setMineStage(stage: StageCode | null): Promise<void> {
    if (mineStage.value === stage) return
    mineStage.value = stage
    const data = await fetchPage('mine', 0)
    if (!data || mineStage.value !== stage) return
    mine.value.rows = data.page.rows
    mine.value.next = data.page.next
    mine.value.total = data.page.total
    void nameMissing()
  }

  /** Opens the contract's card in Bitrix24's slider; when it closes, the lists may have changed. */
  async function open(row: ContractRow): Promise<void> {
    if (!space.value) return
    await session.requirePort().openPath(cardPath(space.value.entityTypeId, row.id))
    await refresh()
  }

  return {
    state, error, space, inbox, mine, mineStage, returnedCount, people, companies, refreshing,
    inboxRows, inboxCount, mineCount, load, refresh, loadMore, setMineStage, open, startLive, stopLive,
  }
})
