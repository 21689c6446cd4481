/**
 * A small XMLHttpRequest for Node on top of fetch, enough for the SDK's long-polling connector
 * (open/send/abort, readystatechange, status, response as text or ArrayBuffer, response headers).
 * Node has no XMLHttpRequest; browsers do. Used by the live integration test and the bench.
 */
type Listener = () => void

export class NodeXhr {
  readyState = 0
  status = 0
  response: string | ArrayBuffer = ''
  responseText = ''
  responseType: '' | 'text' | 'arraybuffer' = ''
  onreadystatechange: Listener | null = null
  private headers: Headers | null = null
  private ctrl: AbortController | null = null
  private readonly listeners = new Set<Listener>()
  private method = 'GET'
  private url = ''

  addEventListener(type: string, fn: Listener): void {
    if (type === 'readystatechange') this.listeners.add(fn)
  }

  removeEventListener(type: string, fn: Listener): void {
    if (type === 'readystatechange') this.listeners.delete(fn)
  }

  private emit(): void {
    this.onreadystatechange?.()
    for (const fn of this.listeners) fn()
  }

  open(method: string, url: string): void {
    this.method = method
    this.url = url
    this.status = 0
    this.headers = null
    this.readyState = 1
    this.emit()
  }

  setRequestHeader(): void {}

  getResponseHeader(name: string): string | null {
    return this.headers?.get(name) ?? null
  }

  send(body?: BodyInit | null): void {
    const ctrl = (this.ctrl = new AbortController())
    this.readyState = 2
    fetch(this.url, { method: this.method, body: body ?? null, signal: ctrl.signal }).then(async (res) => {
      const buf = await res.arrayBuffer()
      if (ctrl.signal.aborted || this.ctrl !== ctrl) return
      this.status = res.status
      this.headers = res.headers
      const text = Buffer.from(buf).toString('utf8')
      this.responseText = text
      this.response = this.responseType === 'arraybuffer' ? buf : text
      this.readyState = 4
      this.ctrl = null
      this.emit()
    }, () => {
      if (ctrl.signal.aborted || this.ctrl !== ctrl) return
      this.status = 0
      this.readyState = 4
      this.ctrl = null
      this.emit()
    })
  }

  /** As in browsers: an open request ends DONE with status 0 (one event), then UNSENT. */
  abort(): void {
    const ctrl = this.ctrl
    this.ctrl = null
    ctrl?.abort()
    if (ctrl && this.readyState !== 0 && this.readyState !== 4) {
      this.status = 0
      this.readyState = 4
      this.emit()
    }
    this.readyState = 0
  }
}

/** Installs NodeXhr as the global XMLHttpRequest (when there is none); returns the undo. */
export function installNodeXhr(): () => void {
  const g = globalThis as { XMLHttpRequest?: unknown }
  if (g.XMLHttpRequest) return () => undefined
  g.XMLHttpRequest = NodeXhr
  return () => {
    delete g.XMLHttpRequest
  }
}
