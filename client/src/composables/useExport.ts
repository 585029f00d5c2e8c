import { onBeforeUnmount, ref, type Ref } from 'vue';
import { ElMessage } from 'element-plus';
import { exportsApi, type ExportJob, type ExportKind, type ReportForm } from '@/api/exports';
import { currentLocale } from '@/locales';
import { downloadFile } from '@/utils/download';

const POLL_MS = 400;

/**
 * A sealed PDF export with progress: POST /exports starts the job, the job is polled (progress
 * and stage shown by the caller) and, when done, /exports/:jobId/file is downloaded.
 * `id` is read when the export starts, so a ref may change while the page lives.
 */
export function useExport(
  kind: ExportKind,
  id: Ref<string> | (() => string),
  revision?: () => string | undefined,
  form?: () => ReportForm | undefined,
) {
  const job = ref<ExportJob | null>(null);
  const running = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const wait = () =>
    new Promise((resolve) => {
      timer = setTimeout(resolve, POLL_MS);
    });

  async function start() {
    if (running.value) return;
    running.value = true;
    stopped = false;
    try {
      const recordId = typeof id === 'function' ? id() : id.value;
      job.value = await exportsApi.start(kind, recordId, currentLocale(), revision?.(), form?.());
      while (job.value.status === 'running' && !stopped) {
        await wait();
        job.value = await exportsApi.get(job.value.id);
      }
      if (stopped) return;
      if (job.value.status === 'failed') {
        ElMessage.error(job.value.error?.message ?? job.value.stage);
        return;
      }
      await downloadFile(exportsApi.fileUrl(job.value.id), job.value.filename || `${kind}.pdf`);
    } catch {
      // the request module or downloadFile has already said what went wrong
    } finally {
      running.value = false;
    }
  }

  onBeforeUnmount(() => {
    stopped = true;
    clearTimeout(timer);
  });
  return { job, running, start };
}
