/**
 * The SDK's axios and luxon stand-ins (src/platform/vendor/, mapped by VENDOR_ALIASES): the
 * surface the SDK uses behaves as axios / luxon do — above all the errors, which the SDK maps to
 * its own codes by `code` and `response` (core/http/abstract-http.mjs).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiVersion, B24Hook } from '@bitrix24/b24jssdk'
import axiosAsImported from 'axios'
import { DateTime as ImportedDateTime } from 'luxon'
import axios, { AxiosError } from '../../src/platform/vendor/axios.ts'
import { DateTime } from '../../src/platform/vendor/luxon.ts'
// The real luxon, by file (the alias matches the bare name only), to compare formats with.
// @ts-expect-error -- a file path has no declarations; its types are @types/luxon's.
import { DateTime as RealLuxon } from '../../node_modules/luxon/build/es6/luxon.mjs'

const RealDateTime = RealLuxon as typeof import('luxon').DateTime

let server: Server
let origin = ''
const seen: { method?: string; type?: string; body: string; accept?: string }[] = []

function answer(req: IncomingMessage, res: ServerResponse, body: string): void {
  seen.push({ method: req.method, type: req.headers['content-type'], body, accept: req.headers.accept })
  const path = new URL(req.url ?? '/', 'http://x').pathname
  if (path === '/ok') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result: { echo: body }, time: { start: 1 } }))
  } else if (path === '/expired') {
    res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'expired_token', error_description: 'The access token provided has expired.' }))
  } else if (path === '/busy') {
    res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' }))
  } else if (path === '/html') {
    res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad gateway</html>')
  } else if (path === '/slow') {
    setTimeout(() => res.writeHead(200).end('{}'), 1000)
  } else {
    res.writeHead(404).end('')
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => { body += c.toString() })
    req.on('end', () => answer(req, res, body))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

describe('the axios stand-in', () => {
  it('is what `axios` resolves to, in the tests and inside the SDK', () => {
    expect(axiosAsImported).toBe(axios)
    const hook = new B24Hook({ b24Url: origin, userId: 1, secret: 'x' })
    const client = (hook.getHttpClient(ApiVersion.v2) as unknown as { ajaxClient: object }).ajaxClient
    // The real axios instance is a function with getUri(); the stand-in is a plain object.
    expect(typeof client).toBe('object')
    expect('getUri' in client).toBe(false)
  })

  it('posts a plain object as JSON and parses the JSON answer', async () => {
    const http = axios.create({ timeout: 5000, headers: { 'X-Test': '1' } })
    const res = await http.post<{ result: { echo: string } }>(`${origin}/ok`, { a: 1, b: ['x'] })
    expect(res.status).toBe(200)
    expect(JSON.parse(res.data.result.echo)).toEqual({ a: 1, b: ['x'] })
    const last = seen.at(-1)!
    expect(last.method).toBe('POST')
    expect(last.type).toBe('application/json')
    expect(last.accept).toBe('application/json, text/plain, */*')
  })

  it('posts URLSearchParams as a form, relative to baseURL (the OAuth refresh)', async () => {
    const http = axios.create({ baseURL: origin })
    await http.post('/ok', new URLSearchParams({ grant_type: 'refresh_token' }), { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })
    expect(seen.at(-1)).toMatchObject({ type: 'application/x-www-form-urlencoded', body: 'grant_type=refresh_token' })
  })

  it('rejects a 4xx with the answer, code ERR_BAD_REQUEST and axios\'s message', async () => {
    const error = await axios.create().post(`${origin}/expired`, {}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AxiosError)
    expect(error).toMatchObject({
      code: 'ERR_BAD_REQUEST',
      message: 'Request failed with status code 401',
      status: 401,
      response: { status: 401, data: { error: 'expired_token' } },
    })
  })

  it('rejects a 5xx with code ERR_BAD_RESPONSE, and keeps a body that is not JSON as text', async () => {
    const busy = await axios.create().post(`${origin}/busy`, {}).catch((e: AxiosError) => e)
    expect(busy).toMatchObject({ code: 'ERR_BAD_RESPONSE', status: 503, response: { data: { error: 'QUERY_LIMIT_EXCEEDED' } } })
    const html = await axios.create().post(`${origin}/html`, {}).catch((e: AxiosError) => e)
    expect(html).toMatchObject({ code: 'ERR_BAD_RESPONSE', response: { status: 502, data: '<html>Bad gateway</html>' } })
  })

  it('rejects a connection that fails with code ERR_NETWORK and no response', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const error = await axios.create().post(`http://127.0.0.1:${port}/`, {}).catch((e: AxiosError) => e)
    expect(error).toBeInstanceOf(AxiosError)
    expect(error).toMatchObject({ code: 'ERR_NETWORK', message: 'Network Error' })
    expect((error as AxiosError).response).toBeUndefined()
  })

  it('rejects an elapsed timeout with code ECONNABORTED and the timeoutErrorMessage', async () => {
    const error = await axios.create({ timeout: 100, timeoutErrorMessage: 'Request timeout exceeded' }).post(`${origin}/slow`, {}).catch((e: AxiosError) => e)
    expect(error).toMatchObject({ code: 'ECONNABORTED', message: 'Request timeout exceeded' })
    const plain = await axios.create({ timeout: 100 }).post(`${origin}/slow`, {}).catch((e: AxiosError) => e)
    expect(plain).toMatchObject({ code: 'ECONNABORTED', message: 'timeout of 100ms exceeded' })
  })

  it('runs request interceptors (the tests count requests with one) and response interceptors', async () => {
    const http = axios.create()
    let count = 0
    http.interceptors.request.use((config) => { count++; return config })
    http.interceptors.response.use((res) => ({ ...res, data: 'changed' }))
    const res = await http.post(`${origin}/ok`, {})
    expect(count).toBe(1)
    expect(res.data).toBe('changed')
  })

  it('maps through the SDK as the SDK maps axios errors', async () => {
    const hook = new B24Hook({ b24Url: origin, userId: 1, secret: 'x' })
    hook.offClientSideWarning()
    const http = hook.getHttpClient(ApiVersion.v2) as unknown as {
      _convertToAjaxError(id: string, e: unknown, m: string, p: object): { code: string; status: number }
    }
    const expired = await axios.create().post(`${origin}/expired`, {}).catch((e: unknown) => e)
    expect(http._convertToAjaxError('r', expired, 'm', {})).toMatchObject({ code: 'expired_token', status: 401 })
    const timeout = await axios.create({ timeout: 50 }).post(`${origin}/slow`, {}).catch((e: unknown) => e)
    expect(http._convertToAjaxError('r', timeout, 'm', {})).toMatchObject({ code: 'REQUEST_TIMEOUT', status: 408 })
    const network = await axios.create().post('http://127.0.0.1:1/', {}).catch((e: unknown) => e)
    expect(http._convertToAjaxError('r', network, 'm', {})).toMatchObject({ code: 'NETWORK_ERROR', status: 0 })
  })
})

describe('the luxon stand-in', () => {
  const when = new Date(2026, 4, 4, 9, 3, 7, 45)

  it('is what `luxon` resolves to', () => {
    expect(ImportedDateTime).toBe(DateTime)
  })

  it('formats as luxon does, for the formats the SDK uses and the numeric tokens', () => {
    for (const format of ["yyyy-MM-dd'T'HH:mm:ssZZ", 'yyyy-MM-dd HH:mm:ss', 'dd.MM.yy H:m:s.SSS', 'd/M/y h a', 'ZZZ Z']) {
      expect(DateTime.fromJSDate(when).toFormat(format), format).toBe(RealDateTime.fromJSDate(when).toFormat(format))
      expect(DateTime.fromJSDate(when, { zone: 'utc' }).toFormat(format), format).toBe(RealDateTime.fromJSDate(when, { zone: 'utc' }).toFormat(format))
    }
    expect(DateTime.fromJSDate(when).toSeconds()).toBe(RealDateTime.fromJSDate(when).toSeconds())
    expect(DateTime.now().isValid).toBe(true)
  })

  it('parses ISO and numeric formats to the same instant as luxon, and says when it cannot', () => {
    for (const iso of ['2026-05-04T09:53:51+03:00', '2026-05-04', '2026-05-04T09:53:51.123Z', '2026-05-04T09:53']) {
      expect(DateTime.fromISO(iso).toMillis(), iso).toBe(RealDateTime.fromISO(iso).toMillis())
    }
    expect(DateTime.fromFormat('04.05.2026', 'dd.MM.yyyy').toMillis()).toBe(RealDateTime.fromFormat('04.05.2026', 'dd.MM.yyyy').toMillis())
    expect(DateTime.fromFormat('04.05.2026 13:05', 'dd.MM.yyyy HH:mm', { zone: 'utc' }).toMillis()).toBe(RealDateTime.fromFormat('04.05.2026 13:05', 'dd.MM.yyyy HH:mm', { zone: 'utc' }).toMillis())
    expect(DateTime.fromISO('not a date').isValid).toBe(false)
    expect(DateTime.fromISO('2026-04-31').isValid).toBe(false)
    expect(DateTime.fromFormat('4 May', 'dd.MM.yyyy').isValid).toBe(false)
    expect(DateTime.fromISO('x').toFormat('yyyy')).toBe('Invalid DateTime')
  })
})
