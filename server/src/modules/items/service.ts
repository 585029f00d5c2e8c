import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { errors } from '../../platform/errors.ts';
import { asUser } from '../../records/command.ts';
import { streamOf } from '../../records/registry.ts';
import { claim, mutate } from '../../records/ledgerOps.ts';
import {
  CUSTOMERS,
  ITEMS,
  LOCATIONS,
  type CustomerDoc,
  type ItemDoc,
  type ItemFields,
  type ItemState,
  type LocationDoc,
} from './item.record.ts';
import type { CreateItemInput } from './schema.ts';
import { E } from './errors.ts';
import { itemEvents } from './events.ts';

// Master data commands (items, locations, customers). They run as the user (asUser): every event
// carries the actor from the request context.

export const items = (s: Services) => s.db.collection<ItemDoc>(ITEMS);
export const locations = (s: Services) => s.db.collection<LocationDoc>(LOCATIONS);
export const customers = (s: Services) => s.db.collection<CustomerDoc>(CUSTOMERS);

export async function getItem(s: Services, id: string): Promise<ItemDoc> {
  const it = await items(s).findOne({ _id: id });
  if (!it) throw errors.notFound('item');
  return it;
}
export async function getLocation(s: Services, code: string): Promise<LocationDoc> {
  const l = await locations(s).findOne({ _id: code });
  if (!l) throw errors.notFound(`location ${code}`);
  return l;
}
export async function getCustomer(s: Services, code: string): Promise<CustomerDoc> {
  const c = await customers(s).findOne({ _id: code });
  if (!c) throw errors.notFound(`customer ${code}`);
  return c;
}

/** An active item, or the refusal a transaction gets for a retired one. */
export async function activeItem(s: Services, id: string): Promise<ItemDoc> {
  const it = await getItem(s, id);
  if (!it.active) throw E.ITEM_INACTIVE({ partNumber: it.partNumber });
  return it;
}

/**
 * A GTIN identifies one trade item (GS1 General Specifications; a UDI-DI is never reassigned,
 * 21 CFR 830.50, EU MDR Annex VI C): claimed for ever on `gtin:<GTIN>` by the first item that
 * carries it, so two concurrent creates cannot both win; the same item keeps it across revisions.
 * Items recorded before the claims existed are found by their projection.
 */
const gtinInUse = (gtin: string) => E.GTIN_IN_USE({ gtin }, { path: 'gtin' });
const gtinOwner = async (s: Services, gtin: string) =>
  ((await s.ledger.read(`gtin:${gtin}`))[0]?.data as { itemId?: string } | undefined)?.itemId;

async function assertGtinFree(s: Services, gtin: string, itemId: string) {
  const owner = await gtinOwner(s, gtin);
  if (
    (owner && owner !== itemId) ||
    (await items(s).findOne({ gtin, _id: { $ne: itemId } }, { projection: { _id: 1 } }))
  )
    throw gtinInUse(gtin);
}
async function claimGtin(s: Services, gtin: string, itemId: string) {
  if ((await gtinOwner(s, gtin)) === itemId) return;
  try {
    await claim(s, `gtin:${gtin}`, { itemId }, `GTIN ${gtin}`);
  } catch (err) {
    if ((err as { code?: string }).code === 'DUPLICATE' && (await gtinOwner(s, gtin)) !== itemId) throw gtinInUse(gtin); // lost the race
    if ((err as { code?: string }).code !== 'DUPLICATE') throw err;
  }
}

/** Part numbers are unique for ever: claimed on `partnumber:<PN>` before the item exists. */
export async function createItem(s: Services, user: SessionUser, input: CreateItemInput): Promise<ItemDoc> {
  const { partNumber, ...fields } = input;
  const id = randomUUID();
  const pn = `partnumber:${partNumber.toUpperCase()}`;
  // both refusals before either claim is written
  if (await s.ledger.head(pn)) throw errors.duplicate(`part number ${partNumber}`);
  if (fields.gtin) await assertGtinFree(s, fields.gtin, id);
  await asUser(user, async () => {
    await claim(s, pn, { itemId: id }, `part number ${partNumber}`);
    if (fields.gtin) await claimGtin(s, fields.gtin, id);
    const created = itemEvents.change('item.created', { partNumber, fields });
    await s.ledger.append(streamOf('item', id), created.type, created.data, { expectedVersion: 0 });
  });
  return getItem(s, id);
}

/** A revision of the master data (next letter), with its reason; the type and control never change. */
export const reviseItem = (
  s: Services,
  user: SessionUser,
  id: string,
  version: number,
  reason: string,
  changes: Partial<ItemFields>,
) => asUser(user, () => revise(s, id, version, reason, changes));

const FINISHED_ONLY = { en: 'GTINs identify finished devices only', zh: 'GTIN 只用于成品器械' };
async function revise(s: Services, id: string, version: number, reason: string, changes: Partial<ItemFields>) {
  const before = await getItem(s, id);
  if (changes.gtin && changes.gtin !== before.gtin) {
    if (before.ledgerVersion !== version) throw errors.staleVersion(version, before.ledgerVersion); // refused before the GTIN is claimed
    if (before.type !== 'finished') throw errors.validation('body.changes.gtin', FINISHED_ONLY);
    await assertGtinFree(s, changes.gtin, id);
    await claimGtin(s, changes.gtin, id);
  }
  await mutate<ItemState>(s, streamOf('item', id), undefined, (st, v) => {
    if (v !== version) throw errors.staleVersion(version, v);
    if (changes.gtin && st!.type !== 'finished') throw errors.validation('body.changes.gtin', FINISHED_ONLY);
    return itemEvents.change('item.revised', { changes }, reason);
  });
  return getItem(s, id);
}

/** Deactivates or reactivates an item, location or customer (nothing is deleted). */
export async function setActive(
  s: Services,
  user: SessionUser,
  type: 'item' | 'location' | 'customer',
  id: string,
  active: boolean,
  reason: string,
) {
  await asUser(user, () =>
    mutate<{ active: boolean }>(s, streamOf(type, id), undefined, (st) => {
      if (!st) throw errors.notFound(type);
      if (st.active === active) return null;
      return { type: `${type}.${active ? 'reactivated' : 'deactivated'}`, data: {}, reason };
    }),
  );
}

/** Locations and customers are keyed by their code: version 1 of `${type}:<code>` claims it. */
export async function createMaster(
  s: Services,
  user: SessionUser,
  type: 'location' | 'customer',
  code: string,
  data: Record<string, unknown>,
) {
  await asUser(user, () => claim(s, streamOf(type, code), data, `${type} ${code}`, undefined, `${type}.created`));
}

export async function updateMaster(
  s: Services,
  user: SessionUser,
  type: 'location' | 'customer',
  code: string,
  patch: Record<string, unknown>,
  reason: string,
) {
  await asUser(user, () =>
    mutate<object>(s, streamOf(type, code), undefined, (st) => {
      if (!st) throw errors.notFound(type);
      return { type: `${type}.updated`, data: patch, reason };
    }),
  );
}

export async function listItems(s: Services, f: { q?: string; type?: string; active?: boolean }) {
  const q: Record<string, unknown> = {};
  if (f.type) q.type = f.type;
  if (f.active !== undefined) q.active = f.active;
  const all = await items(s).find(q).sort({ partNumber: 1 }).limit(2000).toArray();
  if (!f.q) return all;
  const needle = f.q.toLowerCase();
  return all.filter((i) =>
    [i.partNumber, i.name.zh, i.name.en, i.gtin ?? ''].some((x) => x.toLowerCase().includes(needle)),
  );
}
