import { renderBbcode } from './bbcode.js'
import { api } from './api.js'

// The notification bell: polls the current user's notifications (what im.notify.* created),
// shows the unread count, and marks what the user has seen as read when the panel opens.

const POLL_MS = 4000

export function initBell(config) {
  const bell = document.querySelector('[data-testid="bell"]')
  const count = document.querySelector('[data-testid="bell-count"]')
  const panel = document.querySelector('[data-testid="bell-panel"]')
  const list = document.querySelector('[data-testid="bell-list"]')
  const readAll = document.querySelector('[data-testid="bell-read-all"]')
  if (!bell || !count || !panel || !list) return
  let items = []

  const showCount = (unread) => {
    count.textContent = unread > 99 ? '99+' : String(unread)
    count.hidden = unread === 0
  }

  const render = () => {
    list.replaceChildren()
    if (items.length === 0) {
      const li = document.createElement('li')
      li.className = 'bell-empty'
      li.textContent = config.strings.noNotifications
      list.append(li)
      return
    }
    for (const n of items) {
      const li = document.createElement('li')
      li.className = n.read ? 'notification' : 'notification unread'
      li.dataset.testid = 'notification'
      li.dataset.id = String(n.id)
      li.dataset.read = n.read ? 'Y' : 'N'
      const text = document.createElement('div')
      text.className = 'notification-text'
      renderBbcode(text, n.message)
      const meta = document.createElement('div')
      meta.className = 'notification-meta'
      meta.textContent = [n.from, new Date(n.date).toLocaleString(config.user.lang)].filter(Boolean).join(' · ')
      li.append(text, meta)
      list.append(li)
    }
  }

  const markRead = async (ids) => {
    const res = await api('/shell/api/notifications/read', ids ? { ids } : {})
    showCount(res.unread)
  }

  const poll = async () => {
    try {
      const res = await api('/shell/api/notifications')
      items = res.items
      showCount(res.unread)
      if (!panel.hidden) render()
    } catch {
      // The portal may be restarting; the next tick tries again.
    }
  }

  bell.addEventListener('click', async () => {
    panel.hidden = !panel.hidden
    if (panel.hidden) return
    render()
    const unread = items.filter((n) => !n.read).map((n) => n.id)
    if (unread.length > 0) {
      await markRead(unread)
      items = items.map((n) => ({ ...n, read: true }))
    }
  })
  readAll?.addEventListener('click', async () => {
    await markRead(null)
    items = items.map((n) => ({ ...n, read: true }))
    render()
  })
  document.addEventListener('click', (e) => {
    if (!panel.hidden && !e.target.closest('.bell-wrap')) panel.hidden = true
  })

  void poll()
  setInterval(poll, POLL_MS)
}
