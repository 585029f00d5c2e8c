import { z } from 'zod';
import { Credentials, Id, Reason, Text } from '../../platform/schemas.ts';
import { optional, RecordVersion, whole } from '../../platform/fields.ts';
import { CONTROL_KINDS } from './events.ts';
import { LEVELS_MAX, PlanContent } from './policy.ts';

// The request bodies of the risk context. Every field typed and bounded; an object where a value
// belongs (`{"$ne": null}`) fails its type, and queries are strict (an unknown key is refused).
const Level = whole(1, LEVELS_MAX);
/** A probability as a number in (0, 1] (ISO 14971:2019 Annex C: P1, P2). */
const Probability = z.number().gt(0).max(1);
const Estimate = z.object({
  severity: Level,
  p1: optional(Probability),
  p2: optional(Probability),
  probability: optional(Level),
});
export type EstimateInput = z.output<typeof Estimate>;

const Base = {
  version: optional(RecordVersion),
  password: optional(Credentials.password),
  totp: Credentials.totp,
  reason: optional(Reason),
};
const ImdrfCode = z.string().regex(/^[A-G]\d{2,6}$/);

export const HazardRowInput = z.object({
  rowId: optional(Id),
  hazard: Text(1000).min(1),
  sequence: Text(4000).min(1),
  situation: Text(1000).min(1),
  harm: Text(1000).min(1),
  initial: Estimate,
  imdrfCodes: z.array(ImdrfCode).max(20).default([]),
  controls: z
    .array(
      z.object({
        kind: z.enum(CONTROL_KINDS),
        description: Text(2000).min(1),
        designInputId: optional(Id),
        implementation: optional(Text(2000)),
        effectiveness: optional(Text(2000)),
      }),
    )
    .max(30)
    .default([]),
  residual: optional(Estimate),
  benefitRisk: optional(Text(5000)),
});
export type HazardRowInput = z.output<typeof HazardRowInput>;

export const FmeaRowInput = z.object({
  rowId: optional(Id),
  dmrId: Id,
  seq: whole(1, 100_000),
  failureMode: Text(1000).min(1),
  effect: Text(1000).min(1),
  cause: Text(1000).min(1),
  severity: Level,
  occurrence: Level,
  detection: whole(1, 10),
  controls: Text(2000).default(''),
});
export type FmeaRowInput = z.output<typeof FmeaRowInput>;

export const FILE_ACTIONS = ['save_row', 'save_fmea', 'approve', 'reopen', 'link_complaint'] as const;
export const FILE_ACTION_BODIES = {
  save_row: z.object({ ...Base, row: HazardRowInput }),
  save_fmea: z.object({ ...Base, row: FmeaRowInput }),
  approve: z.object({
    ...Base,
    password: Credentials.password,
    overallResidualRisk: Text(10000).min(1),
    overallAcceptable: z.boolean(),
    review: Text(10000).min(1),
  }),
  reopen: z.object({ ...Base, reason: Reason }),
  link_complaint: z.object({ ...Base, complaintId: Id, hazardRowId: Id, reason: Reason }),
} as const;

export const PLAN_ACTIONS = ['edit', 'approve'] as const;
export const PLAN_ACTION_BODIES = {
  edit: z.object({ ...Base, content: PlanContent }),
  approve: z.object({ ...Base, password: Credentials.password }),
} as const;

export const NewPlanBody = z.object({ itemId: Id, content: PlanContent });
export const NewFileBody = z.object({ itemId: Id });
export const FileActionParams = z.object({ id: Id, action: z.enum(FILE_ACTIONS) });
export const PlanActionParams = z.object({ id: Id, action: z.enum(PLAN_ACTIONS) });
/** The declared body of the action routes: any JSON object; each action's own schema is applied next. */
export const AnyBody = z.record(z.string(), z.unknown());
export const ListQuery = z.object({ item: optional(Id) }).strict();
