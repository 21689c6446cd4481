/**
 * A `fetch` stand-in for axios, which the SDK (`@bitrix24/b24jssdk`) imports but uses only
 * through this surface. The bundler maps `axios` here (`resolve.alias` in vite.config.ts and
 * vitest.config.ts); the SDK itself is unmodified. What the SDK relies on, and what this keeps
 * as axios does it:
 *
 * - `axios.create({ timeout, timeoutErrorMessage, headers, baseURL })` and `.post(url, data,
 *   { headers })` resolving to `{ status, data, headers }` (`core/http/abstract-http.mjs`,
 *   `oauth/auth.mjs`); a plain object is sent as JSON, `URLSearchParams` as a form, and a JSON
 *   answer is parsed (one that is not JSON stays text);
 * - a status outside 2xx rejects with `AxiosError` carrying `response { status, data }`, code
 *   `ERR_BAD_REQUEST` (4xx) / `ERR_BAD_RESPONSE` (5xx) and axios's message — the SDK reads the
 *   portal's `error`/`error_description` from `response.data`, so `expired_token`, 503
 *   `QUERY_LIMIT_EXCEEDED` and the rest keep their codes;
 * - no answer at all rejects with code `ERR_NETWORK` ("Network Error"), an elapsed `timeout`
 *   with code `ECONNABORTED` and the `timeoutErrorMessage` (the SDK maps both by code);
 * - `instance.interceptors.request.use` (the tests count requests with it), `.response.use`.
 */

export type AxiosHeaders = Record<string, string>

export interface AxiosRequestConfig {
  baseURL?: string
  url?: string
  method?: string
  data?: unknown
  headers?: AxiosHeaders
  /** Milliseconds; 0 = none (axios's default). */
  timeout?: number
  timeoutErrorMessage?: string
  signal?: AbortSignal
  validateStatus?: ((status: number) => boolean) | null
  responseType?: 'json' | 'text'
  [option: string]: unknown
}

export interface AxiosResponse<T = unknown> {
  data: T
  status: number
  statusText: string
  headers: AxiosHeaders
  config: AxiosRequestConfig
  request: { url: string; method: string }
}

export class AxiosError<T = unknown> extends Error {
  static readonly ERR_NETWORK = 'ERR_NETWORK'
  static readonly ECONNABORTED = 'ECONNABORTED'
  static readonly ERR_BAD_REQUEST = 'ERR_BAD_REQUEST'
  static readonly ERR_BAD_RESPONSE = 'ERR_BAD_RESPONSE'
  static readonly ERR_CANCELED = 'ERR_CANCELED'

  readonly isAxiosError = true
  code?: string
  config?: AxiosRequestConfig
  request?: AxiosResponse['request']
  response?: AxiosResponse<T>
  status?: number

  constructor(message: string, code?: string, config?: AxiosRequestConfig, request?: AxiosResponse['request'], response?: AxiosResponse<T>, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'AxiosError'
    if (code !== undefined) this.code = code
    if (config !== undefined) this.config = config
    if (request !== undefined) this.request = request
    if (response !== undefined) {
      this.response = response
      this.status = response.status
    }
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, code: this.code, status: this.status }
  }
}

type Fulfilled<V> = ((value: V) => V | Promise<V>) | null | undefined
type Rejected = ((error: unknown) => unknown) | null | undefined

class InterceptorManager<V> {
  readonly handlers: ({ fulfilled: Fulfilled<V>; rejected: Rejected } | null)[] = []
  use(fulfilled?: Fulfilled<V>, rejected?: Rejected): number {
    this.handlers.push({ fulfilled, rejected })
    return this.handlers.length - 1
  }
  eject(id: number): void {
    if (this.handlers[id]) this.handlers[id] = null
  }
  clear(): void {
    this.handlers.length = 0
  }
}

export interface AxiosInstance {
  defaults: AxiosRequestConfig
  interceptors: { request: InterceptorManager<AxiosRequestConfig>; response: InterceptorManager<AxiosResponse> }
  request<T = unknown>(config: AxiosRequestConfig): Promise<AxiosResponse<T>>
  get<T = unknown>(url: string, config?: AxiosRequestConfig): Promise<AxiosResponse<T>>
  post<T = unknown>(url: string, data?: unknown, config?: AxiosRequestConfig): Promise<AxiosResponse<T>>
}

const isAbsolute = (url: string) => /^([a-z][a-z\d+\-.]*:)?\/\//i.test(url)

function fullUrl(config: AxiosRequestConfig): string {
  const url = config.url ?? ''
  if (!config.baseURL || isAbsolute(url)) return url
  return url ? `${config.baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}` : config.baseURL
}

function hasHeader(headers: AxiosHeaders, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name)
}

/** The body fetch sends, and the content type axios would set for it. */
function bodyOf(data: unknown, headers: AxiosHeaders): BodyInit | undefined {
  if (data === undefined || data === null) return undefined
  if (typeof data === 'string' || data instanceof URLSearchParams || data instanceof ArrayBuffer || ArrayBuffer.isView(data)
    || (typeof Blob !== 'undefined' && data instanceof Blob) || (typeof FormData !== 'undefined' && data instanceof FormData)) {
    if (data instanceof URLSearchParams && !hasHeader(headers, 'content-type')) headers['Content-Type'] = 'application/x-www-form-urlencoded;charset=utf-8'
    return data as BodyInit
  }
  if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = 'application/json'
  return JSON.stringify(data)
}

function parse(text: string, config: AxiosRequestConfig): unknown {
  if (config.responseType === 'text' || text === '') return text
  try {
    return JSON.parse(text)
  } catch {
    // As axios (transitional.silentJSONParsing): an answer that is not JSON stays text.
    return text
  }
}

async function dispatch(config: AxiosRequestConfig): Promise<AxiosResponse> {
  const method = (config.method ?? 'get').toUpperCase()
  const url = fullUrl(config)
  const request = { url, method }
  const headers: AxiosHeaders = { Accept: 'application/json, text/plain, */*', ...config.headers }
  const body = bodyOf(config.data, headers)

  const controller = new AbortController()
  let timedOut = false
  const timer = config.timeout && config.timeout > 0
    ? setTimeout(() => { timedOut = true; controller.abort() }, config.timeout)
    : undefined
  const outer = config.signal
  const cancel = () => controller.abort()
  if (outer?.aborted) controller.abort()
  else outer?.addEventListener('abort', cancel, { once: true })
  const failed = (cause: unknown): AxiosError => {
    if (timedOut) {
      return new AxiosError(config.timeoutErrorMessage || `timeout of ${config.timeout}ms exceeded`, AxiosError.ECONNABORTED, config, request, undefined, { cause })
    }
    if (outer?.aborted) return new AxiosError('canceled', AxiosError.ERR_CANCELED, config, request, undefined, { cause })
    return new AxiosError('Network Error', AxiosError.ERR_NETWORK, config, request, undefined, { cause })
  }

  try {
    let res: Response
    let text: string
    try {
      res = await fetch(url, { method, headers, body, signal: controller.signal })
      text = await res.text()
    } catch (cause) {
      throw failed(cause)
    }
    const responseHeaders: AxiosHeaders = {}
    res.headers.forEach((value, key) => { responseHeaders[key] = value })
    const response: AxiosResponse = { data: parse(text, config), status: res.status, statusText: res.statusText, headers: responseHeaders, config, request }
    const validate = config.validateStatus === undefined ? (s: number) => s >= 200 && s < 300 : config.validateStatus
    if (!validate || validate(res.status)) return response
    const code = res.status >= 500 ? AxiosError.ERR_BAD_RESPONSE : res.status >= 400 ? AxiosError.ERR_BAD_REQUEST : undefined
    throw new AxiosError(`Request failed with status code ${res.status}`, code, config, request, response)
  } finally {
    clearTimeout(timer)
    outer?.removeEventListener('abort', cancel)
  }
}

function create(defaults: AxiosRequestConfig = {}): AxiosInstance {
  const interceptors = { request: new InterceptorManager<AxiosRequestConfig>(), response: new InterceptorManager<AxiosResponse>() }
  const instance: AxiosInstance = {
    defaults,
    interceptors,
    async request<T>(call: AxiosRequestConfig): Promise<AxiosResponse<T>> {
      let config: AxiosRequestConfig = { ...defaults, ...call, headers: { ...defaults.headers, ...call.headers } }
      // axios runs request interceptors last-registered first.
      for (const h of [...interceptors.request.handlers].reverse()) {
        if (h?.fulfilled) config = await h.fulfilled(config)
      }
      let outcome: Promise<AxiosResponse> = dispatch(config)
      for (const h of interceptors.response.handlers) {
        if (h) outcome = outcome.then(h.fulfilled ?? undefined, h.rejected ?? undefined) as Promise<AxiosResponse>
      }
      return outcome as Promise<AxiosResponse<T>>
    },
    get: (url, config) => instance.request({ ...config, url, method: 'get' }),
    post: (url, data, config) => instance.request({ ...config, url, data, method: 'post' }),
  }
  return instance
}

function isAxiosError(value: unknown): value is AxiosError {
  return value instanceof AxiosError
}

const axios = Object.assign(create(), { create, AxiosError, isAxiosError })

export { create, isAxiosError }
export default axios
