import { createHash, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Services } from '../platform/services.ts';
import { requestContext, SYSTEM_ACTOR } from '../platform/context.ts';
import { renderPdf } from '../pdf/render.ts';
import type { Locale } from '../pdf/templates.ts';
import { exportEvents } from '../exports/events.ts';
import { publicUrlOf } from '../exports/kinds.ts';
import { installationQualification, type IqResult } from './iq.ts';
import { buildMatrix, DEFAULT_REPORT, type Matrix } from './matrix.ts';
import { MANIFEST_PATH, ROOT } from './manifest.ts';
import { runOq, type OqResult } from './oq.ts';
import { PQ_LABELS, pqData } from './pq.ts';
import { nowIso } from '../platform/clock.ts';

// `provenant validate --out FILE`: the validation package (issue 14, item 1; ISO 13485 4.1.6,
// 21 CFR 11.10(a)) — IQ and the traceability matrix — as a sealed PDF whose SHA-256 goes on the
// ledger like any export (stream export:<id>, event export.generated, kind 'validation').
// With `oq` (CLI --oq) the designated OQ suite (oqSuite.ts) runs now, each test on a throwaway
// database, every test is printed with its result, and the matrix reads THIS run; without it the
// matrix reads the last `npm run test:api` report, and the package says so.

const LABELS = {
  'en-US': {
    title: 'Validation package (IQ and traceability matrix)',
    product: 'Product and version',
    commit: 'Source commit',
    generated: 'Generated',
    checkpoint: 'Ledger checkpoint (sequence · events · root)',
    iqResult: 'Installation qualification',
    matrixResult: 'Requirements traced',
    pass: 'PASS',
    finding: 'FINDING',
    findings: 'findings',
    gaps: 'gaps',
    none: '—',
    iq: 'Installation qualification (IQ)',
    node: 'Node.js',
    engine: 'Database engine',
    clock: 'Clocks (application / database)',
    checks: 'Configuration checks',
    check: 'Check',
    result: 'Result',
    detail: 'Detail',
    files: 'Shipped files against the build manifest',
    file: 'File',
    matrix: 'Traceability matrix',
    clause: 'Clause',
    requirement: 'Requirement',
    feature: 'Feature',
    tests: 'Automated tests: result in the last run',
    covered: 'COVERED',
    gap: 'GAP',
    gapList: 'Gaps: requirements without a passing test',
    noGaps: 'Every requirement listed has at least one passing test and none failing.',
    oq: 'Operational qualification (OQ) is not run by this command: the matrix reports the results of the last API test run ({report}, started {at}). Run "npm run test:api" on this installation before generating the package for an OQ record.',
    noReport:
      'Operational qualification (OQ) is not run by this command, and no test report was found ({error}): every requirement is a gap until "npm run test:api" has run.',
    filesOk: '{n} shipped files hashed (SHA-256); every one matches the manifest made at build time ({at}).',
    filesBad:
      '{n} shipped files hashed (SHA-256) against the manifest made at build time ({at}): {k} missing, changed or extra, listed below.',
    reportLine: 'Test report: {path}; {total} tests, {passed} passed, {failed} failed.',
    oqTitle: 'Operational qualification (OQ)',
    oqRun:
      'OQ run by this command: {files} test files of the designated suite, each test server on a throwaway database; started {at}, {seconds} s; {total} tests, {passed} passed, {failed} failed. The matrix below reports this run.',
    oqTest: 'Test',
    oqFile: 'File',
  },
  'zh-CN': {
    title: '验证包(安装确认与追溯矩阵)',
    product: '产品与版本',
    commit: '源代码提交',
    generated: '生成时间',
    checkpoint: '账本检查点(序号 · 事件数 · 根)',
    iqResult: '安装确认',
    matrixResult: '已追溯的要求',
    pass: '通过',
    finding: '发现问题',
    findings: '发现问题',
    gaps: '缺口',
    none: '—',
    iq: '安装确认(IQ)',
    node: 'Node.js',
    engine: '数据库引擎',
    clock: '时钟(应用 / 数据库)',
    checks: '配置检查',
    check: '检查项',
    result: '结果',
    detail: '详情',
    files: '发布文件与构建清单比对',
    file: '文件',
    matrix: '追溯矩阵',
    clause: '条款',
    requirement: '要求',
    feature: '功能',
    tests: '自动化测试:上次运行结果',
    covered: '已覆盖',
    gap: '缺口',
    gapList: '缺口:没有通过测试的要求',
    noGaps: '所列每项要求至少有一个通过的测试,且没有失败的测试。',
    oq: '本命令不执行运行确认(OQ):矩阵报告的是上一次 API 测试运行的结果({report},开始于 {at})。如需 OQ 记录,请先在本安装上运行 "npm run test:api" 再生成验证包。',
    noReport: '本命令不执行运行确认(OQ),且未找到测试报告({error}):在运行 "npm run test:api" 之前,每项要求都是缺口。',
    filesOk: '已计算 {n} 个发布文件的 SHA-256,全部与构建时生成的清单({at})一致。',
    filesBad: '已计算 {n} 个发布文件的 SHA-256 并与构建时生成的清单({at})比对:{k} 个缺失、被修改或多余,见下表。',
    reportLine: '测试报告:{path};共 {total} 个测试,通过 {passed},失败 {failed}。',
    oqTitle: '运行确认(OQ)',
    oqRun:
      '本命令执行了运行确认:指定套件的 {files} 个测试文件,每个测试服务器使用一次性数据库;开始于 {at},耗时 {seconds} 秒;共 {total} 个测试,通过 {passed},失败 {failed}。下方矩阵报告的是本次运行的结果。',
    oqTest: '测试',
    oqFile: '文件',
  },
} satisfies Record<Locale, Record<string, string>>;

const fill = (s: string, v: Record<string, string | number>) =>
  s.replace(/\{(\w+)\}/g, (_, k: string) => String(v[k] ?? ''));

export interface ValidationOptions {
  out: string;
  locale?: Locale;
  reportPath?: string;
  manifestPath?: string;
  root?: string;
  /** Run the OQ suite now (default files: oqSuite.ts) and build the matrix from this run. */
  oq?: { files?: readonly string[] };
}
export interface ValidationPackage {
  out: string;
  sha256: string;
  pages: number;
  stream: string;
  iq: IqResult;
  matrix: Matrix;
  oq: OqResult | null;
}

/** The package rendered and sealed, not yet on the ledger nor written anywhere. */
export interface RenderedValidationPackage {
  jobId: string;
  stream: string;
  locale: Locale;
  pdf: Buffer;
  pages: number;
  sha256: string;
  filename: string;
  recordVersion: number;
  headHash: string;
  iq: IqResult;
  matrix: Matrix;
  oq: OqResult | null;
}

/**
 * Renders the sealed package: IQ, OQ when asked for, the matrix, the PQ templates. Used by the CLI,
 * by the admin page (validation/routes.ts) and by export kind 'validation' (exports/kinds.ts puts a
 * kind's file on the ledger itself).
 */
export async function renderValidationPackage(
  s: Services,
  opts: Omit<ValidationOptions, 'out'> & { jobId?: string; printedBy?: string },
): Promise<RenderedValidationPackage> {
  const locale = opts.locale ?? 'en-US';
  const L = LABELS[locale];
  const iq = await installationQualification(s, {
    root: opts.root ?? ROOT,
    manifestPath: opts.manifestPath ?? MANIFEST_PATH,
  });
  const oq = opts.oq ? await runOq({ files: opts.oq.files, root: opts.root ?? ROOT }) : null;
  const matrix = buildMatrix(oq ? oq.reportPath : (opts.reportPath ?? DEFAULT_REPORT), opts.root ?? ROOT);
  // the package is made from a sealed ledger state: a checkpoint now, printed as its ledger head
  const checkpoint = await s.checkpointer.create(true);
  const jobId = opts.jobId ?? randomUUID();
  const stream = `export:${jobId}`;
  const f = iq.files;
  const filesSummary =
    'error' in f
      ? f.error
      : fill(f.ok ? L.filesOk : L.filesBad, { n: f.checked, at: f.manifest.createdAt, k: f.findings.length });
  const { pdf, pages } = await renderPdf({
    template: 'validation',
    locale,
    data: {
      L: { ...L, ...PQ_LABELS[locale] },
      pq: pqData(locale),
      iq,
      matrix: {
        ...matrix,
        rows: matrix.rows.map((r) => ({
          ...r,
          testsText: r.tests.map((x) => `${x.file} — ${x.name}: ${x.status}`).join('; '),
        })),
      },
      checkpoint,
      generatedAt: nowIso(),
      failedChecks: iq.checks.filter((c) => !c.ok).length,
      filesSummary,
      reportSummary: matrix.report.found
        ? fill(L.reportLine, {
            path: matrix.report.path,
            total: matrix.report.total,
            passed: matrix.report.passed,
            failed: matrix.report.failed,
          })
        : (matrix.report.error ?? ''),
      oq,
      oqNote: oq
        ? fill(L.oqRun, {
            files: oq.files.length,
            at: oq.startedAt,
            seconds: Math.round(oq.durationMs / 1000),
            total: oq.total,
            passed: oq.passed,
            failed: oq.failed,
          }) + (oq.error ? ` ${oq.error}` : '')
        : matrix.report.found
          ? fill(L.oq, { report: matrix.report.path, at: matrix.report.startedAt ?? '—' })
          : fill(L.noReport, { error: matrix.report.error ?? '' }),
      gapRows: matrix.rows.filter((r) => !r.covered),
    },
    title: L.title,
    reference: `${iq.product} ${iq.version}${iq.commit ? ` (${iq.commit.slice(0, 12)})` : ''}`,
    stream,
    headHash: checkpoint?.root ?? '',
    printedBy: opts.printedBy ?? 'provenant validate',
    signer: s.signer,
    publicUrl: publicUrlOf(s),
  });
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  return {
    jobId,
    stream,
    locale,
    pdf,
    pages,
    sha256,
    filename: 'validation-package.pdf',
    recordVersion: checkpoint?.seq ?? 0,
    headHash: checkpoint?.root ?? '',
    iq,
    matrix,
    oq,
  };
}

/** Puts the package's SHA-256 on the ledger like any export (stream export:<id>, kind 'validation'), as the context's actor. */
export async function appendValidationPackage(s: Services, p: RenderedValidationPackage) {
  const generated = exportEvents.change('export.generated', {
    kind: 'validation',
    recordStream: p.stream,
    recordVersion: p.recordVersion,
    headHash: p.headHash,
    sha256: p.sha256,
    pages: p.pages,
    filename: p.filename,
    locale: p.locale,
  });
  await s.ledger.append(p.stream, generated.type, generated.data, { expectedVersion: 0 });
}

export async function generateValidationPackage(s: Services, opts: ValidationOptions): Promise<ValidationPackage> {
  const p = await renderValidationPackage(s, opts);
  writeFileSync(opts.out, p.pdf);
  await requestContext.run({ requestId: 'cli-validate', locale: p.locale, actor: SYSTEM_ACTOR }, () =>
    appendValidationPackage(s, p),
  );
  return { out: opts.out, sha256: p.sha256, pages: p.pages, stream: p.stream, iq: p.iq, matrix: p.matrix, oq: p.oq };
}
