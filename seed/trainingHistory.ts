import type { Services } from '../server/src/platform/services.ts';
import { documentsCollection, getDocument } from '../server/src/modules/documents/queries.ts';
import { completeTraining, trainingsOfDocument } from '../server/src/modules/training/trainingService.ts';
import { sessionUsers } from './sessionUsers.ts';
import { reviseDocument } from './documentRevision.ts';
import { DEMO_PASSWORD } from './demo-users.ts';
import { DOCUMENTS_EFFECTIVE, YEAR_DAYS, type YearEvent } from './year.ts';

// Training over the demo year (ISO 13485:2016 6.2). The settled documents assign their training on
// the day they are written (seed/documents.ts, DOCUMENTS_EFFECTIVE), due 30 days later
// (training/trainingService.ts TRAINING_DAYS); some people sign at once (the documents' `trained`
// lists), the rest within two weeks. Later in the year two documents are revised: the warehouse
// procedure about six weeks ago (the warehouse clerk has not yet signed: overdue by a week or so),
// and the infusion set assembly work instruction two weeks ago (the first operator trained the next
// day; the second not yet, due in about two weeks, so the shop floor shows a step blocked for training).
const sign = { password: DEMO_PASSWORD };

/** The day (days before today) everyone still open on a settled document signs their training. */
export const TRAININGS_CAUGHT_UP = DOCUMENTS_EFFECTIVE - 12;

/** Completes every open training on an effective revision, each signed by its trainee. */
async function completeOpenTrainings(s: Services): Promise<void> {
  const users = [...(await sessionUsers(s)).values()];
  for (const d of await documentsCollection(s)
    .find({ effective: { $ne: null } })
    .toArray())
    for (const t of await trainingsOfDocument(s, d._id)) {
      const u = users.find((x) => x.id === t.userId);
      if (u && t.status === 'open' && t.revision === d.effective) await completeTraining(s, u, t._id, sign);
    }
}

/** A new revision of the document titled `title` (seed/documentRevision.ts); returns its id. */
async function revise(s: Services, title: { zh: string; en: string }): Promise<string> {
  const wi = (await documentsCollection(s).findOne({ 'title.en': title.en }))!;
  await reviseDocument(s, wi._id, title);
  return wi._id;
}

const WAREHOUSE = { zh: '仓库管理程序', en: 'Warehouse Control Procedure' };
const ASSEMBLY = { zh: '输液器装配作业指导书', en: 'Infusion Set Assembly Work Instruction' };
/** Days before today of the two revisions: between the receipts' inspection waits, the assembly one after the last lot of the production history. */
const WAREHOUSE_REVISED = YEAR_DAYS[9] - 22;
const ASSEMBLY_REVISED = YEAR_DAYS[10] - 16;

/** The year's training and revisions as dated events (seed/year.ts seedYear). */
export function trainingEvents(s: Services): YearEvent[] {
  let assembly = '';
  const operatorTrains = async () => {
    const op = (await sessionUsers(s)).get('operator')!;
    const effective = (await getDocument(s, assembly)).effective;
    for (const t of await trainingsOfDocument(s, assembly))
      if (t.userId === op.id && t.status === 'open' && t.revision === effective)
        await completeTraining(s, op, t._id, sign);
  };
  return [
    { days: TRAININGS_CAUGHT_UP, run: () => completeOpenTrainings(s) },
    { days: WAREHOUSE_REVISED, run: () => revise(s, WAREHOUSE) },
    { days: ASSEMBLY_REVISED, run: async () => (assembly = await revise(s, ASSEMBLY)) },
    { days: ASSEMBLY_REVISED - 1, run: operatorTrains },
  ];
}
