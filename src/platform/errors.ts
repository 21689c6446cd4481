/**
 * The one place that turns what the SDK throws (SdkError / AjaxError, batch sub-errors, plain
 * Errors) into an AppError. Views show `kind` through the locales; `code` and `message` are for
 * logs and support, never shown as the only explanation.
 */
import { SdkError } from '@bitrix24/b24jssdk'

export type AppErrorKind =
  | 'auth'
  | 'access'
  | 'notFound'
  | 'validation'
  | 'rateLimit'
  | 'network'
  | 'outsideBitrix'
  | 'unknown'

export class AppError extends Error {
  readonly kind: AppErrorKind
  readonly code: string
  override readonly cause: unknown

  constructor(kind: AppErrorKind, code: string, message: string, cause?: unknown) {
    super(message)
    this.name = 'AppError'
    this.kind = kind
    this.code = code
    this.cause = cause
  }
}

/** Raised by the frame start when the page is not inside Bitrix24 or the parent never answers. */
export const FRAME_INIT_TIMEOUT = 'FRAME_INIT_TIMEOUT'
/** Raised by the frame start when the handshake with the parent window breaks. */
export const FRAME_INIT_FAILED = 'FRAME_INIT_FAILED'

// Codes as Bitrix24 REST and SDK 2.2.0 spell them (REST docs "Errors"; SDK limiters/manager).
const CODE_KINDS: Record<string, AppErrorKind> = {
  expired_token: 'auth',
  invalid_token: 'auth',
  NO_AUTH_FOUND: 'auth',
  INVALID_CREDENTIALS: 'auth',
  WRONG_AUTH_TYPE: 'auth',
  AUTHORIZE_ERROR: 'auth',
  JSSDK_FRAME_REFRESH_AUTH_TIMEOUT: 'auth',
  JSSDK_OAUTH_TOKEN_REFRESH_FAILED: 'auth',
  JSSDK_OAUTH_TOKEN_REFRESH_BAD_STATUS: 'auth',
  JSSDK_OAUTH_TOKEN_REFRESH_NO_DATA: 'auth',

  ACCESS_DENIED: 'access',
  user_access_error: 'access',
  insufficient_scope: 'access',
  allowed_only_intranet_user: 'access',
  BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION: 'access',

  NOT_FOUND: 'notFound',
  ERROR_NOT_FOUND: 'notFound',
  ERROR_ENTITY_NOT_FOUND: 'notFound',
  ERROR_METHOD_NOT_FOUND: 'notFound',
  BITRIX_REST_V3_EXCEPTION_ENTITYNOTFOUNDEXCEPTION: 'notFound',

  INVALID_ARG_VALUE: 'validation',
  INVALID_REQUEST: 'validation',
  ERROR_CORE: 'validation',
  ERROR_BATCH_LENGTH_EXCEEDED: 'validation',
  ERROR_BATCH_METHOD_NOT_ALLOWED: 'validation',
  JSSDK_INVALID_PARAMS: 'validation',
  JSSDK_BATCH_TOO_LARGE: 'validation',
  JSSDK_BATCH_EMPTY: 'validation',

  QUERY_LIMIT_EXCEEDED: 'rateLimit',
  OPERATION_TIME_LIMIT: 'rateLimit',
  OVERLOAD_LIMIT: 'rateLimit',

  NETWORK_ERROR: 'network',
  REQUEST_TIMEOUT: 'network',
  ERR_NETWORK: 'network',
  ECONNABORTED: 'network',
  ETIMEDOUT: 'network',
  ECONNREFUSED: 'network',
  ECONNRESET: 'network',

  JSSDK_CLIENT_SIDE_WARNING: 'outsideBitrix',
  JSSDK_FRAME_APP_SID_NOT_INIT: 'outsideBitrix',
  [FRAME_INIT_TIMEOUT]: 'outsideBitrix',
  [FRAME_INIT_FAILED]: 'outsideBitrix',
}

function kindOfStatus(status: number): AppErrorKind {
  if (status === 401) return 'auth'
  if (status === 403) return 'access'
  if (status === 404) return 'notFound'
  if (status === 429) return 'rateLimit'
  if (status === 503) return 'rateLimit'
  if (status === 0 || status === 408 || status === 502 || status === 504) return 'network'
  if (status === 400 || status === 422) return 'validation'
  return 'unknown'
}

/**
 * Kind of an error code + HTTP status. The code wins: Bitrix24 answers ACCESS_DENIED and
 * NOT_FOUND with HTTP 400, and errors inside a batch all arrive with the batch's HTTP 200.
 */
export function errorKind(code: string, status: number): AppErrorKind {
  const byCode = CODE_KINDS[code]
  if (byCode) return byCode
  if (code.startsWith('BITRIX_REST_V3_EXCEPTION_VALIDATION')) return 'validation'
  return kindOfStatus(status)
}

/** Maps anything thrown by the SDK (or by us) to an AppError; AppErrors pass through. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error
  if (error instanceof SdkError) {
    // "All attempts exhausted" wraps the last transport failure: its status still tells why.
    const code = error.code
    return new AppError(errorKind(code, error.status), code, error.message, error)
  }
  if (isErrorPayload(error)) {
    const status = typeof error.status === 'number' ? error.status : 200
    return new AppError(errorKind(error.error, status), error.error, error.error_description ?? error.error, error)
  }
  if (error instanceof Error) {
    const raw = (error as Error & { code?: unknown }).code
    const code = typeof raw === 'string' ? raw : 'UNKNOWN'
    return new AppError(errorKind(code, -1), code, error.message, error)
  }
  return new AppError('unknown', 'UNKNOWN', String(error), error)
}

/** A raw REST error body `{ error, error_description }` (with an optional HTTP status). */
function isErrorPayload(value: unknown): value is { error: string; error_description?: string; status?: number } {
  return typeof value === 'object' && value !== null && typeof (value as { error?: unknown }).error === 'string'
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError
}
