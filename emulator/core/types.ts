/**
 * The emulated portal's data and services: the contract between the REST side
 * (emulator/rest/, emulator/core/) and the shell side (emulator/shell/).
 * Bitrix24 spells records in two styles and so do we: user/department/status records in
 * UPPER_CASE (as user.get / crm.status.list return them), crm.item/crm.type in camelCase.
 */

export interface PortalUser {
  ID: number
  ACTIVE: boolean
  NAME: string
  LAST_NAME: string
  SECOND_NAME: string
  EMAIL: string
  WORK_POSITION: string
  PERSONAL_PHOTO: string | null
  UF_DEPARTMENT: number[]
  /** Portal administrator (may call admin-only methods). */
  IS_ADMIN: boolean
  /**
   * CRM rights on items: 'all' | 'department' (own, plus items assigned to someone of the user's
   * departments) | 'own' (assigned or created by them) | 'none'.
   */
  crmRead: CrmRight
  crmWrite: CrmRight
  /** Secret of the user's inbound webhook: /rest/{ID}/{secret}/method. */
  webhookSecret: string
  LANG: 'ru' | 'en'
}

export type CrmRight = 'all' | 'department' | 'own' | 'none'

export interface Department {
  ID: number
  NAME: string
  SORT: number
  PARENT: number | null
  UF_HEAD: number | null
}

export interface StoredFile {
  id: number
  name: string
  /** base64 content */
  content: string
  size: number
  /** The item field holding the file: downloads check the reader's rights on that item. */
  owner?: { entityTypeId: number; itemId: number; field: string }
}

export interface Notification {
  id: number
  userId: number
  /** 'system' | 'personal' */
  kind: 'system' | 'personal'
  fromUserId: number | null
  message: string
  messageOut: string | null
  tag: string | null
  subTag: string | null
  date: string
  read: boolean
}

export interface PlacementBinding {
  placement: string
  handler: string
  title: string
  description: string
  options: Record<string, unknown>
  langAll: Record<string, { TITLE?: string; DESCRIPTION?: string; GROUP_NAME?: string }>
  userId: number
}

export interface AppState {
  /** The app's handler URL (where the shell opens the iframe), e.g. http://127.0.0.1:5173/ */
  handlerUrl: string
  /** Whether installFinish() has run (widgets are hidden until then). */
  installed: boolean
  clientId: string
  memberId: string
  options: Record<string, unknown>
  userOptions: Record<number, Record<string, unknown>>
  placements: PlacementBinding[]
}

/** Tokens issued to the app for a user (frame / OAuth). */
export interface IssuedAuth {
  accessToken: string
  refreshToken: string
  /** seconds from now */
  expiresIn: number
  userId: number
}

export interface AuthService {
  /** New access + refresh token for the user (what the shell puts in AUTH_ID / REFRESH_ID). */
  issue(userId: number): IssuedAuth
  /** Exchange a refresh token; null when unknown. */
  refresh(refreshToken: string): IssuedAuth | null
  /** Resolve an access token: the user, 'expired', or null (invalid). */
  resolve(accessToken: string): { userId: number } | 'expired' | null
  /** Make every token of the user (or all users) expire now (fault injection). */
  expireAll(userId?: number): void
}

export interface FaultState {
  latencyMs: number
  /** 0..1: share of REST calls answered 500 INTERNAL_SERVER_ERROR */
  errorRate: number
  /** while > now (ms epoch), every REST call gets 503 QUERY_LIMIT_EXCEEDED */
  limitStormUntil: number
  /** 0..1: share of REST calls whose connection is destroyed without a reply */
  dropRate: number
  /**
   * 0..1: share of REST calls that are carried out (and saved) but whose reply is lost: the
   * connection is destroyed after the method ran, as when a proxy or the network drops an answer.
   */
  lostReplyRate: number
  /** Methods that fail next time they are called: method → remaining count (for installer tests). */
  failMethods: Record<string, number>
}

export interface RateLimitConfig {
  enabled: boolean
  drainPerSec: number
  burst: number
  /** Tariff profile the numbers came from (`limits.md`): standard 2/s·50, enterprise 5/s·250. */
  profile?: 'standard' | 'enterprise' | 'custom'
}

/**
 * The portal pages' own Push & Pull connection (the shell's bell): the user's personal channel
 * where the `im` module announces notifications. server.ts wires it from emulator/pull/.
 */
export interface PortalPullLink {
  /** Where and what to long-poll; `mid`: the last message id before this answer. */
  config(userId: number): { channelId: string; end: string; url: string; mid: number }
  /** Announces that the user read notifications (other open pages update their count). */
  notifyRead(userId: number): void
}

/**
 * What the shell side (emulator/shell/) may rely on. The REST side builds it in
 * emulator/core/context.ts and may add members; it must not remove or rename these.
 */
export interface EmulatorContext {
  /** `http://127.0.0.1:8080` — portal origin: shell page and /rest/ share it. */
  origin: string
  /** `127.0.0.1:8080` — what goes into DOMAIN and window.name. */
  domain: string
  db: {
    users: PortalUser[]
    departments: Department[]
    notifications: Notification[]
    app: AppState
  }
  auth: AuthService
  faults: FaultState
  rateLimit: RateLimitConfig
  /** true in dev/test: /_emulator/control exists. */
  devMode: boolean
  /** Schedule persisting the data file (no-op when in-memory). */
  save(): void
  /**
   * Run a REST method in-process as a user, with that user's rights, bypassing HTTP, rate
   * limit and faults; resolves to the method's `result` (and `total`/`next` when a list),
   * rejects with { error, error_description, status }.
   */
  callAs(userId: number, method: string, params?: Record<string, unknown>): Promise<{ result: unknown; total?: number; next?: number }>
  /** Push & Pull for the portal's own pages; absent in a context without a queue server. */
  portalPull?: PortalPullLink
}
