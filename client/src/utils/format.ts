import dayjs from 'dayjs';

/** A date-time in UTC, as signatures and the ledger record it: "2026-12-01 06:05:09 UTC". */
export function formatUtc(at: string | null | undefined): string {
  return at ? `${dayjs.utc(at).format('YYYY-MM-DD HH:mm:ss')} UTC` : '—';
}

// What `formatDateTime` prints: local wall time and the offset that makes it unambiguous.
const LOCAL_WITH_OFFSET = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) ([+-]\d{2}:\d{2})$/;
// The exact instant behind each printed text, so the hover keeps the seconds; null when two instants print alike.
const printed = new Map<string, string | null>();

/**
 * UTC on hover for every date-time `formatDateTime` printed, on any page: an element whose whole
 * text is such a time gets the UTC time as its title when the pointer first reaches it. The text
 * carries its offset, so the UTC time is exact (to the second when the instant is known).
 * Installed once, on the first call.
 */
let hoverInstalled = false;
function installUtcHover() {
  if (hoverInstalled || typeof document === 'undefined') return;
  hoverInstalled = true;
  document.addEventListener(
    'mouseover',
    (event) => {
      const el = event.target;
      if (!(el instanceof HTMLElement) || el.title || el.childElementCount) return;
      const text = el.textContent?.trim() ?? '';
      const match = LOCAL_WITH_OFFSET.exec(text);
      if (!match) return;
      const exact = printed.get(text);
      el.title = exact
        ? formatUtc(exact)
        : `${dayjs.utc(`${match[1]}T${match[2]}${match[3]}`).format('YYYY-MM-DD HH:mm')} UTC`;
    },
    { passive: true },
  );
}

/**
 * Date-times are shown in the user's time zone with its offset ("2026-12-01 14:05 +08:00"), so the
 * time is never ambiguous; hovering shows the UTC time the ledger and signatures record.
 */
export function formatDateTime(at: string | null | undefined): string {
  if (!at) return '—';
  installUtcHover();
  const text = dayjs(at).format('YYYY-MM-DD HH:mm Z');
  const known = printed.get(text);
  if (known === undefined) {
    if (printed.size > 5000) printed.clear();
    printed.set(text, at);
  } else if (known !== null && known !== at) printed.set(text, null);
  return text;
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
