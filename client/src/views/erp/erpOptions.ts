import dayjs from 'dayjs';
import type { ItemControl, ItemType, LocationKind, LotStatus, PoStatus, Qualification } from '@/api/erpTypes';

export const ITEM_TYPES: ItemType[] = ['raw', 'component', 'subassembly', 'finished'];
export const ITEM_CONTROLS: ItemControl[] = ['lot', 'serial', 'none'];
export const AQLS = [0.065, 0.1, 0.15, 0.25, 0.4, 0.65, 1, 1.5, 2.5, 4, 6.5, 10];
export const LOCATION_KINDS: LocationKind[] = ['storage', 'quarantine', 'reject'];
export const QUALIFICATIONS: Qualification[] = ['pending', 'approved', 'conditional', 'disqualified'];
export const PO_STATUSES: PoStatus[] = [
  'draft',
  'pending_approval',
  'approved',
  'partially_received',
  'received',
  'closed',
  'cancelled',
];
export const LOT_STATUSES: LotStatus[] = [
  'quarantine',
  'released',
  'on_hold',
  'rejected',
  'expired',
  'consumed',
  'scrapped',
  'shipped',
];
/** Days before expiry from which a certificate or a lot is flagged (the server's alert horizon). */
export const EXPIRY_WARNING_DAYS = 30;

export type ExpiryLevel = 'expired' | 'expiring' | 'ok' | 'none';
/** How close a calendar date (YYYY-MM-DD) is to today, for highlighting. */
export function expiryLevel(date: string | null | undefined): ExpiryLevel {
  if (!date) return 'none';
  const days = dayjs(date).startOf('day').diff(dayjs().startOf('day'), 'day');
  if (days < 0) return 'expired';
  return days <= EXPIRY_WARNING_DAYS ? 'expiring' : 'ok';
}

export const today = () => dayjs().format('YYYY-MM-DD');
export const formatQty = (n: number | null | undefined, unit = '') =>
  n === null || n === undefined ? '—' : `${Number(n).toLocaleString()}${unit ? ` ${unit}` : ''}`;
export const formatMoney = (n: number, currency: string) =>
  `${currency} ${n.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 4 })}`;
