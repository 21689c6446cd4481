import { api } from './api.js'

// The item card's form: reads each field back by its data-kind, sends only what changed (as
// Bitrix24's editor does, so the app's own writes in between are not overwritten), with new
// document versions as base64, and shows REST errors (ACCESS_DENIED…) as a message.

function readField(el) {
  const input = el.querySelector('[id^="f-"]')
  switch (el.dataset.kind) {
    case 'bool':
      return input.checked
    case 'money':
      return { amount: input.value, currency: el.querySelector('[data-part="currency"]').value }
    case 'select':
      return input.multiple ? [...input.selectedOptions].map((o) => o.value) : input.value
    case 'lines':
      return input.value.split('\n').map((s) => s.trim()).filter((s) => s !== '')
    case 'file':
      return null
    default:
      return input.value
  }
}

function toBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''))
    reader.onerror = () => reject(reader.error)
    reader.readAsDataURL(file)
  })
}

function showError(box, config, err) {
  const t = config.strings
  const data = err.data ?? {}
  const denied = data.error === 'ACCESS_DENIED'
  box.querySelector('h2').textContent = denied ? t.accessDenied : t.error
  box.querySelector('p').textContent = denied ? t.saveDeniedText : `${data.error ?? ''} ${data.error_description ?? err.message}`.trim()
  box.hidden = false
  box.scrollIntoView({ block: 'nearest' })
}

export function initCard(config) {
  const form = document.querySelector('[data-testid="card-form"]')
  if (!form) return
  const fields = [...form.querySelectorAll('[data-field]')]
  const initial = new Map(fields.map((el) => [el.dataset.field, JSON.stringify(readField(el))]))
  const box = form.querySelector('[data-testid="card-error"]')
  const save = form.querySelector('[data-testid="card-save"]')

  for (const el of fields.filter((f) => f.dataset.kind === 'file')) {
    const input = el.querySelector('input[type=file]')
    input.addEventListener('change', () => {
      el.querySelector('[data-part="picked"]').textContent = [...input.files].map((f) => f.name).join(', ')
    })
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    box.hidden = true
    const values = {}
    const uploads = {}
    for (const el of fields) {
      const name = el.dataset.field
      if (el.dataset.kind === 'file') {
        const files = [...el.querySelector('input[type=file]').files]
        if (files.length > 0) uploads[name] = await Promise.all(files.map(async (f) => ({ name: f.name, content: await toBase64(f) })))
        continue
      }
      const value = readField(el)
      if (JSON.stringify(value) !== initial.get(name)) values[name] = value
    }
    save.disabled = true
    save.textContent = config.strings.saving
    try {
      const res = await api('/shell/api/crm/item/save', { entityTypeId: config.entityTypeId, id: config.itemId, values, uploads })
      location.assign(res.url)
    } catch (err) {
      showError(box, config, err)
      save.disabled = false
      save.textContent = config.strings.save
    }
  })
}
