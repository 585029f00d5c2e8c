import { request } from './request';
import type { Ledger, Signature, SignatureInput, SignatureMeaning } from './types';

// Every record (document, DHR, lot…) has a ledger stream such as `document:6650…`.
const streamPath = (stream: string) => `/records/${encodeURIComponent(stream)}`;

export const recordsApi = {
  ledger: (stream: string) => request<Ledger>(`${streamPath(stream)}/ledger`),
  signatures: (stream: string) => request<Signature[]>(`${streamPath(stream)}/signatures`),
  sign: (stream: string, meaning: SignatureMeaning, version: number, input: SignatureInput) =>
    request<Signature>(`${streamPath(stream)}/signatures`, { method: 'POST', body: { meaning, version, ...input } }),
};
