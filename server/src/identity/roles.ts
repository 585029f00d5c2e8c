// Declarative role policies: one line per role, the permissions it grants. Routes ask
// `hasPermission(user, 'users.manage')`; nothing checks role names directly.
export const PERMISSIONS = [
  'users.manage',
  'roles.read',
  'alerts.read',
  'ledger.read',
  'ledger.verify',
  'ledger.checkpoint',
  'ledger.export',
  'documents.read',
  'documents.create',
  'documents.obsolete',
  'documents.periodic_review',
  'numbering.manage',
  'training.read_all',
  'records.read',
  'masterdata.manage',
  'suppliers.manage',
  'suppliers.qualify',
  'purchasing.request',
  'purchasing.manage',
  'purchasing.approve',
  'purchasing.configure',
  'purchasing.receive',
  'inspection.perform',
  'inspection.disposition',
  'inspection.conditional',
  'inventory.manage',
  'inventory.hold',
  'inventory.release',
  'inventory.issue',
  'inventory.ship',
  'dmr.manage',
  'production.plan',
  'production.release',
  'production.execute',
  'production.qa_release',
  'deviation.close',
  'nc.open', // open a nonconformance (ISO 13485:2016 8.3); its lots go on hold
  'nc.disposition', // MRB: rework, return to supplier, scrap, regrade; re-verify rework; link the CAPA
  'nc.concession', // approve use as is (ISO 13485:2016 8.3.2: concession approved, authoriser named)
  'nc.close', // QA: close a nonconformance
  'equipment.manage',
  'equipment.calibrate',
  'equipment.maintain', // record preventive maintenance and repairs by signature (ISO 13485:2016 6.3)
  'labels.print',
  'portal.grant',
  'portal.read',
  'complaints.manage', // record complaints, investigate, reply, link NCs and CAPAs (QMSR 820.35(a), ISO 13485 8.2.2)
  'complaints.close', // QA: close a complaint (not whoever investigated it)
  'reporting.rules', // change reporting rules and holiday calendars (data, not code)
  'reporting.decide', // decide and sign whether an event is reportable (21 CFR 803, EU MDR Art. 87, NMPA)
  'reporting.submit', // record a report's submission to the regulator
  'capa.manage', // open and work CAPAs (ISO 13485:2016 8.5.2 / 8.5.3)
  'capa.approve', // QA: decide, close, judge effectiveness, approve extensions
  'sales.read', // read sales orders and shipments
  'sales.write', // enter, confirm, allocate, cancel sales orders; confirm deliveries
  'risk.read', // read risk management plans and files (ISO 14971:2019)
  'risk.write', // draft plans, write hazard and pFMEA rows
  'risk.approve', // approve plans and files by signature (ISO 14971:2019 4.4, 8, 9)
  'design.read', // read design projects, elements, the trace matrix (ISO 13485:2016 7.3)
  'design.write', // write design plans, elements and trace links
  'design.approve', // approve plans and elements, re-confirm suspect links, by signature
  'change.read', // read change requests (ISO 13485:2016 7.3.9, 4.1.4)
  'change.write', // open change requests, assess their impact, record work-order decisions
  'change.approve', // change board: approve / reject by signature (not the requester), implement
  'recall.read', // read recalls / field safety corrective actions (21 CFR 806, EU MDR Art. 87, NMPA 召回)
  'recall.write', // open recalls; record notifications, acknowledgements, dispositions and reports
  'recall.approve', // approve and close recalls by signature (not the initiator)
  'returns.read', // read returns (RMAs)
  'returns.write', // open returns, receive them into quarantine, record their inspection
  'returns.decide', // decide a return by signature: restock, rework, scrap, return to supplier (not the inspector)
  'service.read', // read service records (QMSR 820.35(b))
  'service.write', // record servicing, issue parts, complete by signature
  'service.screen', // screen a service record as a possible complaint (21 CFR 820.198 / QMSR 820.35)
  'migration.run', // import registers from Excel/CSV (issue 14 item 3): dry run and commit
  'audits.read', // read audit programmes, audits, checklists, findings (ISO 13485:2016 8.2.4)
  'audits.manage', // plan programmes and audits; auditors record checklists, findings, the report
  'audits.approve', // approve an audit report by signature (not one of its auditors)
  'review.read', // read management reviews (ISO 13485:2016 5.6)
  'review.manage', // plan a management review, record its meeting, complete its actions
  'review.approve', // approve a management review by signature (top management, 5.6.1)
  'kpi.read', // read the KPI dashboards and their drill-down (ISO 13485:2016 8.4, 5.6.2)
  'validation.run', // generate the validation package on the admin page (ISO 13485:2016 4.1.6, 21 CFR 11.10(a))
] as const;
export type Permission = (typeof PERMISSIONS)[number];

interface RoleDef {
  id: string;
  name: { 'zh-CN': string; 'en-US': string };
  permissions: Permission[];
}

const READ: Permission[] = [
  'records.read',
  'documents.read',
  'ledger.read',
  'sales.read',
  'recall.read',
  'returns.read',
  'service.read',
];

export const ROLES: RoleDef[] = [
  {
    id: 'administrator',
    name: { 'zh-CN': '系统管理员', 'en-US': 'Administrator' },
    permissions: [
      ...READ,
      'users.manage',
      'roles.read',
      'alerts.read',
      'ledger.verify',
      'ledger.checkpoint',
      'ledger.export',
      'numbering.manage',
      'training.read_all',
      'portal.grant',
      'reporting.rules',
      'migration.run',
      'validation.run',
    ],
  },
  {
    id: 'qa_manager',
    name: { 'zh-CN': '质量经理', 'en-US': 'QA manager' },
    permissions: [
      ...READ,
      'audits.read',
      'audits.manage',
      'audits.approve',
      'review.read',
      'review.manage',
      'review.approve',
      'validation.run',
      'roles.read',
      'alerts.read',
      'ledger.verify',
      'ledger.checkpoint',
      'ledger.export',
      'documents.create',
      'documents.obsolete',
      'documents.periodic_review',
      'numbering.manage',
      'training.read_all',
      'masterdata.manage',
      'suppliers.manage',
      'suppliers.qualify',
      'purchasing.approve',
      'purchasing.configure',
      'inspection.disposition',
      'inspection.conditional',
      'complaints.manage',
      'complaints.close',
      'inventory.hold',
      'inventory.release',
      'dmr.manage',
      'production.qa_release',
      'deviation.close',
      'reporting.rules',
      'reporting.decide',
      'reporting.submit',
      'nc.open',
      'nc.disposition',
      'nc.concession',
      'nc.close',
      'equipment.manage',
      'equipment.calibrate',
      'equipment.maintain',
      'capa.manage',
      'capa.approve',
      'risk.read',
      'risk.write',
      'risk.approve',
      'design.read',
      'design.write',
      'design.approve',
      'change.read',
      'change.write',
      'change.approve',
      'recall.write',
      'recall.approve',
      'returns.write',
      'returns.decide',
      'service.write',
      'service.screen',
      'migration.run',
      'kpi.read',
    ],
  },
  {
    id: 'qa_engineer',
    name: { 'zh-CN': '质量工程师', 'en-US': 'QA engineer' },
    permissions: [
      ...READ,
      'audits.read',
      'audits.manage',
      'audits.approve',
      'review.read',
      'review.manage',
      'documents.create',
      'documents.periodic_review',
      'training.read_all',
      'ledger.verify',
      'masterdata.manage',
      'suppliers.manage',
      'suppliers.qualify',
      'inspection.perform',
      'inspection.disposition',
      'complaints.manage',
      'inventory.hold',
      'inventory.release',
      'dmr.manage',
      'production.qa_release',
      'deviation.close',
      'reporting.decide',
      'reporting.submit',
      'nc.open',
      'nc.disposition',
      'equipment.calibrate',
      'capa.manage',
      'capa.approve',
      'risk.read',
      'risk.write',
      'design.read',
      'design.write',
      'design.approve',
      'change.read',
      'change.write',
      'recall.write',
      'recall.approve',
      'returns.write',
      'returns.decide',
      'service.write',
      'service.screen',
      'kpi.read',
    ],
  },
  {
    id: 'document_author',
    name: { 'zh-CN': '文件编写人', 'en-US': 'Document author' },
    permissions: [
      ...READ,
      'documents.create',
      'documents.periodic_review',
      'design.read',
      'design.write',
      'change.read',
      'change.write',
    ],
  },
  {
    id: 'reviewer',
    name: { 'zh-CN': '审核人', 'en-US': 'Reviewer' },
    permissions: [...READ, 'design.read', 'change.read'],
  },
  {
    id: 'production_supervisor',
    name: { 'zh-CN': '生产主管', 'en-US': 'Production supervisor' },
    permissions: [
      ...READ,
      'audits.read',
      'review.read',
      'change.read',
      'change.write',
      'documents.create',
      'training.read_all',
      'masterdata.manage',
      'purchasing.request',
      'purchasing.approve',
      'inventory.manage',
      'inventory.issue',
      'dmr.manage',
      'production.plan',
      'production.release',
      'production.execute',
      'equipment.manage',
      'equipment.maintain',
      'labels.print',
      'capa.manage',
      'risk.read',
      'kpi.read',
    ],
  },
  {
    id: 'operator',
    name: { 'zh-CN': '操作员', 'en-US': 'Operator' },
    permissions: [...READ, 'inventory.issue', 'production.execute', 'labels.print'],
  },
  {
    id: 'warehouse_clerk',
    name: { 'zh-CN': '仓库管理员', 'en-US': 'Warehouse clerk' },
    permissions: [
      ...READ,
      'purchasing.request',
      'purchasing.receive',
      'inspection.perform',
      'inventory.manage',
      'inventory.hold',
      'inventory.issue',
      'inventory.ship',
      'sales.write',
      'returns.write',
      'service.write',
    ],
  },
  {
    id: 'purchaser',
    name: { 'zh-CN': '采购员', 'en-US': 'Purchaser' },
    permissions: [
      ...READ,
      'masterdata.manage',
      'suppliers.manage',
      'purchasing.request',
      'purchasing.manage',
      'sales.write',
    ],
  },
  // auditors see only what a grant puts in scope, through the portal (server/src/portal)
  { id: 'auditor', name: { 'zh-CN': '审计员', 'en-US': 'Auditor' }, permissions: ['portal.read'] },
];

export const ROLE_IDS = ROLES.map((r) => r.id) as [string, ...string[]];

/** Roles that may never change a record, whatever else a route allows (21 CFR 11.10(d), (g)). */
export const READ_ONLY_ROLES = new Set(['auditor']);

export function isReadOnly(user: { roles: string[] }): boolean {
  return user.roles.length > 0 && user.roles.every((r) => READ_ONLY_ROLES.has(r));
}

export function hasPermission(user: { roles: string[] }, p: Permission): boolean {
  return user.roles.some((r) => ROLES.find((d) => d.id === r)?.permissions.includes(p));
}
