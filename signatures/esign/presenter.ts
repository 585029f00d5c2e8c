import { z } from 'zod';
import type { LedgerEvent } from '../../server/src/ledger/event.ts';
import { manifestationOf } from '../manifestation.ts';
import type { SignatureData } from './seal.ts';
import type { SignatureCheck } from './verify.ts';

// How one signature is shown wherever its record is (21 CFR 11.50: printed name, date and time,
// meaning), with the result of verifying it. The server binds it to its locale and port
// (server/src/records/signing.ts: presentSignature).

export const SignatureView = z.object({
  id: z.string(),
  meaning: z.string(),
  signer: z.object({ id: z.string(), name: z.string() }),
  onBehalfOf: z.object({ id: z.string(), name: z.string(), delegationId: z.string() }).optional(),
  at: z.string(),
  recordVersion: z.number(),
  contentHash: z.string(),
  manifestation: z.string(),
  valid: z.boolean(),
  problems: z.array(z.string()),
});

export function signatureView(e: LedgerEvent<SignatureData>, check: SignatureCheck, locale: 'en-US' | 'zh-CN') {
  const d = e.data;
  return {
    id: d.signatureId,
    meaning: d.meaning,
    signer: { id: d.signer.id, name: d.signer.name },
    ...(d.onBehalfOf ? { onBehalfOf: d.onBehalfOf } : {}),
    at: d.signedAt,
    recordVersion: d.recordVersion,
    contentHash: d.contentHash,
    reason: d.reason ?? null,
    manifestation: manifestationOf(d, locale),
    ...check,
  };
}
