import { defineRecordType } from '../records/registry.ts';
import { hasPermission } from '../identity/roles.ts';

// Every generated PDF leaves one event on stream `export:<jobId>`: what was exported, from which
// ledger head, and the SHA-256 of the sealed file, so a copy handed to an auditor can be matched
// to the moment and the record version it was made from (21 CFR 11.10(b)).
export const EXPORT_GENERATED = 'export.generated';
export interface ExportState {
  kind: string; recordStream: string; recordVersion: number; headHash: string; sha256: string; pages: number;
  filename: string; locale: string; generatedAt: string; generatedBy: { id: string; name: string };
}

export const exportRecord = defineRecordType<ExportState>({
  type: 'export',
  collection: 'exports',
  reduce(_s, e) {
    const d = e.data as Omit<ExportState, 'generatedAt' | 'generatedBy'>;
    return { ...d, generatedAt: e.at, generatedBy: { id: e.actor.id, name: e.actor.name } };
  },
  content: (s) => ({ kind: s.kind, recordStream: s.recordStream, recordVersion: s.recordVersion, headHash: s.headHash, sha256: s.sha256, pages: s.pages }),
  canRead: (user) => hasPermission(user, 'records.read'),
});
