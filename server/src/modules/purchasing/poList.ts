import type { Services } from '../../platform/services.ts';
import { poRecord, type PoDoc } from './purchasing.record.ts';
import { openRecords, sortedBy } from '../../records/openRecords.ts';

// (its own file: purchasing.record.ts reaches queries.ts through the lifecycle and receiving)
/** The PO list, from the in-process index of every PO (records/openRecords.ts: no engine round trip, no scan, when nothing changed). */
export async function listPos(s: Services, f: { status?: string; supplier?: string }) {
  const all = await openRecords<PoDoc>(s, poRecord, 'all', () => true);
  const found = all.filter(
    (p) => (!f.status || p.status === f.status) && (!f.supplier || p.supplier.code === f.supplier),
  );
  return sortedBy(found, (p) => p.createdAt, -1, 500);
}
