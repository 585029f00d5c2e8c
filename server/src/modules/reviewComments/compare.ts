import { diffArrays } from 'diff';
import type { Services } from '../../platform/services.ts';
import { errors } from '../../platform/errors.ts';
import { getDocument } from '../documents/queries.ts';
import { revisionOf } from '../documents/document.record.ts';
import { getBlob } from '../documents/contentStore.ts';
import { ReviewCommentErrors } from './errors.ts';
import { NotComparable, textOf } from './textOf.ts';

// Two revisions of a document compared as text, sentence by sentence (a reviewer sees what
// changed since the revision they last read: ISO 13485:2016 4.2.4 e), changes identified).

/** Sentences: split after . ! ? (followed by a space) and after 。!?;, and at line ends; whitespace folded. */
export function sentencesOf(text: string): string[] {
  return text
    .split(/\n+/)
    .flatMap((line) => line.replace(/\s+/g, ' ').split(/(?<=[.!?])\s+|(?<=[。!?;])/))
    .map((x) => x.trim())
    .filter(Boolean);
}

export type Part = { kind: 'same' | 'added' | 'removed'; sentences: string[] };

export function diffSentences(from: string, to: string): Part[] {
  return diffArrays(sentencesOf(from), sentencesOf(to)).map((c) => ({
    kind: c.added ? 'added' : c.removed ? 'removed' : 'same',
    sentences: c.value,
  }));
}

async function revisionText(s: Services, id: string, rev: string) {
  const d = await getDocument(s, id);
  const r = revisionOf(d, rev);
  if (!r) throw errors.notFound(`revision ${rev}`);
  if (!r.file) throw ReviewCommentErrors.COMPARE_UNSUPPORTED({ revision: rev, why: 'no content uploaded' });
  try {
    return { file: r.file, text: await textOf(await getBlob(s, r.file.sha256), r.file.mime) };
  } catch (err) {
    if (err instanceof NotComparable)
      throw ReviewCommentErrors.COMPARE_UNSUPPORTED({ revision: rev, why: err.message });
    throw err;
  }
}

export async function compareRevisions(s: Services, id: string, from: string, to: string) {
  const a = await revisionText(s, id, from);
  const b = await revisionText(s, id, to);
  const parts = diffSentences(a.text, b.text);
  const count = (k: Part['kind']) => parts.filter((p) => p.kind === k).reduce((n, p) => n + p.sentences.length, 0);
  return {
    from: { revision: from, file: a.file },
    to: { revision: to, file: b.file },
    granularity: 'sentence' as const,
    added: count('added'),
    removed: count('removed'),
    parts,
  };
}
