import { onBeforeUnmount, ref, watch, type Ref } from 'vue';

/**
 * Fetches a same-origin file into a blob: URL for <iframe>/<img> previews. A blob has no
 * response headers, so the preview works even where the file endpoint forbids framing
 * (X-Frame-Options: DENY); the URL is revoked when the source changes or the view closes.
 */
export function useObjectUrl(source: Ref<string>) {
  const objectUrl = ref('');
  const failed = ref(false);
  let requested = '';

  function release() {
    if (objectUrl.value) URL.revokeObjectURL(objectUrl.value);
    objectUrl.value = '';
  }

  watch(
    source,
    async (url) => {
      release();
      failed.value = false;
      requested = url;
      if (!url) return;
      try {
        const response = await fetch(url, { credentials: 'same-origin' });
        if (!response.ok) throw new Error(String(response.status));
        const blob = await response.blob();
        if (requested === url) objectUrl.value = URL.createObjectURL(blob);
      } catch {
        if (requested === url) failed.value = true;
      }
    },
    { immediate: true },
  );
  onBeforeUnmount(release);
  return { objectUrl, failed };
}
