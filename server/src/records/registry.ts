import type { LedgerEvent } from '../ledger/event.ts';
import type { AppError } from '../platform/errors.ts';
import type { SessionUser } from '../identity/sessionUser.ts';
import { lifecycleCanSign, type Lifecycle } from './lifecycle.ts';
import type { EventCatalog } from './events.ts';

/**
 * A record type: a stream prefix, a pure reducer from events to state, and its policies. The
 * projection collection, the state at any past version (what a signature binds to) and the
 * generic record endpoints all come from this one declaration.
 */
export interface RecordType<S extends object = Record<string, unknown>> {
  type: string; // streams are `${type}:${id}`
  collection: string;
  reduce(state: S | undefined, e: LedgerEvent): S;
  /** The part of the state an e-signature binds to (never the signatures themselves). */
  content(state: S): unknown;
  /** Who authored the content at this state (may not approve it). */
  author?(state: S): string | undefined;
  /** The context's events (records/events.ts): what the command path may append to this record. */
  events?: EventCatalog<any>;
  /** The record's lifecycle: its actions, who may take them, their signatures (records/command.ts runs them). */
  lifecycle?: Lifecycle<S>;
  /** null when `user` may sign `state` with `meaning`, else the refusal (default: derived from the lifecycle). */
  canSign?(user: SessionUser, meaning: string, state: S): AppError | null;
  /** Whether `user` may read this record and its ledger. */
  canRead?(user: SessionUser, state: S): boolean;
  /** Events to append after a signature lands (e.g. the last review moves a document on). */
  afterSignature?(state: S, meaning: string): Array<{ type: string; data: Record<string, unknown> }>;
}

const types = new Map<string, RecordType<any>>();

/** Declares a record type (registration is explicit: records/types.ts lists every one). */
export function defineRecordType<S extends object>(t: RecordType<S>): RecordType<S> {
  if (t.lifecycle && !t.canSign) t.canSign = lifecycleCanSign(t.lifecycle);
  return t;
}

/** Makes record types known to the projector, the ledger routes and the command path; a type name used twice is a start-up error. */
export function registerRecordTypes(list: RecordType<any>[]) {
  for (const t of list) {
    const known = types.get(t.type);
    if (known && known !== t) throw new Error(`record type ${t.type} is declared twice`);
    types.set(t.type, t);
  }
}

export function recordTypeOf(stream: string): RecordType<any> | undefined {
  const i = stream.indexOf(':');
  return i > 0 ? types.get(stream.slice(0, i)) : undefined;
}

export function allRecordTypes(): RecordType<any>[] {
  return [...types.values()];
}

export function streamId(stream: string): string {
  return stream.slice(stream.indexOf(':') + 1);
}
export function streamOf(type: string, id: string): string {
  return `${type}:${id}`;
}
