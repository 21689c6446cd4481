// JSON calls to the shell's own endpoints (/shell/api/*). A 409 means the portal user changed in
// another tab: the page reloads as the new user rather than act with mixed identities.

export async function api(path, body) {
  const res = await fetch(path, body === undefined
    ? { credentials: 'same-origin' }
    : { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
  if (res.status === 409) {
    location.reload()
    throw new Error('portal user changed')
  }
  const data = await res.json()
  if (!res.ok) throw Object.assign(new Error(data.error || `HTTP ${res.status}`), { data, status: res.status })
  return data
}
