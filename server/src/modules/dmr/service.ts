import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import { domainError, errors } from '../../platform/errors.ts';
import { beginTransition } from '../../records/transition.ts';
import { streamOf } from '../../records/registry.ts';
import { assertTransition } from '../../records/lifecycle.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { actorOf } from '../../identity/authService.ts';
import { claim } from '../../records/ledgerOps.ts';
import { items } from '../items/service.ts';
import { documentsCollection } from '../documents/queries.ts';
import { dmrLifecycle } from './dmr.lifecycle.ts';
import { DMRS, latest, nextLetter, revisionOf, type DmrContent, type DmrDoc, type DmrRevision } from './dmr.record.ts';
import type { DmrActionInput, DmrContentInput } from './schema.ts';

export const dmrs = (s: Services) => s.db.collection<DmrDoc>(DMRS);

export async function getDmr(s: Services, id: string): Promise<DmrDoc> {
  const d = await dmrs(s).findOne({ _id: id });
  if (!d) throw errors.notFound('DMR');
  return d;
}

export async function listDmrs(s: Services): Promise<DmrDoc[]> {
  const all = await dmrs(s).find({}).limit(2000).toArray();
  return all.sort((a, b) => a.item.partNumber.localeCompare(b.item.partNumber));
}

/** The revision production builds to: the effective one, or null (no effective DMR, no production). */
export async function effectiveDmr(s: Services, itemId: string): Promise<(DmrRevision & { dmrId: string; item: DmrDoc['item'] }) | null> {
  const d = await dmrs(s).findOne({ itemId });
  const eff = d && revisionOf(d, d.effective);
  return eff ? { ...eff, dmrId: d._id, item: d.item } : null;
}

/** dmrCreator: one DMR per finished device, claimed on `dmr-item:<itemId>` before version 1. */
export async function createDmr(s: Services, user: SessionUser, itemId: string): Promise<DmrDoc> {
  const it = await items(s).findOne({ _id: itemId });
  if (!it) throw errors.validation('body.itemId', `no item "${itemId}"`);
  if (it.type !== 'finished') throw errors.validation('body.itemId', `${it.partNumber} is not a finished device`);
  if (!it.active) throw domainError('ITEM_INACTIVE', `Item ${it.partNumber} is deactivated.`, `物料 ${it.partNumber} 已停用。`);
  const actor = actorOf(user);
  const id = randomUUID();
  await claim(s, `dmr-item:${itemId}`, { dmrId: id }, `A DMR for ${it.partNumber}`, actor);
  await s.ledger.append(streamOf('dmr', id), 'dmr.created', {
    item: { id: it._id, partNumber: it.partNumber, name: it.name, control: it.control }, author: { id: user.id, name: user.fullName },
  }, { expectedVersion: 0, actor });
  return getDmr(s, id);
}

/** Resolves and checks the draft content against the item master and the document register. */
export async function resolveContent(s: Services, deviceId: string, input: DmrContentInput): Promise<DmrContent> {
  const ids = input.bom.map((l) => l.itemId);
  const found = new Map((await items(s).find({ _id: { $in: ids } }).toArray()).map((i) => [i._id, i]));
  const bom = input.bom.map((l, i) => {
    const it = found.get(l.itemId);
    if (!it) throw errors.validation(`body.content.bom.${i}.itemId`, `no item "${l.itemId}"`);
    if (it._id === deviceId) throw errors.validation(`body.content.bom.${i}.itemId`, 'a device cannot be a component of itself');
    if (!it.active) throw errors.validation(`body.content.bom.${i}.itemId`, `${it.partNumber} is deactivated`);
    return { itemId: it._id, partNumber: it.partNumber, name: it.name, quantity: l.quantity, unit: it.unit, control: l.control };
  });
  const wiIds = [...new Set(input.routing.map((o) => o.workInstructionId))];
  const docs = new Map((await documentsCollection(s).find({ _id: { $in: wiIds } }).toArray()).map((d) => [d._id, d]));
  const routing = input.routing.map((o, i) => {
    const doc = docs.get(o.workInstructionId);
    if (!doc) throw errors.validation(`body.content.routing.${i}.workInstructionId`, `no document "${o.workInstructionId}"`);
    if (doc.type !== 'work_instruction') throw errors.validation(`body.content.routing.${i}.workInstructionId`, `${doc.number} is not a work instruction`);
    if (doc.state === 'obsolete') throw errors.validation(`body.content.routing.${i}.workInstructionId`, `${doc.number} is obsolete`);
    return {
      seq: o.seq, name: o.name, workInstructionId: doc._id, workInstruction: { number: doc.number, title: doc.title },
      equipmentType: o.equipmentType, trainingRequired: o.trainingRequired, secondPersonVerify: o.secondPersonVerify,
      captures: o.captures.map((c) => ({ name: c.name, unit: c.unit, lower: c.lower, upper: c.upper })),
    };
  });
  return { bom, routing, specifications: input.specifications, labeling: input.labeling, packaging: input.packaging };
}

/** draftEditor: replaces the content of the draft revision (validated first, nothing written on a refusal). */
export async function editDraft(s: Services, user: SessionUser, id: string, version: number, input: DmrContentInput): Promise<DmrDoc> {
  const d = await getDmr(s, id);
  assertTransition(dmrLifecycle, 'edit', d, user);
  if (version !== d.ledgerVersion) throw errors.staleVersion(version, d.ledgerVersion);
  const content = await resolveContent(s, d.itemId, input);
  await s.ledger.append(streamOf('dmr', id), 'dmr.draftUpdated', { revision: latest(d).revision, content: content as unknown as Record<string, unknown> },
    { expectedVersion: d.ledgerVersion, actor: actorOf(user) });
  return getDmr(s, id);
}

/**
 * dmrTransitioner: the lifecycle is asserted before anything is written or a password checked;
 * signing steps go through signRecord (re-authentication, policy against the head, follow-ups).
 */
export async function performDmrAction(s: Services, user: SessionUser, id: string, action: string, input: DmrActionInput): Promise<DmrDoc> {
  const d = await getDmr(s, id);
  const stream = streamOf('dmr', id);
  const actor = actorOf(user);
  if (!(await beginTransition(s, dmrLifecycle, d, user, stream, action, input))) return getDmr(s, id);
  const w = latest(d);
  if (action === 'submit') {
    await s.ledger.append(stream, 'dmr.submitted', { revision: w.revision }, { expectedVersion: d.ledgerVersion, actor });
  } else if (action === 'new_revision') {
    if (w.revision === 'Z') throw domainError('REVISION_LIMIT', 'No revision letters are left after Z.', '修订版本字母已用完(Z 之后)。');
    await s.ledger.append(stream, 'dmr.revisionStarted', { revision: nextLetter(w.revision), author: { id: user.id, name: user.fullName } }, { expectedVersion: d.ledgerVersion, actor });
  } else {
    throw errors.badRequest('Edit the draft with PUT /api/v1/dmrs/:id/draft.', '请用 PUT /api/v1/dmrs/:id/draft 编辑草稿。');
  }
  return getDmr(s, id);
}
