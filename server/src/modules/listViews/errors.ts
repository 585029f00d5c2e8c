import { defineErrors } from '../../platform/errorCatalog.ts';

// The saved list views context's domain errors, each declared once.
export const ListViewErrors = defineErrors('list_view', {
  NOT_YOUR_LIST_VIEW: { status: 403, en: 'This saved view belongs to someone else.', zh: '该已保存视图属于其他人。' },
  LIST_VIEW_RETIRED: { status: 409, en: 'This saved view was removed.', zh: '该已保存视图已被删除。' },
  LIST_VIEWS_READ_ONLY: {
    status: 403,
    en: 'A read-only account cannot save list views.',
    zh: '只读账户不能保存列表视图。',
  },
  TOO_MANY_LIST_VIEWS: {
    status: 409,
    en: (p: { max: number }) => `At most ${p.max} saved views per list.`,
    zh: (p: { max: number }) => `每个列表最多保存 ${p.max} 个视图。`,
  },
});
