import { computed, ref } from 'vue';
import { listViewsApi, type ListKey, type ListView } from '@/api/listViews';

/**
 * One list's saved views (the caller's own) and its visible columns: `columns` keeps the order the
 * user chose; `isVisible(key)` is what the list's table asks per column.
 */
export function useListViews(list: ListKey, allColumns: readonly string[]) {
  const views = ref<ListView[]>([]);
  const selectedId = ref<string>('');
  const columns = ref<string[]>([...allColumns]);
  const loading = ref(false);

  const selected = computed(() => views.value.find((v) => v.id === selectedId.value) ?? null);
  const visible = computed(() => new Set(columns.value));
  const isVisible = (key: string) => visible.value.has(key);

  async function load() {
    loading.value = true;
    try {
      views.value = await listViewsApi.list(list);
    } finally {
      loading.value = false;
    }
    return views.value.find((v) => v.default) ?? null;
  }

  function select(id: string) {
    selectedId.value = id;
  }

  function setColumns(next: string[]) {
    // the known order of the list, restricted to what is chosen (a view's own order wins when applied)
    columns.value = next.length ? next : [...allColumns];
  }

  async function save(name: { en?: string; zh?: string }, filters: Record<string, string>, asDefault: boolean) {
    const clean = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== ''));
    const v = await listViewsApi.create({ list, name, filters: clean, columns: columns.value, default: asDefault });
    await load();
    selectedId.value = v.id;
    return v;
  }

  async function setDefault(v: ListView) {
    await listViewsApi.update(v.id, {
      name: v.name,
      filters: v.filters,
      columns: v.columns,
      default: true,
      version: v.version,
    });
    await load();
  }

  async function remove(v: ListView) {
    await listViewsApi.retire(v.id, v.version);
    if (selectedId.value === v.id) selectedId.value = '';
    await load();
  }

  return {
    views,
    selectedId,
    selected,
    columns,
    loading,
    isVisible,
    load,
    select,
    setColumns,
    save,
    setDefault,
    remove,
  };
}
