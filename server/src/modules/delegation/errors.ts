import { defineErrors } from '../../platform/errorCatalog.ts';

// The delegation context's domain errors, each declared once.
export const DelegationErrors = defineErrors('delegation', {
  SELF_DELEGATION: { status: 422, en: 'You cannot delegate to yourself.', zh: '不能委托给自己。' },
  DELEGATE_LACKS_ROLE: {
    status: 422,
    en: (p: { roles: string }) => `The delegate does not hold the role(s) the tasks need: ${p.roles}.`,
    zh: (p: { roles: string }) => `被委托人不具备这些任务所需的角色:${p.roles}。`,
  },
  DELEGATE_NOT_ACTIVE: { status: 422, en: 'The delegate account is not active.', zh: '被委托人的账户未激活。' },
  DELEGATION_OVERLAPS: {
    status: 409,
    en: 'You already have a delegation in this period.',
    zh: '您在此期间已有委托。',
  },
  DELEGATION_CHAIN: {
    status: 409,
    en: 'The delegate has delegated their own tasks in this period: delegations are not passed on.',
    zh: '被委托人在此期间已委托了自己的任务:委托不能转授。',
  },
  NOT_YOUR_DELEGATION: { status: 403, en: 'This delegation is not yours.', zh: '这不是您的委托。' },
  DELEGATION_NOT_ACTIVE: { status: 409, en: 'This delegation is no longer active.', zh: '该委托已不再有效。' },
  NO_DELEGATION: {
    status: 403,
    en: 'You hold no active delegation from this person now.',
    zh: '您当前没有该人员的有效委托。',
  },
});
