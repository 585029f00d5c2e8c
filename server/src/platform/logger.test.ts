import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';

// Logs are written to stdout by pino's own destination, so each format is checked in a child process.
function logOnce(format: string): string {
  const script = `import { createLogger } from './server/src/platform/logger.ts';
const log = createLogger('info', ${JSON.stringify(format)});
log.info({ password: 'hunter2', req: { headers: { cookie: 'provenant_session=abc' } } }, 'server ready');`;
  return execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('logs', () => {
  it('writes one JSON object per line for machines, with secrets redacted', () => {
    const line = JSON.parse(logOnce('json').trim()) as Record<string, unknown>;
    expect(line.msg).toBe('server ready');
    expect(line.password).toBe('[redacted]');
    expect(JSON.stringify(line)).not.toContain('hunter2');
  });

  it('writes a readable line for people, with the same redaction', () => {
    const out = logOnce('pretty');
    expect(() => JSON.parse(out.trim())).toThrow();
    expect(out).toMatch(/INFO.*server ready/);
    expect(out).toContain('[redacted]');
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('abc');
  });

  it('chooses JSON when stdout is not a terminal (auto)', () => {
    expect(JSON.parse(logOnce('auto').trim()).msg).toBe('server ready');
  });
});
