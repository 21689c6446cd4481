/**
 * The contract card tab: loads the card in one request, runs the user's decisions through the
 * approval writer, and keeps the tab live: it re-reads when a Push & Pull notice names its contract
 * with a newer change, and checks a cheap change signature only when Pull does not deliver
 * (stores/live.ts, the budget rules in domain/live.ts). Raises no toasts
 * and knows no i18n: refusals and errors are codes the view localizes.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { toAppError, type AppError } from '../platform/errors.ts'
import type { PickedUser, PortalUserInfo } from '../platform/port.ts'
import type { Intent } from '../services/approval/actions.ts'
import { changeSignature, loadCard, loadUsers, type CardData } from '../services/approval/card.ts'
import { takePrefetchedCard } from '../services/approval/prefetch.ts'
import type { ContractSpace } from '../services/approval/context.ts'
import type { DocDiff } from '../domain/docdiff.ts'
import { fileRefs, pickVersions, type FileRef } from '../domain/documents/versions.ts'
import { verifyLog } from '../domain/merge.ts'
import { dueForEscalation, INITIAL_PROJECTION, project, resubmissionPreview, unrecordedChanges, type Projection } from '../domain/projection.ts'
import { missingRequired, versionHash, type Version } from '../domain/reapproval.ts'
import { escalationRecipients, selectRoute } from '../domain/route.ts'
import { versionOf } from '../services/approval/record.ts'
import { EMPTY_ROUTE_SET, type RouteSet } from '../domain/route.ts'
import type { RefusalCode } from '../domain/refusal.ts'
import type { Actor } from '../domain/log.ts'
import { useSessionStore } from './session.ts'
import { useLoader, type LoadState } from './loader.ts'
import { abilitiesOf, authorIdOf, roleOf, NOTHING } from '../domain/abilities.ts'
import { delegationsOf, type Delegations } from '../domain/delegation.ts'
import { newEventId } from '../domain/eventId.ts'
import { missingUserIds, withLogActors } from './contractCard/people.ts'
import { trustOfCard, type CardTrust } from './contractCard/trust.ts'
import { useLiveStore } from './live.ts'
import { cardNeedsRead } from '../domain/live.ts'

/**
 * The write protocol (writer, side effects, notices, the history's restore) is not needed to show
 * the card: it loads after the first render (its effects check) or with the first action.
 */
const writes = () => import('../services/approval/actions.ts')

/**
 * Resolves once the browser has painted what is rendered now: the frame after the next one
 * (a timer where nothing paints; a hidden frame paints, and so goes on, when it is shown).
 */
function nextPaint(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0)))
    else setTimeout(resolve, 0)
  })
}

// The originals are recorded through the archive store (they carry a date and a place).
export type ActionType = Exclude<Intent['type'], 'receiveOriginal' | 'archive' | 'escalate'>

export const useContractCardStore = defineStore('contractCard', () => {
  const session = useSessionStore()
  const live = useLiveStore()
  const { state, error, run, busy: loading } = useLoader()
  const space = shallowRef<ContractSpace | null>(null)
  const routeSet = shallowRef<RouteSet>(EMPTY_ROUTE_SET)
  const card = shallowRef<CardData | null>(null)
  const users = shallowRef<ReadonlyMap<number, PortalUserInfo>>(new Map())
  const busy = ref<ActionType | null>(null)
  /** The domain said no to the last action. */
  const refusal = ref<RefusalCode | null>(null)
  /** The last action failed on the way (network, rights…); retrying reuses its event id. */
  const actionError = shallowRef<AppError | null>(null)
  /** The last action was stored but a concurrent decision made it take no effect. */
  const overtaken = ref<RefusalCode | null>(null)
  /** The user's last action was recorded and took effect: the tab confirms it. */
  const done = ref<ActionType | null>(null)
  let target: { entityTypeId: number; itemId: number } | null = null
  let pending: { key: string; eventId: string; at: string } | null = null
  let signature: string | null = null
  let liveOn = false
  let liveStops: (() => void)[] = []
  let noticeTimer: ReturnType<typeof setTimeout> | null = null
  let stale = false

  const record = computed(() => card.value?.record ?? null)
  const me = computed(() => card.value?.me ?? null)
  /** What Bitrix24 vouches for: confirmed events, published routes, missing history (issue 8). */
  const trust = computed<CardTrust>(() => trustOfCard(card.value))
  const projection = computed<Projection>(() => (record.value ? project(record.value.stored.log, trust.value.trust) : INITIAL_PROJECTION))
  const chain = computed(() => (record.value ? verifyLog(record.value.stored.log) : { ok: true as const }))
  /** The contract as stored now: what the header shows and an approval binds to. */
  const version = computed<Version | null>(() => (record.value && space.value ? versionOf(record.value, space.value) : null))
  /** Changes made in the card since the round's version, not recorded yet (reapproval.ts). */
  const pendingChanges = computed(() => unrecordedChanges(projection.value, version.value))
  /** While returned: the comparison the approvers will see once it is resubmitted. */
  const preview = computed(() => resubmissionPreview(projection.value, version.value))
  /** What the route a submission would take requires and the contract lacks (reapproval.ts). */
  const missing = computed(() => {
    const v = version.value
    const stage = projection.value.stageCode
    if (!v || (stage !== 'NEW' && stage !== 'RETURNED')) return []
    return missingRequired(selectRoute(routeSet.value, v.snapshot), v)
  })
  const abilities = computed(() => (chain.value.ok && !trust.value.overBudget
    ? abilitiesOf(projection.value, record.value, me.value?.id ?? null, pendingChanges.value.length > 0)
    : NOTHING))
  const isAdmin = computed(() => session.isAdmin)
  /** An administrator's restore of the history is running. */
  const restoring = ref<'rebuild' | 'accept' | null>(null)
  const restoreError = shallowRef<AppError | null>(null)
  const role = computed(() => roleOf(abilities.value))
  const authorId = computed(() => authorIdOf(projection.value, record.value))
  const delegations = computed<Delegations>(() => (record.value ? delegationsOf(record.value.stored.log.events, projection.value) : new Map()))

  // --- the document comparison: on demand, of the two versions this round is about ---

  /** The contract's document versions, from its documents field. */
  const documentFiles = computed<FileRef[]>(() => {
    const field = space.value?.fields.documents
    return record.value && field ? fileRefs(record.value.item[field]) : []
  })
  /** The versions a comparison shows; null when this round has nothing to compare. */
  const documentPair = computed(() => pickVersions(projection.value, documentFiles.value))
  const pairKey = computed(() => (documentPair.value ? `${documentPair.value.before.id}:${documentPair.value.after.id}` : ''))
  const comparison = useLoader()
  const compared = shallowRef<{ key: string; diff: DocDiff | null }>({ key: '', diff: null })
  /**
   * The comparison of the current pair: `idle` until asked, and again when a newer version arrives.
   * A failure is an AppError; a file that is no Word document has a DocumentError as its `cause`.
   */
  const documentComparison = computed<{ state: LoadState; diff: DocDiff | null; error: AppError | null }>(() => {
    if (!pairKey.value || compared.value.key !== pairKey.value) return { state: 'idle', diff: null, error: null }
    return { state: comparison.state.value, diff: compared.value.diff, error: comparison.error.value }
  })

  /** Downloads both versions and compares them; the same pair is compared once. */
  function compareDocuments(): Promise<void> {
    const pair = documentPair.value
    const key = pairKey.value
    const port = session.port
    if (!pair || !port) return Promise.resolve()
    if (compared.value.key !== key) compared.value = { key, diff: null }
    return comparison.run(async (current) => {
      // The DOCX reading and the diff load with the first comparison, not with the tab.
      const { compareVersions } = await import('../services/documents/compare.ts')
      const diff = await compareVersions(port, pair)
      if (current()) compared.value = { key, diff }
    }, { key })
  }

  function signatureOf(data: CardData | null): string | null {
    const item = data?.record?.item
    const f = space.value?.fields
    if (!item || !f) return null
    return JSON.stringify([item.updatedTime, item.stageId, item[f.approvers], item[f.round], item[f.deadline]])
  }

  function accept(data: CardData): void {
    card.value = data
    space.value = data.space
    routeSet.value = data.routeSet
    const merged = new Map(users.value)
    for (const [id, u] of data.users) merged.set(id, u)
    users.value = withLogActors(merged, data.record?.stored.log.events ?? [])
    session.setUser(data.me)
    signature = signatureOf(data)
  }

  async function afterRender(): Promise<void> {
    // Best effort, and nothing it loads (the write protocol's chunk) may hold up the first paint.
    await nextPaint()
    const port = session.port
    if (!port || !space.value || !record.value) return
    // Only people nobody has named yet (not read, never acted): e.g. a later step of a route
    // edited since the contract froze it. Both are best effort: the tab is complete without them.
    const missing = missingUserIds(projection.value, authorId.value, users.value)
    if (missing.length) {
      try {
        const more = await loadUsers(port, missing)
        const merged = new Map(users.value)
        for (const u of more) merged.set(u.id, u)
        users.value = merged
      } catch {
        // Names of people on later steps fall back to their ids.
      }
    }
    try {
      const { recoverEffects } = await writes()
      if (!record.value) return
      const recovered = await recoverEffects(port, space.value, record.value)
      if (recovered && card.value) card.value = { ...card.value, record: recovered.record }
    } catch {
      // A later load retries; nothing the user did depends on it.
    }
    await escalateIfOverdue()
  }

  /**
   * Deadlines that act with no server: the first participant's client that sees the current step
   * overdue records it once (domain: `escalated`, one per step and round even when two clients
   * write at once) and the step's escalation people are told: those the route names for the step
   * or for the route, else the approvers' heads (domain/route.ts escalationRecipients). Best
   * effort: a failure changes nothing shown.
   */
  async function escalateIfOverdue(): Promise<void> {
    const port = session.port
    const user = me.value
    const p = projection.value
    const now = new Date().toISOString()
    if (!port || !space.value || !user || !target || !chain.value.ok || !dueForEscalation(p, now)) return
    const participant = user.id === authorId.value || p.steps.some((s) => s.approverIds.includes(user.id))
    if (!participant) return
    try {
      const { act, departmentHeadsOf } = await writes()
      const step = p.currentStep as number
      const heads = new Map<number, readonly number[]>()
      // The heads are looked up only when the route names nobody outside the waiting approvers.
      if (escalationRecipients(p.route, step, p.currentApprovers, () => []).length === 0) {
        for (const id of p.currentApprovers) {
          const u = users.value.get(id)
          if (u) heads.set(id, await departmentHeadsOf(port, id, u.departmentIds))
        }
      }
      const notify = escalationRecipients(p.route, step, p.currentApprovers, (id) => heads.get(id) ?? [])
      if (notify.length === 0) return
      const res = await act(port, space.value, {
        itemId: target.itemId, actor: { id: user.id, name: user.fullName }, eventId: newEventId(), at: now,
        intent: { type: 'escalate', notify },
      }, { announce: port.live !== undefined && live.available })
      if (res.ok && card.value) card.value = { ...card.value, record: res.record }
      // Another participant's client recorded it first (its notice may have come before this
      // tab's Push & Pull connection): show the history as it is now.
      else if (!res.ok && res.reason === 'alreadyEscalated') await refresh()
    } catch {
      // Another participant's client records it, or this one on its next load.
    }
  }

  function fetchCard(): Promise<CardData> {
    const { entityTypeId, itemId } = target as { entityTypeId: number; itemId: number }
    const known = space.value ? { space: space.value, routeSet: routeSet.value } : null
    const port = session.requirePort()
    // The first load takes the batch the boot started at the handshake (services/approval/prefetch.ts).
    return (known ? null : takePrefetchedCard(port, entityTypeId, itemId)) ?? loadCard(port, entityTypeId, itemId, known)
  }

  /** Loads the card; again for the same contract, it refreshes what is shown. */
  function load(entityTypeId: number, itemId: number): Promise<void> {
    return run(async (current) => {
      target = { entityTypeId, itemId }
      const data = await fetchCard()
      if (!current()) return
      accept(data)
      void afterRender()
      // The pull client (its chunk, its config request) after the first paint too.
      if (liveOn) void nextPaint().then(() => live.connect())
    }, { key: itemId, force: true })
  }

  /** Re-reads the card without the loading state (someone else acted). */
  async function refresh(): Promise<void> {
    if (!target || loading()) return
    try {
      accept(await fetchCard())
    } catch {
      // The tab keeps what it shows; the next poll tries again.
    }
  }

  function intentOf(type: ActionType, comment: string | undefined, departmentHeadIds: readonly number[], to: Actor | undefined): Intent {
    const p = projection.value
    switch (type) {
      case 'approve':
        // Bound to what the card shows: the version read with it.
        return { type, round: p.round, step: p.currentStep ?? 0, comment, ...(version.value ? { seen: versionHash(p.route, version.value) } : {}) }
      case 'revise':
        return { type, comment }
      case 'return':
        return { type, round: p.round, step: p.currentStep ?? 0, comment: comment ?? '' }
      case 'delegate':
        return { type, to: to ?? { id: 0, name: '' }, round: p.round, step: p.currentStep ?? 0, comment }
      case 'submit':
      case 'resubmit':
        return { type, routeSet: routeSet.value, departmentHeadIds, comment }
      case 'withdraw':
        return { type, comment }
    }
  }

  /**
   * Runs one user action. A second call while one runs is ignored (a double click). `to`: whom
   * a delegation hands the seat to.
   */
  async function perform(type: ActionType, comment?: string, to?: Actor): Promise<boolean> {
    const port = session.port
    const user = me.value
    if (busy.value || !port || !space.value || !user || !target) return false
    busy.value = type
    refusal.value = null
    actionError.value = null
    overtaken.value = null
    done.value = null
    // The same action retried after a failure keeps its event id: it is recorded at most once.
    // A delegation to someone else is another action, not a retry of the failed one.
    const key = type === 'delegate' ? `delegate:${to?.id ?? 0}` : type
    if (!pending || pending.key !== key) pending = { key, eventId: newEventId(), at: new Date().toISOString() }
    try {
      const { act, departmentHeadsOf } = await writes()
      const needsHeads = (type === 'submit' || type === 'resubmit') &&
        routeSet.value.routes.some((r) => r.steps.some((s) => s.approvers.some((a) => a.kind === 'departmentHead')))
      const heads = needsHeads ? await departmentHeadsOf(port, user.id, user.departmentIds) : []
      const res = await act(port, space.value, {
        itemId: target.itemId, actor: { id: user.id, name: user.fullName }, eventId: pending.eventId, at: pending.at,
        intent: intentOf(type, comment, heads, to),
      }, { announce: port.live !== undefined && live.available })
      pending = null
      if (!res.ok) {
        // The refusal is shown with the state that explains it, not over the stale one.
        await refresh()
        refusal.value = res.reason
        return false
      }
      overtaken.value = res.ignored
      if (res.ignored === null) done.value = type
      if (card.value) card.value = { ...card.value, record: res.record }
      signature = null
      await refresh()
      return res.ignored === null
    } catch (e) {
      actionError.value = toAppError(e)
      return false
    } finally {
      busy.value = null
    }
  }

  /**
   * An administrator rebuilds the history from the confirmed timeline entries, or accepts it as
   * it stands with a reason (services/approval/restore.ts). True when it was written.
   */
  async function restore(mode: 'rebuild' | 'accept', reason: string): Promise<boolean> {
    const port = session.port
    const user = me.value
    if (restoring.value || !port || !space.value || !user || !target) return false
    restoring.value = mode
    restoreError.value = null
    try {
      const { restoreHistory } = await import('../services/approval/restore.ts')
      const written = await restoreHistory(port, space.value, {
        itemId: target.itemId, mode, at: new Date().toISOString(), actor: { id: user.id, name: user.fullName }, reason,
      })
      if (card.value) card.value = { ...card.value, record: written }
      await refresh()
      return true
    } catch (e) {
      restoreError.value = toAppError(e)
      return false
    } finally {
      restoring.value = null
    }
  }

  /** The portal's own user picker: whom to hand a seat to. Null: closed without a choice. */
  function pickColleague(): Promise<PickedUser | null> {
    return session.requirePort().selectUser()
  }

  /** The log's length: the change counter the notices carry. */
  const seenCount = (): number | null => record.value?.stored.log.events.length ?? null

  /** One check of the cheap change signature; re-reads when it moved. */
  async function check(): Promise<'changed' | 'same'> {
    const port = session.port
    if (!port || !space.value || !target || busy.value || loading()) return 'same'
    const now = await changeSignature(port, space.value, target.itemId)
    if (now !== null && now !== signature) {
      await refresh()
      signature = now
      return 'changed'
    }
    return 'same'
  }

  /** Looks for someone else's decision now (a view came back); nothing to do while Pull delivers. */
  async function poll(): Promise<void> {
    if (live.online) return
    try {
      await check()
    } catch {
      // Best effort; the fallback's next check tries again.
    }
  }

  /**
   * Keeps the tab live: Pull notices about this contract re-read it at once (spread by up to
   * `jitterMs` when many tabs got the same notice); when Pull does not deliver, the fallback
   * checks (stores/live.ts). The arguments of the old polling API are accepted and ignored.
   */
  function startLive(_hidden?: () => boolean, _intervalMs?: number, jitterMs = 300): void {
    stopLive()
    liveOn = true
    live.watchEnvironment()
    liveStops.push(live.onNotice((notice) => {
      if (!target || !cardNeedsRead(notice, target.itemId, seenCount())) return
      // A hidden tab re-reads once when it is back on screen, not on every notice.
      if (!live.isOnScreen()) {
        stale = true
        return
      }
      if (noticeTimer) return
      noticeTimer = setTimeout(() => {
        noticeTimer = null
        void refresh()
      }, Math.floor(Math.random() * jitterMs))
    }))
    liveStops.push(live.onReturn(() => {
      if (!stale || !live.online) return
      stale = false
      void refresh()
    }))
    liveStops.push(live.fallback(check))
    if (card.value) void live.connect()
  }

  function stopLive(): void {
    liveOn = false
    for (const stop of liveStops) stop()
    liveStops = []
    if (noticeTimer) clearTimeout(noticeTimer)
    noticeTimer = null
  }

  return {
    state, error, space, routeSet, card, users, busy, refusal, actionError, overtaken, done,
    record, me, projection, chain, abilities, version, pendingChanges, preview, missing, role, authorId, delegations, trust, isAdmin, restoring, restoreError, restore,
    documentFiles, documentPair, documentComparison,
    load, refresh, perform, pickColleague, poll, startLive, stopLive, compareDocuments,
  }
})
