import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportedPdfText } from '../../../test/pdfExport.ts';
import { readXlsx } from '../../exports/xlsx/pyReader.ts';
import { as, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';

// The demo company's design project and change request (seed/design.ts, issue 12 item 6), read
// through HTTP as a user sees them: the counts of each element kind, the two design reviews
// signed by their independent reviewers (ISO 13485:2016 7.3.5), the failed verification and its
// passing re-run (7.3.6), the one suspect link left after IN-03's revision (7.3.9), exactly the
// gaps the demo intends, and the change naming the leak-test WI and the infusion-set DMR with
// the work order on the floor decided "finish on the old revision" (7.3.9: products in process).
let t: TestServer;
let qa: Client;

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  qa = await as(t.url, 'qa.manager');
}, 240_000);
afterAll(async () => {
  await t?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});
let dir = '';

describe('the seeded design project and change', () => {
  it('holds the pump project with its elements, reviews, one suspect link and the intended gaps', async () => {
    const projects = (await qa.get('/api/v1/design-projects')).body as any[];
    expect(projects).toHaveLength(1);
    const p = projects[0];
    expect(p.title.en).toContain('infusion pump');
    const items = (await qa.get('/api/v1/items')).body as any[];
    expect(p.item.partNumber).toBe('FG-PMP-1');
    expect(items.some((i) => i.partNumber === 'FG-PMP-1')).toBe(true);

    const els = (await qa.get(`/api/v1/design-projects/${p.id}/elements`)).body as any[];
    const count = (kind: string) => els.filter((e) => e.kind === kind).length;
    expect([
      count('need'),
      count('input'),
      count('output'),
      count('verification'),
      count('validation'),
      count('review'),
      count('transfer'),
    ]).toEqual([10, 20, 11, 12, 3, 2, 1]);
    // everything approved except the EMC test still planned
    expect(els.filter((e) => e.state !== 'approved').map((e) => e.code)).toEqual(['VER-11']);
    const byCode = new Map(els.map((e) => [e.code, e]));
    const latest = (code: string) => {
      const e = byCode.get(code)!;
      return e.revisions[e.revisions.length - 1];
    };
    expect(latest('VER-05').content.result).toBe('fail');
    expect(latest('VER-05R').content).toMatchObject({ result: 'pass', rerunOf: byCode.get('VER-05').id });
    expect(byCode.get('IN-03').current).toBe('B');
    // each review signed by its independent reviewer, not the person responsible for the stage
    for (const code of ['DR-01', 'DR-02']) {
      const c = latest(code).content;
      expect(c.independentReviewer.id).not.toBe(c.stageResponsible.id);
    }

    const links = (await qa.get(`/api/v1/design-projects/${p.id}/links`)).body as any[];
    const suspect = links.filter((l) => l.suspect);
    expect(suspect.map((l) => `${l.from.code}→${l.to.code}`)).toEqual(['OUT-02→VER-02']);

    const gaps = ((await qa.get(`/api/v1/design-projects/${p.id}/gaps`)).body as any[])
      .map((g) => `${g.kind} ${g.element.code}`)
      .sort();
    expect(gaps).toEqual(['input_without_passing_verification IN-20', 'suspect_link OUT-02']);
    const m = (await qa.get(`/api/v1/design-projects/${p.id}/trace-matrix`)).body;
    expect(m.suspect).toBe(1);
  });

  it('holds the change that revises the leak-test WI and the infusion-set DMR, its work order decided', async () => {
    const list = (await qa.get('/api/v1/changes')).body as any[];
    expect(list).toHaveLength(1);
    const c = (await qa.get(`/api/v1/changes/${list[0].id}`)).body;
    expect(c.state).toBe('approved');
    expect(c.items.map((i: any) => [i.kind, i.revision])).toEqual([
      ['document', 'C'],
      ['dmr', 'B'],
    ]);
    expect(c.items[0].title.en).toBe('Infusion Set Leak Test Work Instruction');
    expect(c.items[1].number).toBe('DMR FG-IFS-20');
    const decided = c.workOrders.filter((w: any) => w.decision);
    expect(decided).toHaveLength(1);
    expect([decided[0].state, decided[0].revision, decided[0].decision.decision]).toEqual([
      'in_progress',
      'A',
      'finish_old',
    ]);
    // the other orders on revision A still wait for their decision: implementation is not offered yet
    expect(c.workOrders.length).toBeGreaterThan(1);
    expect(c.actions.map((a: any) => a.action)).not.toContain('implement');
    // neither revision is effective alone: the WI stays at B, the DMR at A
    const wi = (await qa.get(`/api/v1/documents/${c.items[0].id}`)).body;
    const dmr = (await qa.get(`/api/v1/dmrs/${c.items[1].id}`)).body;
    expect([wi.effective, dmr.state, dmr.revision]).toEqual(['B', 'effective', 'A']);
  });

  it('exports the DHF index and the trace matrix as sealed PDFs and the matrix as a workbook; 403 without design.read', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'provenant-design-export-'));
    const id = ((await qa.get('/api/v1/design-projects')).body as any[])[0].id;
    const dhf = await exportedPdfText(t, qa, { kind: 'design-dhf', id, locale: 'en-US' }, dir);
    for (const s of ['Design history file index', 'UN-01', 'IN-20', 'VER-05R', 'DR-02', 'TR-01', 'suspect_link'])
      expect(dhf).toContain(s);
    const trace = await exportedPdfText(t, qa, { kind: 'design-trace', id, locale: 'zh-CN' }, dir);
    for (const s of ['追溯矩阵', 'UN-03', 'IN-03 B', 'VER-02', '可疑']) expect(trace).toContain(s);
    const x = await qa.bytes(`/api/v1/lists/design-trace/export.xlsx?project=${id}`);
    expect(x.status).toBe(200);
    const sheet = JSON.stringify(await readXlsx(x.body));
    expect(sheet).toContain('IN-03 B');
    const op = await as(t.url, 'operator');
    expect((await op.post('/api/v1/exports', { kind: 'design-dhf', id, locale: 'en-US' })).status).toBe(403);
    expect((await qa.post('/api/v1/exports', { kind: 'design-trace', id: 'no-such', locale: 'en-US' })).status).toBe(
      404,
    );
  }, 240_000);
});
