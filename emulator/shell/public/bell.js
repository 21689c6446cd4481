import { renderBbcode } from './bbcode.js'
import { api } from './api.js'

// The notification bell: shows the current user's notifications (what im.notify.* created) and
// the unread count, and marks what the user has seen as read when the panel opens.
//
// It follows the portal's Push & Pull instead of asking again and again: it long-polls the user's
// personal channel (/shell/api/pull says which, /sub/ holds the poll), where every im.notify.*
// announces itself (module `im`, `notifyAdd`; `notifyRead` when another page read them), and
// re-reads the list only then. When the queue server fails, it reconnects with the back-off the
// Push & Pull docs ask for (settings/interactivity/custom-push-and-pull-client.md, "Error
// Handling": 100 ms, 15 s, 45 s from the third error, 10 min from the fifth, 1 h past ten) and,
// only while the channel is down, re-checks the list slowly.

/** While the channel is down: the safety re-check of the list. */
const SAFETY_MS = 60_000

/** The delay before reconnecting after the `errors`-th consecutive failure. */
export function reconnectDelay(errors) {
  if (errors <= 1) return 100
  if (errors === 2) return 15_000
  if (errors <= 5) return 45_000
  if (errors <= 10) return 600_000
  return 3_600_000
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** The commands in one long-poll answer (`#!NGINXNMS!#{json}#!NGINXNME!#` frames). */
function frames(text) {
  const out = []
  for (const m of text.matchAll(/#!NGINXNMS!#(.*?)#!NGINXNME!#/gs)) {
    try {
      out.push(JSON.parse(m[1]))
    } catch {
      // A frame cut by a proxy: the list is re-read anyway.
    }
  }
  return out
}

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

  const refresh = async () => {
    try {
      const res = await api('/shell/api/notifications')
      items = res.items
      showCount(res.unread)
      if (!panel.hidden) render()
    } catch {
      // The portal may be restarting; the channel (or the safety re-check) tries again.
    }
  }

  let safety = null
  const channelDown = () => {
    if (safety !== null) return
    safety = setInterval(refresh, SAFETY_MS)
    void refresh()
  }
  const channelUp = () => {
    if (safety !== null) clearInterval(safety)
    safety = null
  }

  const listen = async () => {
    let channel = null
    let mid = null
    let errors = 0
    for (;;) {
      if (channel === null || Date.parse(channel.end) <= Date.now()) {
        try {
          channel = await api('/shell/api/pull')
          mid = channel.mid
        } catch {
          channel = null
          errors++
          channelDown()
          await sleep(reconnectDelay(errors))
          continue
        }
        // After the channel's last message id: whatever comes later arrives on the channel.
        await refresh()
      }
      let res = null
      try {
        const q = new URLSearchParams({ CHANNEL_ID: channel.channelId, ...(mid !== null ? { mid: String(mid) } : {}) })
        res = await fetch(`${channel.url}?${q}`, { cache: 'no-store' })
      } catch {
        res = null
      }
      if (res && (res.status === 200 || res.status === 304)) {
        let changed = false
        if (res.status === 200) {
          for (const m of frames(await res.text())) {
            if (/^\d+$/.test(String(m.mid))) mid = Number(m.mid)
            if (m.text?.module_id === 'im') changed = true
          }
        } else {
          const last = res.headers.get('Last-Message-Id')
          if (last && /^\d+$/.test(last)) mid = Number(last)
        }
        if (errors > 0) {
          // Back after a failure: what came meanwhile may be gone from the channel.
          errors = 0
          channelUp()
          changed = true
        }
        if (changed) await refresh()
        continue
      }
      // 400: the channel is unknown (expired, or the server lost it): ask for a new one.
      if (res && res.status === 400) channel = null
      errors++
      channelDown()
      await sleep(reconnectDelay(errors))
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

  void listen()
}
