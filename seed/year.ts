import type { Services } from '../server/src/platform/services.ts';
import { sessionUsers } from './sessionUsers.ts';
import { stockUp } from './stock.ts';
import { onDay } from './timeline.ts';
import { addMonths, todayUtc } from '../server/src/platform/dates.ts';

// A year of incoming goods before the present (issue 13 item 8): every month one delivery from an
// approved supplier (the roller clamps from Ningbo Jingmo every other month) — each receipt ordered, received with its CoA, inspected to its sampling plan and released by QA
// (ISO 13485:2016 7.4.3), on its own simulated day, so the incoming-inspection and inventory KPIs
// have monthly series. The oldest stock is the first consumed by the present's work orders (FEFO).

const JINGMO = {
  supplier: { code: 'SUP-JINGMO', name: 'Ningbo Jingmo Plastics Co., Ltd.' },
  lines: [{ pn: 'CP-RCL-001', quantity: 300 }],
};
const ROTATION = [
  JINGMO,
  {
    supplier: { code: 'SUP-HUASU', name: 'Zhejiang Huasu Medical Materials Co., Ltd.' },
    lines: [{ pn: 'PK-EOP-001', quantity: 300 }],
  },
  JINGMO,
  {
    supplier: { code: 'SUP-HONGDA', name: 'Jiangxi Hongda Needle Co., Ltd.' },
    lines: [{ pn: 'CP-NDL-001', quantity: 300 }],
  },
  JINGMO,
  {
    supplier: { code: 'SUP-HENGTONG', name: 'Shenzhen Hengtong Electronics Co., Ltd.' },
    lines: [{ pn: 'CP-BAT-100', quantity: 4 }],
  },
];

/** The months of history: one receipt day in each of the 11 calendar months before this one, as days before today, oldest first. */
export const YEAR_DAYS = Array.from({ length: 11 }, (_, i) => {
  const today = todayUtc();
  return Math.round((Date.parse(today) - Date.parse(addMonths(today, i - 11))) / 86_400_000);
});

export async function seedYear(s: Services): Promise<number> {
  const users = await sessionUsers(s);
  const who = (n: string) => users.get(n)!;
  const stock = {
    purchaser: who('purchaser'),
    supervisor: who('prod.supervisor'),
    warehouse: who('warehouse'),
    qaEng: who('qa.engineer'),
  };
  for (const [i, days] of YEAR_DAYS.entries()) {
    const { supplier, lines } = ROTATION[i % ROTATION.length];
    await onDay(days, () => stockUp(s, stock, supplier, lines));
  }
  return YEAR_DAYS.length;
}
