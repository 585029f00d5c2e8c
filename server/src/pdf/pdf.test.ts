import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cmyk, PDFDocument } from 'pdf-lib';
import { generatePki, unlockPki } from '../../../signatures/pki.ts';
import { localKeySigner } from '../../../signatures/signer.ts';
import { parseMarkup, textOf, MarkupError } from './markup.ts';
import { wrapText } from './text.ts';
import { buildDhrPdf } from './dhr.ts';
import { fixtureCoaPdf, fixtureLabelPng, makeDhrFixture } from './dhrFixture.ts';
import { loadCjkFontBytes, pdfLibFontkit } from './fonts.ts';
import { loadLabels, TEMPLATE_DIR } from './templates.ts';
import { validatePdfA } from '../../test/verapdf.ts';

// The PDF engine at file level, judged by independent tools: poppler's pdfsig (seal), pdffonts
// (embedded CJK font), pdftotext (text, page numbering, repeated table headers), pdftoppm (a page
// is not blank), zbarimg (the QR code), qpdf --check (structure), pdfdetach (embedded originals)
// and veraPDF (PDF/A-2b / PDF/A-3b conformance).
const signer = localKeySigner(unlockPki(generatePki('pdf-test-secret-0123'), 'pdf-test-secret-0123'));
let dir: string;
const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });
const file = (name: string, bytes: Uint8Array) => {
  const p = path.join(dir, name);
  writeFileSync(p, bytes);
  return p;
};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'provenant-pdf-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('markup', () => {
  it('parses the tag set, decodes the entities Handlebars writes, and refuses unknown tags', () => {
    const root = parseMarkup(
      '<h1>A &amp; B &lt;x&gt; &#x27;q&#x27;</h1><table widths="1,2"><tr head><td>k</td></tr></table><pagebreak/>',
    );
    expect(root.children.map((c) => (typeof c === 'string' ? c : c.tag))).toEqual(['h1', 'table', 'pagebreak']);
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
    const zh = wrapText(font, '器械历史记录包含每一个生产步骤的数据与签名。', 10, 60);
    expect(zh.length).toBeGreaterThan(3);
    expect(zh.join('')).toBe('器械历史记录包含每一个生产步骤的数据与签名。');
    expect(zh.slice(1).some((l) => l.startsWith('。'))).toBe(false); // no line starts with a full stop
    const en = wrapText(font, 'Device history record with every step', 10, 80);
    expect(en.every((l) => !l.startsWith(' ') && !l.endsWith(' '))).toBe(true);
    expect(en.join(' ')).toBe('Device history record with every step');
  });
});

describe('archival check of uploaded PDFs', () => {
  it('names what keeps a page out of PDF/A: a font not embedded, CMYK colour; passes a clean page', async () => {
    const { archivalObstacles } = await import('./archivalCheck.ts');
    const load = async (bytes: Uint8Array) => archivalObstacles(await PDFDocument.load(bytes));
    expect(await load(await fixtureCoaPdf('x', 1, 'embedded'))).toEqual([]);
    expect(await load(await fixtureCoaPdf('x', 1))).toEqual([{ code: 'font', detail: 'Helvetica' }]);
    const doc = await PDFDocument.create();
    doc.registerFontkit(pdfLibFontkit);
    const font = await doc.embedFont(await loadCjkFontBytes(), { subset: true });
    doc.addPage().drawText('printed in process black', { x: 50, y: 700, size: 12, font, color: cmyk(0, 0, 0, 1) });
    expect((await load(await doc.save())).map((o) => o.code)).toEqual(['cmyk']);
  });
});

describe('DHR PDF', () => {
  let pdfPath: string, pages: number, bytes: Buffer;
  const stages: string[] = [];
  const helveticaCoa = fixtureCoaPdf('L2611-00000', 2); // a supplier's file without its font embedded
  const embeddedCoa = fixtureCoaPdf('L2611-00001', 1, 'embedded');

  beforeAll(async () => {
    const view = makeDhrFixture({ steps: 40, materials: 120, signatures: 30 }, 'zh-CN');
    const attachments = [
      { title: 'CoA L2611-00000', pdf: await helveticaCoa },
      { title: 'CoA L2611-00001', pdf: await embeddedCoa },
      { title: 'CoA broken', pdf: new TextEncoder().encode('not a pdf') },
    ];
    const r = await buildDhrPdf(view, {
      locale: 'zh-CN',
      labelPng: await fixtureLabelPng(),
      attachments,
      signer,
      onProgress: (_p, s) => stages.push(s),
      publicUrl: 'https://qms.example.test',
    });
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
    expect(text).toContain('器械历史记录');
    expect(text).toContain('输液管挤出 1'); // a step row spans the table: never wrapped
    for (const n of [1, 2, pages - 2]) expect(text).toContain(`第 ${n} 页,共 ${pages} 页`);
    expect(stages).toEqual(expect.arrayContaining(['template', 'layout', 'attachments', 'seal', 'done']));
  });

  it('repeats the materials table header on the page the table continues on', () => {
    const page2 = run('pdftotext', ['-f', '2', '-l', '2', pdfPath, '-']).stdout;
    expect(page2).toContain('供应商批号'); // header row again
    expect(page2).toMatch(/L2611-000\d\d/);
  });

  it('merges the attachment that can be archived and embeds the others byte for byte behind a reference page', async () => {
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBe(pages);
    const last = run('pdftotext', ['-f', String(pages), '-l', String(pages), pdfPath, '-']).stdout;
    expect(last).toContain('Certificate of Analysis - L2611-00001'); // embedded font: its page is merged
    const text = run('pdftotext', [pdfPath, '-']).stdout;
    expect(text).not.toContain('Certificate of Analysis - L2611-00000'); // Helvetica not embedded: not merged…
    expect(text).toContain('字体 Helvetica 未嵌入'); // …and the reference page says why
    expect(text).toContain('不是可读取的 PDF');
    expect(text).toContain('https://qms.example.test/verify/workorder:wo-fixture');
    expect(run('pdfdetach', ['-list', pdfPath]).stdout).toMatch(
      /2 embedded files\n1: 01-CoA_L2611-00000\.pdf\n2: 03-CoA_broken\.pdf/,
    );
    const out = path.join(dir, 'detached.pdf');
    expect(run('pdfdetach', ['-save', '1', '-o', out, pdfPath]).status).toBe(0);
    const sha = createHash('sha256')
      .update(await helveticaCoa)
      .digest('hex');
    expect(createHash('sha256').update(readFileSync(out)).digest('hex')).toBe(sha);
    expect(text.replace(/\s/g, '')).toContain(sha);
  });

  it('is PDF/A-3b with files embedded and PDF/A-2b without, by veraPDF, with every font embedded', async () => {
    expect(bytes.toString('latin1')).toContain('<pdfaid:part>3</pdfaid:part>');
    const withFiles = await validatePdfA(pdfPath, '3b');
    expect(withFiles.failures).toEqual([]);
    expect(withFiles.compliant).toBe(true);
    const view = makeDhrFixture({ steps: 3, materials: 3, signatures: 3 }, 'en-US');
    const merged = await buildDhrPdf(view, {
      locale: 'en-US',
      labelPng: await fixtureLabelPng(),
      attachments: [{ title: 'CoA', pdf: await embeddedCoa }],
      signer,
    });
    const p = file('dhr-2b.pdf', merged.pdf);
    expect(merged.pdf.toString('latin1')).toContain('<pdfaid:part>2</pdfaid:part>');
    const report = await validatePdfA(p, '2b');
    expect(report.failures).toEqual([]);
    expect(report.compliant).toBe(true);
    for (const f of [pdfPath, p]) {
      const fonts = run('pdffonts', [f]).stdout.trim().split('\n').slice(2);
      expect(fonts.length).toBeGreaterThan(0);
      for (const line of fonts) expect(line, f).toMatch(/\s+yes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$/); // the "emb" column
    }
    // the validator does fail a file that is not archival (the supplier's CoA as received)
    const raw = await validatePdfA(file('coa-raw.pdf', await helveticaCoa), '2b');
    expect(raw.compliant).toBe(false);
    expect(raw.failures.join('\n')).toMatch(/6\.2\.11\.4\.1-1/);
  }, 240_000); // three JVM runs of the validator, on a machine shared with the rest of the suite

  it('signs every byte outside /Contents, and /Contents is the signature with no padding', () => {
    const text = bytes.toString('latin1');
    const m = /\/ByteRange \[0 (\d+) (\d+) (\d+)\s*\]/.exec(text);
    expect(m).not.toBeNull();
    const [a, b, c] = m!.slice(1).map(Number);
    expect(b + c).toBe(bytes.length); // the second range runs to the end of the file
    expect(text[a]).toBe('<');
    expect(text[b - 1]).toBe('>');
    const der = Buffer.from(text.slice(a + 1, b - 1), 'hex');
    expect(der.length * 2).toBe(b - a - 2);
    expect(der[0]).toBe(0x30); // a DER SEQUENCE whose declared length is exactly what is there
    const lenBytes = der[1] & 0x80 ? der[1] & 0x7f : 0;
    const declared = lenBytes ? der.subarray(2, 2 + lenBytes).reduce((n, x) => n * 256 + x, 0) : der[1];
    expect(2 + lenBytes + declared).toBe(der.length);
    const offsets = [
      0,
      9,
      Math.floor(a / 3),
      a - 40,
      a - 1,
      b,
      b + 1,
      b + 40,
      Math.floor((b + bytes.length) / 2),
      bytes.length - 8,
      bytes.length - 1,
    ];
    for (const at of offsets) {
      const tampered = Buffer.from(bytes);
      tampered[at] = tampered[at] ^ 0x04;
      const sig = run('pdfsig', [file(`flip-${at}.pdf`, tampered)]);
      expect(sig.stdout, `byte ${at} flipped`).not.toContain('Signature is Valid');
    }
    // the last bytes of /Contents are the signature's own, not padding: changing them breaks it
    const inside = Buffer.from(bytes);
    inside[b - 3] = inside[b - 3] === 0x30 ? 0x31 : 0x30;
    expect(run('pdfsig', [file('flip-contents.pdf', inside)]).stdout).not.toContain('Signature is Valid');
  });

  it('draws a page that is not blank', () => {
    const out = path.join(dir, 'p1');
    expect(run('pdftoppm', ['-gray', '-r', '30', '-f', '1', '-l', '1', pdfPath, out]).status).toBe(0);
    const pgm = readFileSync(`${out}-${String(1).padStart(String(pages).length, '0')}.pgm`);
    const pixels = pgm.subarray(pgm.length - Math.floor((595 * 30) / 72) * Math.floor((842 * 30) / 72));
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
    const ys = [...bbox.matchAll(/yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(?:A|END-OF-COMMENT)</g)].map((m) =>
      Number(m[2]),
    );
    expect(ys.length).toBeGreaterThan(10);
    expect(Math.max(...ys)).toBeLessThan(841.89 - 44);
  });

  it("prints a QR code that decodes to the record's verification page", () => {
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
