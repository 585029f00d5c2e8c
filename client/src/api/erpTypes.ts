// Shapes of the ERP core's JSON under /api/v1 (items, suppliers, purchasing, inspection, inventory).
import type { BilingualText, LifecycleAction, PersonRef, Signature } from './types';

export type ItemType = 'raw' | 'component' | 'subassembly' | 'finished';
export type ItemControl = 'lot' | 'serial' | 'none';
export type LocationKind = 'storage' | 'quarantine' | 'reject';
export interface Characteristic {
  name: string;
  unit: string;
  lower: number | null;
  upper: number | null;
}
export interface ItemFields {
  name: BilingualText;
  type: ItemType;
  unit: string;
  control: ItemControl;
  shelfLifeDays: number | null;
  storage: BilingualText;
  safetyStock: number;
  reorderPoint: number;
  warrantyMonths: number;
  gtin: string | null;
  aql: number;
  characteristics: Characteristic[];
}
export interface Item extends ItemFields {
  id: string;
  stream: string;
  partNumber: string;
  revision: string;
  active: boolean;
  version: number;
  revisions: Array<{ revision: string; at: string; by: string; reason: string }>;
}
export interface Location {
  code: string;
  name: BilingualText;
  kind: LocationKind;
  warehouse: string;
  area: string;
  bin: string;
  active: boolean;
  version: number;
}
export interface Customer {
  code: string;
  name: BilingualText;
  country: string;
  address: string;
  contact: string;
  active: boolean;
  version: number;
}

export type Qualification = 'pending' | 'approved' | 'conditional' | 'disqualified';
export type EvidenceKind = 'questionnaire' | 'audit' | 'certificate';
export interface SupplierSummary {
  code: string;
  name: BilingualText;
  country: string;
  status: Qualification;
  approvedItems: number;
  lastScore: number | null;
  pendingQualification: { status: Qualification; reason: string; by: string } | null;
}
export interface Evidence {
  id: string;
  kind: EvidenceKind;
  title: string;
  reference: string | null;
  date: string;
  expiryDate: string | null;
  result: string;
  addedAt: string;
  addedBy: string;
}
export interface Evaluation {
  id: string;
  period: string;
  quality: number;
  delivery: number;
  score: number;
  comment: string;
  at: string;
  by: string;
}
export interface Supplier extends Omit<SupplierSummary, 'approvedItems'> {
  stream: string;
  contact: string;
  address: string;
  createdAt: string;
  statusReason: string | null;
  version: number;
  statusHistory: Array<{ status: Qualification; reason: string; at: string; by: string; signatureId: string }>;
  evidence: Evidence[];
  evaluations: Evaluation[];
  approvedItems: Array<{ itemId: string; partNumber: string; addedAt: string; by: string }>;
  actions: SupplierAvailableAction[];
}
export type SupplierAction =
  | 'approve'
  | 'approve_conditionally'
  | 'disqualify'
  | 'update'
  | 'add_evidence'
  | 'add_to_asl'
  | 'remove_from_asl'
  | 'evaluate';
export type SupplierAvailableAction = LifecycleAction<SupplierAction>;
export interface CertificateAlert {
  kind: 'certificate_expired' | 'certificate_expiring';
  daysLeft: number;
  supplier: { code: string; name: BilingualText; status: Qualification };
  certificate: { id: string; title: string; reference: string | null; expiryDate: string };
}

export type PoStatus =
  'draft' | 'pending_approval' | 'approved' | 'partially_received' | 'received' | 'closed' | 'cancelled';
export interface PoLine {
  lineNo: number;
  itemId: string;
  partNumber: string;
  name: BilingualText;
  unit: string;
  quantity: number;
  unitPrice: number;
  dueDate: string;
  received: number;
}
export interface ReceiptLine {
  lineNo: number;
  quantity: number;
  lotIds: string[];
  lotNumber: string;
  supplierLot: string;
  mfgDate: string | null;
  expiryDate: string | null;
  coaRef: string | null;
  serials: string[] | null;
  inspectionId: string;
}
export interface Receipt {
  id: string;
  at: string;
  by: string;
  location: string;
  lines: ReceiptLine[];
}
export interface PoSummary {
  id: string;
  number: string;
  supplier: { code: string; name: BilingualText };
  currency: string;
  total: number;
  status: PoStatus;
  createdAt: string;
  dueDate: string | null;
}
export type PoAction = 'issue' | 'approve' | 'receive' | 'cancel' | 'close';
export type PoAvailableAction = LifecycleAction<PoAction>;
export interface Po extends PoSummary {
  actions: PoAvailableAction[];
  stream: string;
  lines: PoLine[];
  requisitionId: string | null;
  createdBy: PersonRef;
  issuedAt: string | null;
  needsApproval: boolean;
  threshold: number | null;
  approval: { by: string; at: string; signatureId: string | null; automatic: boolean } | null;
  receipts: Receipt[];
  closeReason: string | null;
  version: number;
}
export interface NewPo {
  supplier: string;
  currency: string;
  requisitionId?: string;
  lines: Array<{ itemId: string; quantity: number; unitPrice: number; dueDate: string }>;
}
export interface ReceiptInput {
  location?: string;
  lines: Array<{
    lineNo: number;
    quantity: number;
    supplierLot: string;
    mfgDate?: string;
    expiryDate?: string;
    coaRef?: string;
    serials?: string[];
  }>;
}
export interface Requisition {
  id: string;
  number: string;
  requestedBy: PersonRef;
  createdAt: string;
  note: string;
  status: 'open' | 'ordered' | 'cancelled';
  lines: Array<{ itemId: string; partNumber: string; name: BilingualText; quantity: number; needBy: string }>;
  poId: string | null;
  poNumber: string | null;
  version: number;
  actions: RequisitionAvailableAction[];
}
export type RequisitionAvailableAction = LifecycleAction<'order' | 'cancel'>;

export interface SamplingPlan {
  lotSize: number;
  letter: string;
  planLetter: string;
  sampleSize: number;
  ac: number;
  re: number;
  aql: number;
  hundredPercent: boolean;
}
export type InspectionStatus = 'open' | 'completed' | 'dispositioned';
export type DispositionDecision = 'release' | 'reject' | 'conditional';
export interface Inspection {
  id: string;
  stream: string;
  number: string;
  lotIds: string[];
  lotNumber: string;
  item: { id: string; partNumber: string; name: BilingualText; unit: string };
  supplier: { code: string; name: BilingualText } | null;
  po: { id: string; number: string } | null;
  receiptId: string | null;
  lotSize: number;
  plan: SamplingPlan;
  characteristics: Characteristic[];
  status: InspectionStatus;
  result: 'pass' | 'fail' | null;
  defectives: number | null;
  measurements: Array<{ characteristic: string; values: number[]; outOfSpec: number[] }>;
  attributeDefectives: number;
  notes: string;
  inspector: PersonRef | null;
  completedAt: string | null;
  disposition: {
    decision: DispositionDecision;
    by: string;
    at: string;
    signatureIds: string[];
    ncId: string | null;
  } | null;
  createdAt: string;
  version: number;
  actions: InspectionAvailableAction[];
}
export type InspectionAction = 'record_results' | 'correct_results' | DispositionDecision;
export type InspectionAvailableAction = LifecycleAction<InspectionAction>;
export interface ResultsInput {
  measurements: Array<{ characteristic: string; values: number[] }>;
  attributeDefectives?: number;
  notes?: string;
  reason?: string;
}

export type LotStatus =
  'quarantine' | 'released' | 'on_hold' | 'rejected' | 'expired' | 'consumed' | 'scrapped' | 'shipped';
export interface Movement {
  version: number;
  type: string;
  at: string;
  by: string;
  from: string | null;
  to: string | null;
  quantity: number;
  source: string | null;
  reason: string | null;
}
export interface Lot {
  id: string;
  stream: string;
  lotNumber: string;
  kind: 'lot' | 'serial';
  serial: string | null;
  status: LotStatus;
  item: { id: string; partNumber: string; name: BilingualText; unit: string; control: string };
  quantity: number;
  initialQuantity: number;
  balances: Array<{ location: string; quantity: number }>;
  supplier: { code: string; name: BilingualText } | null;
  supplierLot: string | null;
  po: { id: string; number: string } | null;
  receiptId: string | null;
  mfgDate: string | null;
  expiryDate: string | null;
  coaRef: string | null;
  source: string | null;
  inspectionId: string | null;
  inspection: { id: string; result: 'pass' | 'fail'; defectives: number; sampleSize: number; inspector: string } | null;
  pending: { decision: string; reason: string; by: string } | null;
  disposition: { decision: string; reason: string; by: string; at: string; signatureId: string; ncId?: string } | null;
  hold: { reason: string; by: string; at: string; previous: LotStatus } | null;
  createdAt: string;
  version: number;
}
export type LotAction = 'move' | 'adjust' | 'hold' | 'release_hold' | 'scrap';
export type LotAvailableAction = LifecycleAction<LotAction>;
export interface LotReference {
  id: string;
  number: string;
  status: string;
  summary: string;
  link: { route: string; id: string };
}
export interface LotDetail extends Lot {
  movements: Movement[];
  actions: LotAvailableAction[];
  receipt: {
    id: string;
    at: string;
    by: string;
    location: string;
    po: { id: string; number: string };
    supplier: { code: string; name: BilingualText };
    line: ReceiptLine | null;
  } | null;
  inspectionRecord: {
    id: string;
    number: string;
    status: InspectionStatus;
    plan: SamplingPlan;
    result: 'pass' | 'fail' | null;
    defectives: number | null;
    inspector: PersonRef | null;
    completedAt: string | null;
  } | null;
  nonconformance: { id: string; number: string; status: string; description: string } | null;
  /** Every NC and complaint naming this lot or serial (the server's registered lot references). */
  references: { nc: LotReference[]; complaint: LotReference[] };
  signatures: Array<Signature & { reason: string | null }>;
  ledger: { stream: string; events: number; head: string; valid: boolean; findings: unknown[] };
}
export interface InventoryAlert {
  kind: 'lot_expired' | 'lot_expiring' | 'below_safety_stock' | 'reorder';
  lot?: { id: string; lotNumber: string; status: LotStatus; quantity: number; locations: string[] };
  item: { id: string; partNumber: string; name: BilingualText; unit?: string };
  expiryDate?: string;
  daysLeft?: number;
  available?: number;
  safetyStock?: number;
  reorderPoint?: number;
}
export interface FefoSuggestion {
  item: string;
  requested: number;
  shortfall: number;
  picks: Array<{
    lotId: string;
    lotNumber: string;
    serial: string | null;
    expiryDate: string | null;
    location: string;
    available: number;
    take: number;
  }>;
}
/** Credentials for an e-signature, as the ERP endpoints take them inline. */
export interface Credentials {
  password: string;
  totp?: string;
}
