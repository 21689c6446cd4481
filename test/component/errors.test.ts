import { describe, expect, it } from 'vitest'
import { AjaxError, AjaxResult, SdkError, initializeB24Frame } from '@bitrix24/b24jssdk'
import { AppError, errorKind, toAppError } from '../../src/platform/errors.ts'

// The SDK reports the same failure in several shapes (thrown AjaxError with an HTTP status,
// a batch sub-result whose status is the batch's 200, SdkError from the frame). Views rely on
// `kind` alone, so every shape must land on the right kind.
function ajax(code: string, status: number, description = 'from the portal'): AjaxError {
  return new AjaxError({ code, status, description, requestInfo: { method: 'crm.item.get', params: { id: 1 }, requestId: 'r1' } })
}

describe('toAppError', () => {
  it.each([
    ['expired_token', 401, 'auth'],
    ['invalid_token', 401, 'auth'],
    ['NO_AUTH_FOUND', 401, 'auth'],
    ['ACCESS_DENIED', 400, 'access'],
    ['insufficient_scope', 403, 'access'],
    ['NOT_FOUND', 400, 'notFound'],
    ['INVALID_ARG_VALUE', 400, 'validation'],
    ['QUERY_LIMIT_EXCEEDED', 503, 'rateLimit'],
    ['OPERATION_TIME_LIMIT', 429, 'rateLimit'],
    ['NETWORK_ERROR', 0, 'network'],
    ['REQUEST_TIMEOUT', 408, 'network'],
    ['INTERNAL_SERVER_ERROR', 500, 'unknown'],
  ] as const)('maps AjaxError %s (HTTP %i) to %s', (code, status, kind) => {
    const error = toAppError(ajax(code, status))
    expect(error).toBeInstanceOf(AppError)
    expect(error.kind).toBe(kind)
    expect(error.code).toBe(code)
    expect(error.cause).toBeInstanceOf(AjaxError)
  })

  it('keeps the portal description as the message', () => {
    expect(toAppError(ajax('ACCESS_DENIED', 400, 'Access denied.')).message).toBe('Access denied.')
  })

  it('maps an error built by AjaxError.fromResponse (the HTTP path)', () => {
    const error = toAppError(AjaxError.fromResponse({ status: 503, data: { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' } }))
    expect(error.kind).toBe('rateLimit')
  })

  it('falls back to the HTTP status for codes it does not know', () => {
    expect(toAppError(ajax('SOMETHING_NEW', 403)).kind).toBe('access')
    expect(toAppError(ajax('SOMETHING_NEW', 404)).kind).toBe('notFound')
    expect(toAppError(ajax('SOMETHING_NEW', 502)).kind).toBe('network')
    expect(toAppError(ajax('SOMETHING_NEW', 500)).kind).toBe('unknown')
  })

  it('maps a per-command batch error by its code although its status is the batch\'s 200', () => {
    // This is how BatchV2 hands back a failed command when halt=0.
    const result = new AjaxResult({
      answer: { error: 'ACCESS_DENIED', error_description: 'Access denied' } as never,
      query: { method: 'crm.item.get', params: { entityTypeId: 1032, id: 7 }, requestId: 'b1' },
      status: 200,
    })
    expect(result.isSuccess).toBe(false)
    const [first] = [...result.getErrors()]
    const error = toAppError(first)
    expect(error.kind).toBe('access')
    expect(error.code).toBe('ACCESS_DENIED')
  })

  it('maps the SDK refusing to start outside a frame to outsideBitrix', async () => {
    window.name = ''
    const thrown = await initializeB24Frame().then(() => null, (e: unknown) => e)
    expect(thrown).toBeInstanceOf(SdkError)
    const error = toAppError(thrown)
    expect(error.kind).toBe('outsideBitrix')
    expect(error.code).toBe('JSSDK_CLIENT_SIDE_WARNING')
  })

  it('passes an AppError through unchanged', () => {
    const original = new AppError('validation', 'LOG_TOO_BIG', 'too big')
    expect(toAppError(original)).toBe(original)
  })

  it('maps a raw REST error body and anything else', () => {
    expect(toAppError({ error: 'NOT_FOUND', error_description: 'Not found', status: 400 }).kind).toBe('notFound')
    expect(toAppError(new TypeError('boom')).kind).toBe('unknown')
    expect(toAppError('weird').kind).toBe('unknown')
  })

  it('lets the code win over the status', () => {
    expect(errorKind('ACCESS_DENIED', 200)).toBe('access')
    expect(errorKind('BITRIX_REST_V3_EXCEPTION_VALIDATION_DTOVALIDATIONEXCEPTION', 400)).toBe('validation')
  })
})
