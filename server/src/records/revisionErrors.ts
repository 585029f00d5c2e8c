import { defineErrors } from '../platform/errorCatalog.ts';

// The refusals of the revision workflow every revisioned record shares (documents, DMRs: draft →
// in review → approval → effective, records/revisions.ts), declared once for both. Before issue
// 10 each lifecycle declared its own copy, and a DMR refused a signer without the role as
// NOT_A_REVIEWER / NOT_AN_APPROVER (403) while documents use those codes (409) for "not named":
// the role rule is one rule, SIGNER_ROLE_NOT_ALLOWED (403), for both.
type Kind = { record: 'document' | 'dmr' };
const name = (p: Kind) => (p.record === 'dmr' ? { en: 'DMR', zh: ' DMR ' } : { en: 'document', zh: '文件' });

export interface SignerRoleProblem {
  record: 'document' | 'dmr';
  kind: 'reviewer' | 'approver';
  /** On a request body the refusal names the person, the type and the roles that may sign it. */
  named?: { who: string; type: string; roles: { en: string; zh: string } };
}
const verb = (p: SignerRoleProblem) =>
  p.kind === 'approver' ? { en: 'approve', zh: '批准' } : { en: 'review', zh: '审核' };
const dmrSigners = {
  reviewer: { en: 'Only reviewers and QA engineers review a DMR.', zh: '只有审核人或质量工程师可以审核 DMR。' },
  approver: { en: 'Only a QA manager approves a DMR.', zh: '只有质量经理可以批准 DMR。' },
};

export const RevisionErrors = defineErrors('revisions', {
  RECORD_NOT_DRAFT: {
    status: 409,
    en: 'Only a draft revision can be changed or submitted.',
    zh: '只有草稿版本可以修改或提交。',
  },
  RECORD_NOT_IN_REVIEW: { status: 409, en: 'This revision is not in review.', zh: '该版本不在审核中。' },
  RECORD_NOT_IN_APPROVAL: {
    status: 409,
    en: 'This revision is not waiting for approval.',
    zh: '该版本不在待批准状态。',
  },
  RECORD_NOT_EFFECTIVE: {
    status: 409,
    en: (p: Kind) => `The ${name(p).en} has no effective revision.`,
    zh: (p: Kind) => `该${name(p).zh}没有生效版本。`,
  },
  // ISO 13485:2016 7.3.9: the revisions a change names become effective together, through the change
  REVISION_HELD_BY_CHANGE: {
    status: 409,
    en: (p: { number: string }) =>
      `This revision belongs to change ${p.number}; it becomes effective only when that change is implemented.`,
    zh: (p: { number: string }) => `该版本属于变更 ${p.number},只能在该变更实施时生效。`,
  },
  REVISION_NOT_HELD: {
    status: 409,
    en: 'Only a revision waiting for its change request is released this way.',
    zh: '只有等待变更实施的版本才能这样发布。',
  },
  REVISION_IN_PROGRESS: {
    status: 409,
    en: 'A newer revision is already being prepared.',
    zh: '已有新版本正在编制中。',
  },
  ALREADY_DECIDED: {
    status: 409,
    en: (p: { step: 'review' | 'approval' }) =>
      `You have already ${p.step === 'review' ? 'reviewed' : 'approved'} this iteration.`,
    zh: (p: { step: 'review' | 'approval' }) => `您已${p.step === 'review' ? '审核' : '批准'}过本轮版本。`,
  },
  // ISO 13485:2016 4.2.4 a) (QMSR, 21 CFR 820.10): reviewed and approved by people the quality system designates
  SIGNER_ROLE_NOT_ALLOWED: {
    status: 403,
    en: (p: SignerRoleProblem) =>
      p.named
        ? `${p.named.who} may not ${verb(p).en} a document of type ${p.named.type}: that needs the role ${p.named.roles.en}.`
        : p.record === 'dmr'
          ? dmrSigners[p.kind].en
          : `Your roles may not ${verb(p).en} a document of this type.`,
    zh: (p: SignerRoleProblem) =>
      p.named
        ? `${p.named.who} 不能${verb(p).zh}"${p.named.type}"类文件:需要以下角色之一:${p.named.roles.zh}。`
        : p.record === 'dmr'
          ? dmrSigners[p.kind].zh
          : `您的角色不能${verb(p).zh}此类文件。`,
  },
});
