import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { Projected } from '../../records/projector.ts';
import { SIGNATURE_EVENT } from '../../records/events.ts';
import { signatureCounts } from '../../../../signatures/esign/seal.ts';
import { capaEvents, type ProposalData } from './events.ts';
import { capaLifecycle, SIGNED_MEANINGS } from './capa.lifecycle.ts';
import type { RootCauseAnalysis } from './schema.ts';
import { decisionBy } from '../../records/principal.ts';

// A CAPA (ISO 13485:2016 8.5.2 corrective, 8.5.3 preventive action): one stream `capa:<id>`.
// Its events: events.ts; its actions, who may take them and their signatures: capa.lifecycle.ts.
// A signed step is its proposal (the values the signer vouches for) completed by the proposer's
// counted e-signature over exactly that state; a signature that does not verify changes nothing.
type Person = { id: string; name: string };
export type CapaStateName = 'evaluation' | 'in_progress' | 'effectiveness_check' | 'closed' | 'no_capa';
type SignedBy = { by: string; byId: string; at: string; signatureId: string };

export interface CapaTask {
  id: string;
  round: number;
  description: string;
  owner: Person;
  due: string;
  status: 'open' | 'done';
  evidence: string | null;
  doneAt: string | null;
}

export interface CapaState {
  id: string;
  number: string;
  title: string;
  source: { type: string; id: string };
  problem: string;
  owner: Person;
  createdBy: Person;
  createdAt: string;
  due: string;
  state: CapaStateName;
  /** 1, then one more after each failed effectiveness check (the plan of the new round is what is closed next). */
  round: number;
  decision: (SignedBy & { decision: string; risk: { severity: number; occurrence: number }; rationale: string }) | null;
  containment: { text: string; by: string; at: string } | null;
  investigation: { analysis: RootCauseAnalysis; rootCause: string; by: string; at: string } | null;
  tasks: CapaTask[];
  /** Owners of open actions (the inbox's index). */
  openTaskOwners: string[];
  links: Array<{ type: 'document' | 'dmr'; id: string; revision: string; by: string; at: string }>;
  verification: (SignedBy & { safety: string; compliance: string }) | null;
  closure: SignedBy | null;
  effectiveness: { due: string; criteria: string } | null;
  checks: Array<SignedBy & { round: number; due: string; criteria: string; result: 'pass' | 'fail'; evidence: string }>;
  extension: { due: string; reason: string; by: string; byId: string; at: string } | null;
  extensions: Array<SignedBy & { from: string; to: string; reason: string; requestedBy: string }>;
  pending: { action: keyof typeof SIGNED_MEANINGS; byId: string; data: ProposalData } | null;
}
export type CapaDoc = Projected<CapaState>;

export const CAPAS = 'capas';
declareIndexes(CAPAS, [
  { key: { state: 1, due: 1 }, name: 'state_due' },
  { key: { openTaskOwners: 1 }, name: 'open_task_owners' },
  { key: { 'owner.id': 1 }, name: 'owner' },
]);

/** What a signature on a CAPA binds: the whole record as it stands (signatures are events of their own). */
const capaContent = (s: CapaState) => s;
const openOwners = (tasks: CapaTask[]) => [...new Set(tasks.filter((t) => t.status === 'open').map((t) => t.owner.id))];

/** The effect of a signed step, once the proposer's counted signature lands on its proposal. */
function complete(s: CapaState, sig: SignedBy): CapaState {
  const p = s.pending!;
  const d = p.data;
  const base = { ...s, pending: null };
  switch (p.action) {
    case 'decide':
      return {
        ...base,
        state: d.decision === 'no_capa' ? 'no_capa' : 'in_progress',
        decision: { ...sig, decision: d.decision!, risk: d.risk!, rationale: d.rationale ?? '' },
      };
    case 'verify':
      return { ...base, verification: { ...sig, safety: d.safety ?? '', compliance: d.compliance ?? '' } };
    case 'close':
      return { ...base, state: 'effectiveness_check', closure: sig, effectiveness: d.effectiveness ?? null };
    case 'record_effectiveness': {
      const check = { ...sig, round: s.round, ...s.effectiveness!, result: d.result!, evidence: d.evidence ?? '' };
      if (d.result === 'pass') return { ...base, state: 'closed', checks: [...s.checks, check] };
      // a failed check reopens this CAPA: a new round of investigation and actions, verified and closed again
      return {
        ...base,
        state: 'in_progress',
        round: s.round + 1,
        checks: [...s.checks, check],
        verification: null,
        closure: null,
        effectiveness: null,
      };
    }
    case 'approve_extension': {
      const x = s.extension!;
      const ext = { ...sig, from: s.due, to: x.due, reason: x.reason, requestedBy: x.by };
      return { ...base, due: x.due, extension: null, extensions: [...s.extensions, ext] };
    }
  }
}

function reduce(s: CapaState | undefined, event: LedgerEvent): CapaState {
  const e = capaEvents.typed(event);
  if (e.type === 'capa.opened') {
    const d = e.data;
    return {
      id: e.stream.slice('capa:'.length),
      number: d.number,
      title: d.title,
      source: d.source,
      problem: d.problem,
      owner: d.owner,
      createdBy: { id: e.actor.id, name: e.actor.name },
      createdAt: e.at,
      due: d.due,
      state: 'evaluation',
      round: 1,
      decision: null,
      containment: null,
      investigation: null,
      tasks: [],
      openTaskOwners: [],
      links: [],
      verification: null,
      closure: null,
      effectiveness: null,
      checks: [],
      extension: null,
      extensions: [],
      pending: null,
    };
  }
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before capa.opened`);
  const who = { by: e.actor.name, at: e.at };
  switch (e.type) {
    case 'capa.containmentRecorded':
      return { ...s, containment: { text: e.data.containment, ...who } };
    case 'capa.investigated':
      return { ...s, investigation: { analysis: e.data.analysis, rootCause: e.data.rootCause, ...who } };
    case 'capa.taskAdded': {
      const d = e.data;
      const task: CapaTask = {
        id: d.taskId,
        round: s.round,
        description: d.description,
        owner: d.owner,
        due: d.due,
        status: 'open',
        evidence: null,
        doneAt: null,
      };
      const tasks = [...s.tasks, task];
      // a new action changes what was verified: the no-harm verification is given again (8.5.2)
      return { ...s, tasks, openTaskOwners: openOwners(tasks), verification: null };
    }
    case 'capa.taskCompleted': {
      const tasks = s.tasks.map((t) =>
        t.id === e.data.taskId ? { ...t, status: 'done' as const, evidence: e.data.evidence, doneAt: e.at } : t,
      );
      return { ...s, tasks, openTaskOwners: openOwners(tasks) };
    }
    case 'capa.changeLinked':
      return { ...s, links: [...s.links, { ...e.data.link, ...who }] };
    case 'capa.extensionRequested':
      return { ...s, extension: { due: e.data.due, reason: e.reason ?? '', byId: e.actor.id, ...who } };
    case 'capa.signingProposed':
      return { ...s, pending: { action: e.data.action, byId: e.actor.id, data: e.data.data } };
    case SIGNATURE_EVENT: {
      const sig = e.data;
      const p = s.pending;
      // only the proposer's own signature, with the step's meaning, that verifies, completes the step
      if (!p || sig.signer?.id !== p.byId || sig.meaning !== SIGNED_MEANINGS[p.action]) return s;
      if (!signatureCounts(s, event, capaContent)) return s;
      return complete(s, decisionBy(sig));
    }
    default:
      return s;
  }
}

export const capaRecord = defineRecordType<CapaState>({
  type: 'capa',
  collection: CAPAS,
  reduce,
  content: capaContent,
  events: capaEvents,
  lifecycle: capaLifecycle, // the one policy: actions, checks, separation of duties and signing (canSign is derived)
  canRead: (user) => hasPermission(user, 'records.read'),
});
