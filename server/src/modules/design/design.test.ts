import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { createUser } from '../../identity/userService.ts';
import { requestContext, SYSTEM_ACTOR } from '../../platform/context.ts';
import { DEMO_USERS } from '../../../../seed/demo-users.ts';
import {
  act,
  approve,
  approvedProject,
  designCast,
  device,
  element,
  link,
  linkId,
  ok,
  sign,
  type DesignCast,
} from './design.factory.ts';

// The live trace matrix, its gaps in both directions (ISO 13485:2016 7.3.3–7.3.7: every need
// has inputs, every input outputs and a passing verification, every output an input it meets, a
// failed verification a passing re-run), suspect links after a revision (7.3.9) and the links
// the trace graph refuses.
let srv: TestServer;
let k: DesignCast;
let p1 = '';
let p2 = '';
const refused = async (f: () => Promise<{ status: number; body: any }>, status: number, code: string, users = 0) => {
  const mark = await markLedger(srv.services);
  const r = await f();
  expect([r.status, r.body?.error?.code]).toEqual([status, code]);
  await expectNothingWritten(srv.services, mark, { allowUserEvents: users });
};
const gaps = async (id: string) =>
  ok(await k.author.get(`/api/v1/design-projects/${id}/gaps`)).body.map(
    (g: { kind: string; element: { code: string } }) => `${g.kind} ${g.element.code}`,
  );

beforeAll(async () => {
  srv = await startTestServer({ seed: false });
  await requestContext.run({ requestId: 'test', locale: 'en-US', actor: SYSTEM_ACTOR }, async () => {
    for (const u of DEMO_USERS) await createUser(srv.services, { ...u, password: sign.password, temporary: false });
  });
  k = await designCast(srv.url);
  const item = await device(k, 'FG-PUMP-D2');
  p1 = await approvedProject(k, item);
  p2 = await approvedProject(k, item);
});
afterAll(async () => {
  await srv?.stop();
});

describe('gap check', () => {
  it('finds each kind of gap, and each vanishes when the trace is completed', async () => {
    const need = await element(k, p1, 'need', 'UN-01');
    const input = await element(k, p1, 'input', 'DI-01');
    const output = await element(k, p1, 'output', 'DO-01');
    const failed = await element(k, p1, 'verification', 'VER-01', {
      protocol: 'TP-01',
      result: 'fail',
      evidence: 'sha256:aa',
    });
    await approve(k, failed);
    expect(await gaps(p1)).toEqual([
      'input_not_traced DI-01',
      'input_without_output DI-01',
      'input_without_passing_verification DI-01',
      'output_not_traced DO-01',
      'need_without_input UN-01',
      'verification_failed_no_rerun VER-01',
    ]);
    await linkId(k, p1, need, input);
    await linkId(k, p1, input, output);
    await linkId(k, p1, output, failed);
    expect(await gaps(p1)).toEqual(['input_without_passing_verification DI-01', 'verification_failed_no_rerun VER-01']);
    const rerun = await element(k, p1, 'verification', 'VER-02', {
      protocol: 'TP-01',
      result: 'pass',
      rerunOf: failed,
    });
    await linkId(k, p1, output, rerun);
    expect(await gaps(p1)).toHaveLength(2); // a draft re-run is not yet a passing verification
    await approve(k, rerun);
    expect(await gaps(p1)).toEqual([]);
    const m = ok(await k.author.get(`/api/v1/design-projects/${p1}/trace-matrix`)).body;
    expect(
      m.rows.map(([need, input, output, verification]: Array<number | null>) => [
        m.elements[need!]?.code,
        m.elements[input!]?.code,
        m.elements[output!]?.code,
        m.elements[verification!]?.code,
        m.elements[verification!]?.result,
      ]),
    ).toEqual([
      ['UN-01', 'DI-01', 'DO-01', 'VER-01', 'fail'],
      ['UN-01', 'DI-01', 'DO-01', 'VER-02', 'pass'],
    ]);
  });
});

describe('suspect links', () => {
  it('revising an input marks every link downstream of it suspect; a signed re-confirmation clears each', async () => {
    const need = await element(k, p2, 'need', 'UN-10');
    const input = await element(k, p2, 'input', 'DI-10');
    const output = await element(k, p2, 'output', 'DO-10');
    const ver = await element(k, p2, 'verification', 'VER-10', { protocol: 'TP-10', result: 'pass' });
    for (const id of [need, input, output, ver]) await approve(k, id);
    const up = await linkId(k, p2, need, input);
    const io = await linkId(k, p2, input, output);
    const ov = await linkId(k, p2, output, ver);
    ok(await act(k.author, input, 'revise'));
    ok(await act(k.author, input, 'edit', { content: { title: { zh: '流速 1–999 mL/h', en: 'Flow 1–999 mL/h' } } }));
    await approve(k, input);
    const links = ok(await k.author.get(`/api/v1/design-projects/${p2}/links`)).body;
    const suspect = (id: string) => links.find((l: any) => l.id === id).suspect;
    expect(suspect(up)).toBeNull(); // upstream of the change
    expect(suspect(io)).toMatchObject({ element: { code: 'DI-10' }, revision: 'B' });
    expect(suspect(ov)).toMatchObject({ element: { code: 'DI-10' }, revision: 'B' });
    const m = ok(await k.author.get(`/api/v1/design-projects/${p2}/trace-matrix`)).body;
    expect(m.suspect).toBe(2);
    // the compact matrix: each element and link once; a row names its cells and the links between them by position
    const ids = (mx: any) =>
      mx.rows.map((r: Array<number | null>) =>
        r.map((x, j) => (x === null ? null : j < 4 ? mx.elements[x].id : mx.links[x].id)),
      );
    const elementOf = (mx: any, id: string) => mx.elements.find((e: any) => e.id === id);
    const linkOf = (mx: any, id: string) => {
      const l = mx.links.find((x: any) => x.id === id);
      return { ...l, from: mx.elements[l.from].id, to: mx.elements[l.to].id };
    };
    expect(ids(m)).toEqual([[need, input, output, ver, up, io, ov]]);
    expect(m.elements).toHaveLength(4);
    expect(m.links).toHaveLength(3);
    expect(elementOf(m, input)).toEqual({
      id: input,
      kind: 'input',
      code: 'DI-10',
      title: { zh: '流速 1–999 mL/h', en: 'Flow 1–999 mL/h' },
      state: 'approved',
      revision: 'B',
      result: null,
    });
    expect(linkOf(m, up)).toEqual({ id: up, from: need, to: input, suspect: false });
    expect(linkOf(m, io)).toEqual({ id: io, from: input, to: output, suspect: true });
    expect(linkOf(m, ov)).toEqual({ id: ov, from: output, to: ver, suspect: true });
    expect(await gaps(p2)).toEqual(['suspect_link DI-10', 'suspect_link DO-10']);

    const confirm = (c: DesignCast['qa'], id: string, body: Record<string, unknown> = sign) =>
      c.post(`/api/v1/design-projects/${p2}/links/${id}/confirm`, body);
    expect(links.find((l: any) => l.id === io).actions.map((a: any) => a.action)).toEqual([]); // the author may not
    await refused(() => confirm(k.author, io), 403, 'FORBIDDEN');
    await refused(() => confirm(k.qa, io, { password: 'wrong-password' }), 401, 'INVALID_CREDENTIALS', 1);
    expect(ok(await confirm(k.qa, io)).body).toMatchObject({
      suspect: null,
      confirmed: { by: { id: k.ids['qa.manager'] } },
    });
    ok(await confirm(k.qa, ov));
    await refused(() => confirm(k.qa, ov), 409, 'DESIGN_LINK_NOT_SUSPECT');
    expect(await gaps(p2)).toEqual([]);
    expect(ok(await k.author.get(`/api/v1/design-projects/${p2}/trace-matrix`)).body.suspect).toBe(0);
    // a need's validations are sent once, beside the rows, however many rows the need has (7.3.7)
    const val = await element(k, p2, 'validation', 'VAL-10', { protocol: 'VP-10', result: 'pass' });
    const nv = await linkId(k, p2, need, val);
    const after = ok(await k.author.get(`/api/v1/design-projects/${p2}/trace-matrix`)).body;
    expect(ids(after)).toEqual([[need, input, output, ver, up, io, ov]]);
    expect(
      after.validations.map(([n, v, l]: number[]) => [after.elements[n].id, after.elements[v].id, after.links[l].id]),
    ).toEqual([[need, val, nv]]);
    expect(elementOf(after, val)).toMatchObject({ kind: 'validation', code: 'VAL-10', state: 'draft' });
    expect(linkOf(after, io)).toEqual({ id: io, from: input, to: output, suspect: false });
  });
});

describe('links the trace graph refuses (4xx, nothing written)', () => {
  it('refuses a non-existent element, a cross-project link, the wrong kinds, a cycle, a duplicate and an injected operator', async () => {
    const need = await element(k, p1, 'need', 'UN-20');
    const a = await element(k, p1, 'input', 'DI-20');
    const b = await element(k, p1, 'input', 'DI-21');
    const c = await element(k, p1, 'input', 'DI-22');
    const ver = await element(k, p1, 'verification', 'VER-20', { protocol: 'TP-20' });
    const other = await element(k, p2, 'output', 'DO-X');
    await refused(() => link(k, p1, a, 'no-such-element'), 422, 'DESIGN_ELEMENT_NOT_IN_PROJECT');
    await refused(() => link(k, p1, a, other), 422, 'DESIGN_ELEMENT_NOT_IN_PROJECT');
    await refused(() => link(k, p1, need, ver), 422, 'DESIGN_LINK_KINDS');
    await refused(() => link(k, p1, ver, a), 422, 'DESIGN_LINK_KINDS');
    await linkId(k, p1, a, b);
    await linkId(k, p1, b, c);
    await refused(() => link(k, p1, c, a), 422, 'DESIGN_LINK_CYCLE');
    await refused(() => link(k, p1, a, a), 422, 'DESIGN_LINK_CYCLE');
    await refused(() => link(k, p1, a, b), 409, 'DUPLICATE');
    const injected = await k.author.post(`/api/v1/design-projects/${p1}/links`, { from: { $ne: null }, to: b });
    expect(injected.status).toBeGreaterThanOrEqual(400);
    expect(injected.status).toBeLessThan(500);
    await refused(
      () => k.author.post(`/api/v1/design-projects/${p1}/links`, { from: { $ne: null }, to: b }),
      injected.status,
      injected.body.error.code,
    );
    await refused(() => link(k, 'no-such-project', a, b), 404, 'NOT_FOUND');
  });

  it('refuses a design transfer to a DMR revision that does not exist', async () => {
    const out = await element(k, p1, 'output', 'DO-30');
    await refused(
      () =>
        k.author.post(`/api/v1/design-projects/${p1}/elements`, {
          kind: 'transfer',
          code: 'DT-01',
          content: { title: { zh: '转换', en: 'Transfer' }, dmrId: 'no-such-dmr', dmrRevision: 'A', outputs: [out] },
        }),
      422,
      'DESIGN_TRANSFER_DMR',
    );
  });
});
