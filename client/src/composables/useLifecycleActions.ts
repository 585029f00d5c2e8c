import { ref, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessageBox } from 'element-plus';

/** What the server says a user may do next on a record (documents, DMRs…). */
export interface LifecycleAction { action: string; signature: string | null; needsReason: boolean; needsDate?: boolean }

/**
 * The action bar's behaviour, shared by every record type with a lifecycle: an action that needs
 * a signature, reason or date opens the signature dialog (`pending`); any other is confirmed and
 * run. `run` performs the action; `ns` is the locale namespace holding `actions.<name>`.
 */
export function useLifecycleActions<A extends LifecycleAction>(ns: string, run: (action: A) => Promise<void>) {
  const { t } = useI18n();
  const busy = ref(false);
  const pending = ref(null) as Ref<A | null>;
  const dialogOpen = ref(false);

  async function choose(action: A) {
    if (action.signature || action.needsReason || action.needsDate) {
      pending.value = action;
      dialogOpen.value = true;
      return;
    }
    try {
      await ElMessageBox.confirm(t(`${ns}.actions.confirm`, { action: t(`${ns}.actions.${action.action}`) }), {
        type: 'warning', confirmButtonText: t('common.actions.confirm'), cancelButtonText: t('common.actions.cancel'),
      });
    } catch {
      return;
    }
    busy.value = true;
    try {
      await run(action);
    } finally {
      busy.value = false;
    }
  }

  return { busy, pending, dialogOpen, choose };
}
