import { AppError } from '../../platform/errors.ts';
import { defineErrors } from '../../platform/errorCatalog.ts';

// The documents context's domain errors, each declared once (the refusals of the revision
// workflow documents share with DMRs are in records/revisionErrors.ts).
export const DocumentErrors = defineErrors('documents', {
  DOCUMENT_HAS_NO_CONTENT: {
    status: 409,
    en: 'Upload the content file of this revision before submitting it.',
    zh: '提交前请先上传该版本的文件。',
  },
  PERIODIC_REVIEW_NOT_DUE: { status: 409, en: 'The periodic review is not due yet.', zh: '定期评审尚未到期。' },
  // who decides on a document: the people it names (the roles they need: records/revisionErrors.ts)
  NOT_A_REVIEWER: {
    status: 409,
    en: 'You are not a named reviewer of this document.',
    zh: '您不是该文件指定的审核人。',
  },
  NOT_AN_APPROVER: {
    status: 409,
    en: 'You are not a named approver of this document.',
    zh: '您不是该文件指定的批准人。',
  },
  // unresolved review comments hold the approval unless the approver overrides them with a reason (reviewGate.ts)
  COMMENTS_UNRESOLVED: {
    status: 409,
    en: (p: { count: number }) =>
      `${p.count} review ${p.count === 1 ? 'comment is' : 'comments are'} unresolved: resolve them, or approve with an override reason.`,
    zh: (p: { count: number }) => `${p.count} 条评审意见尚未解决:请先解决,或填写理由后越过批准。`,
  },
  // content-addressed storage (contentStore.ts): a file that does not read back as it was stored is never served
  CONTENT_DAMAGED: {
    status: 500,
    en: (p: { problem: 'incomplete' | 'hash' }) =>
      p.problem === 'incomplete'
        ? 'The stored content is incomplete.'
        : 'The stored content does not match its SHA-256.',
    zh: (p: { problem: 'incomplete' | 'hash' }) =>
      p.problem === 'incomplete' ? '存储的文件不完整。' : '存储的文件与其 SHA-256 不符。',
  },
});

/** The same rule judged on a request body: bad input (400), with the field's path in `details`. */
export const asBadInput = (e: AppError, details: unknown) => new AppError(e.code, e.params, details, 400);
