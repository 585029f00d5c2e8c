import type { Db } from 'mongodb';
import type { LedgerEvent } from './event.ts';
import { EVENTS } from './ledger.ts';
import { CHECKPOINTS, type Checkpoint } from './checkpoints.ts';
import { verifyAll, type Finding } from './verify.ts';
import { verifyCheckpoints } from './verifyCheckpoints.ts';

export interface LedgerReport { ok: boolean; streams: number; events: number; checkpoints: number; findings: Finding[] }

/** Verifies the whole ledger from a list of events and checkpoints (database or bundle alike). */
export function verifyLedgerContent(events: LedgerEvent[], checkpoints: Checkpoint[], certPem: string, caCertPem: string): LedgerReport {
  events.sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : a.version - b.version));
  const chains = verifyAll(events);
  const index = new Map<string, string>();
  for (const e of events) index.set(`${e.stream}\u0000${e.version}`, e.hash);
  const cps = verifyCheckpoints(checkpoints, certPem, caCertPem, (s, v) => index.get(`${s}\u0000${v}`));
  const findings = mergeFindings(chains.findings, cps);
  return { ok: findings.length === 0, streams: chains.streams, events: chains.events, checkpoints: checkpoints.length, findings };
}

export async function verifyDatabaseLedger(db: Db, certPem: string, caCertPem: string): Promise<LedgerReport> {
  const events = await db.collection<LedgerEvent>(EVENTS).find({}, { projection: { _id: 0 } }).toArray();
  const checkpoints = await db.collection<Checkpoint>(CHECKPOINTS).find({}, { projection: { _id: 0 } }).toArray();
  return verifyLedgerContent(events, checkpoints, certPem, caCertPem);
}

// A checkpoint mismatch on a version the chain check already named adds nothing.
function mergeFindings(chain: Finding[], cps: Finding[]): Finding[] {
  const named = new Set(chain.map((f) => `${f.stream}\u0000${f.version}`));
  return [...chain, ...cps.filter((f) => f.kind === 'forged-checkpoint' || !named.has(`${f.stream}\u0000${f.version}`))];
}
