// The app's static host must behave like the production one: Bitrix24 opens handlers with a
// POST, so POST must answer index.html; and nothing outside the build folder may leak.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStaticServer, type StaticServer } from '../../scripts/static-server.ts'

let server: StaticServer
let parent: string

beforeAll(async () => {
  parent = mkdtempSync(join(tmpdir(), 'static-'))
  const root = join(parent, 'dist')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>')
  writeFileSync(join(root, 'assets', 'index-AbCdEf12.js'), 'console.log(1)')
  writeFileSync(join(root, 'assets', 'style.css'), 'body{}')
  writeFileSync(join(parent, 'secret.txt'), 'do not serve')
  server = await startStaticServer({ root, port: 0 })
})

afterAll(async () => {
  await server?.close()
})

/** Raw request, so paths like /../x reach the server unnormalised (fetch would resolve them). */
function raw(method: string, path: string, body?: string): Promise<{ status: number; type: string; text: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path, headers: body ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {} }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (text += c))
      res.on('end', () => ok({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), text }))
    })
    req.on('error', fail)
    req.end(body)
  })
}

describe('static app host', () => {
  it('answers a placement POST with index.html, on any path', async () => {
    for (const path of ['/', '/?DOMAIN=127.0.0.1%3A8080&PROTOCOL=0&LANG=ru&APP_SID=abc', '/placement/handler']) {
      const res = await raw('POST', path, 'AUTH_ID=x&PLACEMENT=LEFT_MENU&PLACEMENT_OPTIONS=%7B%7D')
      expect(res.status).toBe(200)
      expect(res.type).toMatch(/^text\/html/)
      expect(res.text).toContain('<title>app</title>')
    }
  })

  it('serves files with their MIME types and falls back to index.html for routes only', async () => {
    expect(await raw('GET', '/assets/index-AbCdEf12.js')).toMatchObject({ status: 200, type: expect.stringMatching(/^text\/javascript/) })
    expect(await raw('GET', '/assets/style.css')).toMatchObject({ status: 200, type: expect.stringMatching(/^text\/css/) })
    expect(await raw('GET', '/some/route')).toMatchObject({ status: 200, text: expect.stringContaining('<title>app</title>') })
    expect((await raw('GET', '/assets/missing.js')).status).toBe(404)
  })

  it('never serves a file outside its root', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e%5csecret.txt']) {
      const res = await raw('GET', path)
      expect(res.text).not.toContain('do not serve')
    }
  })
})
