import { sha256Hex } from './event.ts';

export interface StreamHead { stream: string; version: number; hash: string }

// Leaves are the stream heads sorted by stream name, so any party can rebuild the same root.
export function leafHash(h: StreamHead): string {
  return sha256Hex(`leaf\u0000${h.stream}\u0000${h.version}\u0000${h.hash}`);
}

export function merkleRoot(heads: StreamHead[]): string {
  if (heads.length === 0) return sha256Hex('empty');
  let level = [...heads].sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0)).map(leafHash);
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(i + 1 < level.length ? sha256Hex(`node\u0000${level[i]}${level[i + 1]}`) : level[i]);
    }
    level = next;
  }
  return level[0];
}
