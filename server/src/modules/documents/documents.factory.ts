import { as, DEMO_PASSWORD, type Client } from '../../../test/harness.ts';
import { minimalPdf } from '../../../../seed/documents.ts';

// Test factories for documents: each step goes through HTTP like the client does.
export { DEMO_PASSWORD, minimalPdf };

export async function userIds(c: Client): Promise<Record<string, string>> {
  const r = await c.get('/api/v1/users');
  return Object.fromEntries((r.body as Array<{ id: string; username: string }>).map((u) => [u.username, u.id]));
}

export function newDocumentBody(ids: Record<string, string>, over: Record<string, unknown> = {}) {
  return {
    type: 'sop',
    title: { zh: '清洁验证规程', en: 'Cleaning validation procedure' },
    summary: { zh: '摘要', en: 'Summary' },
    department: 'QA',
    reviewers: [ids.reviewer, ids.reviewer2],
    approvers: [ids['qa.manager']],
    trainees: { roles: ['operator'], users: [] },
    reviewIntervalMonths: 12,
    ...over,
  };
}

export function fileForm(bytes: Buffer, name = 'procedure.pdf', type = 'application/pdf') {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
  return form;
}

export const upload = (c: Client, id: string, bytes: Buffer = minimalPdf(['Test procedure']), name?: string) =>
  c.request('POST', `/api/v1/documents/${id}/content`, fileForm(bytes, name));

export async function act(c: Client, id: string, action: string, extra: Record<string, unknown> = {}) {
  const d = await c.get(`/api/v1/documents/${id}`);
  return c.post(`/api/v1/documents/${id}/actions/${action}`, { version: d.body.version, ...extra });
}

export const sign = { password: DEMO_PASSWORD };

/** Logs in the usual cast of a document's life. */
export async function cast(url: string) {
  const [author, reviewer, reviewer2, qa, operator, operator2, supervisor] = await Promise.all(
    ['author', 'reviewer', 'reviewer2', 'qa.manager', 'operator', 'operator2', 'prod.supervisor'].map((u) =>
      as(url, u),
    ),
  );
  return { author, reviewer, reviewer2, qa, operator, operator2, supervisor, ids: await userIds(author) };
}
export type Cast = Awaited<ReturnType<typeof cast>>;

/** Creates a document as the author and takes it all the way to effective; returns its id. */
export async function effectiveDocument(k: Cast, over: Record<string, unknown> = {}): Promise<string> {
  const created = await k.author.post('/api/v1/documents', newDocumentBody(k.ids, over));
  if (created.status !== 201) throw new Error(`create: ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  await passRevision(k, id);
  return id;
}

/** Uploads, submits, has every named reviewer and approver sign the working revision. */
export async function passRevision(k: Cast, id: string) {
  const steps: Array<[Client, string, Record<string, unknown>]> = [];
  const d = (await k.author.get(`/api/v1/documents/${id}`)).body;
  const byId = new Map(Object.entries(k.ids).map(([u, i]) => [i, u]));
  const clientOf = (userId: string) =>
    (
      ({ reviewer: k.reviewer, reviewer2: k.reviewer2, 'qa.manager': k.qa, 'prod.supervisor': k.supervisor }) as Record<
        string,
        Client
      >
    )[byId.get(userId)!];
  expectOk(await upload(k.author, id), 'upload');
  expectOk(await act(k.author, id, 'submit'), 'submit');
  for (const r of d.reviewers) steps.push([clientOf(r.id), 'review', sign]);
  for (const a of d.approvers) steps.push([clientOf(a.id), 'approve', sign]);
  for (const [c, action, extra] of steps) expectOk(await act(c, id, action, extra), action);
}

function expectOk(r: { status: number; body: unknown }, what: string) {
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
}
