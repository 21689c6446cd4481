/**
 * An emulator in a child process, for tests whose environment cannot host it in-process (the
 * happy-dom component project transforms modules for the browser, where the emulator's
 * file-based paths do not resolve). Tokens come from the child; REST goes over HTTP.
 */
import { spawn } from 'node:child_process'
import { request as httpRequest } from 'node:http'
import type { ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import type { IssuedAuth } from '../../emulator/core/types.ts'
import { createNodePort } from './node-port.ts'
import type { NodePort } from './node-port.ts'

export interface RemoteUser {
  id: number
  isAdmin: boolean
  lang: string
  auth: IssuedAuth
}

export interface PortalProcess {
  origin: string
  users: RemoteUser[]
  portAs(userId: number): NodePort
  /** One REST call as the user, over HTTP; resolves to `result`, rejects on an error body. */
  rest<T = unknown>(userId: number, method: string, params?: Record<string, unknown>): Promise<T>
  /** POST /_emulator/control (failMethods, errorRate, reset…). */
  control(body: Record<string, unknown>): Promise<void>
  /** How many times each REST method was called so far (the emulator's own count). */
  calls(): Promise<Record<string, number>>
  close(): Promise<void>
}

/**
 * The control endpoint refuses browsers' cross-origin requests (emulator/rest/control.ts), and in
 * the happy-dom project `fetch` is the page's: the test talks to it with Node's own HTTP client.
 */
function controlPost(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { ...headers, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

export async function startPortalProcess(opts: { seed?: 'none' | 'people' | 'demo'; employee?: boolean; handlerUrl?: string } = {}): Promise<PortalProcess> {
  const script = resolve(process.cwd(), 'test/support/serve-portal.ts')
  const args = ['--import', 'tsx', script, '--seed', opts.seed ?? 'none']
  if (opts.employee) args.push('--employee')
  if (opts.handlerUrl) args.push('--handler-url', opts.handlerUrl)
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'], cwd: process.cwd() })
  const info = await new Promise<{ origin: string; domain: string; memberId: string; controlToken: string; users: RemoteUser[] }>((ok, fail) => {
    let buf = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      buf += chunk.toString()
      const nl = buf.indexOf('\n')
      if (nl >= 0) ok(JSON.parse(buf.slice(0, nl)))
    })
    child.once('exit', (code) => fail(new Error(`portal process exited with ${code}`)))
    child.once('error', fail)
  })
  // The control endpoint wants the token the emulator made at start (emulator/rest/control.ts).
  const controlHeaders = { 'Content-Type': 'application/json', 'X-Emulator-Token': info.controlToken }
  const user = (id: number): RemoteUser => {
    const u = info.users.find((x) => x.id === id)
    if (!u) throw new Error(`portal has no user ${id}`)
    return u
  }
  return {
    origin: info.origin,
    users: info.users,
    portAs(userId) {
      const u = user(userId)
      return createNodePort({ origin: info.origin, userId, remote: { domain: info.domain, memberId: info.memberId, auth: u.auth, isAdmin: u.isAdmin, lang: u.lang } })
    },
    async rest<T>(userId: number, method: string, params: Record<string, unknown> = {}): Promise<T> {
      const res = await fetch(`${info.origin}/rest/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...params, auth: user(userId).auth.accessToken }),
      })
      const body = (await res.json()) as { result?: T; error?: string; error_description?: string }
      if (body.error) throw new Error(`${method}: ${body.error} ${body.error_description ?? ''}`)
      return body.result as T
    },
    async control(body) {
      const res = await controlPost(`${info.origin}/_emulator/control`, controlHeaders, JSON.stringify(body))
      if (res.status !== 200) throw new Error(`control endpoint answered ${res.status}`)
    },
    async calls() {
      const res = await controlPost(`${info.origin}/_emulator/control`, controlHeaders, '{}')
      const state = JSON.parse(res.body) as { stats?: { calls?: Record<string, number> } }
      return state.stats?.calls ?? {}
    },
    close() {
      return new Promise<void>((done) => {
        if (child.exitCode !== null) return done()
        child.once('exit', () => done())
        child.stdin?.end()
      })
    },
  }
}
