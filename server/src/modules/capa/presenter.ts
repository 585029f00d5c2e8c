import type { SessionUser } from '../../identity/sessionUser.ts';
import { availableActions } from '../../records/lifecycle.ts';
import { streamOf } from '../../records/registry.ts';
import type { CapaDoc } from './capa.record.ts';
import { capaLifecycle } from './capa.lifecycle.ts';
import { isOverdue } from './service.ts';

// The only shapes of a CAPA that leave the server: a list row and the detail, each with the
// actions this user may take now (the client's RecordActionBar draws exactly these).
export function presentCapaRow(c: CapaDoc, user: SessionUser) {
  return {
    id: c._id,
    stream: streamOf('capa', c._id),
    number: c.number,
    title: c.title,
    source: c.source,
    owner: c.owner,
    state: c.state,
    due: c.due,
    overdue: isOverdue(c),
    openTasks: c.tasks.filter((t) => t.status === 'open').length,
    createdAt: c.createdAt,
    version: c.ledgerVersion,
    actions: availableActions(capaLifecycle, c, user),
  };
}

export function presentCapa(c: CapaDoc, user: SessionUser) {
  return {
    ...presentCapaRow(c, user),
    problem: c.problem,
    createdBy: c.createdBy,
    round: c.round,
    decision: c.decision,
    containment: c.containment,
    investigation: c.investigation,
    tasks: c.tasks,
    links: c.links,
    verification: c.verification,
    closure: c.closure,
    effectiveness: c.effectiveness,
    checks: c.checks,
    extension: c.extension,
    extensions: c.extensions,
    pending: c.pending ? { action: c.pending.action } : null,
  };
}
