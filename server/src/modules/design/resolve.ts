import type { Services } from '../../platform/services.ts';
import { errors } from '../../platform/errors.ts';
import { usersCollection } from '../../identity/userService.ts';
import { dmrs } from '../dmr/service.ts';
import { DESIGN_ELEMENTS, DESIGN_PROJECTS } from './collections.ts';
import { DesignErrors } from './errors.ts';
import type { ElementContent, ElementKind } from './events.ts';
import type { DesignElementDoc } from './element.record.ts';
import type { DesignProjectDoc, Stage } from './project.record.ts';
import type { ElementContentInput, PlanInput } from './schema.ts';

// Input resolved against other records before anything is written: people against the user
// accounts, stages against the project's plan, re-runs and transferred outputs against the
// project's elements, the DMR revision against the DMR (ISO 13485:2016 7.3.8).
type Person = { id: string; name: string };

export const projectsOf = (s: Services) => s.db.collection<DesignProjectDoc>(DESIGN_PROJECTS);
export const elementsOf = (s: Services) => s.db.collection<DesignElementDoc>(DESIGN_ELEMENTS);

export async function getProject(s: Services, id: string): Promise<DesignProjectDoc> {
  const p = await projectsOf(s).findOne({ _id: id });
  if (!p) throw errors.notFound('design project');
  return p;
}

export async function people(s: Services, ids: string[]): Promise<Person[]> {
  const found = await usersCollection(s)
    .find({ _id: { $in: ids }, status: { $ne: 'disabled' } }, { projection: { fullName: 1 } })
    .toArray();
  const byId = new Map(found.map((u) => [u._id, { id: u._id, name: u.fullName }]));
  return ids.map((id) => {
    const p = byId.get(id);
    if (!p) throw DesignErrors.DESIGN_USER_UNKNOWN({ id });
    return p;
  });
}

export async function resolvePlan(s: Services, input: PlanInput): Promise<Stage[]> {
  const who = await people(s, [...new Set(input.map((x) => x.responsible))]);
  const byId = new Map(who.map((p) => [p.id, p]));
  return input.map((x) => ({
    key: x.key,
    name: x.name,
    responsible: byId.get(x.responsible)!,
    reviewPlanned: x.reviewPlanned,
  }));
}

/** The person responsible for `stage` in the project's current plan (7.3.2 b), or a refusal. */
export function stageOf(p: DesignProjectDoc, stage: string): Stage {
  const st = p.stages.find((x) => x.key === stage);
  if (!st) throw DesignErrors.DESIGN_STAGE_UNKNOWN({ stage });
  return st;
}

async function inProject(s: Services, projectId: string, ids: string[], kind: ElementKind) {
  if (!ids.length) return;
  const found = await elementsOf(s)
    .find({ _id: { $in: ids }, projectId, kind }, { projection: { _id: 1 } })
    .toArray();
  const have = new Set(found.map((e) => e._id));
  const missing = ids.find((id) => !have.has(id));
  if (missing) throw DesignErrors.DESIGN_ELEMENT_NOT_IN_PROJECT({ id: missing });
}

/** One revision's content for `kind`, with the fields of other kinds left out. */
export async function resolveContent(
  s: Services,
  projectId: string,
  kind: ElementKind,
  input: ElementContentInput,
  self?: string,
): Promise<ElementContent> {
  const base = { title: input.title, description: input.description };
  switch (kind) {
    case 'need':
    case 'output':
      return base;
    case 'input':
      return { ...base, riskControls: input.riskControls };
    case 'verification':
    case 'validation': {
      const rerunOf = input.rerunOf ?? null;
      if (rerunOf) {
        if (rerunOf === self) throw DesignErrors.DESIGN_LINK_CYCLE();
        await inProject(s, projectId, [rerunOf], kind);
      }
      return { ...base, protocol: input.protocol, result: input.result, evidence: input.evidence ?? null, rerunOf };
    }
    case 'review': {
      const project = await getProject(s, projectId);
      if (!input.stage)
        throw errors.validation('body.content.stage', { en: 'name the stage reviewed', zh: '请指定被评审的阶段' });
      if (!input.independentReviewer)
        throw errors.validation('body.content.independentReviewer', {
          en: 'name the independent reviewer',
          zh: '请指定独立评审人',
        });
      const st = stageOf(project, input.stage);
      // 7.3.5: the review includes an individual who is not responsible for the stage reviewed
      if (st.responsible.id === input.independentReviewer) throw DesignErrors.DESIGN_REVIEWER_NOT_INDEPENDENT();
      const [reviewer] = await people(s, [input.independentReviewer]);
      return {
        ...base,
        stage: st.key,
        stageResponsible: st.responsible,
        attendees: await people(s, [...new Set(input.attendees)]),
        independentReviewer: reviewer,
        decisions: input.decisions,
        actions: input.actions.map((a) => ({ text: a.text, owner: a.owner, due: a.due ?? null })),
      };
    }
    case 'transfer': {
      if (!input.dmrId || !input.dmrRevision)
        throw errors.validation('body.content.dmrId', {
          en: 'name the DMR and its revision',
          zh: '请指定 DMR 及其版本',
        });
      const d = await dmrs(s).findOne({ _id: input.dmrId });
      if (!d || !d.revisions.some((r) => r.revision === input.dmrRevision))
        throw DesignErrors.DESIGN_TRANSFER_DMR({ dmr: input.dmrId, revision: input.dmrRevision });
      const outputs = [...new Set(input.outputs)];
      await inProject(s, projectId, outputs, 'output');
      return {
        ...base,
        dmr: { id: d._id, revision: input.dmrRevision, partNumber: d.item.partNumber },
        outputs,
      };
    }
  }
}
