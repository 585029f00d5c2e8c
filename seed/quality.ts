import type { Services } from '../server/src/platform/services.ts';
import type { SessionUser } from '../server/src/identity/sessionUser.ts';
import { addDays, todayUtc } from '../server/src/platform/dates.ts';
import type { LotDoc } from '../server/src/modules/inventory/lot.record.ts';
import { runCommand } from '../server/src/records/command.ts';
import { streamOf } from '../server/src/records/registry.ts';
import { complaintAction, complaints, createComplaint } from '../server/src/modules/complaints/service.ts';
import { ncAction, openNc } from '../server/src/modules/nc/service.ts';
import { actOnCapa, capas, openCapa } from '../server/src/modules/capa/service.ts';
import { openDecision, performDecisionAction } from '../server/src/modules/reporting/service.ts';
import { FACTS, type Facts } from '../server/src/modules/reporting/facts.ts';
import { completeTraining, trainingsOfDocument } from '../server/src/modules/training/trainingService.ts';
import { sessionUsers } from './sessionUsers.ts';
import { reviseDocument } from './documentRevision.ts';
import { DEMO_PASSWORD } from './demo-users.ts';
import { LEAK, NOT_REPORTABLE, OVERDUE } from './qualityStory.ts';

// The demo company's quality loop (issue 11 item 7), through the same commands people use: a
// complaint about a leaking infusion set traced to the released lot, reportable in China (serious
// injury, the 20-day clock of 医疗器械不良事件监测和再评价管理办法 Art. 25 running), the NC on the
// lot (100 % re-test: the failures scrapped through the lot's scrap, the rest used as is under a
// concession signed by QA other than the opener), the CAPA with a fishbone and two actions — one
// revising the leak-test work instruction through the document lifecycle — verified (ISO
// 13485:2016 8.5.2), closed by QA with its effectiveness check due; one CAPA overdue (entered
// as history, its due date a week before seeding), and a complaint decided not
// reportable with its signed rationale. Dates run from the day of seeding, so the clocks are live.
const sign = { password: DEMO_PASSWORD };
const facts = (on: Partial<Facts>): Facts => ({
  ...(Object.fromEntries(FACTS.map((f) => [f, false])) as Facts),
  ...on,
});

export async function seedQuality(s: Services): Promise<number> {
  // the year's history already holds complaints and the internal audit's CAPA (seed/pastQuality.ts,
  // seed/history.ts): this story's own complaint and CAPA mark it as done
  if (await complaints(s).countDocuments({ nature: LEAK.nature }, { limit: 1 })) return 0;
  if (await capas(s).countDocuments({ title: LEAK.capaTitle }, { limit: 1 })) return 0;
  const lots = s.db.collection<LotDoc>('lots');
  // the present's lot of infusion sets (not one of the production history's smaller lots)
  const lot = (
    await lots.find({ 'item.partNumber': 'FG-IFS-20', status: 'released', workOrderId: { $ne: null } }).toArray()
  ).find((l) => l.quantity >= 400);
  const pump = await lots.findOne({ 'item.partNumber': 'FG-PMP-1', status: 'released', serial: { $ne: null } });
  const wi = await s.db
    .collection<{ _id: string; title: { en: string } }>('documents')
    .findOne({ 'title.en': 'Infusion Set Leak Test Work Instruction' });
  if (!lot || !pump || !wi) return 0; // not the demo company
  const users = await sessionUsers(s);
  const who = (n: string): SessionUser => {
    const u = users.get(n);
    if (!u) throw new Error(`seed: no user ${n}`);
    return u;
  };
  const [qaEng, qaMgr, sup] = ['qa.engineer', 'qa.manager', 'prod.supervisor'].map(who);
  const today = todayUtc();

  // 1. the complaint: received four days ago, the device and UDI looked up from the lot number
  const received = addDays(today, -4);
  let cmp = await createComplaint(s, qaEng, {
    lot: lot.lotNumber,
    receivedDate: received,
    awarenessDate: received,
    complainant: LEAK.complainant,
    nature: LEAK.nature,
    country: 'CN',
    failedSpecifications: 'yes',
    usedForTreatmentOrDiagnosis: 'yes',
    relationship: 'related',
    codes: { A: ['A0201'], E: ['E2401'], F: ['F24'] },
  });

  // 2. reportable in China: serious injury, 20 calendar days from awareness (Asia/Shanghai, 09:30)
  const cn = await openDecision(s, qaEng, {
    complaintId: cmp._id,
    jurisdiction: 'CN',
    awareAt: `${received}T01:30:00Z`,
    facts: facts({ seriousInjury: true, malfunction: true }),
  });
  await performDecisionAction(s, qaEng, cn._id, 'decide', {
    reportable: true,
    rule: 'serious_injury',
    rationale: LEAK.reportable,
    ...sign,
  });

  // 3. the NC on the lot: the whole remaining quantity held, re-tested, failures scrapped, the rest used as is
  const affected = lot.quantity;
  const scrapped = 36;
  let nc = await openNc(s, qaEng, {
    source: { kind: 'complaint', complaintId: cmp._id },
    lots: [{ lotId: lot._id, quantity: affected }],
    description: LEAK.ncDescription,
    detectionPoint: 'customer',
    containment: LEAK.containment,
  });
  nc = await ncAction(s, qaEng, nc._id, 'dispose', {
    lotId: lot._id,
    decision: 'scrap',
    quantity: scrapped,
    justification: LEAK.scrap,
    version: nc.ledgerVersion,
    ...sign,
  });
  nc = await ncAction(s, qaMgr, nc._id, 'use_as_is', {
    lotId: lot._id,
    quantity: affected - scrapped,
    justification: LEAK.concession,
    version: nc.ledgerVersion,
    ...sign,
  });
  nc = await ncAction(s, qaMgr, nc._id, 'close', { reason: LEAK.ncClosure, version: nc.ledgerVersion, ...sign });
  // the disposed lot leaves its hold by QA's signed release (the concession is on the NC)
  await runCommand(s, qaMgr, streamOf('lot', lot._id), 'release_hold', { reason: LEAK.releaseHold, ...sign });

  cmp = await complaintAction(s, qaEng, cmp._id, 'investigate', {
    findings: LEAK.findings,
    date: addDays(today, -2),
    codesB: ['B01', 'B03'],
    codesC: ['C16'],
    codesD: ['D03'],
    ...sign,
  });
  cmp = await complaintAction(s, qaEng, cmp._id, 'link_nc', { ncId: nc._id });

  // 4. the CAPA: decided on risk, contained, a fishbone, two actions (one the work instruction's revision)
  let capa = await openCapa(s, qaEng, {
    title: LEAK.capaTitle,
    source: { type: 'nc', id: nc._id },
    problem: LEAK.problem,
    owner: qaEng.id,
    due: addDays(today, 30),
  });
  await ncAction(s, qaEng, nc._id, 'link_capa', { capaId: capa._id });
  await complaintAction(s, qaEng, cmp._id, 'link_capa', { capaId: capa._id });
  const onCapa = async (u: SessionUser, action: Parameters<typeof actOnCapa>[3], input: object) =>
    (capa = await actOnCapa(s, u, capa._id, action, input));
  await onCapa(qaMgr, 'decide', {
    decision: 'proceed',
    risk: { severity: 4, occurrence: 2 },
    rationale: LEAK.decide,
    ...sign,
  });
  await onCapa(qaEng, 'contain', { containment: LEAK.containment });
  await onCapa(qaEng, 'investigate', {
    analysis: { method: 'fishbone', categories: LEAK.fishbone },
    rootCause: LEAK.rootCause,
  });
  await onCapa(qaEng, 'add_task', { description: LEAK.taskWi, owner: sup.id, due: addDays(today, 14) });
  await onCapa(qaEng, 'add_task', { description: LEAK.taskFixture, owner: qaEng.id, due: addDays(today, 14) });
  const [wiTask, fixtureTask] = capa.tasks;

  // the work instruction's new revision: drafted by its owner, reviewed, approved, effective today
  const revised = await reviseDocument(s, wi._id, {
    zh: '输液器气密性检测作业指导书',
    en: 'Infusion Set Leak Test Work Instruction',
  });
  // the operators read and trained on the new revision (the leak test step requires it)
  for (const tr of await trainingsOfDocument(s, wi._id)) {
    const u = [...users.values()].find((x) => x.id === tr.userId);
    if (
      u &&
      ['operator', 'operator2'].includes(u.username) &&
      tr.status === 'open' &&
      tr.revision === revised.effective
    )
      await completeTraining(s, u, tr._id, sign);
  }
  await onCapa(qaEng, 'link_change', { link: { type: 'document', id: wi._id, revision: revised.effective! } });
  await onCapa(sup, 'complete_task', {
    taskId: wiTask.id,
    evidence: LEAK.evidenceWi(revised.number, revised.effective!),
  });
  await onCapa(qaEng, 'complete_task', { taskId: fixtureTask.id, evidence: LEAK.evidenceFixture });
  await onCapa(qaEng, 'verify', { safety: LEAK.safety, compliance: LEAK.compliance, ...sign });
  await onCapa(qaMgr, 'close', {
    effectiveness: { due: addDays(today, 90), criteria: LEAK.effectiveness },
    ...sign,
  });

  // 5. a CAPA from an internal audit, due a week ago: entered as history (the event says so), since
  // a plan made today may not set a past due date
  const late = await openCapa(
    s,
    qaEng,
    {
      title: OVERDUE.title,
      source: { type: 'audit_finding', id: 'IA-2026-04' },
      problem: OVERDUE.problem,
      owner: sup.id,
      due: addDays(today, -7),
    },
    { historical: true },
  );
  await actOnCapa(s, qaMgr, late._id, 'decide', {
    decision: 'proceed',
    risk: { severity: 2, occurrence: 3 },
    rationale: OVERDUE.decide,
    ...sign,
  });
  await actOnCapa(s, sup, late._id, 'add_task', { description: OVERDUE.task, owner: sup.id, due: today });

  // 6. a complaint decided not reportable, with its signed rationale; no investigation needed, closed by QA
  let minor = await createComplaint(s, qaEng, {
    lot: pump.serial!,
    receivedDate: addDays(today, -9),
    awarenessDate: addDays(today, -9),
    complainant: NOT_REPORTABLE.complainant,
    nature: NOT_REPORTABLE.nature,
    country: 'CN',
    failedSpecifications: 'no',
    usedForTreatmentOrDiagnosis: 'no',
    relationship: 'not_related',
    codes: { A: ['A24'], E: ['E2403'], F: ['F26'] },
  });
  const no = await openDecision(s, qaEng, {
    complaintId: minor._id,
    jurisdiction: 'CN',
    awareAt: `${addDays(today, -9)}T06:00:00Z`,
    facts: facts({}),
  });
  await performDecisionAction(s, qaEng, no._id, 'decide', {
    reportable: false,
    rationale: NOT_REPORTABLE.rationale,
    ...sign,
  });
  minor = await complaintAction(s, qaEng, minor._id, 'record_response', {
    correction: NOT_REPORTABLE.correction,
    reply: NOT_REPORTABLE.reply,
    replyDate: addDays(today, -7),
  });
  minor = await complaintAction(s, qaEng, minor._id, 'no_investigation', {
    reason: NOT_REPORTABLE.noInvestigation,
    ...sign,
  });
  await complaintAction(s, qaMgr, minor._id, 'close', sign);
  return 2;
}
