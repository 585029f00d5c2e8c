import type { DocumentRevision, DocumentState, DocumentType } from '@/api/types';

export const DOCUMENT_TYPES: DocumentType[] = [
  'policy',
  'sop',
  'work_instruction',
  'form',
  'specification',
  'drawing',
  'template',
];
export const DOCUMENT_STATES: DocumentState[] = [
  'draft',
  'in_review',
  'approval',
  'approved',
  'effective',
  'superseded',
  'obsolete',
];

export const isRetired = (state: DocumentState) => state === 'superseded' || state === 'obsolete';

/** The latest iteration of a revision letter (a rejected draft is re-iterated under the same letter). */
export function latestIteration(revisions: DocumentRevision[], letter: string | null): DocumentRevision | undefined {
  return revisions.filter((revision) => revision.revision === letter).sort((a, b) => b.iteration - a.iteration)[0];
}
