import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { EVENTS } from '../ledger/ledger.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadConfig, ConfigError } from '../platform/config.ts';
import { EngineMissingError } from '../platform/db/engine.ts';
import { boot } from '../boot.ts';
import { main as startMain } from '../main.ts';
import { verifyServerLedger, type LedgerReport } from '../ledger/audit.ts';
import { projectionsRebuild } from './projections.ts';
import { buildBundle, verifyBundle, type LedgerBundle } from '../ledger/bundle.ts';
import type { EvidenceReport } from '../ledger/evidenceBundle.ts';
import { createUser } from '../identity/userService.ts';
import { seed } from '../../../seed/index.ts';
import { requestContext, SYSTEM_ACTOR } from '../platform/context.ts';
import { BACKUP_USAGE, backupCommand, restoreCommand } from '../backup/cli.ts';
import { VALIDATE_USAGE, validateCommand } from '../validation/cli.ts';

const USAGE = `usage: provenant <command>
  start                                   run the server (embedded engine unless MONGODB_URI)
  seed                                    load the demo company into the database
  ledger verify                           verify every chain and checkpoint in the database
  ledger verify --bundle FILE [--ca PEM]  verify an exported bundle offline (no database): a full
                                          ledger export or an auditor portal evidence bundle
  ledger verify ... --expect-root HEX     also prove that the checkpoint with this root (or hash),
                                          saved earlier, is still in the chain: nothing before it changed
  ledger verify ... --threads N           chains and seals on N worker threads (default: one per core
                                          from 100k events on, else 0: in one thread)
  ledger verify ... --all-seals           check the seal of every event, also of those a verified
                                          checkpoint covers (by default only the tail after it)
  ledger export --out FILE                seal a checkpoint and write a bundle
  ledger checkpoint                       seal a checkpoint now
  projections rebuild [--type T]          rewrite every projection (of record type T) that differs
                                          from a replay of its stream; the ledger is not changed
  user create --username U --full-name N --email E --roles r1,r2   (password from PROVENANT_NEW_PASSWORD)
${BACKUP_USAGE}
${VALIDATE_USAGE}
exit codes: 0 ok, 1 verification failed, 2 usage or runtime error`;

/** `ledger verify` uses worker threads by default from this many events on. */
export const AUTO_THREADS_FROM = 100_000;

/** Runs one CLI command; returns the process exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [cmd, sub, ...rest] = argv;
  try {
    if (cmd === 'start') {
      await startMain();
      return 0;
    }
    if (cmd === 'ledger' && sub === 'verify') {
      const { values } = parseArgs({
        args: rest,
        options: {
          bundle: { type: 'string' },
          ca: { type: 'string' },
          json: { type: 'boolean' },
          'expect-root': { type: 'string' },
          threads: { type: 'string' },
          'all-seals': { type: 'boolean' },
        },
      });
      const expectRoot = values['expect-root'];
      // the chains and seals on worker threads (--threads N), by default one per core from
      // AUTO_THREADS_FROM events on (below it, starting the workers costs more than they save); 0: one thread
      const threads =
        values.threads === undefined ? -1 : /^\d{1,2}$/.test(values.threads) ? Number(values.threads) : 99;
      if (threads > 64) return usage('--threads takes a number of worker threads from 0 (none: one thread) to 64');
      if (expectRoot !== undefined && !/^[0-9a-fA-F]{64}$/.test(expectRoot))
        return usage('--expect-root takes a checkpoint root or hash: 64 hex digits');
      if (values.bundle) {
        let bundle: LedgerBundle;
        try {
          bundle = JSON.parse(readFileSync(values.bundle, 'utf8')) as LedgerBundle;
        } catch (err) {
          if (!(err instanceof SyntaxError)) throw err;
          // an altered byte that breaks the JSON is still a failed verification, not a usage error
          console.log(`FAIL ${values.bundle} is not valid JSON (altered or truncated): ${err.message}`);
          console.log('ledger verification FAILED: the bundle cannot be read');
          return 1;
        }
        const report = verifyBundle(bundle, values.ca ? readFileSync(values.ca, 'utf8') : undefined, expectRoot);
        return printReport(report, values.json, `bundle ${values.bundle}`);
      }
      return await withServices(
        async (s) =>
          printReport(
            await verifyServerLedger(
              s,
              expectRoot,
              threads >= 0
                ? threads
                : (await s.db.collection(EVENTS).estimatedDocumentCount()) >= AUTO_THREADS_FROM
                  ? availableParallelism()
                  : 0,
              values['all-seals'] === true,
            ),
            values.json,
            'database',
          ),
        { projectionCheck: false },
      );
    }
    if (cmd === 'ledger' && sub === 'export') {
      const { values } = parseArgs({ args: rest, options: { out: { type: 'string' } } });
      if (!values.out) return usage('ledger export needs --out FILE');
      return await withServices(async (s) => {
        const bundle = await buildBundle(s);
        writeFileSync(values.out!, JSON.stringify(bundle));
        console.log(
          `wrote ${bundle.events.length} events and ${bundle.checkpoints.length} checkpoints to ${values.out}`,
        );
        return 0;
      });
    }
    if (cmd === 'ledger' && sub === 'checkpoint') {
      return await withServices(async (s) => {
        const c = await s.checkpointer.create(true);
        console.log(`checkpoint ${c?.seq} root ${c?.root}`);
        return 0;
      });
    }
    if (cmd === 'projections' && sub === 'rebuild') {
      const { values } = parseArgs({ args: rest, options: { type: { type: 'string' } } });
      return await projectionsRebuild(values.type, withServices, usage);
    }
    if (cmd === 'backup') return await backupCommand(argv.slice(1), withServices, usage);
    if (cmd === 'validate') return await validateCommand(argv.slice(1), withServices, usage);
    if (cmd === 'restore')
      return await restoreCommand(argv.slice(1), () => loadConfig(process.env), withServices, usage);
    if (cmd === 'seed')
      return await withServices(async (s) => {
        console.log(await seed(s));
        return 0;
      });
    if (cmd === 'user' && sub === 'create') {
      const { values } = parseArgs({
        args: rest,
        options: {
          username: { type: 'string' },
          'full-name': { type: 'string' },
          email: { type: 'string' },
          roles: { type: 'string' },
        },
      });
      const password = process.env.PROVENANT_NEW_PASSWORD;
      if (!values.username || !values['full-name'] || !values.email || !values.roles || !password)
        return usage('user create needs --username, --full-name, --email, --roles and PROVENANT_NEW_PASSWORD');
      return await withServices(async (s) =>
        requestContext.run({ requestId: 'cli', locale: 'en-US', actor: SYSTEM_ACTOR }, async () => {
          const u = await createUser(s, {
            username: values.username!,
            fullName: values['full-name']!,
            email: values.email!,
            roles: values.roles!.split(','),
            password,
            temporary: true,
          });
          console.log(`created ${u.username} (${u._id}); the password must be changed at first sign-in`);
          return 0;
        }),
      );
    }
    return usage(cmd ? `unknown command: ${argv.join(' ')}` : '');
  } catch (err) {
    if (err instanceof ConfigError || err instanceof EngineMissingError) console.error(err.message);
    else console.error(`error: ${(err as Error).message}`);
    return 2;
  }
}

async function withServices(
  fn: (s: Awaited<ReturnType<typeof boot>>['services']) => Promise<number>,
  opts: { projectionCheck?: boolean } = {},
): Promise<number> {
  const booted = await boot(
    loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', CHECKPOINT_INTERVAL_SECONDS: '0' }),
    opts,
  );
  try {
    return await fn(booted.services);
  } finally {
    await booted.stop();
  }
}

function printReport(
  r: LedgerReport & { uncovered?: number; evidence?: EvidenceReport['evidence'] },
  json: boolean | undefined,
  what: string,
): number {
  if (json) console.log(JSON.stringify(r, null, 2));
  else {
    if (r.evidence)
      console.log(
        `evidence bundle for grant ${r.evidence.grantId}, exported ${r.evidence.exportedAt}: ${r.evidence.records} records, ${r.evidence.pdfs} PDFs; signed manifest ${r.evidence.manifestValid ? 'verified' : 'FAILED'}`,
      );
    console.log(
      `${what}: ${r.events} events in ${r.streams} streams, ${r.checkpoints} checkpoints` +
        (r.signatures !== undefined ? `, ${r.signatures} signatures, ${r.projections} projections checked` : ''),
    );
    if (r.witnessed !== undefined)
      console.log(`  ${r.witnessed} checkpoint(s) in the witness file(s) outside the database, compared`);
    console.log(
      `  ${r.uncovered ?? 0} event(s) not yet covered by a checkpoint (their chain and seals are verified; a checkpoint will cover them)`,
    );
    if (r.seals) console.log(`  ${r.seals.checked} seal(s) checked: ${r.seals.why}`);
    for (const f of r.findings) console.log(`  FAIL ${f.stream} version ${f.version}: ${f.kind} — ${f.detail}`);
    console.log(
      r.ok
        ? 'ledger verified: every chain and checkpoint is intact'
        : `ledger verification FAILED: ${r.findings.length} finding(s)`,
    );
  }
  return r.ok ? 0 : 1;
}

function usage(msg: string): number {
  if (msg) console.error(msg);
  console.error(USAGE);
  return 2;
}
