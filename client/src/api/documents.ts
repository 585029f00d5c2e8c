import { apiUrl, request } from './request';
import type {
  BilingualText,
  DocumentAction,
  DocumentType,
  DocumentDetail,
  DocumentSummary,
  NewDocument,
  SignatureInput,
  Task,
  TrainingStatus,
} from './types';

export interface DocumentQuery {
  q?: string;
  type?: string;
  state?: string;
  owner?: string;
  department?: string;
  page: number;
  pageSize: number;
}

/** A department a document may belong to: its code is the {dept} of the number. */
export interface DocumentDepartment {
  code: string;
  name: BilingualText;
}
/** The roles that may review / approve each document type (the server refuses anyone else). */
export type DocumentSignerRoles = Record<'reviewer' | 'approver', Partial<Record<DocumentType, string[]>>>;

const docPath = (id: string) => `/documents/${encodeURIComponent(id)}`;

export const documentsApi = {
  list: (query: DocumentQuery) =>
    request<{ items: DocumentSummary[]; total: number }>('/documents', { query: { ...query } }),
  departments: () => request<DocumentDepartment[]>('/document-departments'),
  signerRoles: () => request<DocumentSignerRoles>('/document-signer-roles'),
  create: (input: NewDocument) => request<DocumentDetail>('/documents', { method: 'POST', body: input }),
  get: (id: string) => request<DocumentDetail>(docPath(id)),
  upload: (id: string, file: File) => {
    const form = new FormData();
    form.append('file', file);
    return request<DocumentDetail>(`${docPath(id)}/content`, { method: 'POST', body: form });
  },
  contentUrl: (id: string, revision: string) =>
    apiUrl(`${docPath(id)}/revisions/${encodeURIComponent(revision)}/content`),
  act: (id: string, action: DocumentAction, version: number, input: Partial<SignatureInput> = {}) =>
    request<DocumentDetail>(`${docPath(id)}/actions/${action}`, { method: 'POST', body: { version, ...input } }),
  training: (id: string) => request<TrainingStatus[]>(`${docPath(id)}/training`),
};

export const tasksApi = {
  mine: () => request<Task[]>('/tasks'),
  completeTraining: (taskId: string, input: SignatureInput) =>
    request<void>(`/training/${encodeURIComponent(taskId)}/complete`, {
      method: 'POST',
      body: { password: input.password, totp: input.totp },
    }),
};
