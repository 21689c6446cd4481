import { api } from './api.js'

// Bitrix24's employee selector, reduced to a modal list with a search box. Resolves to a user
// (single) or an array (multiple). Bitrix24 never calls back on cancel; the emulator answers
// null / [] instead, so an app awaiting the dialog learns the user gave up rather than hang.

export async function pickUsers(strings, multiple) {
  const users = await api('/shell/api/users')
  return new Promise((resolve) => {
    const overlay = document.createElement('div')
    overlay.className = 'overlay'
    const dialog = document.createElement('div')
    dialog.className = 'dialog'
    dialog.dataset.testid = 'user-picker'
    dialog.setAttribute('role', 'dialog')
    const title = document.createElement('h2')
    title.textContent = multiple ? strings.selectUsers : strings.selectUser
    const search = document.createElement('input')
    search.type = 'search'
    search.placeholder = strings.search
    search.dataset.testid = 'user-picker-search'
    const list = document.createElement('ul')
    list.className = 'picker-list'
    const chosen = new Set()

    const finish = (value) => {
      overlay.remove()
      resolve(value)
    }

    const render = () => {
      const q = search.value.trim().toLowerCase()
      list.replaceChildren()
      for (const u of users) {
        if (q && !`${u.name} ${u.position}`.toLowerCase().includes(q)) continue
        const li = document.createElement('li')
        li.className = 'picker-item'
        li.dataset.testid = 'user-picker-item'
        li.dataset.userId = u.id
        const name = document.createElement('b')
        name.textContent = u.name
        const pos = document.createElement('span')
        pos.textContent = u.position
        if (multiple) {
          const box = document.createElement('input')
          box.type = 'checkbox'
          box.checked = chosen.has(u.id)
          box.addEventListener('change', () => (box.checked ? chosen.add(u.id) : chosen.delete(u.id)))
          const label = document.createElement('label')
          label.append(box, name, pos)
          li.append(label)
        } else {
          li.tabIndex = 0
          li.append(name, pos)
          li.addEventListener('click', () => finish(u))
          li.addEventListener('keydown', (e) => e.key === 'Enter' && finish(u))
        }
        list.append(li)
      }
    }

    const buttons = document.createElement('div')
    buttons.className = 'dialog-buttons'
    if (multiple) {
      const ok = document.createElement('button')
      ok.type = 'button'
      ok.className = 'btn primary'
      ok.textContent = strings.ok
      ok.dataset.testid = 'user-picker-ok'
      ok.addEventListener('click', () => finish(users.filter((u) => chosen.has(u.id))))
      buttons.append(ok)
    }
    const cancel = document.createElement('button')
    cancel.type = 'button'
    cancel.className = 'btn'
    cancel.textContent = strings.cancel
    cancel.dataset.testid = 'user-picker-cancel'
    cancel.addEventListener('click', () => finish(multiple ? [] : null))
    buttons.append(cancel)

    search.addEventListener('input', render)
    dialog.append(title, search, list, buttons)
    overlay.append(dialog)
    document.body.append(overlay)
    render()
    search.focus()
  })
}
