import { api } from './api.js'
import { initBell } from './bell.js'
import { FrameHost, openAppSlider } from './app-frame.js'
import { initCard } from './card.js'

// Behaviour of the server-rendered portal page: user switcher, bell, card tabs, app frames.

const config = JSON.parse(document.getElementById('shell-config').textContent)

const switcher = document.querySelector('[data-testid="user-switcher"]')
switcher?.addEventListener('change', async () => {
  await api('/shell/api/login', { id: Number(switcher.value) })
  location.reload()
})

initBell(config)

const frames = config.frames ?? []
const opened = new Map()

function openFrame(index) {
  if (opened.has(index)) return
  const container = document.querySelector(`[data-frame-host="${index}"]`)
  const spec = frames[index]
  if (!container || !spec) return
  const host = new FrameHost({ container, spec, config })
  opened.set(index, host)
  host.open().catch((err) => {
    opened.delete(index)
    container.textContent = `${config.strings.error}: ${err.message}`
  })
}

function activate(tab) {
  for (const btn of document.querySelectorAll('.tab')) btn.classList.toggle('active', btn.dataset.tab === tab)
  for (const panel of document.querySelectorAll('.tab-panel')) panel.hidden = panel.dataset.panel !== tab
  const btn = document.querySelector(`.tab[data-tab="${tab}"]`)
  if (btn?.dataset.frame !== undefined) openFrame(Number(btn.dataset.frame))
}

for (const btn of document.querySelectorAll('.tab')) btn.addEventListener('click', () => activate(btn.dataset.tab))

if (config.kind === 'card') initCard(config)
if (config.kind === 'card') activate(document.querySelector(`.tab[data-tab="${config.openTab}"]`) ? config.openTab : 'main')
if (config.kind === 'app') openFrame(0)

// A link to the app (`/marketplace/view/{code}/?params[…]`, api-reference/widgets/universal/app-url.md)
// opens the app's REST_APP_URI handler in a slider over this page, wherever the link is shown
// (the bell, a card, a list); the server turns the link and this page's URI into PLACEMENT_OPTIONS.
const APP_LINK = /^\/marketplace\/view\/[^/]+\/?$/

function openAppLink(link, from) {
  openAppSlider(config, {}, () => {}, { placement: 'REST_APP_URI', options: {}, link, from })
}

document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
  const a = e.target instanceof Element ? e.target.closest('a[href]') : null
  if (!a) return
  const url = new URL(a.href, location.origin)
  if (url.origin !== location.origin || !APP_LINK.test(url.pathname)) return
  e.preventDefault()
  document.querySelector('[data-testid="bell-panel"]')?.setAttribute('hidden', '')
  openAppLink(url.pathname + url.search, location.pathname + location.search)
})

if (config.kind === 'appLink') openAppLink(config.link, config.from)
