// The Device History Record as one plain view: what the DHR PDF template, the DHR screen and the
// auditor portal all read. Built by dhr.ts from the work order, its lots, signatures and ledger.
// Text that has two languages stays {zh, en}; the template picks by locale.

export interface Bilingual {
  zh: string;
  en: string;
}
export interface DhrSignature {
  signatureId: string;
  meaning: string;
  signer: string;
  signerId: string;
  signedAt: string;
  reason: string | null;
  /** 21 CFR 11.50 line, already in the export's language: "Signed by …, 2026-11-26 10:42 UTC, meaning: Performed" */
  manifestation: string;
  valid: boolean;
}
export interface DhrMaterial {
  itemId: string;
  partNumber: string;
  name: Bilingual;
  unit: string;
  lotId: string;
  lotNumber: string;
  quantity: number;
  supplier: { code: string; name: Bilingual } | null;
  supplierLot: string | null;
  expiryDate: string | null;
  coaRef: string | null;
  issuedAt: string;
  issuedBy: string;
}
export interface DhrStepValue {
  name: string;
  value: number;
  /** As entered, when it keeps decimals the number drops ("4.00"). */
  text?: string;
  unit: string;
  lower: number | null;
  upper: number | null;
  inSpec: boolean;
}
export interface DhrStep {
  seq: number;
  name: Bilingual;
  workInstruction: { id: string; number: string; revision: string | null; title: Bilingual };
  status: 'pending' | 'performed' | 'verified';
  values: DhrStepValue[];
  equipment: Array<{ id: string; code: string; name: Bilingual; calibrationDue: string | null }>;
  comment: string | null;
  performed: DhrSignature | null;
  verified: DhrSignature | null;
}
export interface DhrDeviation {
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
  closure: { disposition: string; rationale: string; signature: DhrSignature } | null;
}
export interface DhrAuditLine {
  version: number;
  at: string;
  actor: string;
  type: string;
  reason: string | null;
  hash: string;
}
export interface DhrView {
  workOrder: {
    id: string;
    stream: string;
    number: string;
    state: string;
    plannedQuantity: number;
    plannedStart: string;
    plannedEnd: string;
    createdAt: string;
  };
  device: { id: string; partNumber: string; name: Bilingual; gtin: string | null; control: string };
  dmr: { id: string; revision: string; effectiveDate: string | null };
  lotNumber: string | null;
  serials: string[];
  expiryDate: string | null;
  output: {
    goodQuantity: number;
    scrappedQuantity: number;
    lots: Array<{ id: string; lotNumber: string; serial: string | null; status: string }>;
  } | null;
  materials: DhrMaterial[];
  materialReconciliation: {
    lines: Array<{
      itemId: string;
      partNumber: string;
      standard: number;
      issued: number;
      consumed: number;
      scrapped: number;
      variance: number;
    }>;
    reason: string | null;
    by: string;
    at: string;
  } | null;
  steps: DhrStep[];
  deviations: DhrDeviation[];
  labels: {
    printed: number;
    used: number;
    destroyed: number;
    reason: string | null;
    reconciledBy: string | null;
    reconciledAt: string | null;
    /** GS1 human-readable text of a sample label, e.g. "(01)06901234567892(17)281130(10)L2611-00042" */
    sampleHri: string | null;
  };
  approval: DhrSignature | null; // the supervisor's release of the work order to production
  release: DhrSignature | null; // QA's release of the product
  signatures: DhrSignature[]; // every signature on the work order, in order
  audit: DhrAuditLine[]; // the work order's own ledger events (an excerpt: the last 200)
  ledger: { stream: string; version: number; headHash: string; verified: boolean };
  generatedAt: string;
}
