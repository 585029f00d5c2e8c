import { rgb, type PDFFont } from 'pdf-lib';

// The page geometry and palette every PDF part shares: layout.ts flows onto it, table.ts draws
// tables inside it and decorate.ts adds the header and footer bands. Kept apart from layout.ts so
// table.ts can use them without an import cycle (layout.ts calls drawTable).
export const A4 = { width: 595.28, height: 841.89 };
export const MARGIN = { left: 42, right: 42, top: 84, bottom: 58 };
export const COLORS = {
  text: rgb(0.1, 0.1, 0.12),
  muted: rgb(0.42, 0.42, 0.46),
  rule: rgb(0.75, 0.75, 0.78),
  fill: rgb(0.93, 0.94, 0.96),
  bad: rgb(0.75, 0.08, 0.08),
  good: rgb(0.05, 0.45, 0.2),
  stamp: rgb(0.78, 0.1, 0.1),
};

export interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

export const lineHeight = (size: number) => size * 1.38;
