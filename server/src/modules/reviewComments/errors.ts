import { defineErrors } from '../../platform/errorCatalog.ts';

// The review-comment context's domain errors, each declared once.
export const ReviewCommentErrors = defineErrors('reviewComments', {
  REVISION_NOT_UNDER_REVIEW: {
    status: 409,
    en: 'Comments can be posted only on the revision that is in review or approval.',
    zh: '只能对处于审核或批准阶段的版本发表评论。',
  },
  NOT_A_REVIEW_PARTICIPANT: {
    status: 403,
    en: "Only the document's owner, the revision's author, its reviewers and approvers take part in its review.",
    zh: '只有文件负责人、该版本作者及其审核人和批准人可以参与评审。',
  },
  PARENT_NOT_ON_REVISION: {
    status: 409,
    en: 'A reply must answer a comment on the same revision.',
    zh: '回复必须针对同一版本上的评论。',
  },
  NOT_YOURS_TO_RESOLVE: {
    status: 403,
    en: "Only the comment's author or the revision's author can resolve or reopen it.",
    zh: '只有评论人或该版本作者可以解决或重新打开该评论。',
  },
  REPLY_FOLLOWS_THREAD: {
    status: 409,
    en: 'A reply is resolved with its thread: resolve the first comment of the thread.',
    zh: '回复随其讨论串一起解决:请解决该讨论串的第一条评论。',
  },
  COMMENT_ALREADY_RESOLVED: { status: 409, en: 'This comment is already resolved.', zh: '该评论已解决。' },
  COMMENT_NOT_RESOLVED: { status: 409, en: 'This comment is not resolved.', zh: '该评论尚未解决。' },
  REVISION_CLOSED: {
    status: 409,
    en: 'The review of this revision is over; its comments are kept as they are.',
    zh: '该版本的评审已结束,评论保持原样。',
  },
  COMPARE_UNSUPPORTED: {
    status: 422,
    en: (p: { revision: string; why: string }) => `Revision ${p.revision} cannot be compared as text: ${p.why}.`,
    zh: (p: { revision: string; why: string }) => `版本 ${p.revision} 无法作为文本比较:${p.why}。`,
  },
});
