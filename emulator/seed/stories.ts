/**
 * What happened to each demo contract: its amount and kind (which pick the seeded route: small
 * < 300 000 ₽, large ≥ 1 000 000 ₽, standard otherwise), its author, and the moves people made
 * on it, when. history.ts plays them through the app's own approval code.
 *
 * Times are hours before the seed ran: the first move at `from`, the last at `to`, the rest in
 * between. A contract still on approval has been waiting `to` hours on its current step, so the
 * steps below that wait longer than their SLA (24 h; 48 h for the CFO and the CEO) are overdue.
 */
import type { StageCode } from '../../src/domain/schema.ts'
import { PEOPLE } from './people.ts'

export type Move =
  | { readonly do: 'submit' | 'approve' | 'receive' | 'archive'; readonly comment?: string }
  | { readonly do: 'resubmit' | 'withdraw'; readonly comment?: string }
  | { readonly do: 'return'; readonly comment: string }

export interface Story {
  /** Where the moves leave it; NEW and FAIL have no moves (FAIL was closed in the CRM). */
  readonly stage: StageCode
  /** Index into CONTRACT_KINDS. */
  readonly kind: number
  readonly amount: number
  readonly author: number
  readonly from: number
  readonly to: number
  readonly moves: readonly Move[]
}

const S: Move = { do: 'submit' }
const A: Move = { do: 'approve' }
const A_OK: Move = { do: 'approve', comment: 'Замечаний нет.' }
const R = (comment: string): Move => ({ do: 'return', comment })
const W = (comment?: string): Move => ({ do: 'withdraw', ...(comment ? { comment } : {}) })
const RCV: Move = { do: 'receive' }
const ARC: Move = { do: 'archive' }

const SALES = PEOPLE.salesManager
const PROC = PEOPLE.procurementManager
const SALES2 = PEOPLE.salesManager2

const draft = (kind: number, amount: number, author: number): Story => ({ stage: 'NEW', kind, amount, author, from: 0, to: 0, moves: [] })
const closed = (kind: number, amount: number, author: number): Story => ({ stage: 'FAIL', kind, amount, author, from: 0, to: 0, moves: [] })

export const STORIES: readonly Story[] = [
  draft(0, 8_400_000, SALES),
  draft(4, 260_000, PROC),
  draft(7, 540_000, SALES2),
  draft(11, 1_950_000, PROC),
  draft(8, 140_000, SALES),
  draft(13, 690_000, SALES2),

  // On approval: every route, every kind of step, three of them overdue.
  { stage: 'APPROVAL', kind: 1, amount: 240_000, author: SALES, from: 5, to: 5, moves: [S] }, // department head
  { stage: 'APPROVAL', kind: 4, amount: 180_000, author: PROC, from: 50, to: 30, moves: [S, A] }, // lawyer, overdue
  { stage: 'APPROVAL', kind: 2, amount: 650_000, author: SALES2, from: 4, to: 4, moves: [S] }, // lawyer
  { stage: 'APPROVAL', kind: 5, amount: 850_000, author: SALES, from: 26, to: 10, moves: [S, A_OK] }, // security
  { stage: 'APPROVAL', kind: 3, amount: 540_000, author: PROC, from: 70, to: 20, moves: [S, A, A] }, // CEO
  { stage: 'APPROVAL', kind: 0, amount: 4_200_000, author: SALES2, from: 40, to: 6, moves: [S, A, A] }, // CFO
  { stage: 'APPROVAL', kind: 6, amount: 12_800_000, author: SALES, from: 120, to: 60, moves: [S, A, A, A] }, // CEO, overdue
  { stage: 'APPROVAL', kind: 10, amount: 2_350_000, author: PROC, from: 2, to: 2, moves: [S] }, // lawyer
  { stage: 'APPROVAL', kind: 9, amount: 7_500_000, author: SALES2, from: 48, to: 28, moves: [S, A] }, // security, overdue
  { stage: 'APPROVAL', kind: 12, amount: 120_000, author: SALES2, from: 8, to: 8, moves: [S] }, // department head

  { stage: 'RETURNED', kind: 2, amount: 720_000, author: SALES, from: 72, to: 50, moves: [S, R('Приведите п. 5 о подсудности к шаблону холдинга: споры — в Арбитражном суде Санкт-Петербурга и Ленинградской области.')] },
  { stage: 'RETURNED', kind: 0, amount: 3_100_000, author: PROC, from: 100, to: 30, moves: [S, A, A, R('Сумма превышает бюджет квартала. Разбейте поставку на два этапа и приложите график платежей.')] },
  { stage: 'RETURNED', kind: 8, amount: 95_000, author: SALES2, from: 30, to: 20, moves: [S, R('Нет обоснования выбора подрядчика: приложите два коммерческих предложения.')] },
  { stage: 'RETURNED', kind: 7, amount: 480_000, author: SALES, from: 60, to: 12, moves: [S, A, R('Контрагент не прошёл проверку: нет лицензии на частную охранную деятельность. Запросите копию лицензии.')] },
  { stage: 'RETURNED', kind: 3, amount: 1_600_000, author: PROC, from: 150, to: 40, moves: [S, A, A, A_OK, R('Согласую после снижения бонуса дилера до 3 % и срока действия до одного года.')] },

  { stage: 'ORIGINALS', kind: 1, amount: 210_000, author: SALES, from: 90, to: 60, moves: [S, A, A] },
  { stage: 'ORIGINALS', kind: 5, amount: 900_000, author: PROC, from: 200, to: 120, moves: [S, A_OK, A, A] },
  { stage: 'ORIGINALS', kind: 0, amount: 5_600_000, author: SALES2, from: 260, to: 140, moves: [S, A, A, A, A] },
  { stage: 'ORIGINALS', kind: 13, amount: 430_000, author: SALES, from: 70, to: 26, moves: [S, A, A, A] },
  { stage: 'ORIGINALS', kind: 12, amount: 60_000, author: PROC, from: 40, to: 18, moves: [S, A, A_OK] },
  { stage: 'ORIGINALS', kind: 3, amount: 18_000_000, author: SALES2, from: 330, to: 170, moves: [S, A, A, A_OK, A] },
  { stage: 'ORIGINALS', kind: 2, amount: 770_000, author: SALES, from: 50, to: 3, moves: [S, A, A, A] },

  { stage: 'SUCCESS', kind: 6, amount: 9_900_000, author: PROC, from: 820, to: 560, moves: [S, A, A, A, A, RCV, ARC] },
  { stage: 'SUCCESS', kind: 1, amount: 280_000, author: SALES, from: 700, to: 610, moves: [S, A, A, RCV, ARC] },
  { stage: 'SUCCESS', kind: 9, amount: 1_200_000, author: SALES2, from: 640, to: 430, moves: [S, A, A, A, A_OK, RCV, ARC] },
  { stage: 'SUCCESS', kind: 11, amount: 750_000, author: PROC, from: 560, to: 400, moves: [S, A, A, A, RCV, ARC] },
  { stage: 'SUCCESS', kind: 10, amount: 330_000, author: SALES, from: 480, to: 320, moves: [S, A_OK, A, A, RCV, ARC] },
  { stage: 'SUCCESS', kind: 4, amount: 150_000, author: SALES2, from: 400, to: 300, moves: [S, A, A, RCV, ARC] },
  { stage: 'SUCCESS', kind: 0, amount: 6_300_000, author: PROC, from: 360, to: 200, moves: [S, A, A, A, A, RCV, ARC] },
  { stage: 'SUCCESS', kind: 7, amount: 610_000, author: SALES, from: 300, to: 150, moves: [S, A, A, A, RCV, ARC] },

  { stage: 'WITHDRAWN', kind: 0, amount: 2_900_000, author: SALES2, from: 96, to: 48, moves: [S, A, A, W('Клиент отказался от покупки, сделка закрыта.')] },
  { stage: 'WITHDRAWN', kind: 8, amount: 370_000, author: SALES, from: 130, to: 80, moves: [S, R('Цена выше рыночной на 20 %: нужен тендер.'), W('Проведём тендер и оформим новый договор.')] },
  { stage: 'WITHDRAWN', kind: 5, amount: 90_000, author: PROC, from: 36, to: 34, moves: [S, W('Кампания перенесена на следующий год.')] },

  closed(6, 15_000_000, SALES),
  closed(13, 820_000, PROC),
  closed(10, 230_000, SALES2),
]

/**
 * The resubmitted contract: the CFO returned round 1 over the amount and the payment clauses,
 * the author uploaded a second version with a lower price and resubmitted; round 2 waits for
 * the lawyer.
 */
export const RESUBMITTED = {
  number: 'СЕВ-П-2026/0777',
  kind: 0,
  author: SALES,
  v1Amount: 12_400_000,
  v2Amount: 11_950_000,
  round1: {
    from: 150, to: 50,
    moves: [S, A, A, R('Цена 12 400 000 ₽ выше бюджета: нужна скидка не менее 3 %. В п. 3 предоплата не более 30 %, в п. 4 ограничьте пени 5 % от суммы договора.')] as Move[],
  },
  /** The second version is uploaded just before round 2 is submitted. */
  round2: { from: 20, to: 20, moves: [{ do: 'resubmit', comment: 'Цена снижена до 11 950 000 ₽, пп. 3 и 4 изменены по замечаниям финансовой службы.' }] as Move[] },
} as const
