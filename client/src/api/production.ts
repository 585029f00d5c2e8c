import { request } from './request';
import type { BilingualText, LifecycleAction, SignatureInput } from './types';

// Work orders and their electronic Device History Record (GET/POST /workorders…).
export type WorkOrderState = 'planned' | 'released' | 'in_progress' | 'completed' | 'closed' | 'cancelled';
export const WORK_ORDER_STATES: WorkOrderState[] = [
  'planned',
  'released',
  'in_progress',
  'completed',
  'closed',
  'cancelled',
];
export type WorkOrderAction =
  | 'release'
  | 'cancel'
  | 'issue'
  | 'perform'
  | 'verify'
  | 'close_deviation'
  | 'print_labels'
  | 'reconcile_labels'
  | 'reconcile_materials'
  | 'complete'
  | 'qa_release';
/** A work-order action the server offers; steps carry `target: { seq }`, deviations `target: { deviationId }`. */
export type WorkOrderAvailableAction = LifecycleAction<WorkOrderAction>;
export type Disposition = 'use_as_is' | 'rework' | 'scrap';
export const DISPOSITIONS: Disposition[] = ['use_as_is', 'rework', 'scrap'];
export type ChecklistKey = 'steps' | 'deviations' | 'labels' | 'materials' | 'output';

export interface WorkOrderItem {
  id: string;
  partNumber: string;
  name: BilingualText;
  gtin: string | null;
  control: string;
}
export interface WorkOrderSummary {
  id: string;
  stream: string;
  number: string;
  item: WorkOrderItem;
  state: WorkOrderState;
  plannedQuantity: number;
  lotNumber: string | null;
  serials: string[];
  dmrRevision: string;
  plannedStart: string;
  plannedEnd: string;
  progress: { done: number; total: number };
  openDeviations: number;
  createdAt: string;
  /** What this user may do on the order now (list rows too: the shop floor's tiles come from them). */
  actions: WorkOrderAvailableAction[];
}
export interface CaptureSpec {
  name: string;
  /** display label copied from the DMR (issue 15 item 8); absent on older orders */
  label?: { en?: string; zh?: string };
  unit: string;
  lower: number | null;
  upper: number | null;
}
export interface CapturedValue extends CaptureSpec {
  value: number;
  /** As entered when it keeps decimals the number drops ("4.00"). */
  text?: string;
  inSpec: boolean;
}
export interface SignedBy {
  by: string;
  byId: string;
  at: string;
  signatureId: string;
}
export interface UsedEquipment {
  id: string;
  code: string;
  name: BilingualText;
  calibrationDue: string | null;
}
export interface WorkOrderOperation {
  seq: number;
  name: BilingualText;
  workInstruction: { id: string; number: string; title: BilingualText };
  equipmentType: string;
  /** sent once the work-order presenter passes the DMR's label on (issue 15 item 8) */
  equipmentTypeLabel?: { en?: string; zh?: string };
  trainingRequired: boolean;
  secondPersonVerify: boolean;
  captures: CaptureSpec[];
  status: 'pending' | 'performed' | 'verified';
  next: boolean;
  performed: (SignedBy & { values: CapturedValue[]; equipment: UsedEquipment[]; comment: string | null }) | null;
  verified: SignedBy | null;
}
export interface BomRequirement {
  itemId: string;
  partNumber: string;
  name: BilingualText;
  unit: string;
  control: string;
  quantityPer: number;
  required: number;
  issued: number;
}
export interface IssuedMaterial {
  lotId: string;
  lotNumber: string;
  itemId: string;
  partNumber: string;
  quantity: number;
  supplier: { code: string; name: BilingualText | string } | null;
  supplierLot: string | null;
  at: string;
  by: string;
}
export interface Deviation {
  id: string;
  number: string;
  seq: number;
  capture: string;
  value: number;
  text?: string;
  lower: number | null;
  upper: number | null;
  status: 'open' | 'closed';
  openedAt: string;
  closure: { disposition: Disposition; rationale: string; by: string; at: string; signatureId: string } | null;
}
export interface LabelStatus {
  printed: number;
  used: number;
  destroyed: number;
  reconciled: boolean;
  reason: string | null;
  sampleHri: string | null;
}
export interface ReconciliationLine {
  itemId: string;
  partNumber: string;
  standard: number;
  issued: number;
  consumed: number;
  scrapped: number;
  variance: number;
}
export interface WorkOrderDetail extends WorkOrderSummary {
  ledgerVersion: number;
  dmr: { id: string; revision: string };
  bom: BomRequirement[];
  operations: WorkOrderOperation[];
  materials: IssuedMaterial[];
  deviations: Deviation[];
  labels: LabelStatus;
  materialReconciliation: { lines: ReconciliationLine[]; reason: string | null; by: string; at: string } | null;
  output: { goodQuantity: number; scrappedQuantity: number; lotIds: string[] } | null;
  checklist: Array<{ key: ChecklistKey; ok: boolean }>;
  approval: { by: string; at: string; signatureId: string } | null;
  release: { by: string; at: string; signatureId: string } | null;
}
export interface MaterialSuggestion {
  itemId: string;
  partNumber: string;
  unit: string;
  required: number;
  issued: number;
  remaining: number;
  suggestions: Array<{
    lotId: string;
    lotNumber: string;
    location: string;
    available: number;
    expiryDate: string | null;
  }>;
}
export interface NewWorkOrder {
  itemId: string;
  plannedQuantity: number;
  plannedStart: string;
  plannedEnd: string;
}
export interface PerformInput extends SignatureInput {
  /** Decimal text as entered ("4.00"), so the decimals are kept; or a number. */
  values: Record<string, number | string>;
  equipmentIds: string[];
  comment?: string;
}

const path = (id: string) => `/workorders/${encodeURIComponent(id)}`;
const post = (url: string, body: unknown, quietCodes?: string[]) =>
  request<WorkOrderDetail>(url, { method: 'POST', body, quietCodes });
const signature = (input: SignatureInput) => ({ password: input.password, totp: input.totp });

export const workOrdersApi = {
  list: (query: { state?: WorkOrderState | ''; item?: string } = {}) =>
    request<WorkOrderSummary[]>('/workorders', { query }),
  get: (id: string) => request<WorkOrderDetail>(path(id)),
  create: (input: NewWorkOrder) =>
    request<WorkOrderDetail>('/workorders', { method: 'POST', body: input, quietCodes: ['NO_EFFECTIVE_DMR'] }),
  /** The actions with no form of their own (release, cancel, QA release): POST /workorders/:id/actions/:action. */
  act: (id: string, action: WorkOrderAction, version: number, input: Partial<SignatureInput> = {}) =>
    post(`${path(id)}/actions/${action}`, {
      version,
      password: input.password || undefined,
      totp: input.totp,
      reason: input.reason,
    }),
  suggestions: (id: string) => request<MaterialSuggestion[]>(`${path(id)}/material-suggestions`),
  issue: (id: string, lotId: string, quantity: number, location?: string) =>
    post(`${path(id)}/materials`, { lotId, quantity, location }),
  /** Refusals are shown by the shop-floor screen itself, in a banner a tablet user cannot miss. */
  perform: (id: string, seq: number, input: PerformInput) =>
    post(
      `${path(id)}/steps/${seq}/perform`,
      {
        values: input.values,
        equipmentIds: input.equipmentIds,
        comment: input.comment || undefined,
        ...signature(input),
      },
      PERFORM_REFUSALS,
    ),
  verify: (id: string, seq: number, input: SignatureInput) =>
    post(`${path(id)}/steps/${seq}/verify`, signature(input), PERFORM_REFUSALS),
  closeDeviation: (
    id: string,
    deviationId: string,
    disposition: Disposition,
    rationale: string,
    input: SignatureInput,
  ) =>
    post(`${path(id)}/deviations/${encodeURIComponent(deviationId)}/close`, {
      disposition,
      rationale,
      ...signature(input),
    }),
  printLabels: (id: string, quantity: number) => post(`${path(id)}/labels/print`, { quantity }),
  reconcileLabels: (id: string, used: number, destroyed: number, reason?: string) =>
    post(`${path(id)}/labels/reconcile`, { used, destroyed, reason: reason || undefined }),
  reconcileMaterials: (
    id: string,
    lines: Array<{ itemId: string; consumed: number; scrapped: number }>,
    reason?: string,
  ) => post(`${path(id)}/materials/reconcile`, { lines, reason: reason || undefined }),
  /** Serialized orders name each scrapped serial; the rest become one released-to-quarantine unit each. */
  complete: (id: string, goodQuantity: number, scrappedQuantity: number, reason?: string, scrappedSerials?: string[]) =>
    post(`${path(id)}/complete`, { goodQuantity, scrappedQuantity, reason: reason || undefined, scrappedSerials }),
  labelsPdfUrl: (id: string) => `/api/v1${path(id)}/labels.pdf`,
  sampleLabelUrl: (id: string) => `/api/v1${path(id)}/labels/sample.png`,
};

/** Numbering schemes of production (work orders, serial numbers), with the number each would give next. */
export type ProductionSchemeType = 'work_order' | 'serial';
export interface ProductionScheme {
  type: ProductionSchemeType;
  pattern: string;
  example: string;
}
export const productionNumberingApi = {
  list: () => request<ProductionScheme[]>('/production/numbering-schemes'),
  update: (type: ProductionSchemeType, pattern: string) =>
    request<ProductionScheme[]>(`/production/numbering-schemes/${type}`, { method: 'PUT', body: { pattern } }),
};

/** Step refusals the shop floor explains in place (NOT_TRAINED names the document and revision). */
export const PERFORM_REFUSALS = [
  'STEP_OUT_OF_ORDER',
  'NOT_TRAINED',
  'EQUIPMENT_REQUIRED',
  'EQUIPMENT_WRONG_TYPE',
  'EQUIPMENT_NOT_CALIBRATED',
  'VALUE_MISSING',
  'STEP_ALREADY_PERFORMED',
  'STEP_NOT_AWAITING_VERIFICATION',
  'INVALID_CREDENTIALS',
  'SIGNER_IS_AUTHOR',
  'TOTP_REQUIRED',
  'TOTP_INVALID',
  'STALE_VERSION',
  'WORK_ORDER_WRONG_STATE',
];

/** Whether a value lies within its (possibly one-sided) specification limits. */
export function inSpec(
  value: number | null | undefined,
  spec: { lower: number | null; upper: number | null },
): boolean | null {
  if (value === null || value === undefined || Number.isNaN(value)) return null;
  return (spec.lower === null || value >= spec.lower) && (spec.upper === null || value <= spec.upper);
}
export function formatLimits(spec: { lower: number | null; upper: number | null; unit?: string }): string {
  const unit = spec.unit ? ` ${spec.unit}` : '';
  if (spec.lower !== null && spec.upper !== null) return `${spec.lower} – ${spec.upper}${unit}`;
  if (spec.lower !== null) return `≥ ${spec.lower}${unit}`;
  if (spec.upper !== null) return `≤ ${spec.upper}${unit}`;
  return '—';
}
