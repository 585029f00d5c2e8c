import { z } from 'zod';
import type { LedgerEvent } from '../ledger/event.ts';
import { SIGNATURE_EVENT, type SignatureData } from '../../../signatures/esign/seal.ts';
import type { Change } from './ledgerOps.ts';

// Typed events (issue 10): each context lists its events once, as zod schemas keyed by type.
// Commands build events with `change` (typed from the list, checked before append); reducers
// switch on `typed(e).type` and get each event's data typed, without `any`.
//
// Reducers never parse: the ledger's history is what it is (a schema tightened later must not
// make an old stream unreadable). The schemas check what is about to be appended.

/** The data of an e-signature event, as every signable record's catalog lists it. */
export const SignatureEventData = z.custom<SignatureData>(
  (v) => typeof v === 'object' && v !== null && typeof (v as SignatureData).signatureId === 'string',
);

type Schemas = Record<string, z.ZodType>;
/** One of the context's events, typed: narrow it with `switch (ev.type)`. */
export type TypedEvent<T extends Schemas> = {
  [K in keyof T & string]: Omit<LedgerEvent, 'type' | 'data'> & { type: K; data: z.output<T[K]> };
}[keyof T & string];

export interface EventCatalog<T extends Schemas> {
  context: string;
  schemas: T;
  /** An event to append, its data typed by its type. */
  change<K extends keyof T & string>(type: K, data: z.input<T[K]>, reason?: string): Change;
  /** A ledger event of this context, typed (no runtime parse: see above). */
  typed(e: LedgerEvent): TypedEvent<T>;
  /** Why `change` does not fit the catalog, or null (the command path asks before appending). */
  problem(change: Change): string | null;
}

export function defineEvents<const T extends Schemas>(context: string, schemas: T): EventCatalog<T> {
  return {
    context,
    schemas,
    change: (type, data, reason) => ({ type, data: data as Record<string, unknown>, ...(reason ? { reason } : {}) }),
    typed: (e) => e as unknown as TypedEvent<T>,
    problem(change) {
      const schema = schemas[change.type];
      if (!schema) return `${context} declares no event "${change.type}"`;
      const r = schema.safeParse(change.data);
      return r.success
        ? null
        : `${change.type}: ${r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`;
    },
  };
}

export { SIGNATURE_EVENT };
