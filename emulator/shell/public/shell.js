import { api } from './api.js'
import { initBell } from './bell.js'
import { FrameHost } from './app-frame.js'
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
