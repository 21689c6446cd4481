/** How a stage looks in the workspace lists: the kit's badge colour for its code. */
import type { StageCode } from '../../domain/schema.ts'

export type BadgeColor = 'air-primary' | 'air-primary-warning' | 'air-primary-success' | 'air-primary-alert' | 'air-secondary'

export function stageColor(code: StageCode | null): BadgeColor {
  switch (code) {
    case 'APPROVAL': return 'air-primary'
    case 'RETURNED': return 'air-primary-warning'
    case 'ORIGINALS':
    case 'SUCCESS': return 'air-primary-success'
    case 'WITHDRAWN':
    case 'FAIL': return 'air-primary-alert'
    default: return 'air-secondary'
  }
}
