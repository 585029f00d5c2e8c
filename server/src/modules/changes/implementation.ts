import type { Filter } from 'mongodb';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { errors } from '../../platform/errors.ts';
import { refusalOf, type CommandInput, type Lifecycle } from '../../records/lifecycle.ts';
import { recordTypeOf, streamOf } from '../../records/registry.ts';
import { runCommand } from '../../records/command.ts';
import { mustExist } from '../qualityLoop/loop.ts';
import type { DocumentState } from '../documents/document.record.ts';
import type { DmrState } from '../dmr/dmr.record.ts';
import { WORKORDERS, type WorkOrderState } from '../production/workorder.model.ts';
import type { Projected } from '../../records/projector.ts';
import { openWorkOrderDocs } from '../production/openWorkOrders.ts';
import { inCommand, openRecords } from '../../records/openRecords.ts';
import { CHANGES } from './collections.ts';
import type { ChangeDoc, ChangeItem, ChangeRef, ChangeState } from './change.record.ts';
import { ChangeErrors as E } from './errors.ts';
import type { ChangeItemInput, ChangeRefInput, DraftInput, WoDecisionInput } from './schema.ts';

// What a change request reads of other records, by record type and collection name (no module's
// service is imported, so none of them imports this one back): the revisions it names, the free
// references it carries, the work orders in progress on the DMR revisions it replaces.

/** States in which a change is open: the revisions it names are held by it. */
export const OPEN_STATES = ['draft', 'approval', 'approved'] as const;
const changes = (s: Services) => s.db.collection<ChangeDoc>(CHANGES);
const stateOf = <T extends object>(s: Services, type: string, id: string) =>
  s.projector.stateAt<T>(streamOf(type, id)).catch(() => undefined);
type Revisioned = DocumentState | DmrState;
const latestOf = (r: Revisioned) => r.revisions[r.revisions.length - 1]!;
const numberOf = (kind: 'document' | 'dmr', r: Revisioned) =>
  kind === 'document' ? (r as DocumentState).number : `DMR ${(r as DmrState).item.partNumber}`;
const titleOf = (kind: 'document' | 'dmr', r: Revisioned) =>
  kind === 'document' ? (r as DocumentState).title : (r as DmrState).item.name;

/**
 * The open changes (neither implemented nor cancelled), narrowed by `filter` on the database; the
 * caller filters exactly in code. Inside a command from the database; for a page or the inbox (the
 * holds are judged for every work order and revision listed) from the in-process index.
 */
export async function openChanges(s: Services, filter: Filter<ChangeDoc>): Promise<ChangeDoc[]> {
  if (inCommand())
    return changes(s)
      .find({ state: { $in: [...OPEN_STATES] }, ...filter })
      .toArray();
  // (the record type from the registry: change.record.ts imports this file through the lifecycle)
  return openRecords<ChangeDoc>(s, recordTypeOf(streamOf('change', '-'))!, 'holding', (c) =>
    (OPEN_STATES as readonly string[]).includes(c.state),
  );
}

/** The open change that names this revision, if any (registered as the documents' and DMRs' hold). */
export async function openChangeHolding(s: Services, kind: 'document' | 'dmr', id: string, revision: string) {
  const open = await openChanges(s, { 'items.id': id });
  const c = open.find((x) => x.items.some((i) => i.kind === kind && i.id === id && i.revision === revision));
  return c ? { id: c._id, number: c.number } : null;
}

/** A named revision: it exists, is the draft in work (so it is submitted under the change) and no other open change holds it. */
async function resolveItem(s: Services, changeId: string | null, i: ChangeItemInput): Promise<ChangeItem> {
  await mustExist(s, i.kind, i.id, i.revision); // 404: no such record or revision
  const r = (await stateOf<Revisioned>(s, i.kind, i.id))!;
  const number = numberOf(i.kind, r);
  const w = latestOf(r);
  if (w.revision !== i.revision || w.state !== 'draft')
    throw E.CHANGE_REVISION_NOT_DRAFT({ number, revision: i.revision });
  const holder = await openChangeHolding(s, i.kind, i.id, i.revision);
  if (holder && holder.id !== changeId)
    throw E.CHANGE_REVISION_HELD({ number, revision: i.revision, change: holder.number });
  return { kind: i.kind, id: i.id, revision: i.revision, number, title: titleOf(i.kind, r) };
}

/** A free reference: a risk file row (ISO 14971) or a design element (7.3) that exists. */
async function resolveRef(s: Services, r: ChangeRefInput): Promise<ChangeRef> {
  if (r.kind === 'design_element') {
    const el = await stateOf<{ code: string }>(s, 'designelement', r.id);
    if (!el) throw errors.notFound('design element');
    return { kind: r.kind, id: r.id, label: el.code };
  }
  const file = await stateOf<{ rows: Array<{ id: string; hazard?: string }>; fmea?: Array<{ id: string }> }>(
    s,
    'riskfile',
    r.id,
  );
  if (!file) throw errors.notFound('risk file');
  const row = file.rows.find((x) => x.id === r.rowId) ?? file.fmea?.find((x) => x.id === r.rowId);
  if (!row) throw errors.notFound('risk file row');
  return { kind: r.kind, id: r.id, rowId: r.rowId, label: String((row as { hazard?: string }).hazard ?? r.rowId) };
}

export interface DraftPlan {
  items: ChangeItem[];
  refs: ChangeRef[];
  capaId: string | null;
  impact: ChangeState['impact'];
  classification: ChangeState['classification'];
}

/** Every named record is checked (404 / 409) before anything is written. */
export async function planDraft(
  s: Services,
  changeId: string | null,
  input: CommandInput | DraftInput,
): Promise<DraftPlan> {
  const d = input as DraftInput;
  const keys = new Set<string>();
  const items: ChangeItem[] = [];
  for (const i of d.items) {
    const key = `${i.kind}:${i.id}`;
    if (keys.has(key))
      throw errors.validation('body.items', {
        en: 'a record is named once per change',
        zh: '同一记录在一个变更中只能列入一次',
      });
    keys.add(key);
    items.push(await resolveItem(s, changeId, i));
  }
  const refs: ChangeRef[] = [];
  for (const r of d.refs) refs.push(await resolveRef(s, r));
  if (d.capaId) await mustExist(s, 'capa', d.capaId);
  return { items, refs, capaId: d.capaId ?? null, impact: d.impact ?? null, classification: d.classification ?? null };
}

const UNFINISHED: Array<WorkOrderState['state']> = ['planned', 'released', 'in_progress'];

/**
 * Work orders not finished on the revision a named DMR revision replaces (the DMR's effective one
 * now). Inside a command from the database (exact); for a page or the inbox from the in-process
 * index of open work orders (no full scan of the work orders per view).
 */
export async function affectedWorkOrders(s: Services, c: ChangeState): Promise<Array<Projected<WorkOrderState>>> {
  const out: Array<Projected<WorkOrderState>> = [];
  for (const i of c.items.filter((x) => x.kind === 'dmr')) {
    const d = await stateOf<DmrState>(s, 'dmr', i.id);
    if (!d?.effective) continue;
    const wos = inCommand()
      ? await s.db
          .collection<Projected<WorkOrderState>>(WORKORDERS)
          .find({ 'dmr.id': i.id, 'dmr.revision': d.effective, state: { $in: UNFINISHED } })
          .toArray()
      : (await openWorkOrderDocs(s)).filter(
          (w) => w.dmr.id === i.id && w.dmr.revision === d.effective && UNFINISHED.includes(w.state),
        );
    out.push(...wos);
  }
  return out;
}

export type DecisionPlan = {
  workOrderId: string;
  number: string;
  dmrId: string;
  revision: string;
  decision: WoDecisionInput['decision'];
  note: string;
};
export async function planDecision(s: Services, c: ChangeState, input: CommandInput): Promise<DecisionPlan> {
  const d = input as unknown as Partial<WoDecisionInput>;
  if (!d.workOrderId) throw errors.validation('body.workOrderId', { en: 'name the work order', zh: '请指定工单' });
  if (!d.decision)
    throw errors.validation('body.decision', {
      en: 'finish_old, rework or hold',
      zh: '请选择:按旧版完成、返工或暂停',
    });
  const wo = (await affectedWorkOrders(s, c)).find((w) => w._id === d.workOrderId);
  if (!wo) {
    if (!(await stateOf(s, 'workorder', d.workOrderId))) throw errors.notFound('work order');
    throw E.WORK_ORDER_NOT_AFFECTED();
  }
  return {
    workOrderId: wo._id,
    number: wo.number,
    dmrId: wo.dmr.id,
    revision: wo.dmr.revision,
    decision: d.decision,
    note: d.note ?? '',
  };
}

/**
 * Before the implementation signature: every named revision is approved under this change and
 * its own release would be allowed for this user now (its lifecycle's refusal, the same one the
 * nested command will judge). Nothing is written if one is not.
 */
export async function checkImplementable(s: Services, user: SessionUser, c: ChangeState) {
  for (const i of c.items) {
    const r = await stateOf<Revisioned>(s, i.kind, i.id);
    if (!r) throw errors.notFound(i.kind);
    const w = latestOf(r);
    const approvedState = i.kind === 'document' ? 'approved' : 'approval';
    const held = (w as { heldBy?: string | null }).heldBy === c.id;
    if (w.revision !== i.revision || w.state !== approvedState || !held)
      throw E.CHANGE_REVISION_NOT_READY({ number: i.number, revision: i.revision, state: w.state });
    const decl = recordTypeOf(streamOf(i.kind, i.id))!.lifecycle as Lifecycle<Revisioned>;
    const refusal = refusalOf(decl, 'release', r, user);
    if (refusal) throw refusal;
  }
}

/**
 * After the implementation signature: each named revision's own `release`, nested, as the same
 * user, on the change's one effective date (documents first, then DMRs). All of them were checked
 * just before the signature, so a failure here means a record moved in between; the change then
 * shows which revisions are effective, and `implement`'s checks are not run again (it is final).
 */
export async function implementRevisions(s: Services, user: SessionUser, c: ChangeState, input: CommandInput) {
  const ordered = [...c.items].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'document' ? -1 : 1));
  for (const i of ordered) {
    await runCommand(s, user, streamOf(i.kind, i.id), 'release', {
      password: input.password,
      totp: input.totp,
      viaChange: c.id,
      effectiveDate: c.effectiveDate ?? undefined,
    });
  }
}

/** Live status of each named revision (for the change's GET). */
export async function itemStatus(s: Services, c: ChangeState) {
  return Promise.all(
    c.items.map(async (i) => {
      const r = await stateOf<Revisioned>(s, i.kind, i.id);
      const rev = r?.revisions.find((x) => x.revision === i.revision);
      return { ...i, state: rev?.state ?? null, effective: r?.effective ?? null };
    }),
  );
}
