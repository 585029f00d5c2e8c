import { z } from 'zod';
import { defineEvents, SIGNATURE_EVENT, SignatureEventData } from '../../records/events.ts';
import { BilingualView } from '../../platform/schemas.ts';

// What can happen to a design project, a design element and a trace link (ISO 13485:2016 7.3,
// QMSR 820.10 by reference). The shapes are the ledger's: a change here must still read every
// design record ever written.
const Person = z.object({ id: z.string(), name: z.string() });
const Revision = z.string().regex(/^[A-Z]+$/);

export const ELEMENT_KINDS = ['need', 'input', 'output', 'verification', 'validation', 'review', 'transfer'] as const;
export type ElementKind = (typeof ELEMENT_KINDS)[number];
export const RESULTS = ['pending', 'pass', 'fail'] as const;

/** A design plan stage (7.3.2 a–e): what is done, who is responsible, whether a review is planned. */
export const StageData = z.object({
  key: z.string(),
  name: BilingualView,
  responsible: Person,
  reviewPlanned: z.boolean(),
});

/**
 * One revision's content, all kinds in one shape (the fields of other kinds stay absent):
 * inputs name the risk controls they implement (7.3.3 c), verifications and validations their
 * protocol, result and evidence (7.3.6, 7.3.7), reviews their stage, attendees, independent
 * reviewer, decisions and actions (7.3.5), transfers the outputs and the DMR revision (7.3.8).
 */
export const ElementContentData = z.object({
  title: BilingualView,
  description: BilingualView,
  riskControls: z.array(z.string()).optional(),
  protocol: z.string().optional(),
  result: z.enum(RESULTS).optional(),
  evidence: z.string().nullable().optional(),
  rerunOf: z.string().nullable().optional(),
  stage: z.string().optional(),
  stageResponsible: Person.optional(),
  attendees: z.array(Person).optional(),
  independentReviewer: Person.optional(),
  decisions: z.array(z.string()).optional(),
  actions: z.array(z.object({ text: z.string(), owner: z.string(), due: z.string().nullable() })).optional(),
  dmr: z.object({ id: z.string(), revision: Revision, partNumber: z.string() }).optional(),
  outputs: z.array(z.string()).optional(),
});
export type ElementContent = z.output<typeof ElementContentData>;

export const designProjectEvents = defineEvents('designproject', {
  'designProject.created': z.object({
    title: BilingualView,
    item: z.object({ id: z.string(), partNumber: z.string(), name: BilingualView }),
    dmrId: z.string().nullable(),
    author: Person,
  }),
  'designProject.planEdited': z.object({ revision: Revision, stages: z.array(StageData) }),
  'designProject.planRevised': z.object({ revision: Revision, author: Person }),
  // approved: the design plan
  [SIGNATURE_EVENT]: SignatureEventData,
});

export const designElementEvents = defineEvents('designelement', {
  'designElement.created': z.object({
    projectId: z.string(),
    kind: z.enum(ELEMENT_KINDS),
    code: z.string(),
    content: ElementContentData,
    author: Person,
  }),
  'designElement.edited': z.object({ revision: Revision, content: ElementContentData }),
  /** A new revision of an approved element: a copy of its content, draft again. */
  'designElement.revised': z.object({ revision: Revision, author: Person }),
  // approved: the latest revision
  [SIGNATURE_EVENT]: SignatureEventData,
});

const End = z.object({ id: z.string(), kind: z.enum(ELEMENT_KINDS), code: z.string() });
export const designLinkEvents = defineEvents('designlink', {
  'designLink.created': z.object({ projectId: z.string(), from: End, to: End }),
  /** An element upstream of this link got a new approved revision: the link needs re-confirming. */
  'designLink.suspected': z.object({ element: z.object({ id: z.string(), code: z.string() }), revision: Revision }),
  // verified: someone re-confirmed the link after the change
  [SIGNATURE_EVENT]: SignatureEventData,
});
