import type { Services } from '../platform/services.ts';
import { RECORD_TYPES } from '../records/types.ts';
import { rebuildProjections } from '../records/projectionRepair.ts';
import type { Finding } from '../ledger/verify.ts';

type WithServices = (fn: (s: Services) => Promise<number>, opts?: { projectionCheck?: boolean }) => Promise<number>;

/**
 * `provenant projections rebuild [--type T]`: exit 0 when every projection now equals its stream,
 * 1 when some could not be rebuilt (a state the engine cannot store), 2 on a usage error.
 */
export async function projectionsRebuild(
  type: string | undefined,
  withServices: WithServices,
  usage: (msg: string) => number,
): Promise<number> {
  const all = RECORD_TYPES;
  const types = type === undefined ? undefined : all.filter((t) => t.type === type);
  if (types && !types.length)
    return usage(
      `unknown record type "${type}"; one of: ${all
        .map((t) => t.type)
        .sort()
        .join(', ')}`,
    );
  return withServices(
    async (s) => {
      const r = await rebuildProjections(s, types);
      const show = (label: string, fs: Finding[]) => {
        for (const f of fs) console.log(`  ${label} ${f.stream} (projected version ${f.version}): ${f.detail}`);
      };
      show('rebuilt', r.rebuilt);
      show('removed', r.removed);
      show('FAILED', r.failed);
      console.log(
        `${r.streams} projection(s) of ${types ? types[0].type : 'every record type'} checked in ${r.ms} ms: ${r.rebuilt.length} rebuilt, ${r.removed.length} removed, ${r.failed.length} could not be rebuilt`,
      );
      return r.failed.length ? 1 : 0;
    },
    { projectionCheck: false },
  );
}
