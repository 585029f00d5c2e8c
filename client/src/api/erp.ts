import { request } from './request';
import type {
  CertificateAlert,
  Customer,
  EvidenceKind,
  Item,
  ItemFields,
  ItemType,
  Location,
  LocationKind,
  Qualification,
  Supplier,
  SupplierAction,
  SupplierSummary,
  Credentials,
} from './erpTypes';
import type { BilingualText } from './types';

// Master data (items, locations, customers) and suppliers.
const enc = encodeURIComponent;

export type NewItem = ItemFields & { partNumber: string };
export const itemsApi = {
  list: (query: { q?: string; type?: ItemType | ''; active?: string } = {}) => request<Item[]>('/items', { query }),
  get: (id: string) => request<Item>(`/items/${enc(id)}`),
  create: (input: NewItem) => request<Item>('/items', { method: 'POST', body: input }),
  revise: (id: string, version: number, reason: string, changes: Partial<ItemFields>) =>
    request<Item>(`/items/${enc(id)}/revisions`, { method: 'POST', body: { version, reason, changes } }),
  setActive: (id: string, active: boolean, reason: string) =>
    request<Item>(`/items/${enc(id)}/active`, { method: 'POST', body: { active, reason } }),
};

export interface NewLocation {
  code: string;
  name: BilingualText;
  kind: LocationKind;
  warehouse: string;
  area?: string;
  bin?: string;
}
export const locationsApi = {
  list: () => request<Location[]>('/locations'),
  create: (input: NewLocation) => request<Location>('/locations', { method: 'POST', body: input }),
};

export interface NewParty {
  code: string;
  name: BilingualText;
  country: string;
  address: string;
  contact: string;
}
export const customersApi = {
  list: () => request<Customer[]>('/customers'),
  create: (input: NewParty) => request<Customer>('/customers', { method: 'POST', body: input }),
};

export interface NewEvidence {
  kind: EvidenceKind;
  title: string;
  reference?: string;
  date: string;
  expiryDate?: string;
  result?: string;
}
export interface NewEvaluation {
  period: string;
  quality: number;
  delivery: number;
  comment?: string;
}
const supplierPath = (code: string) => `/suppliers/${enc(code)}`;
/** The qualification status each decision action sets (POST /suppliers/:code/qualification takes the status). */
export const QUALIFICATION_OF: Partial<Record<SupplierAction, Exclude<Qualification, 'pending'>>> = {
  approve: 'approved',
  approve_conditionally: 'conditional',
  disqualify: 'disqualified',
};
export const suppliersApi = {
  list: (query: { status?: Qualification | ''; item?: string } = {}) =>
    request<SupplierSummary[]>('/suppliers', { query }),
  alerts: () => request<CertificateAlert[]>('/supplier-alerts'),
  get: (code: string) => request<Supplier>(supplierPath(code)),
  create: (input: NewParty) => request<Supplier>('/suppliers', { method: 'POST', body: input }),
  qualify: (code: string, status: Exclude<Qualification, 'pending'>, reason: string, credentials: Credentials) =>
    request<Supplier>(`${supplierPath(code)}/qualification`, {
      method: 'POST',
      body: { status, reason, ...credentials },
    }),
  addEvidence: (code: string, input: NewEvidence) =>
    request<Supplier>(`${supplierPath(code)}/evidence`, { method: 'POST', body: input }),
  approveItem: (code: string, itemId: string) =>
    request<Supplier>(`${supplierPath(code)}/items`, { method: 'POST', body: { itemId } }),
  removeItem: (code: string, itemId: string, reason: string) =>
    request<Supplier>(`${supplierPath(code)}/items/${enc(itemId)}/remove`, { method: 'POST', body: { reason } }),
  evaluate: (code: string, input: NewEvaluation) =>
    request<Supplier>(`${supplierPath(code)}/evaluations`, { method: 'POST', body: input }),
};
