// Shapes of the server's JSON under /api/v1 (see the API contract).
export type LocaleCode = 'zh-CN' | 'en-US';
export interface BilingualText {
  zh: string;
  en: string;
}
export interface PersonRef {
  id: string;
  name: string;
}

export interface User {
  id: string;
  username: string;
  fullName: string;
  email: string;
  roles: string[];
  status: 'active' | 'locked' | 'disabled';
  totpEnrolled: boolean;
  mustChangePassword: boolean;
  passwordExpiresAt: string | null;
}
export interface Session {
  user: User;
  csrfToken: string;
}
export interface Role {
  id: string;
  name: Record<LocaleCode, string>;
  permissions: string[];
}
export interface ApiToken {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export type SignatureMeaning =
  | 'authored'
  | 'reviewed'
  | 'approved'
  | 'released'
  | 'verified'
  | 'performed'
  | 'read_and_understood'
  | 'reviewed_no_change'
  | 'obsoleted'
  | 'rejected';

export interface LedgerEvent {
  version: number;
  type: string;
  at: string;
  actor: { id: string; name: string; role: string };
  data: unknown;
  reason?: string;
  hash: string;
  prevHash: string | null;
  status: 'ok' | 'hash-mismatch' | 'chain-broken';
}
export interface Ledger {
  stream: string;
  valid: boolean;
  /** What the chain check found (empty when the chain verifies). */
  findings?: Array<{ stream: string; version: number; kind: string; detail: string }>;
  events: LedgerEvent[];
  /** The latest signed checkpoint covering this stream, when there is one. */
  checkpoint?: { seq: number; at: string; root: string } | null;
}
export interface Signature {
  id: string;
  meaning: SignatureMeaning;
  signer: PersonRef;
  at: string;
  recordVersion: number;
  contentHash: string;
  manifestation: string;
  valid: boolean;
  /** A delegate's signature: the person it was given for (issue 15 item 6). */
  onBehalfOf?: { id: string; name: string; delegationId: string } | null;
}

export type DocumentType = 'policy' | 'sop' | 'work_instruction' | 'form' | 'specification' | 'drawing' | 'template';
export type DocumentState = 'draft' | 'in_review' | 'approval' | 'approved' | 'effective' | 'superseded' | 'obsolete';
export type DocumentAction =
  'submit' | 'review' | 'reject' | 'approve' | 'obsolete' | 'new_revision' | 'periodic_review' | 'upload';

export interface DocumentSummary {
  id: string;
  number: string;
  type: DocumentType;
  title: BilingualText;
  state: DocumentState;
  revision: string;
  owner: PersonRef;
  department: string;
  effectiveDate: string | null;
  nextReviewDue: string | null;
}
export interface DocumentFile {
  sha256: string;
  name: string;
  size: number;
  mime: string;
}
export interface RevisionDecision {
  userId: string;
  name: string;
  decision: string;
  at: string;
  reason?: string;
}
export interface DocumentRevision {
  revision: string;
  iteration: number;
  state: DocumentState;
  author: PersonRef;
  file: DocumentFile | null;
  effectiveDate: string | null;
  reviews: RevisionDecision[];
  approvals: RevisionDecision[];
  obsoleteReason: string | null;
  /** Taken over from the legacy register by a data migration: its source row; no signatures. */
  migrated?: { batch: string; file: string; sheet: string; row: number; sha256: string } | null;
}
export interface Trainees {
  roles: string[];
  users: string[];
}
/**
 * What the server says the current user may do now on a record: every record GET returns its
 * `actions`, computed from the record type's lifecycle declaration. The client draws buttons from
 * them and never decides itself whether an action is allowed.
 */
export interface LifecycleAction<A extends string = string> {
  action: A;
  /** The meaning of the e-signature the action takes (21 CFR 11.50), or null when unsigned. */
  signature: SignatureMeaning | null;
  needsReason: boolean;
  needsDate: boolean;
  /** The action vouches for values the page collects in its own form (a step's captures, a quantity…). */
  needsValues: boolean;
  scope: string | null;
  /** The part of the record it applies to (a step `{ seq }`, a deviation `{ deviationId }`); sent with the action. */
  target?: Record<string, string | number>;
  /** Set when a check would still refuse the user now (untrained, equipment out of calibration…): why, and the page that fixes it. */
  blockedBy?: ActionBlocker;
}
/** The server's `blockedBy`: the reason in both languages, and where to fix it. */
export interface ActionBlocker {
  code: string;
  en: string;
  zh: string;
  link?: { route: string; id: string };
}
export type AvailableAction = LifecycleAction<DocumentAction>;
export interface DocumentDetail {
  id: string;
  stream: string;
  number: string;
  type: DocumentType;
  title: BilingualText;
  summary: BilingualText;
  /** State of the working revision. */
  state: DocumentState;
  owner: PersonRef;
  department: string;
  reviewers: PersonRef[];
  approvers: PersonRef[];
  trainees: Trainees;
  reviewIntervalMonths: number;
  nextReviewDue: string | null;
  version: number;
  revisions: DocumentRevision[];
  current: string;
  effective: string | null;
  actions: AvailableAction[];
}
export interface NewDocument {
  type: DocumentType;
  title: BilingualText;
  summary: BilingualText;
  department: string;
  reviewers: string[];
  approvers: string[];
  trainees: Trainees;
  reviewIntervalMonths: number;
}
export interface TrainingStatus {
  userId: string;
  name: string;
  revision: string;
  status: 'open' | 'done';
  completedAt: string | null;
  signatureId: string | null;
}
export interface Task {
  id: string;
  kind:
    | 'review'
    | 'approval'
    | 'training'
    | 'periodic_review'
    | 'wo_release'
    | 'wo_step'
    | 'wo_verify'
    | 'deviation'
    | 'dhr_release'
    | 'calibration'
    | 'capa_action'
    | 'report';
  /** Document tasks only. */
  documentId?: string;
  /** The client route (and its :id) that opens the task. */
  link: { route: string; id: string };
  number: string;
  title: BilingualText;
  revision: string;
  due: string | null;
}
export interface NumberingScheme {
  type: DocumentType;
  pattern: string;
  next: string;
}
export interface Health {
  status: string;
  engine: string;
  version: string;
  ledger: { events: number; head: string };
}
/** What a signing (re-authentication) dialog collects. */
export interface SignatureInput {
  password: string;
  totp?: string;
  reason?: string;
  effectiveDate?: string;
}
