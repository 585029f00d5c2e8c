import type { RouteLocationRaw } from 'vue-router';

/** The page of a record from its stream name (`<type>:<id>`), for the record types that have one. */
const PAGES: Record<string, string> = {
  workorder: 'workorder',
  document: 'document',
  lot: 'lot',
  dmr: 'dmr',
  equipment: 'equipment-item',
  inspection: 'inspection',
  purchase_order: 'purchase-order',
};
export function recordRoute(stream: string): RouteLocationRaw | null {
  const at = stream.indexOf(':');
  const name = PAGES[stream.slice(0, at)];
  return name && at > 0 ? { name, params: { id: stream.slice(at + 1) } } : null;
}
export const streamType = (stream: string) => stream.slice(0, stream.indexOf(':'));
