import { request } from './request';
import type { AvailableAction, DocumentDetail, LifecycleAction, PersonRef, SignatureInput } from './types';

// Review comments, sign-off status and revision comparison (issue 15 item 5).
export interface ReviewComment {
  id: string;
  documentId: string;
  revision: string;
  iteration: number;
  parentId: string | null;
  threadId: string;
  text: string;
  author: PersonRef;
  postedAt: string;
  status: 'open' | 'resolved';
  resolvedBy: PersonRef | null;
  resolvedAt: string | null;
  note: string | null;
  version: number;
  actions: LifecycleAction[];
}
export interface SignoffRow {
  id: string;
  name: string;
  done: boolean;
  decision: string | null;
  at: string | null;
}
export interface Signoff {
  revision: string;
  iteration: number;
  reviewers: SignoffRow[];
  approvers: SignoffRow[];
}
export interface ComparePart {
  kind: 'same' | 'added' | 'removed';
  sentences: string[];
}
export interface Comparison {
  from: { revision: string };
  to: { revision: string };
  added: number;
  removed: number;
  parts: ComparePart[];
}
/** The document detail with the fields this feature adds. */
export type ReviewedDocument = Omit<DocumentDetail, 'actions'> & {
  signoff?: Signoff;
  actions: Array<AvailableAction & { blockedBy?: { code: string; en: string; zh: string } }>;
};

const docPath = (id: string) => `/documents/${encodeURIComponent(id)}`;

export const reviewCommentsApi = {
  list: (documentId: string, revision?: string) =>
    // someone outside the review is refused (403): the review panel says so itself, no error toast
    request<ReviewComment[]>(`${docPath(documentId)}/comments`, {
      query: revision ? { revision } : {},
      quietCodes: ['NOT_A_REVIEW_PARTICIPANT'],
    }),
  post: (documentId: string, body: { revision: string; text: string; parentId?: string }) =>
    request<ReviewComment>(`${docPath(documentId)}/comments`, { method: 'POST', body }),
  act: (id: string, action: 'resolve' | 'reopen', version: number, note?: string) =>
    request<ReviewComment>(`/review-comments/${encodeURIComponent(id)}/${action}`, {
      method: 'POST',
      body: { version, ...(note ? { note } : {}) },
    }),
  compare: (documentId: string, from: string, to: string) =>
    request<Comparison>(`${docPath(documentId)}/compare`, { query: { from, to } }),
  /** Approve over unresolved comments: the reason is recorded on the ledger with the approval signature. */
  approveOverriding: (documentId: string, version: number, input: SignatureInput) =>
    request<DocumentDetail>(`${docPath(documentId)}/actions/approve`, {
      method: 'POST',
      body: { version, password: input.password, totp: input.totp, overrideComments: input.reason },
    }),
};
