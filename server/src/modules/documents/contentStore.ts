import { createHash } from 'node:crypto';
import { Binary } from 'mongodb';
import type { Services } from '../../platform/services.ts';
import { isDuplicateKey } from '../../platform/db/mongo.ts';
import { errors } from '../../platform/errors.ts';
import { DocumentErrors } from './errors.ts';
import { nowIso } from '../../platform/clock.ts';

// Immutable content addressed by SHA-256, insert-only: the same bytes are stored once, and
// nothing is ever updated or deleted. A file is a head document `{_id: sha256, size, chunks}`
// plus chunk documents `{_id: "<sha256>.<n>"}` of at most 4 MB (the engine caps documents at 16 MB).
export const BLOBS = 'blobs';
const CHUNK = 4 * 1024 * 1024;

interface BlobHead {
  _id: string;
  kind: 'head';
  size: number;
  chunks: number;
  createdAt: string;
}
interface BlobChunk {
  _id: string;
  kind: 'chunk';
  sha256: string;
  n: number;
  data: Binary;
}

export const sha256Of = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export async function putBlob(s: Services, bytes: Buffer): Promise<string> {
  const sha256 = sha256Of(bytes);
  const col = s.db.collection<BlobHead | BlobChunk>(BLOBS);
  if (await col.findOne({ _id: sha256 }, { projection: { _id: 1 } })) return sha256;
  const chunks = Math.max(1, Math.ceil(bytes.length / CHUNK));
  for (let n = 0; n < chunks; n++) {
    const data = new Binary(bytes.subarray(n * CHUNK, (n + 1) * CHUNK));
    await col.insertOne({ _id: `${sha256}.${n}`, kind: 'chunk', sha256, n, data }).catch(ignoreDuplicate);
  }
  // the head goes last: a head means every chunk is there
  await col
    .insertOne({ _id: sha256, kind: 'head', size: bytes.length, chunks, createdAt: nowIso() })
    .catch(ignoreDuplicate);
  return sha256;
}

function ignoreDuplicate(err: unknown) {
  if (!isDuplicateKey(err)) throw err;
}

/** The bytes, checked against their address (a changed chunk is found, never served). */
export async function getBlob(s: Services, sha256: string): Promise<Buffer> {
  const col = s.db.collection<BlobHead | BlobChunk>(BLOBS);
  const head = (await col.findOne({ _id: sha256 })) as BlobHead | null;
  if (!head) throw errors.notFound('content');
  const parts: Buffer[] = [];
  for (let n = 0; n < head.chunks; n++) {
    const c = (await col.findOne({ _id: `${sha256}.${n}` })) as BlobChunk | null;
    if (!c) throw DocumentErrors.CONTENT_DAMAGED({ problem: 'incomplete' });
    parts.push(Buffer.from(c.data.read(0, c.data.length())));
  }
  const bytes = Buffer.concat(parts);
  if (sha256Of(bytes) !== sha256) throw DocumentErrors.CONTENT_DAMAGED({ problem: 'hash' });
  return bytes;
}
