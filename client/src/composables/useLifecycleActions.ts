import { ref, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox } from 'element-plus';
import type { LifecycleAction, SignatureInput } from '@/api/types';

export type { LifecycleAction } from '@/api/types';

/** What running an action sends: the signature dialog's fields and, for `needsValues`, the page's form values. */
export type ActionInput<V = unknown> = Partial<SignatureInput> & { values?: V };

/** Whether a target the server named is the one of this row (every field of `match` equal). */
const targets = (action: LifecycleAction, match: Record<string, string | number>) =>
  !!action.target && Object.entries(match).every(([key, value]) => action.target![key] === value);

/**
 * The action `name` among the server's `actions`; with `match`, the one whose target is that
 * part of the record (a step `{ seq: 20 }`, a deviation `{ deviationId }`). Pages ask this
 * instead of comparing states: the server's answer is the only rule.
 */
export function findAction<A extends LifecycleAction>(
  actions: readonly A[],
  name: string,
  match?: Record<string, string | number>,
): A | undefined {
  return actions.find((a) => a.action === name && (match ? targets(a, match) : true));
}
export const hasAction = (actions: readonly LifecycleAction[], name: string, match?: Record<string, string | number>) =>
  findAction(actions, name, match) !== undefined;

/**
 * The action bar's behaviour, shared by every record type: an action whose values come from a
 * page form is handed to `collect` (the page opens its form, then calls `proceed`); an action that
 * needs a signature, reason or date opens the signature dialog (`pending`); any other is confirmed
 * and run. `run` performs the action; `ns` is the locale namespace holding `actions.<name>`.
 */
export function useLifecycleActions<A extends LifecycleAction>(
  ns: string,
  run: (action: A, input: ActionInput) => Promise<void>,
  collect?: (action: A, proceed: (values: unknown, detail?: string) => Promise<void>) => void,
  collects: (action: A) => boolean = (action) => action.needsValues,
) {
  const { t, te } = useI18n();
  const busy = ref(false);
  const pending = ref(null) as Ref<A | null>;
  /** Values collected by the page's form for the pending action, and how they read in the dialog. */
  const pendingValues = ref<{ values: unknown; detail?: string } | null>(null);
  const dialogOpen = ref(false);
  const label = (action: A) => t(`${ns}.actions.${action.action}`);
  const dialogNeeded = (action: A) => !!(action.signature || action.needsReason || action.needsDate);

  async function perform(action: A, input: ActionInput) {
    busy.value = true;
    try {
      await run(action, input);
      ElMessage.success(t('records.actionBar.done', { action: label(action) }));
    } finally {
      busy.value = false;
    }
  }

  function openDialog(action: A, values: { values: unknown; detail?: string } | null) {
    pending.value = action;
    pendingValues.value = values;
    dialogOpen.value = true;
  }

  /** Continues an action once its form has its values: to the signature dialog, or straight to the server. */
  async function proceed(action: A, values: unknown, detail?: string) {
    if (dialogNeeded(action)) return openDialog(action, { values, detail });
    await perform(action, { values });
  }

  async function choose(action: A) {
    // a blocked action is drawn disabled with its reason; it never reaches the form or the signature dialog
    if (action.blockedBy) return;
    if (collect && collects(action)) return collect(action, (values, detail) => proceed(action, values, detail));
    if (dialogNeeded(action)) return openDialog(action, null);
    try {
      // a record type may say more before an action (`<ns>.confirm.<name>`), e.g. what issuing a PO sets off
      const specific = `${ns}.confirm.${action.action}`;
      await ElMessageBox.confirm(
        te(specific) ? t(specific) : t('records.actionBar.confirm', { action: label(action) }),
        {
          type: 'warning',
          confirmButtonText: t('common.actions.confirm'),
          cancelButtonText: t('common.actions.cancel'),
        },
      );
    } catch {
      return;
    }
    // the request module has already shown a refusal in the user's language
    await perform(action, {}).catch(() => {});
  }

  /** The signature dialog's submit: rejects on refusal so the dialog stays open to retry. */
  const sign = (input: SignatureInput) => perform(pending.value!, { ...input, values: pendingValues.value?.values });

  return { busy, pending, pendingValues, dialogOpen, choose, proceed, sign, label };
}
