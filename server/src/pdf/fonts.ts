import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { EventEmitter } from 'node:events';
import * as fontkit from 'fontkit';
import type { PDFDocument } from 'pdf-lib';

type PdfLibFontkit = Parameters<PDFDocument['registerFontkit']>[0];

// The CJK + Latin font for every PDF: Noto Sans SC (SIL OFL) shipped as TrueType by the npm
// package @expo-google-fonts/noto-sans-sc, so `npm install` is all a fresh machine needs.
// TrueType (glyf) rather than the CFF .otf fonts: fontkit's CFF subsetter is slower (~3x) and
// the @pdf-lib/fontkit fork drops glyphs when subsetting this font, so we use upstream fontkit 2
// through a small adapter (pdfLibFontkit) for pdf-lib.
const require = createRequire(import.meta.url);
const FONT_FILES = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
} as const;

const cache = new Map<keyof typeof FONT_FILES, Promise<Uint8Array>>();

function load(weight: keyof typeof FONT_FILES): Promise<Uint8Array> {
  let p = cache.get(weight);
  if (!p) {
    p = readFile(require.resolve(FONT_FILES[weight])).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    p.catch(() => cache.delete(weight)); // let a later call retry
    cache.set(weight, p);
  }
  return p;
}

/** Noto Sans SC Regular (covers Chinese and Latin); read once and cached for the process. */
export function loadCjkFontBytes(): Promise<Uint8Array> {
  return load('regular');
}
/** Noto Sans SC Bold, for headings. */
export function loadCjkBoldFontBytes(): Promise<Uint8Array> {
  return load('bold');
}

/**
 * pdf-lib's Fontkit interface backed by upstream fontkit 2. pdf-lib calls
 * `subset.encodeStream()` (fontkit 1 API); fontkit 2 returns the bytes from `encode()`.
 * Use: `doc.registerFontkit(pdfLibFontkit); doc.embedFont(bytes, {subset: true})`.
 */
const parsed = new WeakMap<Uint8Array, fontkit.FontkitFont>(); // parsed fonts (with their glyph caches) reused across documents

export const pdfLibFontkit: PdfLibFontkit = {
  create(buf: Uint8Array) {
    const known = parsed.get(buf);
    if (known) return known as never;
    const font = fontkit.create(buf);
    parsed.set(buf, font);
    const createSubset = font.createSubset.bind(font);
    font.createSubset = () => {
      const subset = createSubset() as ReturnType<typeof createSubset> & { encodeStream?: () => EventEmitter };
      subset.encodeStream = () => {
        const out = new EventEmitter();
        setImmediate(() => {
          out.emit('data', subset.encode());
          out.emit('end');
        });
        return out;
      };
      return subset;
    };
    return font as never;
  },
};
