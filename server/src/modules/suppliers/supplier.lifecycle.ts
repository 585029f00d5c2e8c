import { randomUUID } from 'node:crypto';
import { errors } from '../../platform/errors.ts';
import type { CommandContext, Lifecycle, Transition } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import { activeItem } from '../items/service.ts';
import type { SupplierState } from './supplier.record.ts';
import { QUALIFICATION, supplierEvents, type Qualification } from './events.ts';
import { E } from './errors.ts';

// The supplier lifecycle (ISO 13485 7.4.1, supplier evaluation and selection), declared once.
// Qualification decisions are QA's, each a proposal with its reason completed by the e-signature
// "approved" (propose-then-sign: the signature binds the decision it makes). The qualification
// status is the state; the evidence, the approved supplier list (ASL), evaluations and contact
// data change in any state. There is no separation-of-duties rule: QA decides on evidence others
// bring, and the decision's author and signer are the same person in one step.
const ALL = [...QUALIFICATION];
type Target = Exclude<Qualification, 'pending'>;
/** The qualification decision each action makes, and the route's `status` it answers to. */
export const DECISIONS: Record<Target, string> = {
  approved: 'approve',
  conditional: 'approve_conditionally',
  disqualified: 'disqualify',
};

const decide = (status: Target): Transition<SupplierState> => ({
  name: DECISIONS[status],
  from: ALL.filter((x) => x !== status),
  to: status,
  permission: 'suppliers.qualify',
  signature: { meaning: 'approved' },
  needsReason: true,
  event: (_s, _p, c) =>
    supplierEvents.change('supplier.qualificationProposed', { status, reason: c.input.reason! }, c.input.reason),
});

const values = (c: CommandContext<SupplierState>) => c.input as Record<string, unknown>;

export const supplierLifecycle: Lifecycle<SupplierState> = {
  record: 'supplier',
  initial: 'pending',
  states: ALL,
  final: [],
  transitions: [
    decide('approved'),
    decide('conditional'),
    decide('disqualified'),
    {
      name: 'update',
      from: ALL,
      permission: 'suppliers.manage',
      needsReason: true,
      needsValues: true,
      event: (_s, _p, c) => {
        const { name, country, contact, address } = values(c) as {
          name?: { zh: string; en: string };
          country?: string;
          contact?: string;
          address?: string;
        };
        const patch = Object.fromEntries(
          Object.entries({ name, country, contact, address }).filter(([, v]) => v !== undefined),
        );
        return supplierEvents.change('supplier.updated', patch, c.input.reason);
      },
    },
    {
      name: 'add_evidence',
      from: ALL,
      permission: 'suppliers.manage',
      needsValues: true,
      prepare: (c) => {
        const ev = values(c) as {
          kind: 'questionnaire' | 'audit' | 'certificate';
          title: string;
          reference?: string;
          date: string;
          expiryDate?: string;
          result?: string;
        };
        if (ev.kind === 'certificate' && !ev.expiryDate)
          throw errors.validation('body.expiryDate', {
            en: 'a certificate needs its expiry date',
            zh: '证书需要填写有效期',
          });
        return {
          id: randomUUID(),
          kind: ev.kind,
          title: ev.title,
          reference: ev.reference ?? null,
          date: ev.date,
          expiryDate: ev.expiryDate ?? null,
          result: ev.result ?? '',
        };
      },
      event: (_s, evidence) => supplierEvents.change('supplier.evidenceAdded', evidence),
    },
    {
      // onto the approved supplier list: an active item; listing it twice changes nothing
      name: 'add_to_asl',
      from: ALL,
      permission: 'suppliers.qualify',
      needsValues: true,
      prepare: async (c) => {
        const item = await activeItem(c.s, String(values(c).itemId));
        return { itemId: item._id, partNumber: item.partNumber };
      },
      event: (s, item: { itemId: string; partNumber: string }) =>
        s.approvedItemIds.includes(item.itemId) ? null : supplierEvents.change('supplier.itemApproved', item),
    },
    {
      name: 'remove_from_asl',
      from: ALL,
      permission: 'suppliers.qualify',
      needsReason: true,
      targets: (s) => s.approvedItemIds.map((itemId) => ({ itemId })),
      prepare: (c) => String(values(c).itemId),
      recheck: (s, itemId: string) => {
        if (!s.approvedItemIds.includes(itemId)) throw errors.notFound('approved supplier list entry');
      },
      event: (_s, itemId: string, c) => supplierEvents.change('supplier.itemRemoved', { itemId }, c.input.reason),
    },
    {
      name: 'evaluate',
      from: ALL,
      permission: 'suppliers.manage',
      needsValues: true,
      prepare: (c) => {
        const ev = values(c) as { period: string; quality: number; delivery: number; comment?: string };
        return {
          id: randomUUID(),
          period: ev.period,
          quality: ev.quality,
          delivery: ev.delivery,
          comment: ev.comment ?? '',
        };
      },
      event: (_s, evaluation) => supplierEvents.change('supplier.evaluated', evaluation),
    },
  ],
  stateOf: (s) => s.status,
  // a decision to the status the supplier already has
  wrongState: (_t, _state, s) => refusal(E.QUALIFICATION_UNCHANGED({ status: s.status })),
  // the signature completes the decision proposed just before it; without one it completes
  // nothing (a bare "approved" through POST /records/{stream}/signatures is refused)
  signingAction: (s, meaning) =>
    meaning !== 'approved'
      ? undefined
      : s.pendingQualification && s.pendingQualification.status !== 'pending'
        ? DECISIONS[s.pendingQualification.status]
        : 'no_pending_decision',
};
