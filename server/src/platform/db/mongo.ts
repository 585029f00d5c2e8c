import { MongoClient, type Db, type IndexDescription } from 'mongodb';

// One connection per process. Modules declare their indexes here at start-up; everything stays
// within what FerretDB 1.24 supports (unique/compound indexes, single-document atomic writes).
export interface Database {
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
}

export async function connectDatabase(uri: string, dbName: string): Promise<Database> {
  const client = new MongoClient(uri, { maxPoolSize: 20, serverSelectionTimeoutMS: 10_000, ignoreUndefined: true });
  await client.connect();
  const db = client.db(dbName);
  return { client, db, close: () => client.close() };
}

const declared: Array<{ collection: string; indexes: IndexDescription[] }> = [];

export function declareIndexes(collection: string, indexes: IndexDescription[]) {
  declared.push({ collection, indexes });
}

export async function ensureIndexes(db: Db) {
  // One index per call: FerretDB 1.24 drops the connection when a multi-index createIndexes
  // names an index that already exists (seen on every restart).
  for (const { collection, indexes } of declared) {
    for (const index of indexes) await db.collection(collection).createIndexes([index]);
  }
}

/** True when a MongoDB error is a unique-index violation (E11000). */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}
