import { as, DEMO_PASSWORD, type Client } from '../../../test/harness.ts';
import { userIds } from '../documents/documents.factory.ts';

// Test factories for design controls: each step through HTTP as the client does it.
export const sign = { password: DEMO_PASSWORD };

export async function designCast(url: string) {
  const [author, qa, qaEng, reviewer, reviewer2] = await Promise.all(
    ['author', 'qa.manager', 'qa.engineer', 'reviewer', 'reviewer2'].map((u) => as(url, u)),
  );
  return { author, qa, qaEng, reviewer, reviewer2, ids: await userIds(author) };
}
export type DesignCast = Awaited<ReturnType<typeof designCast>>;

export function ok<T extends { status: number; body: unknown }>(r: T, status = 200): T {
  if (r.status !== status) throw new Error(`HTTP ${r.status}: ${JSON.stringify(r.body)}`);
  return r;
}

/** A finished device in the item master (as the QA engineer). */
export async function device(k: DesignCast, partNumber: string): Promise<string> {
  const r = await k.qaEng.post('/api/v1/items', {
    partNumber,
    name: { zh: '输液泵', en: 'Infusion pump' },
    type: 'finished',
    unit: 'pcs',
    control: 'serial',
    gtin: null,
  });
  return ok(r, 201).body.id;
}

export const plan = (k: DesignCast) => [
  { key: 'concept', name: { zh: '概念', en: 'Concept' }, responsible: k.ids['qa.engineer'], reviewPlanned: true },
  { key: 'detail', name: { zh: '详细设计', en: 'Detailed design' }, responsible: k.ids.author, reviewPlanned: true },
];

export async function projectAct(c: Client, id: string, action: string, extra: Record<string, unknown> = {}) {
  const p = await c.get(`/api/v1/design-projects/${id}`);
  return c.post(`/api/v1/design-projects/${id}/actions/${action}`, { version: p.body.version, ...extra });
}

/** A design project with its plan approved by QA. */
export async function approvedProject(k: DesignCast, itemId: string): Promise<string> {
  const p = ok(
    await k.author.post('/api/v1/design-projects', { title: { zh: '输液泵设计', en: 'Infusion pump design' }, itemId }),
    201,
  ).body;
  ok(await projectAct(k.author, p.id, 'edit_plan', { stages: plan(k) }));
  ok(await projectAct(k.qa, p.id, 'approve_plan', sign));
  return p.id;
}

export const content = (en: string, extra: Record<string, unknown> = {}) => ({
  title: { zh: `设计要素 ${en}`, en },
  ...extra,
});

export async function element(
  k: DesignCast,
  projectId: string,
  kind: string,
  code: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const r = await k.author.post(`/api/v1/design-projects/${projectId}/elements`, {
    kind,
    code,
    content: content(code, extra),
  });
  return ok(r, 201).body.id;
}

export async function act(c: Client, id: string, action: string, extra: Record<string, unknown> = {}) {
  const e = await c.get(`/api/v1/design-elements/${id}`);
  return c.post(`/api/v1/design-elements/${id}/actions/${action}`, { version: e.body.version, ...extra });
}
export const approve = async (k: DesignCast, id: string) => ok(await act(k.qa, id, 'approve', sign)).body;

export const link = (k: DesignCast, projectId: string, from: string, to: string) =>
  k.author.post(`/api/v1/design-projects/${projectId}/links`, { from, to });
export const linkId = async (k: DesignCast, projectId: string, from: string, to: string) =>
  ok(await link(k, projectId, from, to), 201).body.id as string;
