import { onBeforeUnmount, ref } from 'vue';

/** Whether the window is phone-narrow (below 768 px): pages switch to one readable column. */
export function useNarrow(query = '(max-width: 767px)') {
  const mql = window.matchMedia(query);
  const narrow = ref(mql.matches);
  const onChange = (e: MediaQueryListEvent) => (narrow.value = e.matches);
  mql.addEventListener('change', onChange);
  onBeforeUnmount(() => mql.removeEventListener('change', onChange));
  return narrow;
}
