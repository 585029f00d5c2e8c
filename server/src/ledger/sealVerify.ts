import type { LedgerEvent } from './event.ts';
import type { StreamHead } from './merkle.ts';
import type { Finding } from './verify.ts';
import { verifySeal } from './sealKey.ts';

/**
 * Which seals `ledger verify` checks. Every event must carry a seal by the key the signed
 * checkpoints certify; but the Ed25519 check of a seal (~130 µs, most of the verification's cost)
 * is only needed where no verified checkpoint already vouches for the event. Why that is sound
 * against someone who can write the database but holds neither the server's signing key nor the
 * seal key (21 CFR 11.10(c): records protected so they can be retrieved accurately; 11.10(e):
 * changes must not obscure what was recorded before):
 *
 *  - a checkpoint's Merkle root, and the list of heads it sealed, are under the server's signature
 *    (verifyCheckpoints.ts), and the witness outside the database keeps each checkpoint; a
 *    checkpoint that does not verify makes the coverage void (every seal is then checked);
 *  - an event at version v <= h, where h is the head a verified checkpoint sealed for its stream,
 *    is bound to that head by the hash chain, which is verified for every event: editing it changes
 *    its hash, so either a link breaks (named by the chain check) or the forger re-hashes every
 *    event up to h, and then the head's hash differs from the sealed one (checkpoint-mismatch).
 *    Only this head comparison counts here: coverage applies to a stream only when the event at h
 *    still has the sealed hash and the stream's chain has no finding, else every seal of that stream
 *    is checked (so a rewritten stream's seals still name the version that was changed);
 *  - the seal signs nothing but that same hash, so on a covered event it adds no protection an
 *    attacker could otherwise defeat: the seals matter for the tail after the newest checkpoint,
 *    and those are always checked. Deleting the newest checkpoints (no witness) only makes more
 *    events uncovered, hence more seals checked.
 *
 * An event without a seal is accepted only when a checkpoint written before events were sealed
 * (format 1) covers it; anything else unsealed is named, covered or not (that check costs nothing).
 * `covered` absent (or `--all-seals`): every seal is checked.
 */
export function verifySeals(
  events: readonly LedgerEvent[],
  sealKey: string | undefined,
  legacy: Map<string, number>,
  covered?: SealCoverage,
): Finding[] {
  const { findings, unverifiable } = sealFindings(events, sealKey, legacy, covered);
  return [...findings, ...unverifiableFinding(unverifiable)];
}

/** The heads verified checkpoints sealed, and the streams whose chain check found something (checked in full). */
export interface SealCoverage {
  sealed: Map<string, Pick<StreamHead, 'version' | 'hash'>>;
  suspect?: Set<string>;
}

/** The per-event part of verifySeals, with counts: seals checked, seals left to a covering checkpoint, seals there was no key to check. */
export function sealFindings(
  events: readonly LedgerEvent[],
  sealKey: string | undefined,
  legacy: Map<string, number>,
  covered?: SealCoverage,
): { findings: Finding[]; unverifiable: number; checked: number; covered: number } {
  const findings: Finding[] = [];
  let unverifiable = 0,
    checked = 0,
    skipped = 0;
  // the streams whose sealed head is still in place with the sealed hash (and whose chain is clean)
  const intact = new Set<string>();
  if (covered)
    for (const e of events) {
      const h = covered.sealed.get(e.stream);
      if (h && h.version === e.version && h.hash === e.hash && !covered.suspect?.has(e.stream)) intact.add(e.stream);
    }
  for (const e of events) {
    if (e.seal === undefined) {
      if (e.version > (legacy.get(e.stream) ?? 0))
        findings.push({
          stream: e.stream,
          version: e.version,
          kind: 'unsealed',
          detail: 'the event carries no seal: it was not written by the ledger',
        });
    } else if (intact.has(e.stream) && e.version <= covered!.sealed.get(e.stream)!.version) skipped++;
    else if (!sealKey) unverifiable++;
    else {
      checked++;
      if (!verifySeal(sealKey, e.hash, e.seal))
        findings.push({
          stream: e.stream,
          version: e.version,
          kind: 'bad-seal',
          detail: "the seal does not verify over its hash: written or re-hashed without the server's seal key",
        });
    }
  }
  return { findings, unverifiable, checked, covered: skipped };
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
