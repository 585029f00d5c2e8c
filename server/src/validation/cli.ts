import { parseArgs } from 'node:util';
import type { Services } from '../platform/services.ts';
import { generateValidationPackage } from './validate.ts';

type WithServices = (fn: (s: Services) => Promise<number>, opts?: { projectionCheck?: boolean }) => Promise<number>;

export const VALIDATE_USAGE = `  validate --out FILE [--locale zh-CN|en-US] [--report JSON] [--manifest JSON] [--oq [--oq-file F ...]]
                                          sealed validation package: IQ (versions, file hashes against
                                          dist/manifest.json, config, PKI, clocks) and the traceability
                                          matrix; --oq runs the OQ suite (server/src/validation/oqSuite.ts) now
                                          and the matrix reads that run, else the last test report`;

export async function validateCommand(args: string[], withServices: WithServices, usage: (m: string) => number) {
  const { values } = parseArgs({
    args,
    options: {
      out: { type: 'string' },
      locale: { type: 'string' },
      report: { type: 'string' },
      manifest: { type: 'string' },
      oq: { type: 'boolean' },
      'oq-file': { type: 'string', multiple: true },
    },
  });
  if (!values.out) return usage('validate needs --out FILE');
  const locale = values.locale ?? 'en-US';
  if (locale !== 'en-US' && locale !== 'zh-CN') return usage('--locale is zh-CN or en-US');
  return withServices(
    async (s) => {
      const p = await generateValidationPackage(s, {
        out: values.out!,
        locale,
        reportPath: values.report,
        manifestPath: values.manifest,
        ...(values.oq ? { oq: values['oq-file']?.length ? { files: values['oq-file'] } : {} } : {}),
      });
      console.log(`wrote ${p.out}: ${p.pages} pages, SHA-256 ${p.sha256}, on the ledger as ${p.stream}`);
      console.log(
        `IQ: ${p.iq.product} ${p.iq.version}${p.iq.commit ? ` (commit ${p.iq.commit})` : ''}; Node ${p.iq.node}; engine ${p.iq.engine.kind}: ${p.iq.engine.detail}`,
      );
      console.log(`IQ: ${p.iq.ok ? 'PASS' : 'FINDINGS'}`);
      for (const c of p.iq.checks) if (!c.ok) console.log(`  FINDING ${c.name}: ${c.detail}`);
      for (const f of p.iq.files.findings) console.log(`  FILE ${f.status} ${f.file}`);
      console.log(`matrix: ${p.matrix.rows.length} requirements, ${p.matrix.gaps} gap(s)`);
      for (const r of p.matrix.rows)
        if (!r.covered) console.log(`  GAP ${r.requirement.source} ${r.requirement.clause}: ${r.gap}`);
      if (p.oq) {
        console.log(
          `OQ: ${p.oq.files.length} files, ${p.oq.total} tests, ${p.oq.passed} passed, ${p.oq.failed} failed (report ${p.oq.reportPath})`,
        );
        for (const x of p.oq.tests)
          if (x.status !== 'passed') console.log(`  ${x.status.toUpperCase()} ${x.file} — ${x.name}`);
      } else console.log('OQ: not run by this command (no --oq); the matrix uses the last test report');
      return 0;
    },
    { projectionCheck: false },
  );
}
