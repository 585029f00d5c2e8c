// The kinds of controlled document (ISO 13485:2016 4.2.1, 4.2.4). Apart from document.record.ts
// so signerRoles.ts, which the lifecycle reads, can use them without an import cycle.
export const DOCUMENT_TYPES = [
  'policy',
  'sop',
  'work_instruction',
  'form',
  'specification',
  'drawing',
  'template',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
