import { z } from 'zod';
import { defineEvents, SIGNATURE_EVENT, SignatureEventData } from '../../records/events.ts';
import { ChangeLink, Risk, RootCauseAnalysis, Source } from './schema.ts';

// What can happen to a CAPA (stream `capa:<id>`; ISO 13485:2016 8.5.2 / 8.5.3). Unsigned steps
// append their own event; a signed step appends its proposal (`capa.signingProposed`, the values
// the signer vouches for) and the signer's e-signature over exactly that state completes it
// (capa.record.ts). The shapes are the ledger's: a change here must still read every CAPA written.
const Person = z.object({ id: z.string(), name: z.string() });

export const SIGNED_CAPA_ACTIONS = ['decide', 'verify', 'close', 'record_effectiveness', 'approve_extension'] as const;

export const capaEvents = defineEvents('capa', {
  'capa.opened': z.object({
    number: z.string(),
    title: z.string(),
    source: Source,
    problem: z.string(),
    owner: Person,
    due: z.string(),
    /** Entered as history (demo data, migration): its due date may already have passed. */
    historical: z.literal(true).optional(),
  }),
  'capa.containmentRecorded': z.object({ containment: z.string() }),
  'capa.investigated': z.object({ analysis: RootCauseAnalysis, rootCause: z.string() }),
  'capa.taskAdded': z.object({ taskId: z.string(), description: z.string(), owner: Person, due: z.string() }),
  'capa.taskCompleted': z.object({ taskId: z.string(), evidence: z.string() }),
  'capa.changeLinked': z.object({ link: ChangeLink }),
  'capa.extensionRequested': z.object({ due: z.string() }),
  'capa.signingProposed': z.object({
    action: z.enum(SIGNED_CAPA_ACTIONS),
    data: z.object({
      decision: z.enum(['proceed', 'no_capa']).optional(),
      risk: Risk.optional(),
      rationale: z.string().optional(),
      safety: z.string().optional(),
      compliance: z.string().optional(),
      effectiveness: z.object({ due: z.string(), criteria: z.string() }).optional(),
      result: z.enum(['pass', 'fail']).optional(),
      evidence: z.string().optional(),
    }),
  }),
  [SIGNATURE_EVENT]: SignatureEventData,
});
export type ProposalData = z.infer<(typeof capaEvents.schemas)['capa.signingProposed']>['data'];
