import { z } from 'zod';
import { PlatformErrors } from './platformErrors.ts';
import { msg } from './issueText.ts';

// Every number that enters through a request is finite, inside the bounds of its domain and
// carries no more decimals than the domain keeps. The bounds are written down once here, so
// that receipts, POs, lots, work orders and the sampling plan agree (one door does not accept
// what another refuses), and so that arithmetic on bounded values stays exact in a double.

/**
 * The largest quantity of one lot, PO line, receipt line, work order or stock balance, in the
 * item's unit: 10 000 000 — the same figure up to which the ISO 2859-1 sampling plan is offered
 * (Table I's last letter, Q, covers every lot above 500 000; we do not plan lots larger than we
 * can hold). Kept in milli-units it stays far below 2^53, so sums are exact integers.
 */
export const QTY_MAX = 10_000_000;
/** Quantities are kept to 3 decimals (grams of a kilogram, millilitres of a litre). */
export const QTY_DECIMALS = 3;
/** The largest lot size the sampling plan accepts: a lot is never larger than a quantity. */
export const LOT_SIZE_MAX = QTY_MAX;
/** A BOM's quantity per finished unit: up to 1 000 000, to 6 decimals (a few µg of an additive). */
export const BOM_QTY_MAX = 1_000_000;
export const BOM_QTY_DECIMALS = 6;
/** Money in CNY (or the PO's currency): at most 1 000 000 000 000, to the cent (fen). */
export const MONEY_MAX = 1e12;
export const MONEY_DECIMALS = 2;
/** A unit price: at most 1 000 000 000 per unit, to 4 decimals (prices of small parts in fen fractions). */
export const UNIT_PRICE_MAX = 1e9;
export const UNIT_PRICE_DECIMALS = 4;
/** Measured values and specification limits (step captures, inspection characteristics): finite, ±1e9, 6 decimals. */
export const MEASURE_MAX = 1e9;
export const MEASURE_DECIMALS = 6;
/** Counts of labels printed, used or destroyed on one order. */
export const LABEL_COUNT_MAX = 1_000_000;
/**
 * An ISO calendar date (YYYY-MM-DD, UTC). The pattern already excludes month 13 or day 00, so a
 * generated client or fuzzer rarely produces what the calendar check then refuses.
 */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, msg('a date like 2026-12-01', '应为形如 2026-12-01 的日期'))
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    msg('not a calendar date', '不是日历上存在的日期'),
  );
/** Day and month intervals: shelf life up to 100 years; calibration up to 10 years. */
export const SHELF_LIFE_DAYS_MAX = 36_500;
/** A record's ledger version as a client sends it back (optimistic concurrency). */
export const VERSION_MAX = 1_000_000_000;

/**
 * True when `n` is finite, within ±max, and has at most `decimals` decimals. Checked by scaling
 * to an integer and back, not on Number#toString (which writes 1e-7 and 1e21 forms).
 */
export function hasDecimals(n: number, decimals: number): boolean {
  if (!Number.isFinite(n)) return false;
  const scale = 10 ** decimals;
  const scaled = Math.round(n * scale);
  return Number.isSafeInteger(scaled) && scaled / scale === n;
}

/** A finite decimal number in [min, max] with at most `decimals` decimals. */
export function decimal(min: number, max: number, decimals: number) {
  return z
    .number()
    .min(min)
    .max(max)
    .refine(
      (n) => hasDecimals(n, decimals),
      decimals === 0
        ? msg('a whole number', '应为整数')
        : msg(`at most ${decimals} decimals`, `最多 ${decimals} 位小数`),
    );
}
/** A whole number in [min, max] (always a safe integer). */
export const whole = (min: number, max: number) => z.number().int().min(min).max(max);

/** A finite decimal number in (0, max]: the exclusive minimum is in the schema (and so in the OpenAPI document). */
function positiveDecimal(max: number, decimals: number) {
  return z
    .number()
    .gt(0, msg('more than zero', '应大于零'))
    .max(max)
    .refine((n) => hasDecimals(n, decimals), msg(`at most ${decimals} decimals`, `最多 ${decimals} 位小数`));
}
/** A positive quantity (of a lot, a line, an order). */
export const Quantity = positiveDecimal(QTY_MAX, QTY_DECIMALS);
/** A quantity that may be zero (a count, a consumed or scrapped amount, a stock level). */
export const QuantityOrZero = decimal(0, QTY_MAX, QTY_DECIMALS);
/** A signed, non-zero change of a quantity (a stock adjustment). */
export const QuantityDelta = decimal(-QTY_MAX, QTY_MAX, QTY_DECIMALS).refine(
  (n) => n !== 0,
  msg('not zero', '不能为零'),
);
export const BomQuantity = positiveDecimal(BOM_QTY_MAX, BOM_QTY_DECIMALS);
export const Money = decimal(0, MONEY_MAX, MONEY_DECIMALS);
export const UnitPrice = decimal(0, UNIT_PRICE_MAX, UNIT_PRICE_DECIMALS);
export const Measurement = decimal(-MEASURE_MAX, MEASURE_MAX, MEASURE_DECIMALS);
export const Percent = whole(0, 100);
export const LabelCount = whole(0, LABEL_COUNT_MAX);
export const ShelfLifeDays = whole(1, SHELF_LIFE_DAYS_MAX);
export const RecordVersion = whole(1, VERSION_MAX);

/**
 * A number in a query string or path: only a plain decimal ("12", "-0.5") of at most 15 digits
 * becomes a number; anything else ("", "0x10", "1e3", "Infinity", " 12", "9007199254740993")
 * stays a string and fails the schema.
 */
export function fromText<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (typeof v === 'string' && isPlainDecimal(v) ? Number(v) : v), schema);
}
/** Up to 15 significant digits: every such decimal has one exact double (2^53 + 1 does not). */
const isPlainDecimal = (v: string) => /^-?\d+(\.\d+)?$/.test(v) && v.replace(/^-?0*/, '').replace('.', '').length <= 15;

// Arithmetic on quantities: in integer milli-units, so 0.1 + 0.2 style drift never reaches the ledger.
const MILLI = 10 ** QTY_DECIMALS;
export const toMilli = (n: number) => Math.round(n * MILLI);
export const fromMilli = (m: number) => m / MILLI;
/** Quantities are kept to 3 decimals so that sums never drift (0.1 + 0.2). */
export const roundQty = (n: number) => fromMilli(toMilli(n));
/** The exact sum of quantities (each already at most 3 decimals). */
export const sumQty = (...xs: number[]) => fromMilli(xs.reduce((a, x) => a + toMilli(x), 0));
/** quantity × factor (a BOM quantity per unit, a unit price), exact in integers, rounded to `decimals`. */
export function product(a: number, aDecimals: number, b: number, bDecimals: number, decimals: number): number {
  const scaled = BigInt(Math.round(a * 10 ** aDecimals)) * BigInt(Math.round(b * 10 ** bDecimals));
  const shift = 10n ** BigInt(aDecimals + bDecimals - decimals);
  const rounded = (scaled + shift / 2n) / shift; // non-negative operands: half up
  return Number(rounded) / 10 ** decimals;
}

/** Σ quantity × unit price, exact in integers (milli-units × 1/10 000), rounded once to the cent. */
export function amountOf(lines: Array<{ quantity: number; unitPrice: number }>): number {
  const exact = lines.reduce(
    (a, l) => a + BigInt(toMilli(l.quantity)) * BigInt(Math.round(l.unitPrice * 10 ** UNIT_PRICE_DECIMALS)),
    0n,
  );
  const shift = 10n ** BigInt(QTY_DECIMALS + UNIT_PRICE_DECIMALS - MONEY_DECIMALS);
  return Number((exact + shift / 2n) / shift) / 10 ** MONEY_DECIMALS;
}

/** A result of quantity arithmetic that would leave the domain's bounds: refused, nothing written. */
export function assertQuantityInRange(result: number, what: { en: string; zh: string }, max = QTY_MAX) {
  if (Number.isFinite(result) && result >= 0 && result <= max) return;
  throw PlatformErrors.QUANTITY_OUT_OF_RANGE({ what, result, max }, { result, min: 0, max });
}
/** The same for money (a PO line's amount, a PO's total). */
export function assertAmountInRange(result: number, what: { en: string; zh: string }) {
  if (Number.isFinite(result) && result >= 0 && result <= MONEY_MAX) return;
  throw PlatformErrors.AMOUNT_OUT_OF_RANGE({ what, result, max: MONEY_MAX }, { result, min: 0, max: MONEY_MAX });
}

/**
 * An optional field a form may send blank: absent, empty or whitespace-only means "not given";
 * anything else must be a valid `t`. Written as a union (not a preprocess) so the OpenAPI document
 * says exactly that (a blank string, or the field's own schema), and a fuzzer that sends "" finds
 * the server doing what the document says. A wrong value reports the field's own message.
 */
const Blank = z
  .string()
  .regex(/^\s*$/)
  .transform(() => undefined);
export const optional = <T extends z.ZodType>(t: T) =>
  z
    .union([Blank, t], {
      error: (iss) => (iss as { errors?: Array<Array<{ message: string }>> }).errors?.[1]?.[0]?.message,
    })
    .optional();
