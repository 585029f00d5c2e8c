import type { Services } from '../../platform/services.ts';
import { openRecords } from '../../records/openRecords.ts';
import { workOrderLifecycle } from './workorder.lifecycle.ts';
import type { WorkOrderDoc } from './workorder.model.ts';
import { workOrderRecord } from './workorder.record.ts';

/**
 * The work orders not closed or cancelled, from this server's in-process index (records/openRecords.ts:
 * no engine round trip when nothing changed, another server's write within 1 s). For views and the
 * inbox; a command that decides on them reads the database (changes/implementation.ts).
 */
export const openWorkOrderDocs = (s: Services): Promise<WorkOrderDoc[]> =>
  openRecords<WorkOrderDoc>(
    s,
    workOrderRecord,
    'open',
    (w) => !(workOrderLifecycle.final as readonly string[]).includes(w.state),
  );
