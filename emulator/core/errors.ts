/** A Bitrix24 REST error: what the portal answers as `{error, error_description}` with an HTTP status. */
export class RestError extends Error {
  constructor(
    readonly code: string,
    readonly description: string,
    readonly status: number = 400,
  ) {
    super(`${code}: ${description}`)
  }

  toJSON(): { error: string; error_description: string } {
    return { error: this.code, error_description: this.description }
  }
}

// Bitrix24 answers CRM permission/lookup/validation errors with HTTP 400 (FACTS-SDK-AND-UI.md).
export const accessDenied = (what = 'Access denied'): RestError => new RestError('ACCESS_DENIED', what, 400)
export const notFound = (what = 'Not found'): RestError => new RestError('NOT_FOUND', what, 400)
export const invalidArg = (what: string): RestError => new RestError('INVALID_ARG_VALUE', what, 400)
export const badRequest = (code: string, what: string): RestError => new RestError(code, what, 400)
/**
 * Never echoes the method or path: on a webhook URL the path holds the secret, and error texts end
 * up in logs and screenshots.
 */
export const methodNotFound = (): RestError => new RestError('ERROR_METHOD_NOT_FOUND', 'Method not found!', 404)
export const operationTimeLimit = (): RestError =>
  new RestError('OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit.', 429)
export const adminOnly = (): RestError => new RestError('ACCESS_DENIED', 'Access denied! Administrator access required', 400)
