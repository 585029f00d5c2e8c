/**
 * The last replayed state of each stream, keyed by the version and hash of the event it folds up
 * to. Projector writes derive the whole document from the stream (never from the stored
 * projection, which anyone with database access could have edited); this cache keeps that cheap:
 * the next event folds onto the cached state when its prevHash names the cached head, otherwise
 * the stream is replayed from the ledger. Least recently used streams are dropped first.
 */
export interface Replayed {
  version: number;
  hash: string;
  state: object;
}

export class ReplayCache {
  private map = new Map<string, Replayed>();
  constructor(private capacity = 20_000) {}

  get(stream: string): Replayed | undefined {
    const hit = this.map.get(stream);
    if (hit) {
      this.map.delete(stream);
      this.map.set(stream, hit);
    }
    return hit;
  }

  /** Keeps the newer of the cached and the given state (appends may finish out of order). */
  put(stream: string, version: number, hash: string, state: object) {
    const known = this.map.get(stream);
    if (known && known.version > version) return;
    this.map.delete(stream);
    this.map.set(stream, { version, hash, state });
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!);
  }

  clear() {
    this.map.clear();
  }
}
