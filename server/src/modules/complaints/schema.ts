import { z } from 'zod';
import { Credentials, Id, msg, Reason, Text } from '../../platform/schemas.ts';
import { IsoDate, optional, RecordVersion } from '../../platform/fields.ts';
import { isImdrfCode, IMDRF_ANNEXES, type ImdrfAnnex } from './imdrfCodes.ts';
import { RELATIONSHIPS, YES_NO_UNKNOWN } from './events.ts';

// The complaint's input, validated at the door (zod): every field typed and bounded, so an
// operator object (`{"$ne": null}`) in any field or query is a 400 and nothing is written.

/** A code of one IMDRF annex, from the list the product ships (imdrfCodes.ts); any other is refused. */
const codeOf = (annex: ImdrfAnnex) =>
  z
    .string()
    .max(20)
    .refine((c) => isImdrfCode(annex, c), {
      message: msg(
        `not an IMDRF Annex ${annex} code of the shipped list (GET /imdrf-codes?annex=${annex})`,
        `不是随产品提供的 IMDRF 附件 ${annex} 代码(见 GET /imdrf-codes?annex=${annex})`,
      ),
    });
const codeList = (annex: ImdrfAnnex, min = 0) => z.array(codeOf(annex)).min(min).max(10);

/** ISO 3166-1 alpha-2 country code (where the event occurred). */
const Country = z
  .string()
  .regex(/^[A-Za-z]{2}$/, msg('a two-letter country code (ISO 3166-1)', '应为两位国家代码(ISO 3166-1)'));

export const NewComplaintBody = z
  .object({
    /** The lot or serial the complaint names: its id, lot number or serial number. */
    lot: optional(Text(100).min(1)),
    /** The device, when no lot or serial is known. */
    itemId: optional(Id),
    receivedDate: IsoDate,
    awarenessDate: IsoDate,
    complainant: z.object({
      name: Text(200).min(1),
      address: Text(500).min(1),
      phone: Text(50).min(1),
      email: optional(Text(200)),
    }),
    nature: Text(5000).min(1),
    country: Country,
    failedSpecifications: z.enum(YES_NO_UNKNOWN),
    usedForTreatmentOrDiagnosis: z.enum(YES_NO_UNKNOWN),
    relationship: z.enum(RELATIONSHIPS),
    codes: z.object({
      A: codeList('A', 1),
      E: codeList('E').optional(),
      F: codeList('F').optional(),
      G: codeList('G').optional(),
    }),
  })
  .refine((b) => !!b.lot || !!b.itemId, {
    path: ['lot'],
    message: msg('name the lot or serial, or the device', '请填写批次或序列号,或器械'),
  });
export type NewComplaint = z.infer<typeof NewComplaintBody>;

export const ComplaintQuery = z
  .object({
    status: optional(z.enum(['open', 'investigated', 'closed'])),
    product: optional(Id),
    lot: optional(Id),
    overdue: optional(z.enum(['true', 'false'])),
  })
  .strict(); // an unknown key (`status[$ne]`) is refused, not ignored
export type ComplaintFilter = z.infer<typeof ComplaintQuery>;

export const ACTIONS = ['record_response', 'link_nc', 'link_capa', 'investigate', 'no_investigation', 'close'] as const;
export const ActionParams = z.object({ id: Id, action: z.enum(ACTIONS) });

const Base = {
  version: optional(RecordVersion),
  password: optional(Credentials.password),
  totp: Credentials.totp,
  reason: optional(Reason),
};
/** Each action's body: what it needs, and nothing of another type. */
export const ACTION_BODIES = {
  record_response: z
    .object({ ...Base, correction: optional(Text(5000)), reply: optional(Text(5000)), replyDate: optional(IsoDate) })
    .refine((b) => !!b.correction || !!b.reply, {
      path: ['reply'],
      message: msg('a correction or a reply', '请填写纠正或答复'),
    }),
  link_nc: z.object({ ...Base, ncId: Id }),
  link_capa: z.object({ ...Base, capaId: Id }),
  investigate: z.object({
    ...Base,
    findings: Text(10000).min(1),
    date: optional(IsoDate),
    codesB: codeList('B').optional(),
    codesC: codeList('C').optional(),
    codesD: codeList('D').optional(),
    codesG: codeList('G').optional(),
  }),
  no_investigation: z.object({ ...Base, reason: Reason }),
  close: z.object({ ...Base }),
} as const;

/** The union of every action's fields, each typed (the route's declared body; the action's own schema is applied next). */
export const ActionBody = z.object({
  ...Base,
  correction: optional(Text(5000)),
  reply: optional(Text(5000)),
  replyDate: optional(IsoDate),
  ncId: optional(Id),
  capaId: optional(Id),
  findings: optional(Text(10000)),
  date: optional(IsoDate),
  codesB: codeList('B').optional(),
  codesC: codeList('C').optional(),
  codesD: codeList('D').optional(),
  codesG: codeList('G').optional(),
});

export const CodesQuery = z.object({ annex: optional(z.enum(IMDRF_ANNEXES)) }).strict();
