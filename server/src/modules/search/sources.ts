import type { Filter } from 'mongodb';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { hasPermission, type Permission } from '../../identity/roles.ts';
import type { SearchHit, SearchSource, SearchTerms } from '../../records/contributions.ts';
import type { RecordType } from '../../records/registry.ts';
import { userRecord } from '../../identity/user.record.ts';
import { documentRecord } from '../documents/document.record.ts';
import { customerRecord, itemRecord } from '../items/item.record.ts';
import { supplierRecord } from '../suppliers/supplier.record.ts';
import { poRecord } from '../purchasing/purchasing.record.ts';
import { requisitionRecord } from '../purchasing/requisition.record.ts';
import { inspectionRecord } from '../inspection/inspection.record.ts';
import { ncRecord } from '../nc/nc.record.ts';
import { lotRecord } from '../inventory/lot.record.ts';
import { dmrRecord } from '../dmr/dmr.record.ts';
import { equipmentRecord } from '../equipment/equipment.record.ts';
import { workOrderRecord } from '../production/workorder.record.ts';
import { complaintRecord } from '../complaints/complaint.record.ts';
import { capaRecord } from '../capa/capa.record.ts';
import { salesOrderRecord } from '../sales/salesorder.record.ts';
import { riskFileRecord } from '../risk/riskfile.record.ts';
import { designProjectRecord } from '../design/project.record.ts';
import { changeRecord } from '../changes/change.record.ts';
import { recallRecord } from '../recall/recall.record.ts';
import { rmaRecord } from '../returns/rma.record.ts';
import { serviceRecordType } from '../service/servicerecord.record.ts';

// The global search's sources, one per record type, each querying that type's projection collection
// in the database (never a process-local index: two app servers answer alike). A source first looks
// its key fields up exactly (numbers, codes, lot numbers, serials: indexed where the type declares an
// index), then matches the typed text case-insensitively anywhere in its numbers and in both
// languages of its title. The text is escaped before it becomes a pattern: `.*` finds ".*".

// a projection as stored: each source reads the fields of its own record type
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;
type Bilingual = { zh: string; en: string };

/** The typed text as a literal, case-insensitive pattern (no character of it is a regex operator). */
export const literal = (text: string) => ({ $regex: text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'), $options: 'i' });

const both = (v: unknown): Bilingual => {
  if (v && typeof v === 'object' && 'zh' in v && 'en' in v) return v as Bilingual;
  const s = typeof v === 'string' ? v : '';
  // free text written "中文\nEnglish" (CAPA titles) shows its first line in Chinese, the rest in English
  const i = s.indexOf('\n');
  return i > 0 ? { zh: s.slice(0, i), en: s.slice(i + 1) } : { zh: s, en: s };
};

interface Spec {
  kind: string;
  type: Pick<RecordType, 'collection'>;
  /** Who may read this kind: the permission its list route asks for. */
  permission: Permission;
  /** Fields compared exactly with the typed text (and its upper-case form). */
  keys: string[];
  /** Fields matched as literal text anywhere (titles in both languages, names). */
  text: string[];
  /** The filter a scanned UDI's lot, serial or GTIN selects, when this kind holds one. */
  udi?(u: NonNullable<SearchTerms['udi']>): Filter<Doc> | null;
  hit(d: Doc): Omit<SearchHit, 'id'>;
}

const byId = (route: string, d: Doc, param = 'id') => ({ route, params: { [param]: String(d._id) } });

export function searchSource(spec: Spec): SearchSource {
  return {
    kind: spec.kind,
    readable: (user: SessionUser) => hasPermission(user, spec.permission),
    async search(s: Services, terms: SearchTerms, limit: number): Promise<SearchHit[]> {
      const col = s.db.collection<Doc>(spec.type.collection);
      const found: Doc[] = [];
      const add = (docs: Doc[]) => {
        for (const d of docs) if (!found.some((x) => x._id === d._id)) found.push(d);
      };
      if (terms.udi) {
        const f = spec.udi?.(terms.udi);
        if (f) add(await col.find(f).limit(limit).toArray());
      } else {
        const exact = [...new Set([terms.text, terms.text.toUpperCase()])];
        if (spec.keys.length)
          add(
            await col
              .find({ $or: spec.keys.map((k) => ({ [k]: { $in: exact } })) })
              .limit(limit)
              .toArray(),
          );
        const pattern = literal(terms.text);
        const fields = [...spec.keys, ...spec.text];
        if (found.length < limit)
          add(
            await col
              .find({ $or: fields.map((k) => ({ [k]: pattern })) })
              .limit(limit)
              .toArray(),
          );
      }
      return found.slice(0, limit).map((d) => ({ id: String(d._id), ...spec.hit(d) }));
    },
  };
}

const lastState = (d: Doc) => String(d.state ?? d.revisions?.at(-1)?.state ?? '');

export const searchSources: SearchSource[] = [
  searchSource({
    kind: 'document',
    type: documentRecord,
    permission: 'documents.read',
    keys: ['number'],
    text: ['title.zh', 'title.en'],
    hit: (d) => ({ number: d.number, title: both(d.title), state: lastState(d), link: byId('document', d) }),
  }),
  searchSource({
    kind: 'lot',
    type: lotRecord,
    permission: 'records.read',
    keys: ['lotNumber', 'serial', 'supplierLot'],
    text: ['item.partNumber', 'item.name.zh', 'item.name.en'],
    udi: (u) => (u.serial ? { serial: u.serial } : u.lot ? { lotNumber: u.lot, kind: 'lot' } : null),
    hit: (d) => ({
      number: d.serial ?? d.lotNumber,
      title: both(d.item?.name),
      state: String(d.status ?? ''),
      link: byId('lot', d),
    }),
  }),
  searchSource({
    kind: 'item',
    type: itemRecord,
    permission: 'records.read',
    keys: ['partNumber', 'gtin'],
    text: ['name.zh', 'name.en'],
    udi: (u) => (u.gtin && !u.lot && !u.serial ? { gtin: u.gtin } : null),
    hit: (d) => ({
      number: d.partNumber,
      title: both(d.name),
      state: d.active === false ? 'inactive' : 'active',
      link: { route: 'items', params: {}, query: { q: d.partNumber } },
    }),
  }),
  searchSource({
    kind: 'supplier',
    type: supplierRecord,
    permission: 'records.read',
    keys: ['_id'],
    text: ['name.zh', 'name.en'],
    hit: (d) => ({
      number: d.code ?? d._id,
      title: both(d.name),
      state: String(d.status ?? ''),
      link: byId('supplier', d, 'code'),
    }),
  }),
  searchSource({
    kind: 'customer',
    type: customerRecord,
    permission: 'records.read',
    keys: ['_id'],
    text: ['name.zh', 'name.en'],
    hit: (d) => ({
      number: d.code ?? d._id,
      title: both(d.name),
      state: d.active === false ? 'inactive' : 'active',
      link: { route: 'customers', params: {} },
    }),
  }),
  searchSource({
    kind: 'purchase-order',
    type: poRecord,
    permission: 'records.read',
    keys: ['number'],
    text: ['supplier.name.zh', 'supplier.name.en'],
    hit: (d) => ({
      number: d.number,
      title: both(d.supplier?.name),
      state: String(d.status),
      link: byId('purchase-order', d),
    }),
  }),
  searchSource({
    kind: 'requisition',
    type: requisitionRecord,
    permission: 'records.read',
    keys: ['number'],
    text: ['note'],
    hit: (d) => ({
      number: d.number,
      title: both(d.note),
      state: String(d.status),
      link: { route: 'requisitions', params: {} },
    }),
  }),
  searchSource({
    kind: 'inspection',
    type: inspectionRecord,
    permission: 'records.read',
    keys: ['number', 'lotNumber'],
    text: ['item.name.zh', 'item.name.en'],
    hit: (d) => ({ number: d.number, title: both(d.item?.name), state: String(d.status), link: byId('inspection', d) }),
  }),
  searchSource({
    kind: 'workorder',
    type: workOrderRecord,
    permission: 'records.read',
    keys: ['number', 'lotNumber'],
    text: ['item.partNumber', 'item.name.zh', 'item.name.en'],
    hit: (d) => ({ number: d.number, title: both(d.item?.name), state: String(d.state), link: byId('workorder', d) }),
  }),
  searchSource({
    kind: 'dmr',
    type: dmrRecord,
    permission: 'records.read',
    keys: ['item.partNumber'],
    text: ['item.name.zh', 'item.name.en'],
    hit: (d) => ({
      number: d.item?.partNumber ?? '',
      title: both(d.item?.name),
      state: lastState(d),
      link: byId('dmr', d),
    }),
  }),
  searchSource({
    kind: 'equipment',
    type: equipmentRecord,
    permission: 'records.read',
    keys: ['code'],
    text: ['name.zh', 'name.en', 'type'],
    hit: (d) => ({ number: d.code, title: both(d.name), state: String(d.status), link: byId('equipment-item', d) }),
  }),
  searchSource({
    kind: 'nc',
    type: ncRecord,
    permission: 'records.read',
    keys: ['number', 'lots.lotNumber'],
    text: ['description', 'item.name.zh', 'item.name.en'],
    hit: (d) => ({ number: d.number, title: both(d.item?.name), state: String(d.status), link: byId('nc', d) }),
  }),
  searchSource({
    kind: 'capa',
    type: capaRecord,
    permission: 'records.read',
    keys: ['number'],
    text: ['title'],
    hit: (d) => ({ number: d.number, title: both(d.title), state: String(d.state), link: byId('capa', d) }),
  }),
  searchSource({
    kind: 'complaint',
    type: complaintRecord,
    permission: 'records.read',
    keys: ['number', 'udi.lot', 'udi.serial'],
    text: ['device.name.zh', 'device.name.en', 'complainant.name'],
    udi: (u) => (u.serial ? { 'udi.serial': u.serial } : u.lot ? { 'udi.lot': u.lot } : null),
    hit: (d) => ({
      number: d.number,
      title: both(d.device?.name),
      state: String(d.status),
      link: byId('complaint', d),
    }),
  }),
  searchSource({
    kind: 'sales-order',
    type: salesOrderRecord,
    permission: 'sales.read',
    keys: ['number', 'customer.code'],
    text: ['customer.name.zh', 'customer.name.en'],
    hit: (d) => ({
      number: d.number,
      title: both(d.customer?.name),
      state: String(d.status),
      link: byId('sales-order', d),
    }),
  }),
  searchSource({
    kind: 'change',
    type: changeRecord,
    permission: 'change.read',
    keys: ['number'],
    text: ['title.zh', 'title.en'],
    hit: (d) => ({ number: d.number, title: both(d.title), state: String(d.state), link: byId('change', d) }),
  }),
  searchSource({
    kind: 'design-project',
    type: designProjectRecord,
    permission: 'design.read',
    keys: ['item.partNumber'],
    text: ['title.zh', 'title.en', 'item.name.zh', 'item.name.en'],
    hit: (d) => ({
      number: d.item?.partNumber ?? '',
      title: both(d.title),
      state: String(d.planState),
      link: byId('design-project', d),
    }),
  }),
  searchSource({
    kind: 'risk-file',
    type: riskFileRecord,
    permission: 'risk.read',
    keys: ['item.partNumber'],
    text: ['item.name.zh', 'item.name.en'],
    hit: (d) => ({
      number: d.item?.partNumber ?? '',
      title: both(d.item?.name),
      state: String(d.status),
      link: byId('risk-file', d),
    }),
  }),
  searchSource({
    kind: 'recall',
    type: recallRecord,
    permission: 'recall.read',
    keys: ['number'],
    text: ['title'],
    hit: (d) => ({ number: d.number, title: both(d.title), state: String(d.state), link: byId('recall', d) }),
  }),
  searchSource({
    kind: 'return',
    type: rmaRecord,
    permission: 'returns.read',
    keys: ['number', 'lot.lotNumber', 'lot.serial', 'customer'],
    text: ['lot.item.name.zh', 'lot.item.name.en'],
    udi: (u) => (u.serial ? { 'lot.serial': u.serial } : u.lot ? { 'lot.lotNumber': u.lot } : null),
    hit: (d) => ({ number: d.number, title: both(d.lot?.item?.name), state: String(d.state), link: byId('return', d) }),
  }),
  searchSource({
    kind: 'service-record',
    type: serviceRecordType,
    permission: 'service.read',
    keys: ['number', 'serial', 'customer'],
    text: ['device.name.zh', 'device.name.en', 'technician'],
    udi: (u) => (u.serial ? { serial: u.serial } : null),
    hit: (d) => ({
      number: d.number,
      title: both(d.device?.name),
      state: String(d.state),
      link: byId('service-record', d),
    }),
  }),
  searchSource({
    kind: 'user',
    type: userRecord,
    permission: 'records.read',
    keys: ['username'],
    text: ['fullName'],
    hit: (d) => ({
      number: d.username,
      title: both(d.fullName),
      state: String(d.status),
      link: { route: 'admin-users', params: {} },
    }),
  }),
];
