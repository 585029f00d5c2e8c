// Minimal typing for upstream fontkit 2 (ships no types); only what the PDF engine uses.
declare module 'fontkit' {
  export interface FontkitSubset {
    includeGlyph(glyph: unknown): number;
    encode(): Uint8Array;
  }
  export interface FontkitFont {
    createSubset(): FontkitSubset;
    [key: string]: unknown;
  }
  export function create(buffer: Uint8Array | Buffer, postscriptName?: string): FontkitFont;
}
