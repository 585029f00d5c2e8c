import { ElMessage } from 'element-plus';
import { i18n, translate } from '@/locales';

/**
 * Downloads a same-origin file (PDF, evidence bundle) through fetch, so a refusal shows the
 * server's message as a toast instead of replacing the page with raw JSON.
 */
export async function downloadFile(url: string, fallbackName: string): Promise<void> {
  const response = await fetch(url, {
    credentials: 'same-origin',
    headers: { 'Accept-Language': i18n.global.locale.value },
  });
  if (!response.ok) {
    let message = translate('exports.downloadFailed');
    try {
      message = ((await response.json()) as { error?: { message?: string } }).error?.message ?? message;
    } catch {
      // not JSON: keep the generic message
    }
    ElMessage.error(message);
    throw new Error(message);
  }
  const blob = await response.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = filenameOf(response.headers.get('content-disposition')) ?? fallbackName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

function filenameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (encoded) return decodeURIComponent(encoded[1]!);
  return /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? null;
}
