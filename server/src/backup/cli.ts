import { parseArgs } from 'node:util';
import type { Services } from '../platform/services.ts';
import type { Config } from '../platform/config.ts';
import { verifyServerLedger } from '../ledger/audit.ts';
import { writeBackup } from './backup.ts';
import { ArchiveError, isEncrypted, readLedgerHead, type Manifest } from './archive.ts';
import { restoreArchive, RestoreRefused, sameHead } from './restore.ts';

type WithServices = (fn: (s: Services) => Promise<number>, opts?: { projectionCheck?: boolean }) => Promise<number>;

export const BACKUP_USAGE = `  backup --out FILE [--passphrase-env VAR]  write a consistent, compressed archive of the whole database
                                          (ledger, projections, files, credentials, PKI, seal key, witness);
                                          encrypted (AES-256-GCM, scrypt) with the passphrase in $VAR
  restore FILE [--passphrase-env VAR]     restore an archive into an EMPTY database, then verify the ledger
                                          (the same PROVENANT_SECRET as the server that made the backup)`;

/** The passphrase is read from the named environment variable, never from the command line. */
function passphraseFrom(varName: string | undefined): string | undefined | Error {
  if (varName === undefined) return undefined;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(varName)) return new Error('--passphrase-env takes the NAME of a variable');
  const value = process.env[varName];
  if (!value) return new Error(`the environment variable ${varName} (the passphrase) is not set`);
  if (value.length < 12) return new Error(`the passphrase in ${varName} is too short (at least 12 characters)`);
  return value;
}

const headLine = (m: Manifest) =>
  `ledger head: ${m.head.events} events in ${m.head.streams} streams, ` +
  (m.head.checkpoint ? `checkpoint ${m.head.checkpoint.seq} root ${m.head.checkpoint.root}` : 'no checkpoint') +
  `, heads ${m.head.headsSha256}`;

export async function backupCommand(args: string[], withServices: WithServices, usage: (m: string) => number) {
  const { values } = parseArgs({ args, options: { out: { type: 'string' }, 'passphrase-env': { type: 'string' } } });
  if (!values.out) return usage('backup needs --out FILE');
  const passphrase = passphraseFrom(values['passphrase-env']);
  if (passphrase instanceof Error) return usage(passphrase.message);
  return withServices(
    async (s) => {
      const m = await writeBackup(s, values.out!, passphrase);
      const docs = m.parts.filter((p) => p.kind === 'collection').reduce((n, p) => n + p.count, 0);
      console.log(`wrote ${values.out}${passphrase ? ' (encrypted)' : ''}: ${m.parts.length} parts, ${docs} documents`);
      console.log(headLine(m));
      return 0;
    },
    { projectionCheck: false },
  );
}

export async function restoreCommand(
  args: string[],
  config: () => Config,
  withServices: WithServices,
  usage: (m: string) => number,
) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'passphrase-env': { type: 'string' } },
  });
  if (positionals.length !== 1) return usage('restore needs exactly one FILE');
  const file = positionals[0];
  const passphrase = passphraseFrom(values['passphrase-env']);
  if (passphrase instanceof Error) return usage(passphrase.message);
  let manifest: Manifest;
  try {
    if (passphrase === undefined && isEncrypted(file))
      throw new ArchiveError('the archive is encrypted: give the passphrase with --passphrase-env VAR');
    manifest = await restoreArchive(config(), file, passphrase);
  } catch (err) {
    if (err instanceof ArchiveError || err instanceof RestoreRefused) {
      console.error(`restore refused: ${err.message}`);
      console.error('nothing was written');
      return 1;
    }
    throw err;
  }
  console.log(`restored ${file} (made ${manifest.createdAt} by provenant ${manifest.product.version})`);
  // start-up brings level the projections left out as ahead of the head; then verify everything
  return withServices(async (s) => {
    const report = await verifyServerLedger(s);
    const { head } = await readLedgerHead(s.db);
    const same = sameHead(head, manifest.head);
    console.log(headLine(manifest));
    console.log(
      report.ok
        ? `ledger verified: ${report.events} events in ${report.streams} streams, ${report.checkpoints} checkpoints`
        : `ledger verification FAILED: ${report.findings.length} finding(s)`,
    );
    for (const f of report.findings.slice(0, 20))
      console.log(`  FAIL ${f.stream} version ${f.version}: ${f.kind} — ${f.detail}`);
    console.log(
      same ? 'the ledger head equals the backup manifest' : 'the ledger head DIFFERS from the backup manifest',
    );
    return report.ok && same ? 0 : 1;
  });
}
