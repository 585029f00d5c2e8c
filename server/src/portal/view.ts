import type { Services } from '../platform/services.ts';
import { domainError, errors } from '../platform/errors.ts';
import { currentLocale } from '../platform/context.ts';
import type { SessionUser } from '../identity/sessionUser.ts';
import { buildExport } from '../exports/kinds.ts';
import { verifyStream } from '../ledger/verify.ts';
import type { LedgerEvent } from '../ledger/event.ts';
import { presentSignature, signaturesOf } from '../records/signing.ts';
import { scopedRecord, type ScopeEntry } from './scope.ts';

// What an auditor sees of one in-scope record: its fields, its signatures checked against the
// content they bound, and its hash chain checked from version 1 (with the checkpoint that seals it).

/** The checkpoint with the highest seq that sealed this stream, and whether it sealed the current head. */
async function sealOf(s: Services, stream: string, head: { version: number; hash: string }) {
  let sealed: { seq: number; at: string; version: number; hash: string } | null = null;
  for (const c of await s.checkpointer.all()) {
    const h = c.changed.find((x) => x.stream === stream);
    if (h) sealed = { seq: c.seq, at: c.at, version: h.version, hash: h.hash };
  }
  return sealed ? { ...sealed, coversHead: sealed.version === head.version && sealed.hash === head.hash } : null;
}

export async function ledgerCheck(s: Services, stream: string, events: LedgerEvent[]) {
  const { findings } = verifyStream(stream, events);
  const last = events.at(-1)!;
  const head = { version: last.version, hash: last.hash };
  const checkpoint = await sealOf(s, stream, head);
  // a sealed head the chain no longer contains means the stream was rewritten after sealing
  if (checkpoint && events[checkpoint.version - 1]?.hash !== checkpoint.hash) {
    findings.push({
      stream,
      version: checkpoint.version,
      kind: 'checkpoint-mismatch',
      detail: `differs from what checkpoint ${checkpoint.seq} sealed`,
    });
  }
  return { ok: findings.length === 0, findings, head, checkpoint };
}

export async function recordView(s: Services, entry: ScopeEntry) {
  const record = await scopedRecord(s, entry);
  const events = await s.ledger.read(entry.stream);
  if (!record || !events.length) throw errors.notFound('record');
  const signatures = await Promise.all(
    (await signaturesOf(s, entry.stream, events)).map((e) => presentSignature(s, e)),
  );
  return { record, signatures, ledger: await ledgerCheck(s, entry.stream, events) };
}

export async function auditTrail(s: Services, entry: ScopeEntry) {
  const events = await s.ledger.read(entry.stream);
  if (!events.length) throw errors.notFound('record');
  return events.map((e) => ({
    version: e.version,
    at: e.at,
    actor: e.actor.name,
    type: e.type,
    reason: e.reason ?? null,
    hash: e.hash,
  }));
}

/**
 * The sealed PDF an auditor may download: the DHR of a work order, a controlled copy of a
 * document's effective (else latest) revision, the audit trail of anything else. buildExport
 * checks no permission by design: the grant's scope is the check, done by the caller.
 */
export async function portalPdf(s: Services, user: SessionUser, entry: ScopeEntry) {
  const [kind, id] =
    entry.type === 'workorder'
      ? ['dhr', entry.id]
      : entry.type === 'document'
        ? ['document', entry.id]
        : ['audit-trail', entry.stream];
  try {
    return await buildExport(s, user, kind, id, { locale: currentLocale() });
  } catch (err) {
    if ((err as { code?: string }).code !== 'UNKNOWN_EXPORT_KIND') throw err;
    throw domainError(
      'PDF_EXPORT_UNAVAILABLE',
      `PDF exports of kind "${kind}" are not available on this server; download the evidence bundle instead.`,
      `本服务器暂不提供"${kind}"类型的 PDF 导出,请下载证据包。`,
      503,
    );
  }
}
