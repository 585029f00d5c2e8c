import type { SignatureData } from './signing.ts';

/** What these read of a signature (some reducers hold a narrowed view of it). */
type Signed = Pick<SignatureData, 'onBehalfOf' | 'signedAt' | 'signatureId'> & { signer: { id: string; name: string } };

// A delegate signs in the place of the person whose task it is (issue 15 item 6). The command path
// judges both people; the record counts the decision as the principal's (their role, their named
// task, their separation of duties) and keeps who actually signed beside it, so a record reads
// "approved by A (signed by B on A's behalf)", like the signature's manifestation.

/** Who a signature decides for: the principal when signed on their behalf, else the signer. */
export const principalOf = (sig: Signed): { id: string; name: string } =>
  sig.onBehalfOf ? { id: sig.onBehalfOf.id, name: sig.onBehalfOf.name } : { id: sig.signer.id, name: sig.signer.name };

/** The delegate who signed, as a field to spread beside the decision (nothing when not delegated). */
export const delegateOf = (sig: Signed): { signedBy?: DelegateSigner } =>
  sig.onBehalfOf
    ? { signedBy: { id: sig.signer.id, name: sig.signer.name, delegationId: sig.onBehalfOf.delegationId } }
    : {};

export interface DelegateSigner {
  id: string;
  name: string;
  delegationId: string;
}

/** A signed decision's `{ by, byId, at, signatureId }`, the principal's, plus `signedBy` when a delegate signed. */
export function decisionBy(sig: Signed) {
  const p = principalOf(sig);
  return { by: p.name, byId: p.id, at: sig.signedAt, signatureId: sig.signatureId, ...delegateOf(sig) };
}
