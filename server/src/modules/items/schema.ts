import { z } from 'zod';
import { AQLS, CONTROLS, ITEM_TYPES, LOCATION_KINDS } from './item.record.ts';
import { Bilingual, Code, OptionalBilingual, Reason, Text, msg } from '../../platform/schemas.ts';
import { isValidGtin14 } from './gtin.ts';
import { UnitCode } from '../../platform/units.ts';
import { optional, Measurement, QuantityOrZero, RecordVersion, ShelfLifeDays, whole } from '../../platform/fields.ts';

const Characteristic = z
  .object({
    name: Text(100).min(1),
    unit: Text(20).default(''),
    lower: Measurement.nullable().default(null),
    upper: Measurement.nullable().default(null),
  })
  .refine(
    (c) => c.lower === null || c.upper === null || c.lower <= c.upper,
    msg('lower limit above upper limit', '下限高于上限'),
  );

// The editable fields without defaults (a revision changes only what it names) …
const ItemFieldsShape = {
  name: Bilingual,
  type: z.enum(ITEM_TYPES),
  unit: UnitCode,
  control: z.enum(CONTROLS),
  shelfLifeDays: ShelfLifeDays.nullable(),
  storage: OptionalBilingual,
  safetyStock: QuantityOrZero,
  reorderPoint: QuantityOrZero,
  warrantyMonths: whole(0, 240),
  gtin: optional(
    z
      .string()
      .refine(
        isValidGtin14,
        msg('a GTIN-14: 14 digits with a valid GS1 check digit', '应为 GTIN-14:14 位数字,GS1 校验位正确'),
      )
      .nullable(),
  ),
  aql: z.union(AQLS.map((a) => z.literal(a)) as unknown as [z.ZodLiteral<number>, z.ZodLiteral<number>]),
  characteristics: z.array(Characteristic).max(30),
};
// … and the defaults of a new item.
const ItemCreateShape = {
  ...ItemFieldsShape,
  shelfLifeDays: ItemFieldsShape.shelfLifeDays.default(null),
  storage: OptionalBilingual.default({ zh: '', en: '' }),
  safetyStock: ItemFieldsShape.safetyStock.default(0),
  reorderPoint: ItemFieldsShape.reorderPoint.default(0),
  warrantyMonths: ItemFieldsShape.warrantyMonths.default(0),
  gtin: ItemFieldsShape.gtin.transform((g) => g ?? null),
  aql: ItemFieldsShape.aql.default(1),
  characteristics: ItemFieldsShape.characteristics.default([]),
};

export const CreateItemBody = z
  .object({ partNumber: Code, ...ItemCreateShape })
  .strict()
  .refine((b) => b.gtin === null || b.type === 'finished', {
    message: msg('GTINs identify finished devices only', 'GTIN 只用于成品器械'),
    path: ['gtin'],
  });
export type CreateItemInput = z.infer<typeof CreateItemBody>;

export const ReviseItemBody = z
  .object({
    version: RecordVersion,
    reason: Reason,
    changes: z
      .object(
        Object.fromEntries(
          Object.entries(ItemFieldsShape)
            .filter(([k]) => k !== 'type' && k !== 'control')
            .map(([k, v]) => [k, (v as z.ZodType).optional()]),
        ) as Record<string, z.ZodType>,
      )
      .strict()
      .refine((c) => Object.keys(c).length > 0, msg('at least one change', '至少修改一项')),
  })
  .strict();

export const ActiveBody = z.object({ active: z.boolean(), reason: Reason }).strict();

export const ItemQuery = z.object({
  q: optional(Text(100)),
  type: optional(z.enum(ITEM_TYPES)),
  active: optional(z.enum(['true', 'false']).transform((v) => v === 'true')),
});

export const CreateLocationBody = z
  .object({
    code: Code,
    name: Bilingual,
    kind: z.enum(LOCATION_KINDS),
    warehouse: Code,
    area: optional(Code),
    bin: optional(Code),
  })
  .strict();
export const UpdateLocationBody = z
  .object({ name: Bilingual.optional(), kind: z.enum(LOCATION_KINDS).optional(), reason: Reason })
  .strict();

export const CreateCustomerBody = z
  .object({
    code: Code,
    name: Bilingual,
    country: Text(60).default(''),
    address: Text(500).default(''),
    contact: Text(200).default(''),
  })
  .strict();
export const UpdateCustomerBody = z
  .object({
    name: Bilingual.optional(),
    country: Text(60).optional(),
    address: Text(500).optional(),
    contact: Text(200).optional(),
    reason: Reason,
  })
  .strict();

export const CodeParams = z.object({ code: Code });
