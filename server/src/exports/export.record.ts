import type { z } from 'zod';
import { defineRecordType } from '../records/registry.ts';
import { hasPermission } from '../identity/roles.ts';
import { exportEvents } from './events.ts';

// Every generated PDF leaves one event on stream `export:<jobId>`: what was exported, from which
// ledger head, and the SHA-256 of the sealed file, so a copy handed to an auditor can be matched
// to the moment and the record version it was made from (21 CFR 11.10(b)). Its event: events.ts.
export type ExportState = z.output<(typeof exportEvents.schemas)['export.generated']> & {
  generatedAt: string;
  generatedBy: { id: string; name: string };
};

export const exportRecord = defineRecordType<ExportState>({
  type: 'export',
  collection: 'exports',
  events: exportEvents,
  // one event per stream: the export is what it records
  reduce(_s, raw) {
    const e = exportEvents.typed(raw);
    return { ...e.data, generatedAt: e.at, generatedBy: { id: e.actor.id, name: e.actor.name } };
  },
  content: (s) => ({
    kind: s.kind,
    recordStream: s.recordStream,
    recordVersion: s.recordVersion,
    headHash: s.headHash,
    sha256: s.sha256,
    pages: s.pages,
  }),
  canRead: (user) => hasPermission(user, 'records.read'),
});
