import type { SessionUser } from '../../identity/sessionUser.ts';
import { availableActions } from '../../records/lifecycle.ts';
import type { DesignElementDoc } from './element.record.ts';
import type { DesignLinkDoc } from './link.record.ts';
import type { DesignProjectDoc } from './project.record.ts';
import { designElementLifecycle } from './element.lifecycle.ts';
import { designLinkLifecycle } from './link.lifecycle.ts';
import { designProjectLifecycle } from './project.lifecycle.ts';

// The only shapes of design records that leave the server, each with what this user may do now.
export function presentProject(p: DesignProjectDoc, user: SessionUser) {
  return {
    id: p._id,
    title: p.title,
    item: p.item,
    dmrId: p.dmrId,
    author: p.author,
    createdAt: p.createdAt,
    planRevision: p.planRevision,
    planState: p.planState,
    stages: p.stages,
    approvedBy: p.approvedBy,
    approvedAt: p.approvedAt,
    version: p.ledgerVersion,
    actions: availableActions(designProjectLifecycle, p, user),
  };
}

export function presentElement(e: DesignElementDoc, user: SessionUser) {
  return {
    id: e._id,
    projectId: e.projectId,
    kind: e.kind,
    code: e.code,
    state: e.state,
    current: e.current,
    approved: e.approved,
    revisions: e.revisions,
    createdAt: e.createdAt,
    version: e.ledgerVersion,
    actions: availableActions(designElementLifecycle, e, user),
  };
}

export function presentLink(l: DesignLinkDoc, user: SessionUser) {
  return {
    id: l._id,
    projectId: l.projectId,
    from: l.from,
    to: l.to,
    suspect: l.suspect,
    confirmed: l.confirmed,
    version: l.ledgerVersion,
    actions: availableActions(designLinkLifecycle, l, user),
  };
}
