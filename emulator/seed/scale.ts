/**
 * Benchmark seed: N extra contracts, inserted through crm.item.add in-process (no HTTP), so a
 * 100,000-contract portal is ready in well under a minute.
 */
import type { Emu } from '../core/context.ts'
import { APP_OPTION_KEYS, STAGES, stageId } from '../../src/domain/schema.ts'
import { parseInstallRecord } from '../../src/services/install/routes.ts'
import { CONTRACT_KINDS, COUNTERPARTIES, PEOPLE } from './people.ts'
import { prng } from './demo.ts'

export function seedScale(ctx: Emu, count: number): void {
  const install = parseInstallRecord(ctx.db.app.options[APP_OPTION_KEYS.install])
  if (!install) throw new Error('Scale seed needs the app installed (run the demo seed first)')
  const method = ctx.methods['crm.item.add']
  const author = ctx.db.users.find((u) => u.ID === PEOPLE.salesManager) ?? ctx.db.users[0]
  if (!method || !author) throw new Error('Scale seed: crm.item.add or users missing')
  const rnd = prng(42)
  const f = install.fields
  for (let i = 0; i < count; i++) {
    const stage = STAGES[i % STAGES.length]?.code ?? 'NEW'
    const amount = Math.round(50_000 + rnd() * 30_000_000)
    // crm.item.add is synchronous in this implementation; calling it directly skips Promise churn.
    void method({
      ctx, user: author, auth: 'internal', method: 'crm.item.add', token: null,
      params: {
        entityTypeId: install.entityTypeId,
        fields: {
          title: `${CONTRACT_KINDS[i % CONTRACT_KINDS.length]} с ${COUNTERPARTIES[i % COUNTERPARTIES.length]} (массовый №${i + 1})`,
          assignedById: [PEOPLE.salesManager, PEOPLE.procurementManager, PEOPLE.salesManager2][i % 3],
          stageId: stageId(install.entityTypeId, install.categoryId, stage),
          [f.number]: `BENCH-${String(i + 1).padStart(6, '0')}`, [f.amount]: `${amount}|RUB`, [f.round]: 1,
          [f.date]: `2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
        },
      },
    })
  }
  ctx.save()
}
