import { ref, watch } from 'vue';
import { recordsApi } from '@/api/records';

/**
 * The Part 11 manifestation (11.50) of each signature on a record, by signature id, re-read
 * whenever the record's version moves, so a step or closure can show who signed, when and why.
 */
export function useManifestations(source: () => [stream: string, version: number]) {
  const byId = ref(new Map<string, string>());
  watch(
    source,
    async ([stream]) => {
      const signatures = await recordsApi.signatures(stream).catch(() => []);
      byId.value = new Map(signatures.map((sig) => [sig.id, sig.manifestation]));
    },
    { immediate: true },
  );
  return byId;
}
