import { defineErrors } from '../../platform/errorCatalog.ts';

// The CAPA context's domain errors (ISO 13485:2016 8.5.2 / 8.5.3), each declared once.
export const CapaErrors = defineErrors('capa', {
  CAPA_WRONG_STATE: {
    status: 409,
    en: (p: { action: string; state: string }) => `A CAPA in state "${p.state}" cannot be asked to ${p.action}.`,
    zh: (p: { action: string; state: string }) => `处于"${p.state}"状态的 CAPA 不能执行"${p.action}"。`,
  },
  CAPA_NOT_OWNER: {
    status: 403,
    en: 'Only the CAPA owner or a CAPA coordinator may do this.',
    zh: '只有 CAPA 负责人或 CAPA 协调人可以执行此操作。',
  },
  CAPA_OWNER_CANNOT_APPROVE: {
    status: 409,
    en: 'The owner of a CAPA cannot approve or close it (separation of duties).',
    zh: 'CAPA 负责人不能批准或关闭自己的 CAPA(职责分离)。',
  },
  CAPA_REQUESTER_CANNOT_APPROVE: {
    status: 409,
    en: 'Whoever requested an extension cannot approve it.',
    zh: '延期申请人不能批准自己的申请。',
  },
  CAPA_ACTIONS_OPEN: {
    status: 409,
    en: 'Actions of this CAPA are still open: complete them before closing.',
    zh: '该 CAPA 仍有未完成的措施,完成后才能关闭。',
  },
  CAPA_NO_ACTIONS: {
    status: 409,
    en: 'The CAPA has no action planned (since its last failed effectiveness check).',
    zh: '该 CAPA 没有计划的措施(自上次有效性验证不通过以来)。',
  },
  CAPA_NO_ROOT_CAUSE: {
    status: 409,
    en: 'The investigation and its root cause are not recorded yet.',
    zh: '尚未记录调查及其根本原因。',
  },
  CAPA_NOT_VERIFIED: {
    status: 409,
    en: 'It is not yet verified that the actions do not adversely affect safety or compliance (ISO 13485 8.5.2).',
    zh: '尚未验证措施对安全性和符合性无不利影响(ISO 13485 8.5.2)。',
  },
  CAPA_NOT_TASK_OWNER: {
    status: 403,
    en: 'Only the owner of an action can complete it.',
    zh: '只有措施负责人可以完成该措施。',
  },
  CAPA_TASK_DONE: { status: 409, en: 'This action is already complete.', zh: '该措施已完成。' },
  CAPA_OWNER_INACTIVE: {
    status: 400,
    en: 'The owner named is not an active user.',
    zh: '指定的负责人不是有效用户。',
  },
  CAPA_NO_EXTENSION: { status: 409, en: 'No extension is pending.', zh: '没有待批准的延期申请。' },
  CAPA_EXTENSION_PENDING: {
    status: 409,
    en: 'An extension request is already pending.',
    zh: '已有待批准的延期申请。',
  },
  CAPA_DUE_NOT_LATER: {
    status: 400,
    en: 'An extension must move the due date later.',
    zh: '延期后的到期日必须晚于当前到期日。',
  },
  CAPA_CHECK_TOO_EARLY: {
    status: 400,
    en: 'The effectiveness check is due after the closure, not on or before it.',
    zh: '有效性验证的到期日必须晚于关闭日期。',
  },
});
