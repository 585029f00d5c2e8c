import { declareIndexes } from '../../platform/db/mongo.ts';

// The change requests' projection collection and states, apart from the record so that the
// lifecycle's helpers can read the register without an import cycle.
export const CHANGES = 'changes';
declareIndexes(CHANGES, [
  { key: { state: 1 }, name: 'state' },
  { key: { 'items.id': 1 }, name: 'items' },
]);
export const CHANGE_STATES = ['draft', 'approval', 'approved', 'implemented', 'cancelled'] as const;
