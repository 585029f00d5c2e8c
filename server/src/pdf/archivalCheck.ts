import {
  decodePDFRawStream,
  PDFArray,
  PDFBool,
  PDFDict,
  PDFName,
  PDFRawStream,
  PDFRef,
  PDFStream,
  type PDFDocument,
  type PDFObject,
  type PDFPage,
} from 'pdf-lib';

// Can an uploaded PDF's pages (a supplier's certificate of analysis, a document's content file)
// be merged into an archival export without breaking PDF/A-2b (ISO 19005-2)? A conservative
// walk over each page's content, resources and annotations that names what would break it:
// a font that is not embedded (6.2.11.4.1), CMYK colour under our sRGB output intent (6.2.4.3),
// LZW or JPEG 2000 data, transfer functions, PostScript, OPI, alternate images, optional content,
// actions, annotations other than links. A page it cannot vouch for is not merged: the file is
// embedded byte for byte instead (PDF/A-3b, ISO 19005-3) and a reference page stands in for it.
// When in doubt it refuses: a refused file is still in the export, whole.

export type ObstacleCode =
  | 'font'
  | 'cmyk'
  | 'filter'
  | 'annotation'
  | 'actions'
  | 'postscript'
  | 'opi'
  | 'alternates'
  | 'interpolation'
  | 'transfer'
  | 'halftone'
  | 'optionalContent'
  | 'reference';
export interface Obstacle {
  code: ObstacleCode;
  detail: string;
}

const FONT_FILES = ['FontFile', 'FontFile2', 'FontFile3'].map((k) => PDFName.of(k));
const BAD_FILTERS = new Set(['LZWDecode', 'LZW', 'JPXDecode', 'Crypt']);
const N = (s: string) => PDFName.of(s);
const nameOf = (o: PDFObject | undefined) => (o instanceof PDFName ? o.decodeText() : undefined);

class Walker {
  readonly found: Obstacle[] = [];
  private seen = new Set<PDFObject>();
  constructor(private doc: PDFDocument) {}

  private get(o: PDFObject | undefined): PDFObject | undefined {
    return o instanceof PDFRef ? this.doc.context.lookup(o) : o;
  }
  private dict(o: PDFObject | undefined): PDFDict | undefined {
    const v = this.get(o);
    return v instanceof PDFDict ? v : v instanceof PDFStream ? v.dict : undefined;
  }
  private first(o: PDFObject | undefined): boolean {
    // true the first time an object is visited
    const v = this.get(o);
    if (!v || this.seen.has(v)) return false;
    this.seen.add(v);
    return true;
  }
  private add(code: ObstacleCode, detail: string) {
    if (!this.found.some((f) => f.code === code && f.detail === detail)) this.found.push({ code, detail });
  }

  page(p: PDFPage) {
    const d = p.node;
    if (d.has(N('AA'))) this.add('actions', 'AA');
    for (const a of this.array(d.get(N('Annots')))) {
      const sub = nameOf(this.dict(a)?.get(N('Subtype')));
      if (sub !== 'Link') this.add('annotation', sub ?? 'unknown');
    }
    this.colorSpaceIn(d.get(N('Group')));
    for (const c of this.array(d.get(N('Contents')), true)) this.content(c);
    this.resources(p.node.Resources());
  }

  private array(o: PDFObject | undefined, single = false): PDFObject[] {
    const v = this.get(o);
    if (v instanceof PDFArray) return v.asArray();
    return single && v ? [v] : [];
  }

  private entries(o: PDFObject | undefined): PDFObject[] {
    const d = this.dict(o);
    return d ? [...d.values()] : [];
  }

  resources(o: PDFObject | undefined) {
    const r = this.dict(o);
    if (!r || !this.first(o)) return;
    for (const f of this.entries(r.get(N('Font')))) this.font(f);
    for (const x of this.entries(r.get(N('XObject')))) this.xobject(x);
    for (const g of this.entries(r.get(N('ExtGState')))) this.extGState(g);
    for (const cs of this.entries(r.get(N('ColorSpace')))) this.colorSpaceIn(cs);
    for (const sh of this.entries(r.get(N('Shading')))) this.colorSpaceIn(sh);
    for (const pat of this.entries(r.get(N('Pattern')))) this.pattern(pat);
    for (const prop of this.entries(r.get(N('Properties')))) {
      const t = nameOf(this.dict(prop)?.get(N('Type')));
      if (t === 'OCG' || t === 'OCMD') this.add('optionalContent', 'OC');
    }
  }

  private font(o: PDFObject) {
    const f = this.dict(o);
    if (!f || !this.first(o)) return;
    const sub = nameOf(f.get(N('Subtype')));
    const base = nameOf(f.get(N('BaseFont'))) ?? '?';
    if (sub === 'Type3') {
      this.resources(f.get(N('Resources')));
      for (const proc of this.entries(f.get(N('CharProcs')))) this.content(proc);
      return;
    }
    const target = sub === 'Type0' ? this.dict(this.array(f.get(N('DescendantFonts')))[0]) : f;
    const desc = this.dict(target?.get(N('FontDescriptor')));
    if (!desc || !FONT_FILES.some((k) => desc.has(k))) this.add('font', base);
  }

  private xobject(o: PDFObject) {
    const x = this.dict(o);
    if (!x || !this.first(o)) return;
    const sub = nameOf(x.get(N('Subtype')));
    if (sub === 'Image') return this.image(o);
    if (sub === 'PS' || x.has(N('Subtype2'))) return this.add('postscript', 'XObject');
    if (x.has(N('OPI'))) this.add('opi', 'OPI');
    if (x.has(N('Ref'))) this.add('reference', 'Ref');
    if (x.has(N('OC'))) this.add('optionalContent', 'OC');
    this.colorSpaceIn(x.get(N('Group')));
    this.content(o);
    this.resources(x.get(N('Resources')));
  }

  private image(o: PDFObject) {
    const x = this.dict(o);
    if (!x) return;
    if (x.has(N('Alternates'))) this.add('alternates', 'Alternates');
    if (x.has(N('OPI'))) this.add('opi', 'OPI');
    if (x.has(N('OC'))) this.add('optionalContent', 'OC');
    if (this.get(x.get(N('Interpolate'))) === PDFBool.True) this.add('interpolation', 'Interpolate');
    this.filters(x);
    this.colorSpaceIn(x.get(N('ColorSpace')));
    for (const k of ['SMask', 'Mask']) {
      const m = this.get(x.get(N(k)));
      if (m instanceof PDFStream && this.first(m)) this.image(m);
    }
  }

  private extGState(o: PDFObject) {
    const g = this.dict(o);
    if (!g || !this.first(o)) return;
    if (g.has(N('TR'))) this.add('transfer', 'TR');
    const tr2 = g.get(N('TR2'));
    if (tr2 && nameOf(tr2) !== 'Default') this.add('transfer', 'TR2');
    if (g.has(N('HTP')) || g.has(N('HTO'))) this.add('halftone', 'HTP');
    const smask = this.dict(g.get(N('SMask')));
    if (smask) this.xobject(smask.get(N('G')) ?? smask);
  }

  private pattern(o: PDFObject) {
    const p = this.dict(o);
    if (!p || !this.first(o)) return;
    this.colorSpaceIn(p.get(N('Shading')));
    if (this.get(o) instanceof PDFStream) {
      this.content(o);
      this.resources(p.get(N('Resources')));
    }
  }

  /** Any DeviceCMYK anywhere in a colour space, group, shading or their alternates. */
  private colorSpaceIn(o: PDFObject | undefined, depth = 0) {
    const v = this.get(o);
    if (!v || depth > 8) return;
    if (v instanceof PDFName) {
      if (v.decodeText() === 'DeviceCMYK' || v.decodeText() === 'CMYK') this.add('cmyk', 'DeviceCMYK');
      return;
    }
    if (v instanceof PDFArray) {
      for (const e of v.asArray()) this.colorSpaceIn(e, depth + 1);
      return;
    }
    const d = this.dict(v);
    if (d) for (const k of ['CS', 'ColorSpace', 'Alternate']) this.colorSpaceIn(d.get(N(k)), depth + 1);
  }

  private filters(d: PDFDict) {
    for (const f of this.array(d.get(N('Filter')), true)) {
      const name = nameOf(this.get(f));
      if (name && BAD_FILTERS.has(name)) this.add('filter', name);
    }
  }

  /** Operators of a content stream: k/K set CMYK colour, PS runs PostScript; inline images are checked by their keys. */
  private content(o: PDFObject) {
    const s = this.get(o);
    if (!(s instanceof PDFRawStream)) return;
    this.filters(s.dict);
    if (this.found.some((f) => f.code === 'filter')) return;
    let text: string;
    try {
      text = Buffer.from(decodePDFRawStream(s).decode()).toString('latin1');
    } catch {
      this.add('filter', 'undecodable stream');
      return;
    }
    const ops = text.replace(/\((?:\\[\s\S]|[^\\)])*\)|<[0-9a-fA-F\s]*>/g, ' '); // strings cannot hide or fake operators
    if (/(^|[\s\]>)])(k|K)(?=\s|$)/.test(ops)) this.add('cmyk', 'k/K operator');
    if (/(^|\s)PS(?=\s|$)/.test(ops)) this.add('postscript', 'PS');
    if (/\/(CMYK|DeviceCMYK)\b/.test(ops)) this.add('cmyk', 'inline image');
    if (/\/(LZW|LZWDecode)\b/.test(ops)) this.add('filter', 'LZWDecode');
    if (/\/OC\b/.test(ops)) this.add('optionalContent', 'OC');
  }
}

/** What keeps the pages of `doc` out of a PDF/A-2b export; empty when they can be merged. */
export function archivalObstacles(doc: PDFDocument): Obstacle[] {
  const w = new Walker(doc);
  for (const p of doc.getPages()) w.page(p);
  return w.found;
}

/**
 * A merged page keeps what it draws and loses what PDF/A does not allow on it: link annotations
 * (they would need print flags and vetted actions), page-piece data and page-level metadata.
 */
export function stripForArchive(page: PDFPage) {
  for (const k of ['Annots', 'AA', 'PieceInfo', 'Metadata', 'Thumb', 'B']) page.node.delete(N(k));
}
