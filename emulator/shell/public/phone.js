import { api } from './api.js'
import { FrameHost } from './app-frame.js'

// Phone mode (see ../phone.ts): the chat's *Apps* menu and the widget page on top of the chat.

const config = JSON.parse(document.getElementById('shell-config').textContent)
const t = config.phone

const switcher = document.querySelector('[data-testid="user-switcher"]')
switcher?.addEventListener('change', async () => {
  await api('/shell/api/login', { id: Number(switcher.value) })
  location.reload()
})

const appsButton = document.querySelector('[data-testid="phone-apps"]')
const sheet = document.querySelector('[data-testid="phone-sheet"]')
const toast = document.querySelector('[data-testid="phone-toast"]')
const widget = document.querySelector('[data-testid="phone-widget"]')
const widgetTitle = widget.querySelector('[data-testid="page-title"]')
const host = widget.querySelector('[data-frame-host]')
const closeButton = document.querySelector('[data-testid="phone-widget-close"]')
let current = null
let toastTimer = null

function showSheet(open) {
  sheet.hidden = !open
  appsButton.setAttribute('aria-expanded', String(open))
  if (open) sheet.querySelector('[role="menuitem"]')?.focus()
}

// With no handler bound the menu does not open: the app says there are no apps (mobile-app.md).
appsButton.addEventListener('click', () => {
  if ((config.frames ?? []).length === 0) {
    toast.textContent = t.noApps
    toast.hidden = false
    clearTimeout(toastTimer)
    toastTimer = setTimeout(() => { toast.hidden = true }, 3000)
    return
  }
  showSheet(sheet.hidden)
})
sheet.addEventListener('click', (e) => {
  if (e.target === sheet) showSheet(false)
})
document.addEventListener('keydown', (e) => {
  if (e.key !== 'Escape') return
  if (!sheet.hidden) showSheet(false)
  else if (!widget.hidden) closeWidget()
})

function closeWidget() {
  current?.dispose()
  current = null
  host.replaceChildren()
  widget.hidden = true
  appsButton.focus()
}

function openWidget(index) {
  const spec = config.frames[index]
  if (!spec) return
  showSheet(false)
  closeWidget()
  widgetTitle.textContent = config.titles[index] ?? ''
  widget.hidden = false
  current = new FrameHost({ container: host, spec, config, onClose: closeWidget })
  current.open().catch((err) => {
    host.textContent = `${config.strings.error}: ${err.message}`
  })
}

for (const item of document.querySelectorAll('[data-testid="phone-menu-item"]')) {
  item.addEventListener('click', () => openWidget(Number(item.dataset.frame)))
}
closeButton.addEventListener('click', closeWidget)
