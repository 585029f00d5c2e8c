import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import { streamOf } from '../../records/registry.ts';
import { claim } from '../../records/ledgerOps.ts';
import { DESIGN_LINKS } from './collections.ts';
import { DesignErrors } from './errors.ts';
import { designLinkEvents } from './events.ts';
import type { DesignLinkDoc } from './link.record.ts';
import { elementsOf } from './resolve.ts';
import { closesCycle, downstreamLinks, LINKABLE } from './trace.ts';

// Creating trace links (checked against the project's graph before anything is written) and
// marking links suspect when an element upstream of them gets a new approved revision.
export const linksOf = (s: Services) => s.db.collection<DesignLinkDoc>(DESIGN_LINKS);

/** The project's links as the graph needs them (one query, by projectId). */
export const graphOf = (s: Services, projectId: string) =>
  linksOf(s)
    .find({ projectId }, { projection: { _id: 1, 'from.id': 1, 'to.id': 1, suspect: 1 } })
    .toArray()
    .then((ls) => ls.map((l) => ({ id: l._id, from: l.from.id, to: l.to.id, suspect: l.suspect ?? null })));

/** Links from → to in `projectId`: both ends in the project, kinds in order, no cycle, once. Runs as the user (asUser). */
export async function createLink(s: Services, projectId: string, from: string, to: string): Promise<string> {
  const ends = await elementsOf(s)
    .find({ _id: { $in: [from, to] } }, { projection: { projectId: 1, kind: 1, code: 1 } })
    .toArray();
  const end = (id: string) => {
    const e = ends.find((x) => x._id === id);
    if (!e || e.projectId !== projectId) throw DesignErrors.DESIGN_ELEMENT_NOT_IN_PROJECT({ id });
    return { id: e._id, kind: e.kind, code: e.code };
  };
  const a = end(from),
    b = end(to);
  if (!LINKABLE[a.kind].includes(b.kind)) throw DesignErrors.DESIGN_LINK_KINDS({ from: a.kind, to: b.kind });
  if (closesCycle(await graphOf(s, projectId), from, to)) throw DesignErrors.DESIGN_LINK_CYCLE();
  const id = randomUUID();
  await claim(s, `design-link:${from}.${to}`, { linkId: id }, `A link ${a.code} → ${b.code}`);
  const created = designLinkEvents.change('designLink.created', { projectId, from: a, to: b });
  await s.ledger.append(streamOf('designlink', id), created.type, created.data, { expectedVersion: 0 });
  return id;
}

/** A new approved revision of `element`: every link downstream of it is suspect until re-confirmed. */
export async function markDownstreamSuspect(
  s: Services,
  projectId: string,
  element: { id: string; code: string },
  revision: string,
): Promise<number> {
  const ids = downstreamLinks(await graphOf(s, projectId), element.id);
  for (const id of ids) {
    const e = designLinkEvents.change('designLink.suspected', { element, revision });
    await s.ledger.appendWithRetry(streamOf('designlink', id), e.type, e.data);
  }
  return ids.length;
}
