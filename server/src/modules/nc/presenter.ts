import { streamOf } from '../../records/registry.ts';
import { availableActions } from '../../records/lifecycle.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import type { NcDoc } from './nc.record.ts';
import { ncLifecycle } from './nc.lifecycle.ts';

/** The only shape of a nonconformance that leaves the server, with what this user may do now. */
export const presentNc = (n: NcDoc, user: SessionUser) => ({
  id: n._id,
  stream: streamOf('nc', n._id),
  number: n.number,
  status: n.status,
  source: n.source,
  item: n.item,
  supplier: n.supplier,
  lots: n.lots,
  description: n.description,
  detectionPoint: n.detectionPoint,
  containment: n.containment,
  openedBy: n.openedBy,
  openedAt: n.openedAt,
  dispositions: n.dispositions.map(({ byId: _b, ...d }) => ({
    ...d,
    reverificationRequired: d.decision === 'rework',
    reverification: d.reverification
      ? { by: d.reverification.by, at: d.reverification.at, note: d.reverification.note }
      : null,
  })),
  capaId: n.capaId,
  closure: n.closure,
  version: n.ledgerVersion,
  actions: availableActions(ncLifecycle, n, user),
});
