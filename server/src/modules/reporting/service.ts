import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import { errors } from '../../platform/errors.ts';
import { streamOf } from '../../records/registry.ts';
import { asUser, runCommand } from '../../records/command.ts';
import { claim, isRace } from '../../records/ledgerOps.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import type { Facts } from './facts.ts';
import { DEFAULT_JURISDICTIONS, type Jurisdiction } from './defaults.ts';
import { reportabilityEvents, rulesEvents } from './events.ts';
import { ReportingErrors } from './errors.ts';
import { REPORTABILITY, type ReportabilityDoc } from './reportability.record.ts';
import { rulesCollection, rulesOf } from './rules.ts';
import { now as clockNow } from '../../platform/clock.ts';

// The reporting context's commands: every change of a record goes through runCommand (the
// lifecycles declare the actions); only a record's version 1 (opening a decision, recording a
// jurisdiction's rules) is appended here, as the user.
export const decisions = (s: Services) => s.db.collection<ReportabilityDoc>(REPORTABILITY);

export async function getDecision(s: Services, id: string): Promise<ReportabilityDoc> {
  const d = await decisions(s).findOne({ _id: id });
  if (!d) throw errors.notFound('reportability decision');
  return d;
}

export async function listDecisions(
  s: Services,
  q: { complaintId?: string; jurisdiction?: string; status?: string },
): Promise<ReportabilityDoc[]> {
  const filter: Record<string, string> = {};
  if (q.complaintId) filter.complaintId = q.complaintId;
  if (q.jurisdiction) filter.jurisdiction = q.jurisdiction;
  if (q.status) filter.status = q.status;
  return decisions(s).find(filter).sort({ openedAt: -1 }).limit(1000).toArray();
}

/** One decision per complaint and jurisdiction (claimed on `reportability-subject:<complaint>.<jurisdiction>`). */
export async function openDecision(
  s: Services,
  user: SessionUser,
  input: { complaintId: string; jurisdiction: string; awareAt: string; facts: Facts; supplementOf?: string },
): Promise<ReportabilityDoc> {
  await rulesOf(s, input.jurisdiction); // an unknown jurisdiction is a 404 before anything is written
  if (Date.parse(input.awareAt) > clockNow().getTime() + 60_000) throw ReportingErrors.AWARENESS_IN_FUTURE();
  // a supplement (21 CFR 803.56) follows a submitted report of the same complaint and jurisdiction;
  // its clock starts when the new information was received (awareAt), on the row "newInformation" selects
  const original = input.supplementOf ? await decisions(s).findOne({ _id: input.supplementOf }) : null;
  if (input.supplementOf) {
    if (!original) throw errors.notFound('reportability decision');
    if (
      original.status !== 'submitted' ||
      original.complaintId !== input.complaintId ||
      original.jurisdiction !== input.jurisdiction
    )
      throw ReportingErrors.SUPPLEMENT_NEEDS_SUBMITTED_REPORT();
  }
  const id = randomUUID();
  const awareAt = new Date(input.awareAt).toISOString();
  const facts = { ...input.facts, newInformation: !!original };
  await asUser(user, async () => {
    if (!original)
      await claim(
        s,
        `reportability-subject:${input.complaintId}.${input.jurisdiction}`,
        { decisionId: id },
        `A reportability decision for ${input.complaintId} in ${input.jurisdiction}`,
      );
    const opened = reportabilityEvents.change('reportability.opened', {
      complaintId: input.complaintId,
      jurisdiction: input.jurisdiction,
      awareAt,
      facts,
      supplementOf: original?._id ?? null,
    });
    await s.ledger.append(streamOf('reportability', id), opened.type, opened.data, { expectedVersion: 0 });
  });
  return getDecision(s, id);
}

/** Every action on a decision (reportability.lifecycle.ts), through the one command path. */
export async function performDecisionAction(
  s: Services,
  user: SessionUser,
  id: string,
  action: string,
  input: Record<string, unknown>,
): Promise<ReportabilityDoc> {
  await getDecision(s, id); // an unknown decision is a 404 before anything else
  await runCommand(s, user, streamOf('reportability', id), action, input);
  return getDecision(s, id);
}

const install = (s: Services, j: Jurisdiction) => {
  const e = rulesEvents.change('reporting.rulesInstalled', j);
  return s.ledger.append(streamOf('reporting_rules', j.jurisdiction), e.type, e.data, { expectedVersion: 0 });
};

/** A new jurisdiction's rules (an administrator adds a country without code). */
export async function addJurisdiction(s: Services, user: SessionUser, j: Jurisdiction) {
  const known =
    (await rulesCollection(s).findOne({ _id: j.jurisdiction })) ||
    DEFAULT_JURISDICTIONS.some((d) => d.jurisdiction === j.jurisdiction);
  if (known) throw errors.duplicate(`jurisdiction ${j.jurisdiction}`);
  await asUser(user, () => install(s, j)).catch((err) => {
    if (isRace(err)) throw errors.duplicate(`jurisdiction ${j.jurisdiction}`);
    throw err;
  });
  return rulesOf(s, j.jurisdiction);
}

/**
 * A change of a jurisdiction's rules (rules.lifecycle.ts). A shipped jurisdiction whose defaults
 * are not on the ledger yet (version 0) has them recorded first, as this user, so the change
 * lands on what the user saw; the route has already checked the permission and the input.
 */
export async function changeRules(
  s: Services,
  user: SessionUser,
  jurisdiction: string,
  action: string,
  input: Record<string, unknown> & { version?: number },
) {
  const view = await rulesOf(s, jurisdiction);
  let version = input.version;
  if (view.version === 0) {
    const { version: _v, changedAt: _a, changedBy: _b, ...j } = view;
    await asUser(user, () => install(s, j)).catch((err) => {
      if (!isRace(err)) throw err; // recorded meanwhile: judged below
    });
    if (version === 0) version = 1;
  }
  await runCommand(s, user, streamOf('reporting_rules', jurisdiction), action, { ...input, version });
  return rulesOf(s, jurisdiction);
}
