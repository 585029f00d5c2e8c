import type { Services } from '../../platform/services.ts';
import { ProjectionIndex } from '../../records/memoryIndex.ts';
import { designElementRecord } from './element.record.ts';
import { designLinkRecord, type DesignLinkDoc } from './link.record.ts';
import type { DesignElementDoc } from './element.record.ts';
import { approvedOf, latestOf } from './elementRevisions.ts';
import type { TraceElement, TraceLink } from './trace.ts';

// The trace graph held in process (records/memoryIndex.ts): the embedded engine decodes every
// document of a find, which took ~1 s for 1,000 elements and links (bench/designTraceMatrix),
// so the matrix and the gap check read these summaries, kept current after every append, and
// each project's slice is computed once per change.
type Summary<T> = T & { projectId: string };

const summarizeElement = (d: DesignElementDoc): Summary<TraceElement> => {
  const shown = latestOf(d).content;
  const ok = approvedOf(d)?.content;
  return {
    projectId: d.projectId,
    id: d._id,
    kind: d.kind,
    code: d.code,
    title: shown.title,
    state: d.state,
    current: d.current,
    result: ok?.result ?? null,
    rerunOf: ok?.rerunOf ?? shown.rerunOf ?? null,
  };
};
const summarizeLink = (l: DesignLinkDoc): Summary<TraceLink> => ({
  projectId: l.projectId,
  id: l._id,
  from: l.from.id,
  to: l.to.id,
  suspect: l.suspect ? { element: l.suspect.element, revision: l.suspect.revision } : null,
});

interface Indexes {
  elements: ProjectionIndex<Summary<TraceElement>>;
  links: ProjectionIndex<Summary<TraceLink>>;
}
const indexes = new WeakMap<Services, Promise<Indexes>>();

function traceIndexes(s: Services): Promise<Indexes> {
  let ready = indexes.get(s);
  if (!ready) {
    const elements = new ProjectionIndex(s, designElementRecord, (d) => summarizeElement(d as DesignElementDoc));
    const links = new ProjectionIndex(s, designLinkRecord, (d) => summarizeLink(d as DesignLinkDoc));
    ready = Promise.all([elements.refreshAll(), links.refreshAll()]).then(() => ({ elements, links }));
    ready.catch(() => indexes.delete(s));
    indexes.set(s, ready);
  }
  // level with other servers' writes before every read: one _id lookup per index when nothing changed
  return ready.then((i) => Promise.all([i.elements.catchUp(), i.links.catchUp()]).then(() => i));
}

/** A project's elements and links as the trace needs them, from the in-process index. */
export async function projectGraph(s: Services, projectId: string) {
  const { elements, links } = await traceIndexes(s);
  return {
    elements: elements.memo(`project:${projectId}`, (rows) => rows.filter((r) => r.projectId === projectId)),
    links: links.memo(`project:${projectId}`, (rows) => rows.filter((r) => r.projectId === projectId)),
  };
}
