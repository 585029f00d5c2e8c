import type { Server } from 'node:http';
import { ConfigError, loadConfig } from './platform/config.ts';
import { EngineMissingError } from './platform/db/engine.ts';
import { boot, type Booted } from './boot.ts';
import { createApp } from './app.ts';
import { installSafetyNet } from './platform/safetyNet.ts';
import { answerClientErrors } from './platform/http/clientError.ts';
import { seedIfEmpty } from '../../seed/index.ts';

export interface Running {
  booted: Booted;
  server: Server;
  url: string;
  stop(): Promise<void>;
}

/** Boots everything and listens. Used by `provenant start` and by the test harness. */
export async function startServer(
  env: NodeJS.ProcessEnv = process.env,
  opts: { engineDir?: string | 'memory'; quiet?: boolean; liveCheck?: boolean } = {},
): Promise<Running> {
  const config = loadConfig(env);
  const booted = await boot(config, opts);
  const s = booted.services;
  const seeded = config.PROVENANT_SEED === 'auto' ? await seedIfEmpty(s) : null;
  const app = createApp(s);
  const server = await new Promise<Server>((resolve) => {
    const srv = app.listen(config.PORT, config.HOST, () => resolve(srv));
  });
  answerClientErrors(server, s.logger);
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
  const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`;
  if (!opts.quiet) {
    console.log(`\nProvenant ${s.version} is running at ${url}  (engine: ${s.engine})`);
    if (seeded) console.log(seeded);
  }
  return {
    booted,
    server,
    url,
    async stop() {
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections?.();
      await booted.stop();
    },
  };
}

export async function main() {
  try {
    const running = await startServer();
    installSafetyNet(running.booted.services.logger, running.stop);
    const shutdown = async () => {
      await running.stop();
      process.exit(0);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof EngineMissingError) {
      console.error(err.message);
      process.exit(1);
    }
    console.error('Provenant failed to start:', (err as Error).message);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) void main();
