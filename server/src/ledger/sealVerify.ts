import type { LedgerEvent } from './event.ts';
import type { Finding } from './verify.ts';
import { verifySeal } from './sealKey.ts';

/**
 * Every event must carry a seal by the key the signed checkpoints certify. An event without one
 * is accepted only when a checkpoint written before events were sealed (format 1) covers it;
 * anything else unsealed, and every seal that does not verify over the event's stored hash, is
 * named with its stream and version. A hash recomputed after an edit, an event inserted with a
 * fresh hash, or an event copied onto another record (its stream and version are hashed) all end
 * here, since only the key outside the database can seal their new hash.
 */
export function verifySeals(
  events: Iterable<LedgerEvent>,
  sealKey: string | undefined,
  legacy: Map<string, number>,
): Finding[] {
  const { findings, unverifiable } = sealFindings(events, sealKey, legacy);
  return [...findings, ...unverifiableFinding(unverifiable)];
}

/** The per-event part of verifySeals, and how many seals there was no key to check (parallelVerify.ts sums them). */
export function sealFindings(
  events: Iterable<LedgerEvent>,
  sealKey: string | undefined,
  legacy: Map<string, number>,
): { findings: Finding[]; unverifiable: number } {
  const findings: Finding[] = [];
  let unverifiable = 0;
  for (const e of events) {
    if (e.seal === undefined) {
      if (e.version > (legacy.get(e.stream) ?? 0))
        findings.push({
          stream: e.stream,
          version: e.version,
          kind: 'unsealed',
          detail: 'the event carries no seal: it was not written by the ledger',
        });
    } else if (!sealKey) unverifiable++;
    else if (!verifySeal(sealKey, e.hash, e.seal)) {
      findings.push({
        stream: e.stream,
        version: e.version,
        kind: 'bad-seal',
        detail: "the seal does not verify over its hash: written or re-hashed without the server's seal key",
      });
    }
  }
  return { findings, unverifiable };
}

export function unverifiableFinding(unverifiable: number): Finding[] {
  return unverifiable
    ? [
        {
          stream: '(seal key)',
          version: 0,
          kind: 'bad-seal',
          detail: `no signed checkpoint certifies the event seal key, so ${unverifiable} seal(s) cannot be checked`,
        },
      ]
    : [];
}
