import { declareIndexes } from '../../platform/db/mongo.ts';

// The purchasing projections' collections and indexes (apart from the record types, so reads and
// the lifecycles' checks can name them without importing a record type: no import cycle).
export const POS = 'purchase_orders';
export const REQUISITIONS = 'requisitions';
declareIndexes(POS, [
  { key: { number: 1 }, name: 'number' },
  { key: { status: 1 }, name: 'status' },
  { key: { 'supplier.code': 1 }, name: 'supplier' },
]);
declareIndexes(REQUISITIONS, [{ key: { status: 1 }, name: 'status' }]);
