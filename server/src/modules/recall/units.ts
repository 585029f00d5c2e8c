import { sumQty } from '../../platform/fields.ts';
import type { RecallUnitState } from './recall.record.ts';

/** Units still unaccounted for of one lot: shipped less every disposition but "not found" (which is recorded, not accounted). */
export const openQuantity = (u: RecallUnitState) =>
  sumQty(u.shipped, ...u.dispositions.filter((d) => d.disposition !== 'not_found').map((d) => -d.quantity));
