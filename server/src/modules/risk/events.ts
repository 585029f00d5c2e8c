import { z } from 'zod';
import { defineEvents, SIGNATURE_EVENT, SignatureEventData } from '../../records/events.ts';
import { BilingualView } from '../../platform/schemas.ts';
import { PlanContent } from './policy.ts';

// What can happen to a risk management plan (stream `riskplan:<itemId>`) and to a risk management
// file (stream `riskfile:<itemId>`). The shapes are the ledger's: never change one so that old
// events stop reading.
const Item = z.object({ id: z.string(), partNumber: z.string(), name: BilingualView });

export const riskPlanEvents = defineEvents('riskplan', {
  /** A draft of the next revision (the first one creates the plan); the approval signs it. */
  'riskplan.drafted': z.object({ item: Item, content: PlanContent }),
  // approved (ISO 14971:2019 4.4: the plan is part of the risk management file, approved)
  [SIGNATURE_EVENT]: SignatureEventData,
});

export const CONTROL_KINDS = ['inherent_safety', 'protective_measure', 'information_for_safety'] as const;

const EstimateData = z.object({
  severity: z.number(),
  p1: z.number().nullable(),
  p2: z.number().nullable(),
  probability: z.number().nullable(),
});

export const HazardRowData = z.object({
  id: z.string(),
  hazard: z.string(),
  sequence: z.string(),
  situation: z.string(),
  harm: z.string(),
  initial: EstimateData,
  imdrfCodes: z.array(z.string()),
  controls: z.array(
    z.object({
      kind: z.enum(CONTROL_KINDS),
      description: z.string(),
      /** A design input's id: a free reference until the design-controls module validates it. */
      designInputId: z.string().nullable(),
      implementation: z.string().nullable(),
      effectiveness: z.string().nullable(),
    }),
  ),
  residual: EstimateData.nullable(),
  benefitRisk: z.string().nullable(),
});

export const FmeaRowData = z.object({
  id: z.string(),
  dmrId: z.string(),
  seq: z.number(),
  step: BilingualView,
  failureMode: z.string(),
  effect: z.string(),
  cause: z.string(),
  severity: z.number(),
  occurrence: z.number(),
  detection: z.number(),
  controls: z.string(),
});

export const riskFileEvents = defineEvents('riskfile', {
  'riskfile.created': z.object({ item: Item }),
  'riskfile.rowSaved': z.object({ row: HazardRowData }),
  'riskfile.fmeaSaved': z.object({ row: FmeaRowData }),
  /** Clause 8 (overall residual risk) and clause 9 (review), proposed by the approver and signed. */
  'riskfile.evaluationProposed': z.object({
    planRevision: z.number(),
    overallResidualRisk: z.string(),
    overallAcceptable: z.boolean(),
    review: z.string(),
  }),
  /** reason on the event */
  'riskfile.reopened': z.object({}),
  /**
   * Post-production information (ISO 14971:2019 clause 10): a complaint linked to a hazard row, its
   * own event beside the signed content (allowed in any state; the reason on the event).
   */
  'riskfile.complaintLinked': z.object({
    complaintId: z.string(),
    complaintNumber: z.string(),
    hazardRowId: z.string(),
  }),
  [SIGNATURE_EVENT]: SignatureEventData,
});
