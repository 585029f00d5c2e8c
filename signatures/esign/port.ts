import type { LedgerEvent } from '../../server/src/ledger/event.ts';
import type { SessionUser } from '../../server/src/identity/sessionUser.ts';
import type { Signer } from '../signer.ts';

// The one interface between the e-signature service and the application it serves. The service
// (service.ts) imports nothing of the server: the server implements this port once
// (server/src/records/signing.ts) and hands it in. Only types cross the other way.

/** A refusal from the application's error catalog (its code is what verification reports). */
export interface Refusal extends Error {
  code: string;
}

/** The refusals the service itself gives; the application words them (its bilingual catalog). */
export type SigningRefusalCode = 'SIGNATURE_NOT_ALLOWED' | 'SIGNER_IS_AUTHOR' | 'ALREADY_SIGNED';

/** What the service needs of a record type: how its state comes about, what a signature binds, who may sign. */
export interface SignableType<S extends object = object> {
  reduce(state: S | undefined, e: LedgerEvent): S;
  /** The part of the state a signature binds to (never the signatures themselves). */
  content(state: S): unknown;
  /** Who authored the content at this state (may not review, approve, release or verify it). */
  author?(state: S): string | undefined;
  /** null when `who` may sign `state` with `meaning`, else the refusal; absent: the type cannot be signed. */
  canSign?(who: SessionUser, meaning: string, state: S): Refusal | null;
  /** Events to append after a signature lands (e.g. the last approval makes a version approved). */
  afterSignature?(state: S, meaning: string): Array<{ type: string; data: Record<string, unknown> }>;
}

/** A signer's account as it stood at some moment (from their account's own events). */
export interface SignerAsOf {
  status: string;
  who: SessionUser;
}

export interface SigningPort {
  /** The key that seals every signature (11.70), and whose certificate verification trusts. */
  readonly seal: Signer;
  recordType(stream: string): SignableType | undefined;
  /** The stream's events; `fresh` reads the store itself (a check must not trust a cache). */
  events(stream: string, opts?: { fresh?: boolean }): Promise<LedgerEvent[]>;
  head(stream: string): Promise<{ version: number } | null>;
  /** The record's state at `version`; `replay` folds the ledger instead of using the projection's cache. */
  stateAt(stream: string, version: number, opts?: { replay?: boolean }): Promise<object | undefined>;
  /** Appends as `who`; with `expectedVersion`, only on that head (else STALE_VERSION / CONFLICT). */
  append<D extends Record<string, unknown>>(
    who: SessionUser,
    stream: string,
    type: string,
    data: D,
    opts: { expectedVersion: number; reason?: string },
  ): Promise<LedgerEvent<D>>;
  /** Appends as `who` on whatever the head is (the events a signature completes). */
  appendOnHead(who: SessionUser, stream: string, type: string, data: Record<string, unknown>): Promise<unknown>;
  /** The signer's printed name and user ID as the account holds them now (11.50). */
  signer(id: string): Promise<{ fullName: string; username: string }>;
  /** Re-authentication at signing (11.200(a)); a failure is recorded on the signer's account (11.300(d)). */
  checkCredentials(
    who: SessionUser,
    password: string,
    totp: string | undefined,
    purpose: { stream: string; meaning: string },
  ): Promise<void>;
  /**
   * The signer's account events, to judge who they were when they signed: complete at least up to
   * `asOf` (the latest signature being checked), so a copy read since then may serve.
   */
  signerHistory(id: string, asOf: string): Promise<LedgerEvent[]>;
  /** The account replayed from `history` up to `at`, or undefined when it did not exist yet. */
  signerAsOf(history: LedgerEvent[], at: string): SignerAsOf | undefined;
  /** The system clock's time as ISO 8601 UTC, the time the signature's own ledger event gets (11.50(a)(2)). */
  now(): string;
  refusal(code: SigningRefusalCode, params?: Record<string, unknown>): Refusal;
  notFound(what: string): Error;
  staleVersion(given: number, current: number): Error;
}
