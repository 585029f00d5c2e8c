import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import { errors } from '../../platform/errors.ts';
import { streamOf } from '../../records/registry.ts';
import { asUser, runCommand } from '../../records/command.ts';
import { claim } from '../../records/ledgerOps.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { items } from '../items/service.ts';
import { dmrs } from '../dmr/service.ts';
import { designElementEvents, designProjectEvents, type ElementKind } from './events.ts';
import type { DesignElementDoc } from './element.record.ts';
import { approvedOf, latestOf } from './elementRevisions.ts';
import type { DesignProjectDoc } from './project.record.ts';
import { elementsOf, getProject, projectsOf, resolveContent } from './resolve.ts';
import { createLink, linksOf } from './links.ts';
import { gapCheck, traceMatrix, type TraceElement, type TraceMatrix } from './trace.ts';
import { projectGraph } from './traceIndex.ts';
import type { ActionInput, ElementContentInput } from './schema.ts';

// Design projects, their elements and links: creation here (version 1 of each stream, written
// as the user), every later action through the one command path (the lifecycles declare them).
export { getProject };

export async function listProjects(s: Services): Promise<DesignProjectDoc[]> {
  return projectsOf(s).find({}).sort({ createdAt: -1 }).limit(500).toArray();
}

export async function createProject(
  s: Services,
  user: SessionUser,
  input: { title: { zh: string; en: string }; itemId: string; dmrId?: string },
): Promise<DesignProjectDoc> {
  const it = await items(s).findOne({ _id: input.itemId });
  if (!it) throw errors.validation('body.itemId', { en: `no item "${input.itemId}"`, zh: `没有物料"${input.itemId}"` });
  if (input.dmrId) {
    const d = await dmrs(s).findOne({ _id: input.dmrId });
    if (!d || d.itemId !== it._id)
      throw errors.validation('body.dmrId', {
        en: `no DMR "${input.dmrId}" for ${it.partNumber}`,
        zh: `${it.partNumber} 没有 DMR"${input.dmrId}"`,
      });
  }
  const id = randomUUID();
  const created = designProjectEvents.change('designProject.created', {
    title: input.title,
    item: { id: it._id, partNumber: it.partNumber, name: it.name },
    dmrId: input.dmrId ?? null,
    author: { id: user.id, name: user.fullName },
  });
  await asUser(user, () =>
    s.ledger.append(streamOf('designproject', id), created.type, created.data, { expectedVersion: 0 }),
  );
  return getProject(s, id);
}

export async function projectAction(s: Services, user: SessionUser, id: string, action: string, input: ActionInput) {
  await getProject(s, id);
  await runCommand(s, user, streamOf('designproject', id), action, input);
  return getProject(s, id);
}

export async function getElement(s: Services, id: string): Promise<DesignElementDoc> {
  const e = await elementsOf(s).findOne({ _id: id });
  if (!e) throw errors.notFound('design element');
  return e;
}

export async function listElements(s: Services, projectId: string): Promise<DesignElementDoc[]> {
  return elementsOf(s).find({ projectId }).sort({ code: 1 }).limit(10_000).toArray();
}

/** A new element in the project: content resolved, code claimed once per project, then version 1. */
export async function createElement(
  s: Services,
  user: SessionUser,
  projectId: string,
  input: { kind: ElementKind; code: string; content: ElementContentInput },
): Promise<DesignElementDoc> {
  await getProject(s, projectId);
  const content = await resolveContent(s, projectId, input.kind, input.content);
  const id = randomUUID();
  await asUser(user, async () => {
    await claim(s, `design-code:${projectId}.${input.code}`, { elementId: id }, `Element ${input.code}`);
    const created = designElementEvents.change('designElement.created', {
      projectId,
      kind: input.kind,
      code: input.code,
      content,
      author: { id: user.id, name: user.fullName },
    });
    await s.ledger.append(streamOf('designelement', id), created.type, created.data, { expectedVersion: 0 });
  });
  return getElement(s, id);
}

export async function elementAction(s: Services, user: SessionUser, id: string, action: string, input: ActionInput) {
  await getElement(s, id);
  await runCommand(s, user, streamOf('designelement', id), action, input);
  return getElement(s, id);
}

export async function addLink(s: Services, user: SessionUser, projectId: string, from: string, to: string) {
  await getProject(s, projectId);
  const id = await asUser(user, () => createLink(s, projectId, from, to));
  return getLink(s, projectId, id);
}

export async function getLink(s: Services, projectId: string, id: string) {
  const l = await linksOf(s).findOne({ _id: id, projectId });
  if (!l) throw errors.notFound('design link');
  return l;
}

export async function listLinks(s: Services, projectId: string) {
  return linksOf(s).find({ projectId }).limit(50_000).toArray();
}

/** Re-confirms a suspect link by signature (link.lifecycle.ts), through the one command path. */
export async function confirmLink(
  s: Services,
  user: SessionUser,
  projectId: string,
  id: string,
  input: { password: string; totp?: string; version?: number; reason?: string },
) {
  await getLink(s, projectId, id);
  await runCommand(s, user, streamOf('designlink', id), 'confirm', input);
  return getLink(s, projectId, id);
}

/** The project's elements as the trace needs them: one query, by projectId, only the fields used. */
export async function traceElements(s: Services, projectId: string): Promise<TraceElement[]> {
  const docs = await elementsOf(s)
    .find({ projectId }, { projection: { kind: 1, code: 1, current: 1, state: 1, approved: 1, revisions: 1 } })
    .toArray();
  return docs.map((d) => {
    const shown = latestOf(d).content;
    const ok = approvedOf(d)?.content;
    return {
      id: d._id,
      kind: d.kind,
      code: d.code,
      title: shown.title,
      state: d.state,
      current: d.current,
      result: ok?.result ?? null,
      rerunOf: ok?.rerunOf ?? shown.rerunOf ?? null,
    };
  });
}

export async function projectTrace(s: Services, projectId: string) {
  await getProject(s, projectId);
  return projectGraph(s, projectId);
}

// The project's slice of the index is the same array until something changes (traceIndex.ts),
// so the matrix is computed once per change, not once per request.
const matrices = new WeakMap<object, { links: object; matrix: TraceMatrix }>();

export async function matrixOf(s: Services, projectId: string): Promise<TraceMatrix> {
  const { elements, links } = await projectTrace(s, projectId);
  const hit = matrices.get(elements);
  if (hit && hit.links === links) return hit.matrix;
  const matrix = traceMatrix(elements, links);
  matrices.set(elements, { links, matrix });
  return matrix;
}

export async function gapsOf(s: Services, projectId: string) {
  const { elements, links } = await projectTrace(s, projectId);
  return gapCheck(elements, links);
}
