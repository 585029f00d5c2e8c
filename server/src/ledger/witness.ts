import { existsSync, readFileSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { isWellFormedCheckpoint, type Checkpoint } from './checkpoints.ts';
import type { Finding } from './verify.ts';

// A witness keeps a copy of every checkpoint this server sealed OUTSIDE the database: an
// append-only file of JSON lines (the whole signed checkpoint, so the heads it sealed survive
// even if every checkpoint in the database is deleted). `ledger verify` compares the database
// to it: a witnessed checkpoint that is missing or different there, and an event it sealed that
// is gone, are findings (issue 9, finding 16). The administrator may add a second location
// (another disk, a mount that is backed up elsewhere) with LEDGER_WITNESS_FILE.
export class Witness {
  constructor(readonly files: string[]) {}

  /**
   * Appends one checkpoint to every witness file, each write synced to disk before returning
   * (asynchronously: a sync fsync held the event loop for every request, once per signature).
   */
  async append(c: Checkpoint): Promise<Error[]> {
    const line = `${JSON.stringify(c)}\n`;
    const failed: Error[] = [];
    for (const file of this.files) {
      try {
        await mkdir(path.dirname(file), { recursive: true });
        const fh = await open(file, 'a', 0o600);
        try {
          await fh.write(line);
          await fh.sync();
        } finally {
          await fh.close();
        }
      } catch (err) {
        failed.push(err as Error);
      }
    }
    return failed;
  }

  /**
   * Reads every witness file into one list by seq. Two files that disagree on a seq, or an
   * unreadable line, are findings; a last line without its newline is a write a crash cut short.
   */
  read(): { checkpoints: Checkpoint[]; findings: Finding[]; files: number } {
    const bySeq = new Map<number, Checkpoint>();
    const findings: Finding[] = [];
    let files = 0;
    for (const file of this.files) {
      if (!existsSync(file)) continue;
      files++;
      const text = readFileSync(file, 'utf8');
      const lines = text.split('\n');
      if (!text.endsWith('\n')) lines.pop(); // a torn last write
      lines.forEach((line, i) => {
        if (!line.trim()) return;
        let c: unknown;
        try {
          c = JSON.parse(line);
        } catch {
          c = undefined;
        }
        if (!isWellFormedCheckpoint(c)) {
          findings.push({
            stream: '(witness)',
            version: i + 1,
            kind: 'forged-checkpoint',
            detail: `line ${i + 1} of ${file} is not a checkpoint`,
          });
          return;
        }
        const seen = bySeq.get(c.seq);
        if (seen && seen.hash !== c.hash)
          findings.push({
            stream: '(checkpoint)',
            version: c.seq,
            kind: 'checkpoint-replaced',
            detail: `the witness files disagree about this checkpoint (${file})`,
          });
        else bySeq.set(c.seq, c);
      });
    }
    return { checkpoints: [...bySeq.values()].sort((a, b) => a.seq - b.seq), findings, files };
  }
}

export const witnessFiles = (dataDir: string, extra?: string) => [
  path.resolve(dataDir, 'ledger-witness.log'),
  ...(extra ? [path.resolve(extra)] : []),
];

/**
 * Compares the database's checkpoints to the witnessed ones. A witnessed checkpoint missing from
 * the database, or different there, is a finding; the witnessed copy then fills its place in the
 * chain that is verified, so the heads it sealed are still checked against the events (a tail
 * cut off behind the last witnessed root is named with its stream and version). Checkpoints only
 * in the database are no finding: another server sharing the database may have sealed them.
 */
export function mergeWitnessed(
  stored: Checkpoint[],
  witnessed: Checkpoint[],
): { chain: Checkpoint[]; findings: Finding[]; replaced: Checkpoint[] } {
  const bySeq = new Map(stored.map((c) => [c.seq, c]));
  const findings: Finding[] = [];
  const chain = [...stored];
  const replaced: Checkpoint[] = []; // their witnessed heads are still checked against the events
  for (const w of witnessed) {
    const c = bySeq.get(w.seq);
    if (!c) {
      findings.push({
        stream: '(checkpoint)',
        version: w.seq,
        kind: 'checkpoint-missing',
        detail: `checkpoint ${w.seq} (root ${w.root.slice(0, 12)}…, sealed ${w.at}) is in the witness but missing from the database`,
      });
      chain.push(w);
    } else if (c.hash !== w.hash || c.root !== w.root || c.at !== w.at) {
      findings.push({
        stream: '(checkpoint)',
        version: w.seq,
        kind: 'checkpoint-replaced',
        detail: `differs from the witnessed checkpoint ${w.seq} (root ${w.root.slice(0, 12)}…, sealed ${w.at})`,
      });
      replaced.push(w);
    }
  }
  return { chain: chain.sort((a, b) => a.seq - b.seq), findings, replaced };
}
