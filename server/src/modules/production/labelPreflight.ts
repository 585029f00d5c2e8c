import type { Services } from '../../platform/services.ts';
import { AppError } from '../../platform/errors.ts';
import { E } from './errors.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { buildUdi, type UdiElement } from '../labels/udi.ts';
import { previewNumber } from './numbering.ts';

/**
 * An order whose labels cannot be printed can never be released (its checklist needs printed and
 * reconciled labels once the DMR's labeling spec names UDI elements), and by then its materials
 * are issued. So the labels are built once, as a print would build them, before anything is
 * numbered: a GTIN for (01), a shelf life for (17), a serial for (21) that GS1 can carry (the
 * order's last serial, the longest). Refused 409 with the label's own reason; nothing written.
 */
export async function assertLabelsPrintable(
  s: Services,
  item: { partNumber: string; gtin?: string | null; shelfLifeDays?: number | null },
  elements: string[],
  serials: number,
) {
  if (!elements.length) return;
  const productionDate = todayUtc();
  const serial = serials > 0 ? await previewNumber(s, 'serial', item.partNumber, serials) : undefined;
  try {
    buildUdi(
      {
        gtin: item.gtin ?? '',
        lot: 'L0000-00000',
        serial,
        productionDate,
        expiry: item.shelfLifeDays ? addDays(productionDate, item.shelfLifeDays) : undefined,
      },
      elements as UdiElement[],
    );
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    throw E.LABELS_NOT_PRINTABLE(
      { why: { en: err.localized('en-US'), zh: err.localized('zh-CN') } },
      { cause: err.code, ...((err.details as object) ?? {}) },
    );
  }
}
