/**
 * Who sees the Analytics tab: every admin, and the people an admin names in Settings. The list
 * is an app option (APP_OPTION_KEYS.analyticsViewers), readable by all, written by admins only.
 */
import { decodeStoredJson } from '../json'

export interface AnalyticsViewers {
  readonly v: 1
  readonly userIds: readonly number[]
}

export const NO_VIEWERS: AnalyticsViewers = { v: 1, userIds: [] }

/** Reads the option (JSON string or decoded object); anything unreadable names nobody. */
export function parseViewers(raw: unknown): AnalyticsViewers {
  if (raw === undefined || raw === null || raw === '') return NO_VIEWERS
  const decoded = decodeStoredJson(raw)
  const data = decoded.ok ? (decoded.value as { userIds?: unknown }) : null
  if (!data || typeof data !== 'object' || !Array.isArray(data.userIds)) return NO_VIEWERS
  const ids = data.userIds.map(Number).filter((n) => Number.isInteger(n) && n > 0)
  return { v: 1, userIds: [...new Set(ids)] }
}

export function serializeViewers(viewers: AnalyticsViewers): string {
  return JSON.stringify({ v: 1, userIds: [...new Set(viewers.userIds)] })
}

export function canSeeAnalytics(isAdmin: boolean, userId: number | null, viewers: AnalyticsViewers): boolean {
  return isAdmin || (userId !== null && viewers.userIds.includes(userId))
}
