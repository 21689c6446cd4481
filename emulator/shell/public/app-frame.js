import { api } from './api.js'
import { formatReply, parseMessage } from './protocol.js'
import { pickUsers } from './picker.js'

// Opens the app the way Bitrix24 does (a named iframe + a POSTed form) and answers the frame's
// postMessage commands. Only messages from the app's origin AND from a frame we opened count.

const hosts = new Set()
const OPEN_PATH = /^\/(crm\/(deal|lead|contact|company|type)|marketplace|company\/personal\/user\/[0-9]+|workgroups\/group\/[0-9]+)\//
const MIN_HEIGHT = 80
const MAX_HEIGHT = 20000

function randomSid() {
  const bytes = new Uint8Array(16)
  crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

function hiddenField(form, name, value) {
  const input = document.createElement('input')
  input.type = 'hidden'
  input.name = name
  input.value = String(value)
  form.append(input)
}

export class FrameHost {
  /** @param {{container: HTMLElement, spec: {placement: string, options: object}, config: object, onClose?: () => void}} opts */
  constructor(opts) {
    this.container = opts.container
    this.spec = opts.spec
    this.config = opts.config
    this.onClose = opts.onClose
    this.iframe = null
    this.data = null
  }

  async open() {
    const { placement, options, link, from } = this.spec
    const data = await api('/shell/api/frame', { userId: this.config.user.id, placement, options, link, from })
    this.data = data
    this.appSid = randomSid()
    const name = `${data.DOMAIN}|${data.PROTOCOL}|${this.appSid}`
    const action = new URL(data.handlerUrl)
    action.searchParams.set('DOMAIN', data.DOMAIN)
    action.searchParams.set('PROTOCOL', String(data.PROTOCOL))
    action.searchParams.set('LANG', data.LANG)
    action.searchParams.set('APP_SID', this.appSid)
    this.appOrigin = action.origin

    const iframe = document.createElement('iframe')
    iframe.setAttribute('name', name)
    iframe.className = 'app-frame'
    iframe.dataset.testid = 'app-frame'
    iframe.dataset.placement = data.PLACEMENT
    iframe.title = data.PLACEMENT
    iframe.allow = 'clipboard-write'
    this.container.replaceChildren(iframe)
    this.iframe = iframe

    const form = document.createElement('form')
    form.method = 'POST'
    form.target = name
    form.action = action.href
    form.hidden = true
    hiddenField(form, 'AUTH_ID', data.AUTH_ID)
    hiddenField(form, 'AUTH_EXPIRES', data.AUTH_EXPIRES)
    hiddenField(form, 'REFRESH_ID', data.REFRESH_ID)
    hiddenField(form, 'member_id', data.MEMBER_ID)
    hiddenField(form, 'status', data.status)
    hiddenField(form, 'PLACEMENT', data.PLACEMENT)
    hiddenField(form, 'PLACEMENT_OPTIONS', JSON.stringify(data.PLACEMENT_OPTIONS))
    document.body.append(form)
    form.submit()
    form.remove()
    hosts.add(this)
  }

  dispose() {
    hosts.delete(this)
    this.iframe?.remove()
  }

  reply(callback, data) {
    if (callback === undefined || callback === '' || !this.iframe?.contentWindow) return
    this.iframe.contentWindow.postMessage(formatReply(callback, data), this.appOrigin)
  }

  initData() {
    const d = this.data
    return {
      DOMAIN: d.DOMAIN, PROTOCOL: d.PROTOCOL, LANG: d.LANG, PATH: d.PATH,
      AUTH_ID: d.AUTH_ID, REFRESH_ID: d.REFRESH_ID, AUTH_EXPIRES: d.AUTH_EXPIRES, MEMBER_ID: d.MEMBER_ID,
      IS_ADMIN: d.IS_ADMIN, INSTALL: d.INSTALL, FIRST_RUN: d.FIRST_RUN,
      APP_OPTIONS: d.APP_OPTIONS ?? {}, USER_OPTIONS: d.USER_OPTIONS ?? {},
      PLACEMENT: d.PLACEMENT, PLACEMENT_OPTIONS: d.PLACEMENT_OPTIONS ?? {},
    }
  }

  async handle(msg) {
    const a = typeof msg.args === 'object' && msg.args !== null ? msg.args : {}
    const { strings } = this.config
    switch (msg.command) {
      case 'getInitData':
        return this.reply(msg.callback, this.initData())
      case 'setInstall':
        return this.reply(msg.callback)
      case 'setInstallFinish': {
        await api('/shell/api/install-finish', { userId: this.config.user.id })
        this.reply(msg.callback)
        // Bitrix24 reloads the app page once installation is over: the widgets appear.
        setTimeout(() => location.reload(), 300)
        return
      }
      case 'refreshAuth': {
        const t = await api('/shell/api/refresh', { userId: this.config.user.id })
        Object.assign(this.data, t)
        return this.reply(msg.callback, t)
      }
      case 'resizeWindow': {
        const h = Math.round(Number(a.height))
        if (Number.isFinite(h) && h > 0) this.iframe.style.height = `${Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, h))}px`
        return this.reply(msg.callback)
      }
      case 'setTitle': {
        const title = String(a.title ?? '')
        const el = document.querySelector('[data-testid="page-title"]')
        if (el) el.textContent = title
        document.title = `${title} — ${strings.portal}`
        return this.reply(msg.callback)
      }
      case 'setScroll':
        window.scrollTo(0, Number(a.scroll) || 0)
        return this.reply(msg.callback)
      case 'reloadWindow':
        return this.open()
      case 'openPath': {
        const url = new URL(String(a.path ?? ''), location.origin)
        url.searchParams.delete('IFRAME')
        url.searchParams.delete('IFRAME_TYPE')
        if (url.origin !== location.origin || !OPEN_PATH.test(url.pathname)) {
          return this.reply(msg.callback, { result: 'error', errorCode: 'PATH_NOT_ALLOWED' })
        }
        location.assign(url.pathname + url.search + url.hash)
        return
      }
      case 'openApplication':
        return openAppSlider(this.config, a, () => this.reply(msg.callback, { result: 'close' }))
      case 'closeApplication':
        this.reply(msg.callback)
        this.onClose?.()
        return
      case 'selectUser': {
        const picked = await pickUsers(strings, a.mult === true)
        return this.reply(msg.callback, picked)
      }
      case 'setAppOption':
      case 'setUserOption': {
        const scope = msg.command === 'setAppOption' ? 'app' : 'user'
        try {
          await api('/shell/api/option', { userId: this.config.user.id, scope, name: a.name, value: a.value })
          const bag = scope === 'app' ? 'APP_OPTIONS' : 'USER_OPTIONS'
          this.data[bag] = { ...this.data[bag], [a.name]: a.value }
        } catch {
          // Bitrix24 drops a non-admin's setAppOption without an answer the SDK could read.
        }
        return this.reply(msg.callback)
      }
      case 'selectAccess':
        return this.reply(msg.callback, [])
      case 'selectCRM':
        return this.reply(msg.callback, {})
      default:
        // im*, placementBindEvent, getInterface, …: acknowledged, nothing happens.
        return this.reply(msg.callback)
    }
  }
}

/**
 * BX24.openApplication: the app again, in a slider, with the given options as PLACEMENT_OPTIONS
 * (settings ride along as bx24_* keys: bx24_title, bx24_width). A followed app link
 * (`/marketplace/view/{code}/`) passes its own spec: REST_APP_URI with the link and its page.
 */
export function openAppSlider(config, options, onClosed, spec = null) {
  const overlay = document.createElement('div')
  overlay.className = 'overlay slider-overlay'
  // The × sits left of the slider, outside its scrolling box (which would clip it).
  const panel = document.createElement('div')
  panel.className = 'slider-panel'
  const slider = document.createElement('div')
  slider.className = 'slider'
  slider.dataset.testid = 'app-slider'
  const width = Number(options.bx24_width)
  if (Number.isFinite(width) && width > 0) panel.style.width = `min(${width}px, 96vw)`
  const close = document.createElement('button')
  close.type = 'button'
  close.className = 'slider-close'
  close.textContent = '×'
  close.dataset.testid = 'app-slider-close'
  close.setAttribute('aria-label', config.strings.close)
  const title = document.createElement('h2')
  title.className = 'slider-title'
  title.dataset.testid = 'app-slider-title'
  title.textContent = typeof options.bx24_title === 'string' ? options.bx24_title : ''
  if (title.textContent) document.title = `${title.textContent} — ${config.strings.portal}`
  const container = document.createElement('div')
  container.className = 'app-host'
  slider.append(title, container)
  panel.append(close, slider)
  overlay.append(panel)
  document.body.append(overlay)
  const clean = Object.fromEntries(Object.entries(options).filter(([k]) => !k.startsWith('bx24_')))
  let shut = () => {}
  const host = new FrameHost({ container, spec: spec ?? { placement: 'DEFAULT', options: clean }, config, onClose: () => shut() })
  shut = () => {
    shut = () => {}
    host.dispose()
    overlay.remove()
    onClosed()
  }
  close.addEventListener('click', () => shut())
  host.open().catch((err) => {
    container.textContent = `${config.strings.error}: ${err.message}`
  })
}

window.addEventListener('message', (event) => {
  for (const host of hosts) {
    if (!host.iframe || event.source !== host.iframe.contentWindow || event.origin !== host.appOrigin) continue
    const msg = parseMessage(event.data)
    if (!msg || (msg.appSid !== undefined && msg.appSid !== host.appSid)) return
    host.handle(msg).catch((err) => console.error('[shell] command failed', msg.command, err))
    return
  }
})
