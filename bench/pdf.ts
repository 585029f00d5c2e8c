import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import QRCode from 'qrcode';
import { PDFDocument } from 'pdf-lib';
import { chromium } from 'playwright-core';
import { generatePki, unlockPki } from '../signatures/pki.ts';
import { localKeySigner } from '../signatures/signer.ts';
import { buildDhrPdf } from '../server/src/pdf/dhr.ts';
import { fixtureLabelPng, makeDhrFixture } from '../server/src/pdf/dhrFixture.ts';
import { renderTemplate, label } from '../server/src/pdf/templates.ts';
import { parseMarkup } from '../server/src/pdf/markup.ts';
import { markupToHtml, HTML_CSS } from '../server/src/pdf/html.ts';
import { verifyUrl } from '../server/src/pdf/render.ts';

// The DHR export against Chromium on the same content, in the same run: a 200-step DHR with 500
// material lines and 60 signatures (≈ 40 pages), generated and sealed by the engine; the same
// template output as HTML (same font, repeated table headers, page X of Y, QR) printed to PDF by
// headless Chromium. Both warm (five untimed runs first), median of --runs. Targets: engine ≤ 1 s
// and ≥ 10× faster than Chromium.
const WARMUP = 5; // untimed runs first: JIT tiers, glyph caches, heap sizing, Chromium processes

export async function run(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      runs: { type: 'string', default: '7' },
      steps: { type: 'string', default: '200' },
      materials: { type: 'string', default: '500' },
      signatures: { type: 'string', default: '60' },
      out: { type: 'string' },
    },
  });
  const runs = Math.max(1, Number(values.runs));
  const locale = 'zh-CN' as const;
  const view = makeDhrFixture(
    { steps: Number(values.steps), materials: Number(values.materials), signatures: Number(values.signatures) },
    locale,
  );
  const labelPng = await fixtureLabelPng();
  const signer = localKeySigner(unlockPki(generatePki('bench-secret-0123456'), 'bench-secret-0123456'));
  const publicUrl = 'http://localhost:3000';

  // Chromium's input: the same markup as HTML, with the same font
  const dir = mkdtempSync(path.join(tmpdir(), 'provenant-bench-pdf-'));
  const fontPath = createRequire(import.meta.url).resolve(
    '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  );
  const boldPath = createRequire(import.meta.url).resolve(
    '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
  );
  const body = markupToHtml(parseMarkup(renderTemplate('dhr', Object.assign({ hasLabel: true, locale }, view))), {
    label: labelPng,
  });
  const htmlPath = path.join(dir, 'dhr.html');
  writeFileSync(
    htmlPath,
    `<!doctype html><html><head><meta charset="utf-8"><style>
@font-face{font-family:'Noto Sans SC';src:url('file://${fontPath}');font-weight:400}
@font-face{font-family:'Noto Sans SC';src:url('file://${boldPath}');font-weight:700}${HTML_CSS}</style></head><body>${body}</body></html>`,
  );
  const qrSvg = await QRCode.toString(verifyUrl(publicUrl, view.ledger.stream), { type: 'svg', margin: 0 });
  const title = `${label('dhr.title', locale)} — ${view.workOrder.number}`;
  const headerTemplate = `<div style="font-family:'Noto Sans SC';font-size:9pt;width:100%;margin:0 42pt;display:flex;justify-content:space-between"><div><b>${title}</b><br><span style="font-size:7pt;color:#666">${view.ledger.stream} v${view.ledger.version}</span></div><div style="width:44pt;height:44pt">${qrSvg}</div></div>`;
  const footerTemplate = `<div style="font-family:'Noto Sans SC';font-size:6.5pt;width:100%;margin:0 42pt;display:flex;justify-content:space-between"><span>${label('pdf.ledgerHead', locale)} ${view.ledger.headHash}</span><span style="font-size:8pt">第 <span class="pageNumber"></span> 页,共 <span class="totalPages"></span> 页</span></div>`;

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--allow-file-access-from-files',
    ],
  });
  let chromePdf: Buffer = Buffer.alloc(0);
  let engine: Awaited<ReturnType<typeof buildDhrPdf>> = { pdf: Buffer.alloc(0), pages: 0 };
  const chromeMs: number[] = [],
    engineMs: number[] = [],
    engineCpuMs: number[] = [];
  try {
    // interleaved, so that both see the same machine load
    for (let i = -WARMUP; i < runs; i++) {
      let t = performance.now();
      const cpu = process.cpuUsage();
      engine = await buildDhrPdf(view, { locale, labelPng, attachments: [], signer, publicUrl }); // generate + seal
      const used = process.cpuUsage(cpu);
      if (i >= 0) {
        engineMs.push(performance.now() - t);
        engineCpuMs.push((used.user + used.system) / 1000);
      }
      t = performance.now();
      const page = await browser.newPage();
      await page.goto(`file://${htmlPath}`, { waitUntil: 'load' });
      chromePdf = await page.pdf({
        format: 'A4',
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate,
        footerTemplate,
        margin: { top: '112px', bottom: '77px', left: '56px', right: '56px' },
      });
      await page.close();
      if (i >= 0) chromeMs.push(performance.now() - t);
    }
  } finally {
    await browser.close();
  }
  const chromePages = (await PDFDocument.load(chromePdf)).getPageCount();
  if (values.out) {
    writeFileSync(path.join(values.out, 'bench-engine.pdf'), engine.pdf);
    writeFileSync(path.join(values.out, 'bench-chromium.pdf'), chromePdf);
  }
  rmSync(dir, { recursive: true, force: true });

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const e = median(engineMs),
    c = median(chromeMs);
  const steps = view.steps.length,
    materials = view.materials.length,
    sigs = view.signatures.length;
  console.log(
    `pdf: DHR with ${steps} steps, ${materials} material lines, ${sigs} signatures; median of ${runs} warm runs`,
  );
  console.log(
    `  engine (generate + seal):  ${e.toFixed(0)} ms   ${engine.pages} pages  ${(engine.pdf.length / 1024).toFixed(0)} KiB   runs: ${engineMs.map((x) => x.toFixed(0)).join(' ')}`,
  );
  console.log(
    `  engine CPU time (median):   ${median(engineCpuMs).toFixed(0)} ms   (wall time includes waiting for a busy CPU)`,
  );
  console.log(
    `  chromium (print to PDF):   ${c.toFixed(0)} ms   ${chromePages} pages  ${(chromePdf.length / 1024).toFixed(0)} KiB   runs: ${chromeMs.map((x) => x.toFixed(0)).join(' ')}`,
  );
  console.log(
    `  ratio: engine is ${(c / e).toFixed(1)}× faster   targets: ≤ 1000 ms ${e <= 1000 ? 'MET' : 'MISSED'}, ≥ 10× ${c / e >= 10 ? 'MET' : 'MISSED'}`,
  );
}
