import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { hasPermission } from '../../identity/roles.ts';
import { streamOf } from '../../records/registry.ts';
import { CreateCustomerBody, CreateItemBody, CreateLocationBody, type CreateItemInput } from '../items/schema.ts';
import { createItem, createMaster, items, setActive } from '../items/service.ts';
import { CreateSupplierBody, EvidenceBody } from '../suppliers/schema.ts';
import { addEvidence, approveItem, createSupplier } from '../suppliers/service.ts';
import { chinese, chineseOf, describeIssue } from '../../platform/issueText.ts';
import { openingStockKind } from './stockKind.ts';
import { calibrationsKind, equipmentKind } from './equipmentKinds.ts';
import { trainingKind, usersKind } from './peopleKinds.ts';
import { documentsKind } from './documentsKind.ts';
import { bilingual, strip, text, type CellIssue, type Column, type Kind, type KindDef } from './kindTypes.ts';

// What each kind of register imports: its template's columns (English and Chinese headers, both
// accepted), how a row becomes the module's own create body (validated by the module's own zod
// schema), what makes a row a duplicate in the database, and the module's own create command.

export type { Kind, Column, CellIssue, KindDef, GoodRow, RowSource } from './kindTypes.ts';

const nameCols: Column[] = [
  { key: 'name.zh', en: 'Name (Chinese)', zh: '名称(中文)', required: true, example: '示例' },
  { key: 'name.en', en: 'Name (English)', zh: '名称(英文)', required: true, example: 'Example' },
];
const undoToggle =
  (type: 'item' | 'location' | 'customer') => (s: Services, user: SessionUser, stream: string, reason: string) =>
    setActive(s, user, type, stream.slice(stream.indexOf(':') + 1), false, reason);

const itemsKind: KindDef = {
  keyColumn: 'partNumber',
  foldCase: true,
  schema: CreateItemBody,
  columns: [
    { key: 'partNumber', en: 'Part number', zh: '物料编码', required: true, example: 'PN-1001' },
    ...nameCols,
    {
      key: 'type',
      en: 'Type (raw/component/subassembly/finished)',
      zh: '类型(raw/component/subassembly/finished)',
      required: true,
      example: 'component',
    },
    { key: 'unit', en: 'Unit', zh: '单位', required: true, example: 'pcs' },
    {
      key: 'control',
      en: 'Control (lot/serial/none)',
      zh: '追溯方式(lot/serial/none)',
      required: true,
      example: 'lot',
    },
    { key: 'shelfLifeDays', en: 'Shelf life (days)', zh: '有效期(天)', number: true, example: '730' },
    { key: 'storage.zh', en: 'Storage (Chinese)', zh: '储存条件(中文)', example: '常温干燥' },
    { key: 'storage.en', en: 'Storage (English)', zh: '储存条件(英文)', example: 'Dry, room temperature' },
    { key: 'safetyStock', en: 'Safety stock', zh: '安全库存', number: true, example: '0' },
    { key: 'reorderPoint', en: 'Reorder point', zh: '再订货点', number: true, example: '0' },
    { key: 'warrantyMonths', en: 'Warranty (months)', zh: '保修期(月)', number: true, example: '0' },
    { key: 'gtin', en: 'GTIN-14', zh: 'GTIN-14 商品条码', example: '' },
    { key: 'aql', en: 'AQL', zh: 'AQL 接收质量限', number: true, example: '1' },
  ],
  body: (v) =>
    strip({
      partNumber: text(v.partNumber),
      name: bilingual(v, 'name'),
      type: v.type,
      unit: text(v.unit),
      control: v.control,
      shelfLifeDays: v.shelfLifeDays,
      storage: bilingual(v, 'storage') && { zh: v['storage.zh'] ?? '', en: v['storage.en'] ?? '' },
      safetyStock: v.safetyStock,
      reorderPoint: v.reorderPoint,
      warrantyMonths: v.warrantyMonths,
      gtin: text(v.gtin),
      aql: v.aql,
    }),
  exists: async (s, pn) => Boolean(await s.ledger.head(`partnumber:${pn.toUpperCase()}`)),
  check: async (s, _u, _v, parsed) => {
    const gtin = (parsed as CreateItemInput).gtin;
    if (!gtin) return [];
    if ((await s.ledger.head(`gtin:${gtin}`)) || (await items(s).findOne({ gtin }, { projection: { _id: 1 } })))
      return [{ key: 'gtin', en: `GTIN ${gtin} is already used by another item`, zh: `GTIN ${gtin} 已被其他物料使用` }];
    return [];
  },
  create: async (s, user, parsed) => streamOf('item', (await createItem(s, user, parsed as CreateItemInput))._id),
  undo: undoToggle('item'),
};

const locationsKind: KindDef = {
  keyColumn: 'code',
  schema: CreateLocationBody,
  columns: [
    { key: 'code', en: 'Location code', zh: '库位编码', required: true, example: 'WH1-A-01' },
    ...nameCols,
    {
      key: 'kind',
      en: 'Kind (storage/quarantine/reject)',
      zh: '类别(storage/quarantine/reject)',
      required: true,
      example: 'storage',
    },
    { key: 'warehouse', en: 'Warehouse', zh: '仓库', required: true, example: 'WH1' },
    { key: 'area', en: 'Area', zh: '区域', example: 'A' },
    { key: 'bin', en: 'Bin', zh: '货位', example: '01' },
  ],
  body: (v) =>
    strip({
      code: text(v.code),
      name: bilingual(v, 'name'),
      kind: v.kind,
      warehouse: text(v.warehouse),
      area: text(v.area),
      bin: text(v.bin),
    }),
  exists: async (s, code) => Boolean(await s.ledger.head(streamOf('location', code))),
  create: async (s, user, parsed) => {
    const { code, ...rest } = parsed as { code: string; area?: string; bin?: string };
    await createMaster(s, user, 'location', code, { ...rest, area: rest.area ?? '', bin: rest.bin ?? '' });
    return streamOf('location', code);
  },
  undo: undoToggle('location'),
};

const partyCols: Column[] = [
  { key: 'country', en: 'Country', zh: '国家/地区', example: 'CN' },
  { key: 'address', en: 'Address', zh: '地址', example: '' },
  { key: 'contact', en: 'Contact', zh: '联系人', example: '' },
];
const partyBody = (v: Record<string, string | number>) =>
  strip({
    code: text(v.code),
    name: bilingual(v, 'name'),
    country: text(v.country),
    address: text(v.address),
    contact: text(v.contact),
  });

const customersKind: KindDef = {
  keyColumn: 'code',
  schema: CreateCustomerBody,
  columns: [
    { key: 'code', en: 'Customer code', zh: '客户编码', required: true, example: 'CUS-001' },
    ...nameCols,
    ...partyCols,
  ],
  body: partyBody,
  exists: async (s, code) => Boolean(await s.ledger.head(streamOf('customer', code))),
  create: async (s, user, parsed) => {
    const { code, ...rest } = parsed as { code: string };
    await createMaster(s, user, 'customer', code, rest);
    return streamOf('customer', code);
  },
  undo: undoToggle('customer'),
};

/** Part numbers of the approved supplier list cell: separated by ; , or spaces. */
const aslOf = (v: Record<string, string | number>) =>
  v.asl === undefined
    ? []
    : [
        ...new Set(
          String(v.asl)
            .split(/[;,\s]+/)
            .filter(Boolean),
        ),
      ];

async function itemByPartNumber(s: Services, pn: string) {
  const claimed = (await s.ledger.read(`partnumber:${pn.toUpperCase()}`))[0]?.data as { itemId?: string } | undefined;
  return claimed?.itemId
    ? items(s).findOne({ _id: claimed.itemId }, { projection: { _id: 1, active: 1, control: 1 } })
    : null;
}

/** A supplier's certificate (ISO 13485:2016 7.4.1 evidence), recorded as the app's add_evidence does. */
const CERT_KEYS: Record<string, string> = {
  title: 'certTitle',
  reference: 'certReference',
  date: 'certDate',
  expiryDate: 'certExpiry',
};
const certificateOf = (v: Record<string, string | number>) =>
  ['certTitle', 'certReference', 'certDate', 'certExpiry'].some((k) => v[k] !== undefined)
    ? strip({
        kind: 'certificate',
        title: text(v.certTitle) ?? '',
        reference: text(v.certReference),
        date: text(v.certDate) ?? '',
        expiryDate: text(v.certExpiry),
      })
    : null;

const suppliersKind: KindDef = {
  keyColumn: 'code',
  schema: CreateSupplierBody,
  columns: [
    { key: 'code', en: 'Supplier code', zh: '供应商编码', required: true, example: 'SUP-001' },
    ...nameCols,
    ...partyCols,
    {
      key: 'asl',
      en: 'Approved for part numbers (ASL; separated by ;)',
      zh: '合格供方清单物料编码(以 ; 分隔)',
      example: '',
    },
    { key: 'certTitle', en: 'Certificate', zh: '证书名称', example: 'ISO 13485' },
    { key: 'certReference', en: 'Certificate number', zh: '证书编号', example: '' },
    {
      key: 'certDate',
      en: 'Certificate issued (YYYY-MM-DD)',
      zh: '证书签发日期(YYYY-MM-DD)',
      date: true,
      example: '2025-01-15',
    },
    {
      key: 'certExpiry',
      en: 'Certificate expires (YYYY-MM-DD)',
      zh: '证书有效期至(YYYY-MM-DD)',
      date: true,
      example: '2028-01-14',
    },
  ],
  body: (v) => partyBody(v),
  exists: async (s, code) => Boolean(await s.ledger.head(streamOf('supplier', code))),
  // The ASL is QA's (ISO 13485:2016 7.4.1): listing items needs suppliers.qualify, as in the app.
  // A qualification status is not imported: approving a supplier is a signed decision (21 CFR
  // 11.50), so imported suppliers start pending and QA approves them in Provenant.
  check: async (s, user, v) => {
    const cert = certificateOf(v);
    if (cert) {
      if (!hasPermission(user, 'suppliers.manage'))
        return [
          {
            key: 'certTitle',
            en: 'recording certificates needs the right to manage suppliers',
            zh: '记录证书需要供应商管理权限',
          },
        ];
      const said = new Map<string, { en: string; zh: string }>();
      const r = EvidenceBody.safeParse(cert, {
        error: (iss) => {
          const t = describeIssue(iss);
          said.set(t.en, t);
          return t.en;
        },
      });
      if (!r.success)
        return r.error.issues.map((i) => ({
          key: CERT_KEYS[String(i.path[0])] ?? 'certTitle',
          en: i.message,
          zh: said.get(i.message)?.zh ?? chineseOf(i.message) ?? chinese(i),
        }));
    }
    const asl = aslOf(v);
    if (!asl.length) return [];
    if (asl.length > 200) return [{ key: 'asl', en: 'at most 200 part numbers', zh: '最多 200 个物料编码' }];
    if (!hasPermission(user, 'suppliers.qualify'))
      return [
        {
          key: 'asl',
          en: 'listing items on the ASL needs the right to qualify suppliers',
          zh: '列入合格供方清单需要供应商资格审批权限',
        },
      ];
    const out: CellIssue[] = [];
    for (const pn of asl) {
      const it = await itemByPartNumber(s, pn);
      if (!it) out.push({ key: 'asl', en: `no item with part number ${pn}`, zh: `没有物料编码为 ${pn} 的物料` });
      else if (!it.active) out.push({ key: 'asl', en: `item ${pn} is inactive`, zh: `物料 ${pn} 已停用` });
    }
    return out;
  },
  create: async (s, user, parsed, v) => {
    const { code, ...rest } = parsed as {
      code: string;
      name: { zh: string; en: string };
      country: string;
      contact: string;
      address: string;
    };
    await createSupplier(s, user, code, rest);
    for (const pn of aslOf(v)) {
      const it = await itemByPartNumber(s, pn);
      await approveItem(s, user, code, it!._id);
    }
    const cert = certificateOf(v);
    if (cert) await addEvidence(s, user, code, EvidenceBody.parse(cert));
    return streamOf('supplier', code);
  },
};

export const KINDS: Record<Kind, KindDef> = {
  items: itemsKind,
  locations: locationsKind,
  customers: customersKind,
  suppliers: suppliersKind,
  'opening-stock': openingStockKind,
  equipment: equipmentKind,
  calibrations: calibrationsKind,
  users: usersKind,
  training: trainingKind,
  documents: documentsKind,
};
