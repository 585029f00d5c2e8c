import { defineErrors } from '../../platform/errorCatalog.ts';

// The DMR context's domain errors, each declared once (the refusals of the revision workflow a DMR
// shares with documents are in records/revisionErrors.ts).
export const DmrErrors = defineErrors('dmr', {
  // 21 CFR 820.181 / ISO 13485 4.2.3: the DMR names the components and the production process
  DMR_INCOMPLETE: {
    status: 409,
    en: 'A DMR revision needs at least one BOM line and one routing operation before it is submitted.',
    zh: 'DMR 版本提交前至少需要一行物料清单和一道工序。',
  },
});
