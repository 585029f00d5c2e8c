import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import { errors } from '../../platform/errors.ts';
import { streamOf } from '../../records/registry.ts';
import { asUser, runCommand } from '../../records/command.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { claim } from '../../records/ledgerOps.ts';
import { items } from '../items/service.ts';
import { E as MasterDataErrors } from '../items/errors.ts';
import { DMRS, revisionOf, type DmrDoc, type DmrRevision } from './dmr.record.ts';
import { dmrEvents } from './events.ts';
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
export async function effectiveDmr(
  s: Services,
  itemId: string,
): Promise<(DmrRevision & { dmrId: string; item: DmrDoc['item'] }) | null> {
  const d = await dmrs(s).findOne({ itemId });
  const eff = d && revisionOf(d, d.effective);
  return eff ? { ...eff, dmrId: d._id, item: d.item } : null;
}

/** dmrCreator: one DMR per finished device, claimed on `dmr-item:<itemId>` before version 1 (written as the user). */
export async function createDmr(s: Services, user: SessionUser, itemId: string): Promise<DmrDoc> {
  const it = await items(s).findOne({ _id: itemId });
  if (!it) throw errors.validation('body.itemId', { en: `no item "${itemId}"`, zh: `没有物料"${itemId}"` });
  if (it.type !== 'finished')
    throw errors.validation('body.itemId', {
      en: `${it.partNumber} is not a finished device`,
      zh: `${it.partNumber} 不是成品器械`,
    });
  if (!it.active) throw MasterDataErrors.ITEM_INACTIVE({ partNumber: it.partNumber });
  const id = randomUUID();
  await asUser(user, async () => {
    await claim(s, `dmr-item:${itemId}`, { dmrId: id }, `A DMR for ${it.partNumber}`);
    const created = dmrEvents.change('dmr.created', {
      item: { id: it._id, partNumber: it.partNumber, name: it.name, control: it.control },
      author: { id: user.id, name: user.fullName },
    });
    await s.ledger.append(streamOf('dmr', id), created.type, created.data, { expectedVersion: 0 });
  });
  return getDmr(s, id);
}

/** The draft's content, replaced through the `edit` action (dmr.lifecycle.ts checks it before anything is written). */
export async function editDraft(
  s: Services,
  user: SessionUser,
  id: string,
  version: number,
  content: DmrContentInput,
): Promise<DmrDoc> {
  return performDmrAction(s, user, id, 'edit', { version, content });
}

/** dmrTransitioner: every lifecycle action on a DMR, through the one command path (dmr.lifecycle.ts declares them). */
export async function performDmrAction(
  s: Services,
  user: SessionUser,
  id: string,
  action: string,
  input: DmrActionInput | { version: number; content: DmrContentInput },
): Promise<DmrDoc> {
  await getDmr(s, id); // an unknown DMR is a 404 before anything else
  await runCommand(s, user, streamOf('dmr', id), action, input);
  return getDmr(s, id);
}
