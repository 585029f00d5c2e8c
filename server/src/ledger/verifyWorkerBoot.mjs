// Starts verifyWorker.ts in a worker thread when the server runs from source: the TypeScript
// loader (tsx) the main thread runs under is registered here first (workers do not inherit it).
import { register } from 'tsx/esm/api';

register();
await import(new URL('./verifyWorker.ts', import.meta.url).href);
