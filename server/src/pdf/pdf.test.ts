import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { generatePki, unlockPki } from '../../../signatures/pki.ts';
import { localKeySigner } from '../../../signatures/signer.ts';
import { parseMarkup, textOf, MarkupError } from './markup.ts';
import { wrapText } from './text.ts';
import { buildDhrPdf } from './dhr.ts';
import { fixtureCoaPdf, fixtureLabelPng, makeDhrFixture } from './dhrFixture.ts';
import { loadCjkFontBytes, pdfLibFontkit } from './fonts.ts';
import { loadLabels, TEMPLATE_DIR } from './templates.ts';

// The PDF engine at file level, judged by independent tools: poppler's pdfsig (seal), pdffonts
// (embedded CJK font), pdftotext (text, page numbering, repeated table headers), pdftoppm (a page
// is not blank), zbarimg (the QR code) and qpdf --check (structure).
const signer = localKeySigner(unlockPki(generatePki('pdf-test-secret-0123'), 'pdf-test-secret-0123'));
let dir: string;
const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });
const file = (name: string, bytes: Uint8Array) => { const p = path.join(dir, name); writeFileSync(p, bytes); return p; };

beforeAll(() => { dir = mkdtempSync(path.join(tmpdir(), 'provenant-pdf-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describe('markup', () => {
  it('parses the tag set, decodes the entities Handlebars writes, and refuses unknown tags', () => {
    const root = parseMarkup('<h1>A &amp; B &lt;x&gt; &#x27;q&#x27;</h1><table widths="1,2"><tr head><td>k</td></tr></table><pagebreak/>');
    expect(root.children.map((c) => typeof c === 'string' ? c : c.tag)).toEqual(['h1', 'table', 'pagebreak']);
    expect(textOf(root.children[0])).toBe("A & B <x> 'q'");
    expect(() => parseMarkup('<script>x</script>')).toThrow(MarkupError);
    expect(() => parseMarkup('<p>open')).toThrow(MarkupError);
  });
});

describe('templates', () => {
  it('name only labels that exist, each in both languages', () => {
    const labels = loadLabels();
    for (const [key, v] of Object.entries(labels)) {
      expect(v['en-US'], key).toBeTruthy();
      expect(v['zh-CN'], key).toBeTruthy();
    }
    for (const f of readdirSync(TEMPLATE_DIR).filter((n) => n.endsWith('.hbs'))) {
      const src = readFileSync(path.join(TEMPLATE_DIR, f), 'utf8');
      for (const m of src.matchAll(/\{\{t "([^"]+)"(?: [a-z]+=)?/g)) {
        if (m[1].endsWith('.')) continue; // a prefix joined with a value: {{t "dhr.status." status}}
        expect(labels[m[1]], `${f}: ${m[1]}`).toBeDefined();
      }
    }
  });
});

describe('line breaking', () => {
  it('breaks Chinese between characters and English between words', async () => {
    const doc = await PDFDocument.create();
    doc.registerFontkit(pdfLibFontkit);
    const font = await doc.embedFont(await loadCjkFontBytes(), { subset: true });
    const zh = wrapText(font, '设备历史记录包含每一个生产步骤的数据与签名。', 10, 60);
    expect(zh.length).toBeGreaterThan(3);
    expect(zh.join('')).toBe('设备历史记录包含每一个生产步骤的数据与签名。');
    expect(zh.slice(1).some((l) => l.startsWith('。'))).toBe(false); // no line starts with a full stop
    const en = wrapText(font, 'Device history record with every step', 10, 80);
    expect(en.every((l) => !l.startsWith(' ') && !l.endsWith(' '))).toBe(true);
    expect(en.join(' ')).toBe('Device history record with every step');
  });
});

describe('DHR PDF', () => {
  let pdfPath: string, pages: number, bytes: Buffer;
  const stages: string[] = [];

  beforeAll(async () => {
    const view = makeDhrFixture({ steps: 40, materials: 120, signatures: 30 }, 'zh-CN');
    const attachments = [
      { title: 'CoA L2611-00000', pdf: await fixtureCoaPdf('L2611-00000', 2) },
      { title: 'CoA broken', pdf: new TextEncoder().encode('not a pdf') },
    ];
    const r = await buildDhrPdf(view, { locale: 'zh-CN', labelPng: await fixtureLabelPng(), attachments, signer, onProgress: (_p, s) => stages.push(s), publicUrl: 'https://qms.example.test' });
    ({ pages } = r);
    bytes = r.pdf;
    pdfPath = file('dhr.pdf', r.pdf);
  }, 60_000);

  it('is sealed: pdfsig reports the signature valid (the self-issued CA is untrusted), qpdf finds no error', () => {
    const sig = run('pdfsig', [pdfPath]);
    expect(sig.stdout).toContain('Signature is Valid');
    expect(sig.stdout).toContain('adbe.pkcs7.detached');
    expect(sig.stdout).toContain('Provenant Records Seal');
    expect(sig.stdout).toContain('Total document signed');
    const q = run('qpdf', ['--check', pdfPath]);
    expect(q.status, q.stdout + q.stderr).toBe(0);
    expect(q.stdout).toContain('No syntax or stream encoding errors');
  });

  it('one changed byte inside the signed range makes the signature invalid', () => {
    const tampered = Buffer.from(bytes);
    const at = tampered.indexOf('/Producer');
    tampered[at + 2] = tampered[at + 2] ^ 0x01;
    const sig = run('pdfsig', [file('tampered.pdf', tampered)]);
    expect(sig.stdout).not.toContain('Signature is Valid');
    expect(sig.stdout).toMatch(/Signature is Invalid|Digest Mismatch/);
  });

  it('embeds the Chinese font and renders Chinese text with page X of Y on every page', () => {
    const fonts = run('pdffonts', [pdfPath]).stdout;
    expect(fonts).toMatch(/NotoSansSC-Regular\S*\s+CID TrueType\s+Identity-H\s+yes/);
    const info = run('pdfinfo', [pdfPath]).stdout;
    expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBe(pages);
    const text = run('pdftotext', ['-layout', pdfPath, '-']).stdout;
    expect(text).toContain('设备历史记录');
    expect(text).toContain('输液管挤出 1'); // a step row spans the table: never wrapped
    for (const n of [1, 2, pages - 2]) expect(text).toContain(`第 ${n} 页,共 ${pages} 页`);
    expect(stages).toEqual(expect.arrayContaining(['template', 'layout', 'attachments', 'seal', 'done']));
  });

  it('repeats the materials table header on the page the table continues on', () => {
    const page2 = run('pdftotext', ['-f', '2', '-l', '2', pdfPath, '-']).stdout;
    expect(page2).toContain('供应商批号'); // header row again
    expect(page2).toMatch(/L2611-000\d\d/);
  });

  it('appends the readable attachment and lists the unreadable one', async () => {
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBe(pages);
    const last = run('pdftotext', ['-f', String(pages), '-l', String(pages), pdfPath, '-']).stdout;
    expect(last).toContain('Certificate of Analysis - L2611-00000');
    const text = run('pdftotext', [pdfPath, '-']).stdout;
    expect(text).toContain('无法读取的 PDF');
    expect(text).toContain('https://qms.example.test/verify/workorder:wo-fixture');
  });

  it('draws a page that is not blank', () => {
    const out = path.join(dir, 'p1');
    expect(run('pdftoppm', ['-gray', '-r', '30', '-f', '1', '-l', '1', pdfPath, out]).status).toBe(0);
    const pgm = readFileSync(`${out}-${String(1).padStart(String(pages).length, '0')}.pgm`);
    const pixels = pgm.subarray(pgm.length - Math.floor(595 * 30 / 72) * Math.floor(842 * 30 / 72));
    const dark = pixels.filter((v) => v < 128).length;
    expect(dark / pixels.length).toBeGreaterThan(0.01);
  });

  it('continues a row taller than a page on the next page', async () => {
    const view = makeDhrFixture({ steps: 2, materials: 2, signatures: 2 }, 'en-US');
    view.steps[0].comment = `${'A very long operator comment about the first-article check. '.repeat(150)}END-OF-COMMENT`;
    const r = await buildDhrPdf(view, { locale: 'en-US', attachments: [], signer });
    const p = file('tall.pdf', r.pdf);
    expect(run('pdftotext', [p, '-']).stdout).toContain('END-OF-COMMENT');
    expect(run('qpdf', ['--check', p]).status).toBe(0);
    // every line of text sits between the header and the footer bands: nothing ran off the page
    const bbox = run('pdftotext', ['-bbox', p, '-']).stdout;
    const ys = [...bbox.matchAll(/yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(?:A|END-OF-COMMENT)</g)].map((m) => Number(m[2]));
    expect(ys.length).toBeGreaterThan(10);
    expect(Math.max(...ys)).toBeLessThan(841.89 - 44);
  });

  it('prints a QR code that decodes to the record\'s verification page', () => {
    const out = path.join(dir, 'qr');
    expect(run('pdftoppm', ['-png', '-r', '150', '-f', '2', '-l', '2', pdfPath, out]).status).toBe(0);
    const png = readdirSync(dir).find((f) => f.startsWith('qr') && f.endsWith('.png'))!;
    const z = run('zbarimg', ['--quiet', '--raw', path.join(dir, png)]);
    expect(z.stdout.trim()).toBe('https://qms.example.test/verify/workorder:wo-fixture');
  });

  it('renders in English from the same view', async () => {
    const view = makeDhrFixture({ steps: 3, materials: 3, signatures: 3 }, 'en-US');
    const r = await buildDhrPdf(view, { locale: 'en-US', attachments: [], signer });
    const p = file('dhr-en.pdf', r.pdf);
    const text = run('pdftotext', [p, '-']).stdout;
    expect(text).toContain('Device History Record');
    expect(text).toContain(`Page 1 of ${r.pages}`);
    expect(text).toContain('Materials issued');
    expect(run('pdfsig', [p]).stdout).toContain('Signature is Valid');
  });
});
