import { z } from 'zod';
import { msg } from './issueText.ts';

/**
 * The units an item is counted, stocked and bought in: one declarative list, so a quantity's unit
 * is never free text a Chinese screen would show in English (issue 15 item 8). `ucum` is the UCUM
 * code (Unified Code for Units of Measure; `{…}` is UCUM's annotation for counted things) and
 * `rec20` the UN/ECE Recommendation No. 20 common code used on trade documents (H87 piece,
 * MMT millimetre, MLT millilitre, LTR litre, GRM gram, KGM kilogram, HUR hour, MIN minute,
 * SEC second, BX box, SET set, RO roll, MTR metre). The client shows the label from its `units`
 * locale namespace, which lists exactly these codes (a test holds the two together).
 */
export interface Unit {
  code: string;
  /** Its name in both UI languages (nested: a unit is master data, not an error catalog entry). */
  name: { en: string; zh: string };
  ucum: string;
  rec20: string;
}

export const UNITS: readonly Unit[] = [
  { code: 'pcs', name: { en: 'pieces', zh: '件' }, ucum: '{piece}', rec20: 'H87' },
  { code: 'mm', name: { en: 'millimetres', zh: '毫米' }, ucum: 'mm', rec20: 'MMT' },
  { code: 'm', name: { en: 'metres', zh: '米' }, ucum: 'm', rec20: 'MTR' },
  { code: 'mL', name: { en: 'millilitres', zh: '毫升' }, ucum: 'mL', rec20: 'MLT' },
  { code: 'L', name: { en: 'litres', zh: '升' }, ucum: 'L', rec20: 'LTR' },
  { code: 'g', name: { en: 'grams', zh: '克' }, ucum: 'g', rec20: 'GRM' },
  { code: 'kg', name: { en: 'kilograms', zh: '千克' }, ucum: 'kg', rec20: 'KGM' },
  { code: 'h', name: { en: 'hours', zh: '小时' }, ucum: 'h', rec20: 'HUR' },
  { code: 'min', name: { en: 'minutes', zh: '分钟' }, ucum: 'min', rec20: 'MIN' },
  { code: 's', name: { en: 'seconds', zh: '秒' }, ucum: 's', rec20: 'SEC' },
  { code: 'box', name: { en: 'boxes', zh: '盒' }, ucum: '{box}', rec20: 'BX' },
  { code: 'set', name: { en: 'sets', zh: '套' }, ucum: '{set}', rec20: 'SET' },
  { code: 'roll', name: { en: 'rolls', zh: '卷' }, ucum: '{roll}', rec20: 'RO' },
];

const BY_CODE = new Map(UNITS.map((u) => [u.code, u]));
export const isUnit = (code: string) => BY_CODE.has(code);
export const unitOf = (code: string): Unit | undefined => BY_CODE.get(code);

/** An item's unit: one of UNITS by its code (case matters: mL and L are not ml and l). */
export const UnitCode = z
  .string()
  .trim()
  .min(1)
  .max(20)
  // piped: a string refused for its length is not also told about the list
  .pipe(
    z
      .string()
      .refine(
        isUnit,
        msg(
          `a unit from the unit list (${UNITS.map((u) => u.code).join(', ')})`,
          `应为单位表中的单位(${UNITS.map((u) => `${u.code} ${u.name.zh}`).join('、')})`,
        ),
      ),
  );
