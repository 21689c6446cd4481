import type { MethodTable } from '../../core/context.ts'
import { batchMethods } from '../batch.ts'
import { crmTypeMethods } from './crm-type.ts'
import { crmItemMethods } from './crm-item.ts'
import { userFieldMethods } from './userfield.ts'
import { timelineMethods } from './timeline.ts'
import { portalMethods } from './portal.ts'
import { cardConfigMethods } from './card-config.ts'
import { entityMethods } from './entity.ts'
import { pullMethods } from '../../pull/methods.ts'
import { pullHub } from '../../pull/hub.ts'
import { withNotifyPush } from '../../pull/im.ts'

/**
 * Every REST method the emulator answers, by lower-case name. `bizproc.task.list` is deliberately
 * absent: the app does not use business processes (see emulator/README.md).
 */
export function allMethods(): MethodTable {
  const table: MethodTable = {}
  for (const group of [batchMethods, crmTypeMethods, crmItemMethods, userFieldMethods, timelineMethods, portalMethods, cardConfigMethods, entityMethods, pullMethods]) {
    for (const [name, fn] of Object.entries(group)) table[name.toLowerCase()] = fn
  }
  // A stored notification is announced on the recipient's personal channel (emulator/pull/im.ts).
  withNotifyPush(table)
  // The app's scopes include `pull` unless a test installed it without (emulator/pull/).
  const scope = table.scope
  if (scope) {
    table.scope = async (call) => {
      const out = await scope(call)
      const list = Array.isArray(out.result) ? (out.result as string[]) : []
      return { ...out, result: pullHub(call.ctx).faults.scope ? [...list.filter((s) => s !== 'pull'), 'pull'] : list.filter((s) => s !== 'pull') }
    }
  }
  return table
}
