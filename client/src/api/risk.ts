import { request } from './request';
import type { LifecycleAction } from './types';

// Risk management (ISO 14971:2019): a device's plan (the acceptability policy as data) and its risk
// file; every zone is judged by the server on the approved plan, every rule is the server's (`actions`).
export type Zone = 'acceptable' | 'afap' | 'unacceptable';
export const ZONES: Zone[] = ['acceptable', 'afap', 'unacceptable'];
type Bi = { zh: string; en: string };
export interface PlanContent {
  scope: string;
  lifecyclePhases: string[];
  responsibilities: string;
  probability: Array<{ name: Bi; band: { min: number; max: number } | null }>;
  severity: Array<{ name: Bi; definition: Bi }>;
  zones: Array<{ cells: Zone[] }>;
}
export type RiskAvailableAction = LifecycleAction<string>;
export interface RiskPlan {
  id: string;
  item: { id: string; partNumber: string; name: Bi };
  status: 'draft' | 'approved';
  revision: number;
  effective: PlanContent | null;
  draft: PlanContent | null;
  approvedBy: { name: string } | null;
  approvedAt: string | null;
  stream: string;
  version: number;
  actions: RiskAvailableAction[];
}
export interface Judged {
  zone: Zone | null;
  severity: number;
  probability: number | null;
  combined: number | null;
  problem: string | null;
}
export interface RiskFileRow {
  id: string;
  item: { id: string; partNumber: string; name: Bi };
  status: 'draft' | 'approved';
  rows: number;
  fmea: number;
  planRevision: number | null;
  stream: string;
  version: number;
  actions: RiskAvailableAction[];
}
export interface RiskFile extends RiskFileRow {
  plan: (PlanContent & { revision: number; quantitative: boolean }) | null;
  planChangedSinceApproval: boolean;
  evaluation: { overallResidualRisk: string; overallAcceptable: boolean; review: string; planRevision: number } | null;
  approval: { by: { name: string }; at: string; planRevision: number } | null;
  hazards: Array<{
    id: string;
    hazard: string;
    sequence: string;
    situation: string;
    harm: string;
    imdrfCodes: string[];
    controls: Array<{
      kind: string;
      description: string;
      designInputId: string | null;
      implementation: string | null;
      effectiveness: string | null;
    }>;
    benefitRisk: string | null;
    initialRisk: Judged | null;
    residualRisk: Judged | null;
    /** Complaints linked to the row (ISO 14971:2019 10): post-production information. */
    complaints: LinkedComplaint[];
  }>;
  fmeaRows: Array<{
    id: string;
    seq: number;
    step: Bi;
    failureMode: string;
    effect: string;
    cause: string;
    severity: number;
    occurrence: number;
    detection: number;
    rpn: number;
    zone: Zone | null;
  }>;
}
export interface LinkedComplaint {
  complaintId: string;
  number: string;
  reason: string;
  by: { name: string };
  at: string;
}
/** A hazard row a complaint is linked to, as the complaint's GET lists it. */
export interface HazardLink {
  fileId: string;
  item: { partNumber: string; name: Bi };
  hazardRowId: string;
  hazard: string;
  harm: string;
  reason: string;
  at: string;
}
export interface PostProduction {
  unitsShipped: number;
  complaints: number;
  flagged: string[];
  rows: Array<{
    rowId: string;
    hazard: string;
    flagged: boolean;
    linkedComplaints: LinkedComplaint[];
    codes: Array<{
      code: string;
      complaints: number;
      observedRate: number | null;
      estimate: number | null;
      exceeds: boolean;
    }>;
  }>;
}

export const riskApi = {
  files: () => request<RiskFileRow[]>('/risk-files'),
  file: (id: string) => request<RiskFile>(`/risk-files/${encodeURIComponent(id)}`),
  createFile: (itemId: string) => request<RiskFile>('/risk-files', { method: 'POST', body: { itemId } }),
  fileAct: (id: string, action: string, body: Record<string, unknown>) =>
    request<RiskFile>(`/risk-files/${encodeURIComponent(id)}/actions/${action}`, { method: 'POST', body }),
  postProduction: (id: string) => request<PostProduction>(`/risk-files/${encodeURIComponent(id)}/post-production`),
  plans: () => request<RiskPlan[]>('/risk-plans'),
  plan: (id: string) => request<RiskPlan>(`/risk-plans/${encodeURIComponent(id)}`),
  createPlan: (itemId: string, content: PlanContent) =>
    request<RiskPlan>('/risk-plans', { method: 'POST', body: { itemId, content } }),
  planAct: (id: string, action: string, body: Record<string, unknown>) =>
    request<RiskPlan>(`/risk-plans/${encodeURIComponent(id)}/actions/${action}`, { method: 'POST', body }),
};
