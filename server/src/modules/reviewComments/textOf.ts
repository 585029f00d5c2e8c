import JSZip from 'jszip';
import ExcelJS from 'exceljs';
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFRawStream,
  PDFRef,
  type PDFObject,
  type PDFPage,
} from 'pdf-lib';

// A revision's content as plain text, so two revisions can be compared (issue 15 item 5). What
// is read: PDF text drawn with Tj/TJ/'/" in the pages' content streams (Flate or uncompressed),
// single-byte fonts as WinAnsi/Latin-1, Type0 (CID) fonts through their ToUnicode map; DOCX
// paragraphs (word/document.xml); XLSX cell values sheet by sheet; text/markdown as is. What is
// NOT: scanned PDFs (images, no text layer), CID fonts without a ToUnicode map, text in form
// XObjects and annotations, encrypted PDFs, images: the caller is told (422), never shown a
// silent empty diff.

export class NotComparable extends Error {}

export async function textOf(bytes: Buffer, mime: string): Promise<string> {
  if (mime === 'application/pdf') return pdfText(bytes);
  if (mime === 'application/vnd.openxmlformats-officedocument.wordprocessingml.document') return docxText(bytes);
  if (mime === 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet') return xlsxText(bytes);
  if (mime.startsWith('text/')) return bytes.toString('utf8');
  throw new NotComparable(`type ${mime}`);
}

const xmlUnescape = (t: string) =>
  t
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&amp;/g, '&');

async function docxText(bytes: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file('word/document.xml')?.async('string');
  if (xml === undefined) throw new NotComparable('no word/document.xml');
  return xml
    .split(/<\/w:p>/)
    .map((p) =>
      [...p.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:tab\/>|<w:br\/>/g)]
        .map((m) => (m[1] !== undefined ? xmlUnescape(m[1]) : m[0] === '<w:tab/>' ? '\t' : '\n'))
        .join(''),
    )
    .filter((p) => p.trim())
    .join('\n');
}

async function xlsxText(bytes: Buffer): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const out: string[] = [];
  wb.eachSheet((ws) => {
    out.push(`[${ws.name}]`);
    ws.eachRow((row) => {
      const cells: string[] = [];
      row.eachCell((cell) => cells.push(`${cell.address}: ${cell.text}`));
      if (cells.length) out.push(cells.join(' | ')); // one line per row; the addresses name row and column
    });
  });
  return out.join('\n');
}

// --- PDF ---------------------------------------------------------------------------------------

type Decoder = (bytes: number[]) => string;
const latin1: Decoder = (b) => Buffer.from(b).toString('latin1');

function streamBytes(o: PDFObject | undefined): Uint8Array | null {
  if (o instanceof PDFRawStream) return decodePDFRawStream(o).decode();
  return null;
}

/** ToUnicode CMap: bfchar and bfrange entries (2-byte codes, as Identity-H fonts use). */
function cmapDecoder(cmap: string): Decoder {
  const map = new Map<number, string>();
  const hexText = (h: string) => {
    let s = '';
    for (let i = 0; i + 4 <= h.length; i += 4) s += String.fromCharCode(parseInt(h.slice(i, i + 4), 16));
    return s;
  };
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g))
      map.set(parseInt(m[1]!, 16), hexText(m[2]!));
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
      const lo = parseInt(m[1]!, 16);
      const hi = parseInt(m[2]!, 16);
      const base = parseInt(m[3]!, 16);
      for (let c = lo; c <= hi && c - lo < 65536; c++) map.set(c, String.fromCodePoint(base + c - lo));
    }
  return (b) => {
    let s = '';
    for (let i = 0; i + 1 < b.length; i += 2) s += map.get((b[i]! << 8) | b[i + 1]!) ?? '';
    return s;
  };
}

function fontDecoders(page: PDFPage): Map<string, Decoder> {
  const out = new Map<string, Decoder>();
  const res = page.node.Resources();
  const fonts = res?.lookup(PDFName.of('Font'));
  if (!(fonts instanceof PDFDict)) return out;
  for (const [name, ref] of fonts.entries()) {
    const f = fonts.context.lookup(ref);
    if (!(f instanceof PDFDict)) continue;
    const subtype = f.get(PDFName.of('Subtype'))?.toString();
    const toUnicode = streamBytes(f.context.lookup(f.get(PDFName.of('ToUnicode')) as PDFRef | undefined));
    if (subtype === '/Type0') {
      if (!toUnicode) throw new NotComparable('a CID font without a ToUnicode map');
      out.set(name.toString(), cmapDecoder(Buffer.from(toUnicode).toString('latin1')));
    } else out.set(name.toString(), latin1);
  }
  return out;
}

/** An operand: a number, a name, a string's bytes, or an array (TJ: strings and kerning). */
type Operand = number | string | number[] | { tj: Operand[] };

/** The text operators of one content stream, one line per text positioning. */
function contentText(content: string, fonts: Map<string, Decoder>): string[] {
  const lines: string[] = [];
  let line = '';
  let decode: Decoder = latin1;
  const operands: Operand[] = [];
  const breakLine = () => {
    if (line.trim()) lines.push(line.trim());
    line = '';
  };
  const show = (items: Operand[]) => {
    for (const it of items) {
      if (Array.isArray(it)) line += decode(it);
      else if (typeof it === 'number' && it < -200) line += ' ';
    }
  };
  let i = 0;
  const n = content.length;
  const arrayStack: Operand[][] = [];
  const push = (v: Operand) => (arrayStack.length ? arrayStack.at(-1)!.push(v) : operands.push(v));
  while (i < n) {
    const ch = content[i]!;
    if (ch === '%') {
      while (i < n && content[i] !== '\n' && content[i] !== '\r') i++;
    } else if (ch === '(') {
      const bytes: number[] = [];
      let depth = 1;
      i++;
      while (i < n && depth > 0) {
        const c = content[i]!;
        if (c === '\\') {
          const e = content[i + 1]!;
          const esc: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12, '(': 40, ')': 41, '\\': 92 };
          if (e in esc) {
            bytes.push(esc[e]!);
            i += 2;
          } else if (/[0-7]/.test(e)) {
            const m = /^[0-7]{1,3}/.exec(content.slice(i + 1, i + 4))![0];
            bytes.push(parseInt(m, 8) & 0xff);
            i += 1 + m.length;
          } else i += 2; // a line continuation, or an unknown escape (ignored)
          continue;
        }
        if (c === '(') depth++;
        if (c === ')' && --depth === 0) break;
        bytes.push(c.charCodeAt(0) & 0xff);
        i++;
      }
      i++;
      push(bytes);
    } else if (ch === '<' && content[i + 1] !== '<') {
      const end = content.indexOf('>', i);
      const hex = content.slice(i + 1, end).replace(/\s/g, '');
      const padded = hex.length % 2 ? `${hex}0` : hex;
      push([...Buffer.from(padded, 'hex')]);
      i = end + 1;
    } else if (ch === '[') {
      arrayStack.push([]);
      i++;
    } else if (ch === ']') {
      const arr = arrayStack.pop() ?? [];
      i++;
      push({ tj: arr });
    } else if (/\s/.test(ch) || ch === '>' || ch === '{' || ch === '}') {
      i++;
    } else {
      const m = /^(\/[^\s/[\]()<>{}%]*|[^\s/[\]()<>{}%]+)/.exec(content.slice(i, i + 200));
      const tok = m ? m[1]! : ch;
      i += tok.length;
      if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(tok)) push(Number(tok));
      else if (tok.startsWith('/')) push(tok);
      else if (!arrayStack.length) {
        // an operator
        const last = operands.at(-1);
        if (tok === 'Tf') {
          const name = operands.at(-2);
          if (typeof name === 'string') decode = fonts.get(name) ?? latin1;
        } else if (tok === 'Tj' && last !== undefined) show([last]);
        else if (tok === 'TJ' && last && typeof last === 'object' && 'tj' in last) show(last.tj);
        else if ((tok === "'" || tok === '"') && last !== undefined) {
          breakLine();
          show([last]);
        } else if (tok === 'Td' || tok === 'TD' || tok === 'T*' || tok === 'ET' || tok === 'Tm') breakLine();
        operands.length = 0;
      }
    }
  }
  breakLine();
  return lines;
}

async function pdfText(bytes: Buffer): Promise<string> {
  let pdf: PDFDocument;
  try {
    pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  } catch {
    throw new NotComparable('the PDF cannot be read (damaged or encrypted)');
  }
  if (pdf.isEncrypted) throw new NotComparable('the PDF is encrypted');
  const out: string[] = [];
  for (const page of pdf.getPages()) {
    const fonts = fontDecoders(page);
    const contents = page.node.get(PDFName.of('Contents'));
    const resolved = contents ? page.node.context.lookup(contents) : undefined;
    const parts =
      resolved instanceof PDFArray ? resolved.asArray().map((r) => page.node.context.lookup(r)) : [resolved];
    const text = parts
      .map(streamBytes)
      .filter((b): b is Uint8Array => !!b)
      .map((b) => Buffer.from(b).toString('latin1'))
      .join('\n');
    out.push(...contentText(text, fonts));
  }
  if (!out.join('').trim()) throw new NotComparable('the PDF has no text layer (a scan?)');
  return out.join('\n');
}
