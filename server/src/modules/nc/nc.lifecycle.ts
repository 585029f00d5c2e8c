import { mustExist } from '../qualityLoop/loop.ts';
import { randomUUID } from 'node:crypto';
import type { Meaning } from '../../../../signatures/manifestation.ts';
import type { CommandContext, Lifecycle, Precondition, Separation, Transition } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import { streamOf } from '../../records/registry.ts';
import { runCommand } from '../../records/command.ts';
import { InventoryErrors } from '../inventory/errors.ts';
import { available } from '../inventory/lot.lifecycle.ts';
import { assertMayDecide, getLot } from '../inventory/service.ts';
import { NcErrors as E } from './errors.ts';
import { ncEvents } from './events.ts';
import type { DispositionDecision, NcDisposition, NcState } from './nc.record.ts';

// The nonconformance's lifecycle, declared once (ISO 13485:2016 8.3; QMSR 820 by reference). The
// MRB disposes each affected quantity, lot by lot: a concession (use as is: justification,
// approval by signature, the authoriser named, 8.3.2), rework (re-verified afterwards, 8.3.4),
// return to the supplier, scrap (the lot's own signed scrap), regrade. QA closes the NC by
// signature once nothing is left undisposed. Signed steps are proposed (`nc.proposed`) and the
// proposer's signature over exactly that state completes them (nc.record.ts).
type N = NcState;

/** The meaning of each signed step's signature (21 CFR 11.50). */
export const SIGNED = {
  use_as_is: 'approved',
  dispose: 'approved',
  verify_rework: 'verified',
  close: 'approved',
} as const satisfies Record<string, Meaning>;

interface DispositionInput {
  lotId: string;
  quantity: number;
  decision?: Exclude<DispositionDecision, 'use_as_is'>;
  justification: string;
  location?: string;
  password: string;
  totp?: string;
}
type Plan = Omit<NcDisposition, 'by' | 'byId' | 'at' | 'signatureId' | 'reverification'>;

const sod = (en: string, zh: string) => ({ code: 'SIGNER_IS_AUTHOR', en, zh, status: 409 });
/** ISO 13485 8.3.2 (a concession is approved), 4.2.5 / 21 CFR 820.80: whoever opened the NC does not approve its concession. */
const notOpener: Separation<N> = {
  rule: 'not_opener',
  refusal: sod(
    'Whoever opened a nonconformance cannot approve its concession.',
    '不合格品记录的发起人不能批准其让步接收。',
  ),
  violatedBy: (u, n) => n.openedById === u.id,
};
/** Whoever signed the rework disposition does not re-verify the reworked product (judged on their own proposal). */
const notReworkDisposer: Separation<N> = {
  rule: 'not_disposer',
  refusal: sod('Whoever dispositioned the rework cannot re-verify it.', '返工处置人不能对该返工进行重新验证。'),
  violatedBy: (u, n) =>
    n.pending?.action === 'verify_rework' &&
    n.pending.byId === u.id &&
    n.dispositions.find((d) => d.id === n.pending!.dispositionId)?.byId === u.id,
};

const unverifiedRework = (n: N) => n.dispositions.filter((d) => d.decision === 'rework' && !d.reverification);
const undisposed: Precondition<N> = {
  refusal: refusal(E.NC_NOTHING_TO_DISPOSE()),
  holds: (n) => n.lots.some((l) => l.undisposed > 0),
};
const allDisposed: Precondition<N> = {
  refusal: refusal(E.NC_UNDISPOSED_QUANTITY()),
  holds: (n) => n.lots.every((l) => l.undisposed <= 0),
  details: (n) => ({
    lots: n.lots.filter((l) => l.undisposed > 0).map((l) => ({ lotId: l.lotId, undisposed: l.undisposed })),
  }),
};
const reworkVerified: Precondition<N> = {
  refusal: refusal(E.NC_REWORK_NOT_VERIFIED()),
  holds: (n) => unverifiedRework(n).length === 0,
};

/** The disposition asked for fits what is still undisposed on that lot (judged again where the proposal lands). */
function fits(n: N, lotId: string, quantity: number) {
  const lot = n.lots.find((l) => l.lotId === lotId);
  if (!lot) throw E.NC_LOT_NOT_AFFECTED();
  if (quantity > lot.undisposed)
    throw E.NC_DISPOSITION_EXCEEDS(
      { lotNumber: lot.lotNumber, requested: quantity, undisposed: lot.undisposed },
      { undisposed: lot.undisposed },
    );
}

async function planDisposition(c: CommandContext<N>, decision: DispositionDecision): Promise<Plan> {
  const i = c.input as unknown as DispositionInput;
  fits(c.state, i.lotId, i.quantity);
  let location: string | null = null;
  if (decision === 'scrap') {
    // the lot's own scrap decision is judged first, so a refusal there writes nothing here either
    const lot = await getLot(c.s, i.lotId);
    assertMayDecide(lot, 'scrap', c.user);
    location = i.location ?? lot.balances.find((b) => b.quantity >= i.quantity)?.location ?? null;
    const here = location ? available(lot, location) : 0;
    if (!location || here < i.quantity)
      throw InventoryErrors.INSUFFICIENT_QUANTITY(
        {
          lotNumber: lot.lotNumber,
          location: location ?? '-',
          available: here,
          requested: i.quantity,
          unit: lot.item.unit,
        },
        { available: here, requested: i.quantity, location },
      );
  }
  return { id: randomUUID(), lotId: i.lotId, decision, quantity: i.quantity, justification: i.justification, location };
}

/** Scrap goes through inventory: the lot's scrap, signed by the same person once the NC's disposition landed. */
async function scrapOnLot(c: CommandContext<N>, n: N, plan: Plan) {
  if (plan.decision !== 'scrap' || !n.dispositions.some((d) => d.id === plan.id)) return;
  const { password, totp } = c.input as unknown as DispositionInput;
  await runCommand(c.s, c.user, streamOf('lot', plan.lotId), 'scrap', {
    password,
    totp,
    quantity: plan.quantity,
    location: plan.location ?? undefined,
    reason: `NC ${n.number} MRB: ${plan.justification}`.slice(0, 2000),
  });
}

const lotTargets = (n: N) => n.lots.filter((l) => l.undisposed > 0).map((l) => ({ lotId: l.lotId }));

const disposition = (name: 'use_as_is' | 'dispose', rule: Partial<Transition<N>>): Transition<N> => ({
  name,
  from: ['open'],
  signature: { meaning: SIGNED[name] },
  needsValues: true,
  preconditions: [undisposed],
  targets: lotTargets,
  prepare: (c) => planDisposition(c, name === 'use_as_is' ? 'use_as_is' : (c.input.decision as DispositionDecision)),
  recheck: (n, plan: Plan) => fits(n, plan.lotId, plan.quantity),
  event: (_n, plan: Plan) =>
    ncEvents.change('nc.proposed', { action: name, disposition: plan, note: plan.justification }),
  after: (c, n, plan: Plan) => scrapOnLot(c, n, plan),
  ...rule,
});

export const ncLifecycle: Lifecycle<N> = {
  record: 'nc',
  initial: 'open',
  states: ['open', 'closed'],
  final: ['closed'],
  transitions: [
    disposition('use_as_is', { permission: 'nc.concession', separation: [notOpener] }),
    disposition('dispose', { permission: 'nc.disposition' }),
    {
      name: 'verify_rework',
      from: ['open'],
      permission: 'nc.disposition',
      signature: { meaning: SIGNED.verify_rework },
      needsValues: true,
      separation: [notReworkDisposer],
      preconditions: [{ refusal: refusal(E.NC_NO_REWORK_TO_VERIFY()), holds: (n) => unverifiedRework(n).length > 0 }],
      targets: (n, u) =>
        unverifiedRework(n)
          .filter((d) => d.byId !== u.id)
          .map((d) => ({ dispositionId: d.id })),
      prepare: (c) => {
        const id = c.input.dispositionId as string;
        if (!unverifiedRework(c.state).some((d) => d.id === id)) throw E.NC_NO_REWORK_TO_VERIFY();
        return { id, note: (c.input.note as string | undefined) ?? '' };
      },
      event: (_n, p: { id: string; note: string }) =>
        ncEvents.change('nc.proposed', { action: 'verify_rework', dispositionId: p.id, note: p.note }),
    },
    {
      name: 'link_capa',
      from: ['open', 'closed'],
      permission: 'nc.disposition',
      needsValues: true,
      prepare: (c) => mustExist(c.s, 'capa', String(c.input.capaId)), // a CAPA that exists (404 otherwise)
      event: (_n, _p, c) => ncEvents.change('nc.capaLinked', { capaId: c.input.capaId as string }),
    },
    {
      name: 'close',
      from: ['open'],
      to: 'closed',
      permission: 'nc.close',
      signature: { meaning: SIGNED.close },
      preconditions: [allDisposed, reworkVerified],
      event: (_n, _p, c) =>
        ncEvents.change('nc.proposed', { action: 'close', note: (c.input.reason as string | undefined) ?? '' }),
    },
  ],
  stateOf: (n) => n.status,
  wrongState: () => refusal(E.NC_CLOSED()),
  // a signature completes the step its signer proposed; with nothing proposed there is nothing to sign
  signingAction: (n) => n.pending?.action ?? 'nothing_pending',
};
