import type { BilingualText } from '@/api/types';

/** Record types the portal lists, in the order an auditor reads a device's history. */
export const PORTAL_TYPES = ['item', 'dmr', 'workorder', 'lot', 'document'] as const;
export const titleText = (title: BilingualText | string, pick: (t: BilingualText) => string) =>
  typeof title === 'string' ? title : pick(title);

/** Where each record type keeps the names of its states, for showing a portal record's state in words. */
const STATE_KEYS: Record<string, string> = {
  workorder: 'production.states',
  lot: 'erp.status.lot',
  dmr: 'dmr.states',
  document: 'documents.states',
};
export function stateKey(type: string, state: string): string | null {
  return STATE_KEYS[type] ? `${STATE_KEYS[type]}.${state}` : null;
}
