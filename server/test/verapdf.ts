import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// PDF/A validation of exported files by veraPDF (the PDF Association's reference validator),
// fetched from Maven Central by tools/verapdf/fetch.sh (CI runs it). A missing validator is a
// failure that says how to get it, never a skipped check. Asynchronous: the tests' server runs in
// the same process, and a blocked event loop for the seconds the JVM takes breaks its connections.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'tools/verapdf/verapdf');

export interface PdfAReport {
  compliant: boolean;
  profile: string;
  failures: string[];
}

/** Validates `file` against PDF/A `flavour` ('2b', '3b'); failures read "clause-test: description (n checks)". */
export async function validatePdfA(file: string, flavour: '2b' | '3b'): Promise<PdfAReport> {
  const r = await new Promise<{ error: Error | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      CLI,
      ['--flavour', flavour, '--format', 'xml', '--maxfailuresdisplayed', '1', file],
      { encoding: 'utf8', maxBuffer: 64 << 20 },
      (error, stdout, stderr) => resolve({ error, stdout, stderr }),
    );
  });
  if (!r.stdout.includes('<validationReport')) {
    // veraPDF exits 1 for a file that does not conform: the report says so
    throw new Error(
      `veraPDF did not run (${r.stderr.trim().split('\n')[0] || r.error?.message}). ` +
        'Fetch it from Maven Central with `bash tools/verapdf/fetch.sh` (needs Java 11+ and Maven; CI does this in .ci/run).',
    );
  }
  const failures = [
    ...r.stdout.matchAll(
      /<rule [^>]*clause="([^"]+)" testNumber="(\d+)" status="failed" failedChecks="(\d+)"[^>]*>\s*<description>([^<]*)</g,
    ),
  ].map(([, clause, n, count, text]) => `${clause}-${n}: ${text} (${count} checks)`);
  return {
    compliant: /<validationReport [^>]*isCompliant="true"/.test(r.stdout),
    profile: /<validationReport [^>]*profileName="([^"]+)"/.exec(r.stdout)?.[1] ?? '',
    failures,
  };
}
