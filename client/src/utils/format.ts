import dayjs from 'dayjs';

/** Date-times are shown in UTC, as signatures and the ledger record them. */
export function formatDateTime(at: string | null | undefined): string {
  return at ? `${dayjs.utc(at).format('YYYY-MM-DD HH:mm:ss')} UTC` : '—';
}

export function formatDate(at: string | null | undefined): string {
  return at ? dayjs(at).format('YYYY-MM-DD') : '—';
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

export function shortHash(hash: string | null | undefined): string {
  return hash ? `${hash.slice(0, 12)}…` : '—';
}
