/**
 * Which of the domain's issues a part of the editor shows. Selection only: what counts as an
 * issue is decided by validateRoute / validateRouteSet in src/domain/route.ts.
 */
import type { RouteIssue } from '../../domain/route.ts'

/** Issues of the whole set (no default route, no routes at all). */
export function setIssues(issues: readonly RouteIssue[]): RouteIssue[] {
  return issues.filter((i) => i.routeId === undefined)
}

/** Issues of a route itself, not of one of its steps; an overlap shows on both routes. */
export function routeIssues(issues: readonly RouteIssue[], routeId: string): RouteIssue[] {
  return issues.filter((i) => (i.routeId === routeId && i.stepIndex === undefined) || i.otherRouteId === routeId)
}

/** Issues of every step and of the route: what makes a route "have errors" in the list. */
export function allRouteIssues(issues: readonly RouteIssue[], routeId: string): RouteIssue[] {
  return issues.filter((i) => i.routeId === routeId || i.otherRouteId === routeId)
}

export function stepIssues(issues: readonly RouteIssue[], routeId: string, stepIndex: number): RouteIssue[] {
  return issues.filter((i) => i.routeId === routeId && i.stepIndex === stepIndex)
}

export function errorsOnly(issues: readonly RouteIssue[]): RouteIssue[] {
  return issues.filter((i) => i.severity === 'error')
}
