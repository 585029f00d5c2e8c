import type { LedgerEvent } from '../ledger/event.ts';
import type { AppError } from '../platform/errors.ts';
import type { SessionUser } from '../identity/sessionUser.ts';
import { lifecycleCanSign, type Lifecycle } from './lifecycle.ts';

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

export function defineRecordType<S extends object>(t: RecordType<S>): RecordType<S> {
  if (t.lifecycle && !t.canSign) t.canSign = lifecycleCanSign(t.lifecycle);
  types.set(t.type, t);
  return t;
}

export function recordTypeOf(stream: string): RecordType<any> | undefined {
  const i = stream.indexOf(':');
  return i > 0 ? types.get(stream.slice(0, i)) : undefined;
}

export function allRecordTypes(): RecordType<any>[] { return [...types.values()]; }

export function streamId(stream: string): string { return stream.slice(stream.indexOf(':') + 1); }
export function streamOf(type: string, id: string): string { return `${type}:${id}`; }
