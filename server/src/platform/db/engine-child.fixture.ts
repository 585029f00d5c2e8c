// Test fixture for engine.test.ts: a process that starts the embedded engine on argv[2], prints
// its ids as one JSON line and then idles until it is killed.
import { startEmbeddedEngine } from './engine.ts';

const engine = await startEmbeddedEngine({ dataDir: process.argv[2]! });
console.log(JSON.stringify({ pid: engine.pid, launcherPid: engine.launcherPid, socket: engine.socketPath }));
setInterval(() => undefined, 60_000);
