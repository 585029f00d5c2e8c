import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { as, dbUri, startTestServer, TEST_ENV, type Client, type TestServer } from '../../test/harness.ts';
import { flat } from '../../test/pdfExport.ts';
import { expectNothingWritten, markLedger } from '../../test/refusals.ts';
import { provenant } from '../../test/cli.ts';
import { buildManifest, checkManifest, ROOT } from './manifest.ts';
import { REQUIREMENTS } from './requirements.ts';
import { PQ_PROTOCOLS } from './pq.ts';
import { VALIDATION_BUCKET } from './routes.ts';

// `provenant validate` through the real CLI against a test server's database and data directory,
// with a fixture test report and a manifest of the installation in which one file's hash was
// altered (as if the file had been changed after the build): ISO 13485 4.1.6, 21 CFR 11.10(a).
const work = mkdtempSync(path.join(tmpdir(), 'provenant-validate-'));
const out = path.join(work, 'package.pdf');
const manifestPath = path.join(work, 'manifest.json');
const reportPath = path.join(work, 'test-api.json');
const TAMPERED = 'templates/audit-trail.hbs';
let server: TestServer;
let run: { code: number | null; out: string };

// The fixture report: 11.10(a) has a passing test, 11.70's only test failed, 11.10(j) has none listed.
const fixtureReport = {
  startTime: Date.parse('2026-11-30T10:00:00Z'),
  success: false,
  numTotalTests: 2,
  numPassedTests: 1,
  numFailedTests: 1,
  testResults: [
    {
      name: path.join(ROOT, 'server/src/ledger/ledger.test.ts'),
      assertionResults: [
        { fullName: 'ledger names an edited event (content changed, hash left alone)', status: 'passed' },
      ],
    },
    {
      name: path.join(ROOT, 'signatures/esign/signatures.test.ts'),
      assertionResults: [
        { fullName: 'electronic signatures cannot be cut and pasted onto another record', status: 'failed' },
      ],
    },
  ],
};

beforeAll(async () => {
  server = await startTestServer({ seed: true });
  writeFileSync(reportPath, JSON.stringify(fixtureReport));
  const m = buildManifest(ROOT, null);
  expect(m.files[TAMPERED]).toMatch(/^[0-9a-f]{64}$/);
  m.files[TAMPERED] = createHash('sha256').update('the file as it was built').digest('hex');
  m.files['server/src/validation/removed-after-build.ts'] = '0'.repeat(64);
  writeFileSync(manifestPath, JSON.stringify(m));
  run = provenant(['validate', '--out', out, '--report', reportPath, '--manifest', manifestPath], {
    ...TEST_ENV(),
    DATA_DIR: server.dataDir,
    MONGODB_URI: dbUri(server.services),
  });
}, 180_000);
afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('provenant validate', () => {
  it('IQ lists the product, Node and engine versions and the config checks', () => {
    expect(run.code, run.out).toBe(0);
    expect(run.out).toMatch(/wrote .*package\.pdf: \d+ pages, SHA-256 [0-9a-f]{64}, on the ledger as export:/);
    // NODE_ENV=test and no PROVENANT_SECRET in the test environment: both are findings
    expect(run.out).toContain('IQ: FINDINGS');
    expect(run.out).toContain('FINDING PROVENANT_SECRET set');
    expect(run.out).toContain('FINDING NODE_ENV');
    expect(run.out).not.toContain('FINDING PKI');
    expect(run.out).not.toContain('FINDING ledger seal key');
    expect(run.out).toContain('OQ: not run by this command');
    expect(run.out).toMatch(
      /^IQ: Provenant \d+\.\d+\.\d+ .*Node v\d+\.\d+\.\d+; engine ferretdb: FerretDB v\d+\.\d+\.\d+ \(MongoDB-compatible \d+/m,
    );
  });

  it('names a tampered file as changed and a file gone since the build as missing', () => {
    expect(run.out).toContain(`FILE changed ${TAMPERED}`);
    expect(run.out).toContain('FILE missing server/src/validation/removed-after-build.ts');
    expect(run.out).toContain('FINDING shipped files match the manifest');
  });

  it('also names a byte changed in a file of an installation, an extra file, and no manifest as a finding', () => {
    const root = path.join(work, 'install');
    mkdirSync(path.join(root, 'server'), { recursive: true });
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'provenant', version: '9.9.9' }));
    writeFileSync(path.join(root, 'server', 'a.ts'), 'export const a = 1;\n');
    const mp = path.join(root, 'manifest.json');
    writeFileSync(mp, JSON.stringify(buildManifest(root)));
    expect(checkManifest(root, mp)).toMatchObject({ ok: true, checked: 2, findings: [] });
    writeFileSync(path.join(root, 'server', 'a.ts'), 'export const a = 2;\n');
    writeFileSync(path.join(root, 'server', 'b.ts'), '\n');
    expect(checkManifest(root, mp).findings).toEqual([
      { file: 'server/a.ts', status: 'changed' },
      { file: 'server/b.ts', status: 'extra' },
    ]);
    const none = checkManifest(root, path.join(root, 'nope.json'));
    expect(none.ok).toBe(false);
    expect('error' in none && none.error).toMatch(/no manifest at .*npm run build/);
  });

  it('lists a requirement without a passing test as a gap, and one with a passing test as covered', () => {
    expect(run.out).toMatch(new RegExp(`matrix: ${REQUIREMENTS.length} requirements, \\d+ gap\\(s\\)`));
    expect(run.out).toContain('GAP 21 CFR Part 11 11.70: 1 test(s) failed');
    expect(run.out).toContain('GAP 21 CFR Part 11 11.10(j): no automated test covers this requirement');
    expect(run.out).toMatch(/GAP 21 CFR Part 11 11\.300: none of its tests passed/);
    expect(run.out).not.toContain('GAP 21 CFR Part 11 11.10(a)');
  });

  it('seals the package: pdfsig verifies it, and its SHA-256 is on the ledger as an export', async () => {
    const pdf = readFileSync(out);
    const sig = spawnSync('pdfsig', [out], { encoding: 'utf8' });
    expect(sig.stdout).toContain('Signature is Valid');
    const sha = createHash('sha256').update(pdf).digest('hex');
    expect(run.out).toContain(`SHA-256 ${sha}`);
    const stream = /on the ledger as (export:[0-9a-f-]+)/.exec(run.out)![1];
    // the CLI appended it: read from the database, not from this server's cached heads
    const events = await server.services.ledger.read(stream, 1, { fresh: true });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'export.generated', data: { kind: 'validation', sha256: sha } });
  });

  it('carries the PQ protocol templates: each protocol, its steps and expected results, with signature blocks', () => {
    // content-stream order: a table cell's wrapped lines stay together (layout mode interleaves columns)
    const text = spawnSync('pdftotext', ['-raw', out, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
    expect(text).toContain('Performance qualification (PQ) protocols');
    for (const p of PQ_PROTOCOLS) expect(text).toContain(`${p.id} ${p.title.en}`);
    expect(text).toContain('Expected result');
    expect(text).toContain('Actual result');
    expect(text).toContain('Executed by (name, signature)');
    expect(text).toContain('Reviewed by (name, signature)');
    expect(text).toContain('The restore is refused with a clear message and nothing is written.');
  });

  it('refuses a missing --out and a bad locale as usage errors', () => {
    const env = { ...TEST_ENV(), DATA_DIR: server.dataDir, MONGODB_URI: dbUri(server.services) };
    expect(provenant(['validate'], env)).toMatchObject({ code: 2 });
    expect(provenant(['validate', '--out', out, '--locale', 'fr-FR'], env).out).toContain('--locale is zh-CN or en-US');
  });
});

// The admin page's endpoint: the same package without the OQ run (ISO 13485:2016 4.1.6, 21 CFR
// 11.10(a)), for the administrator and QA (validation.run); anyone else is refused, nothing written.
describe('validation package from the admin page', () => {
  let admin: Client;
  let op: Client;
  beforeAll(async () => {
    [admin, op] = await Promise.all(['admin', 'operator'].map((u) => as(server.url, u)));
  });

  it('gives the administrator the summary and a sealed PDF with the IQ section and the matrix, listed afterwards', async () => {
    const r = await admin.post('/api/v1/validation/packages', { locale: 'en-US' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const b = r.body;
    expect(b.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.stream).toBe(`export:${b.id}`);
    expect(b.oq).toBeNull();
    // NODE_ENV=test in the test environment: a finding, named as the CLI names it
    expect(b.iq.checks).toContainEqual(expect.objectContaining({ name: 'NODE_ENV', ok: false }));
    expect(b.iq.checks).toContainEqual(expect.objectContaining({ name: 'PKI private key present', ok: true }));
    expect(b.iq.ok).toBe(false);
    expect(b.matrix.requirements).toBe(REQUIREMENTS.length);
    expect(b.matrix.covered + b.matrix.gaps).toBe(REQUIREMENTS.length);
    expect(b.matrix.gapList).toHaveLength(b.matrix.gaps);
    // 11.10(j) has no automated test in the requirements: a gap whatever the last report says
    expect(b.matrix.gapList).toContainEqual(
      expect.objectContaining({
        source: '21 CFR Part 11',
        clause: '11.10(j)',
        gap: 'no automated test covers this requirement',
      }),
    );
    expect(b.matrix.report.path).toMatch(/test-api\.json$/);

    const file = await admin.bytes(`/api/v1/validation/packages/${b.id}/file`);
    expect(file.type).toBe('application/pdf');
    const p = path.join(work, 'admin-package.pdf');
    writeFileSync(p, file.body);
    expect(spawnSync('pdfsig', [p], { encoding: 'utf8' }).stdout).toContain('Signature is Valid');
    const sha = createHash('sha256').update(file.body).digest('hex');
    expect(b.sha256).toBe(sha);
    const [e] = await server.services.ledger.read(b.stream);
    expect(e).toMatchObject({ type: 'export.generated', data: { kind: 'validation', sha256: sha } });
    expect(e.actor).toMatchObject({ name: expect.any(String) });
    expect(e.actor.id).not.toBe('system');
    const text = flat(spawnSync('pdftotext', ['-raw', p, '-'], { encoding: 'utf8' }).stdout);
    expect(text).toContain('Installation qualification (IQ)');
    expect(text).toContain('Configuration checks');
    expect(text).toContain('Traceability matrix');
    expect(text).toContain('Gaps: requirements without a passing test');
    expect(text).toContain('Operational qualification (OQ) is not run by this command');

    const list = await admin.get('/api/v1/validation/packages');
    expect(list.status).toBe(200);
    expect(list.body[0]).toMatchObject({ id: b.id, sha256: sha, file: true, gaps: b.matrix.gaps, iqOk: false });
  }, 120_000);

  it('refuses an operator (403) with nothing written, and malformed input (400)', async () => {
    const before = await markLedger(server.services);
    const files = () => server.services.db.collection(`${VALIDATION_BUCKET}.files`).countDocuments();
    const n = await files();
    expect((await op.post('/api/v1/validation/packages', {})).status).toBe(403);
    expect((await op.get('/api/v1/validation/packages')).status).toBe(403);
    expect((await admin.post('/api/v1/validation/packages', { locale: 'fr-FR' })).status).toBe(400);
    expect((await admin.post('/api/v1/validation/packages', { reportPath: '/etc/passwd' })).status).toBe(400);
    expect((await admin.get('/api/v1/validation/packages/not-a-uuid/file')).status).toBe(400);
    await expectNothingWritten(server.services, before);
    expect(await files()).toBe(n);
  });
});
