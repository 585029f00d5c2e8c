import { request } from './request';
import type { BilingualText, LifecycleAction, PersonRef, SignatureInput } from './types';

// The Device Master Record of each finished device (GET/POST /dmrs…).
export type DmrState = 'draft' | 'in_review' | 'approval' | 'effective' | 'superseded';
export type DmrAction = 'edit' | 'submit' | 'review' | 'reject' | 'approve' | 'new_revision';
export type BomControl = 'lot' | 'serial' | 'none';
export const UDI_ELEMENTS = ['01', '17', '10', '21', '11'] as const;
export type UdiElement = (typeof UDI_ELEMENTS)[number];

export interface DmrItemRef {
  id: string;
  partNumber: string;
  name: BilingualText;
  control: string;
}
export interface BomLine {
  itemId: string;
  partNumber: string;
  name: BilingualText;
  quantity: number;
  unit: string;
  control: BomControl;
}
export interface Capture {
  name: string;
  /** display label (issue 15 item 8); the name stays the key of the step values */
  label?: { en?: string; zh?: string };
  unit: string;
  lower: number | null;
  upper: number | null;
}
export interface Operation {
  seq: number;
  name: BilingualText;
  workInstructionId: string;
  workInstruction: { number: string; title: BilingualText };
  equipmentType: string;
  equipmentTypeLabel?: { en?: string; zh?: string };
  trainingRequired: boolean;
  secondPersonVerify: boolean;
  captures: Capture[];
}
export interface DmrContent {
  bom: BomLine[];
  routing: Operation[];
  specifications: Array<{ name: string; value: string }>;
  labeling: { udiElements: UdiElement[]; text: BilingualText };
  packaging: BilingualText;
}
export interface DmrDecision {
  userId: string;
  name: string;
  decision: string;
  at: string;
  reason?: string;
  iteration: number;
  signatureId: string;
}
export interface DmrRevision {
  revision: string;
  iteration: number;
  state: DmrState;
  author: PersonRef;
  content: DmrContent;
  submittedAt: string | null;
  reviews: DmrDecision[];
  approvals: DmrDecision[];
  effectiveDate: string | null;
  supersededAt: string | null;
}
export interface DmrSummary {
  id: string;
  item: DmrItemRef;
  state: DmrState;
  revision: string;
  workingState: DmrState;
  current: string;
  effectiveDate: string | null;
}
export type DmrAvailableAction = LifecycleAction<DmrAction>;
export interface DmrDetail extends DmrSummary {
  stream: string;
  version: number;
  createdAt: string;
  revisions: DmrRevision[];
  actions: DmrAvailableAction[];
}
/** What PUT /dmrs/:id/draft takes: the server fills part numbers, names, units and WI numbers. */
export interface DmrContentInput {
  bom: Array<{ itemId: string; quantity: number; control: BomControl }>;
  routing: Array<Omit<Operation, 'workInstruction'>>;
  specifications: Array<{ name: string; value: string }>;
  labeling: { udiElements: UdiElement[]; text: BilingualText };
  packaging: BilingualText;
}

const path = (id: string) => `/dmrs/${encodeURIComponent(id)}`;
export const dmrApi = {
  list: () => request<DmrSummary[]>('/dmrs'),
  get: (id: string) => request<DmrDetail>(path(id)),
  create: (itemId: string) => request<DmrDetail>('/dmrs', { method: 'POST', body: { itemId } }),
  saveDraft: (id: string, version: number, content: DmrContentInput) =>
    request<DmrDetail>(`${path(id)}/draft`, { method: 'PUT', body: { version, content } }),
  act: (id: string, action: DmrAction, version: number, input: Partial<SignatureInput> = {}) =>
    request<DmrDetail>(`${path(id)}/actions/${action}`, { method: 'POST', body: { version, ...input } }),
};
