// The wire format of the Bitrix24 frame protocol (see the SDK's frame/message/controller).

/**
 * Frame → parent: "command:argsJSON:callbackId:appSid", args omitted when empty and possibly
 * containing ':' themselves; or, for commands whose name has a colon, an object.
 */
export function parseMessage(data) {
  if (typeof data === 'object' && data !== null && typeof data.method === 'string') {
    return { command: data.method, args: data.params ?? '', callback: data.callback, appSid: data.appSid }
  }
  if (typeof data !== 'string' || data === '') return null
  const parts = data.split(':')
  if (parts.length < 3) return { command: parts[0], args: '', callback: parts[1], appSid: undefined }
  const appSid = parts[parts.length - 1]
  const callback = parts[parts.length - 2]
  const raw = parts.slice(1, -2).join(':')
  let args = raw
  if (raw !== '') {
    try {
      args = JSON.parse(raw)
    } catch {
      // isRawValue commands send a bare string: keep it.
    }
  }
  return { command: parts[0], args, callback, appSid }
}

/** Parent → frame: "callbackId:JSON", or just "callbackId" when there is nothing to say. */
export function formatReply(callback, data) {
  return data === undefined ? String(callback) : `${callback}:${JSON.stringify(data)}`
}
