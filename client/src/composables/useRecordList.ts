import { onMounted, ref, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import { useDirectoryStore } from '@/stores/directory';

/**
 * A list screen's data: rows fetched on mount (with the people directory, for names and
 * permissions), a loading flag, and `saveThenReload` for its create dialog: run the command,
 * say so, close the dialog and fetch again.
 */
export function useRecordList<R>(fetch: () => Promise<R[]>) {
  const { t } = useI18n();
  const directory = useDirectoryStore();
  const rows = ref([]) as Ref<R[]>;
  const loading = ref(false);
  const dialogOpen = ref(false);
  const saving = ref(false);

  async function load() {
    loading.value = true;
    try {
      rows.value = await fetch();
    } finally {
      loading.value = false;
    }
  }

  async function saveThenReload(command: () => Promise<unknown>) {
    saving.value = true;
    try {
      await command();
      ElMessage.success(t('erp.saved'));
      dialogOpen.value = false;
      await load();
    } finally {
      saving.value = false;
    }
  }

  onMounted(() => {
    void directory.load();
    void load();
  });
  return { directory, rows, loading, dialogOpen, saving, load, saveThenReload };
}
