import { randomUUID } from 'node:crypto';
import type { Services } from '../platform/services.ts';
import type { SessionUser } from '../identity/sessionUser.ts';
import { AppError, domainError, errors } from '../platform/errors.ts';
import { currentLocale } from '../platform/context.ts';
import { addDays, todayUtc } from '../platform/dates.ts';
import { usersCollection } from '../identity/userService.ts';
import { streamOf } from '../records/registry.ts';
import { AUDIT_GRANTS, type GrantDoc, type GrantState } from './grant.record.ts';
import { grantEvents } from './events.ts';

// Issuing, revoking and checking auditor grants. A grant is active from `from` to `to`
// inclusive (UTC calendar dates); its status is always computed from today, never stored.
// These run inside the request: the ledger takes the actor (the administrator, or the auditor
// for a page view) from the request context (identity/authenticate.ts).
export type GrantStatus = 'active' | 'expired' | 'revoked' | 'scheduled';
export const MAX_GRANT_DAYS = 366;

const grants = (s: Services) => s.db.collection<GrantDoc>(AUDIT_GRANTS);

export function grantStatus(g: Pick<GrantState, 'from' | 'to' | 'revoked'>, today = todayUtc()): GrantStatus {
  if (g.revoked) return 'revoked';
  if (today < g.from) return 'scheduled';
  if (today > g.to) return 'expired';
  return 'active';
}

/** The Grant shape of the API contract (the only one that leaves the server). */
export function presentGrant(g: GrantDoc) {
  return {
    id: g._id,
    stream: streamOf('auditgrant', g._id),
    auditor: { id: g.auditor.id, name: g.auditor.name },
    from: g.from,
    to: g.to,
    scope: { items: g.scope.items },
    purpose: g.purpose,
    status: grantStatus(g),
    grantedBy: g.grantedBy.name,
    grantedAt: g.grantedAt,
    revoked: g.revoked,
    ledgerVersion: g.ledgerVersion,
  };
}
export type GrantView = ReturnType<typeof presentGrant>;

export interface NewGrant {
  auditorId: string;
  from: string;
  to: string;
  itemIds: string[];
  purpose: string;
}

const bad = (code: string, en: string, zh: string, details?: unknown) => domainError(code, en, zh, 400, details);

export async function issueGrant(s: Services, input: NewGrant): Promise<GrantView> {
  if (input.to < input.from)
    throw bad(
      'GRANT_BAD_DATES',
      `The grant ends (${input.to}) before it starts (${input.from}).`,
      `授权结束日期(${input.to})早于开始日期(${input.from})。`,
    );
  if (input.to < todayUtc())
    throw bad(
      'GRANT_BAD_DATES',
      `The grant would already have ended (${input.to}).`,
      `授权结束日期(${input.to})已过。`,
    );
  if (input.to > addDays(input.from, MAX_GRANT_DAYS - 1)) {
    throw bad(
      'GRANT_BAD_DATES',
      `A grant may run for at most ${MAX_GRANT_DAYS} days; issue a new one after.`,
      `授权期限最长 ${MAX_GRANT_DAYS} 天,到期后请重新授权。`,
    );
  }
  const auditor = await usersCollection(s).findOne({ _id: input.auditorId });
  if (!auditor) throw errors.notFound('user');
  // the portal is for auditor accounts: they can change nothing, so a grant cannot become a write path
  if (!auditor.roles.includes('auditor')) {
    throw bad(
      'GRANTEE_NOT_AUDITOR',
      `${auditor.fullName} does not have the auditor role; only auditors can be granted portal access.`,
      `${auditor.fullName} 不是审计员,只能向审计员授予门户访问权限。`,
      { auditorId: input.auditorId },
    );
  }
  if (auditor.status === 'disabled')
    throw bad('GRANTEE_DISABLED', `${auditor.fullName}'s account is disabled.`, `${auditor.fullName} 的账户已停用。`);
  const items = [];
  for (const id of new Set(input.itemIds)) {
    const item = await s.db
      .collection<{ _id: string; partNumber: string; name: { zh: string; en: string }; type: string }>('items')
      .findOne({ _id: id });
    if (!item) throw bad('GRANT_ITEM_UNKNOWN', `There is no item ${id}.`, `物料 ${id} 不存在。`, { itemId: id });
    if (item.type !== 'finished') {
      throw bad(
        'GRANT_ITEM_NOT_FINISHED',
        `${item.partNumber} is not a finished device; a grant's scope is finished devices.`,
        `${item.partNumber} 不是成品器械,授权范围只能是成品器械。`,
        { itemId: id },
      );
    }
    items.push({ id, partNumber: item.partNumber, name: item.name });
  }
  const id = randomUUID();
  const issued = grantEvents.change('grant.issued', {
    auditor: { id: auditor._id, name: auditor.fullName, username: auditor.username },
    from: input.from,
    to: input.to,
    scope: { items },
    purpose: input.purpose,
  });
  await s.ledger.append(streamOf('auditgrant', id), issued.type, issued.data, {
    expectedVersion: 0,
    reason: input.purpose,
  });
  return presentGrant(await getGrant(s, id));
}

export async function revokeGrant(s: Services, id: string, reason: string): Promise<GrantView> {
  for (let attempt = 0; ; attempt++) {
    const g = await getGrant(s, id);
    if (g.revoked) throw errors.illegalTransition('revoke', 'revoked');
    try {
      const revoked = grantEvents.change('grant.revoked', { reason });
      await s.ledger.append(streamOf('auditgrant', id), revoked.type, revoked.data, {
        expectedVersion: g.ledgerVersion,
        reason,
      });
      return presentGrant(await getGrant(s, id));
    } catch (err) {
      // the auditor's page views append to the same stream: judge again on the newer version
      const code = (err as { code?: string }).code;
      if (attempt >= 5 || (code !== 'CONFLICT' && code !== 'STALE_VERSION')) throw err;
    }
  }
}

export async function getGrant(s: Services, id: string): Promise<GrantDoc> {
  const g = await grants(s).findOne({ _id: id });
  if (!g) throw errors.notFound('grant');
  return g;
}

export async function listGrants(s: Services, auditorId?: string): Promise<GrantView[]> {
  // a small collection; the embedded engine scans for any filter but _id anyway
  const all = await grants(s)
    .find(auditorId ? { 'auditor.id': auditorId } : {})
    .toArray();
  return all.sort((a, b) => (a.grantedAt < b.grantedAt ? 1 : -1)).map(presentGrant);
}

/**
 * The grant an auditor opens: someone else's grant does not exist for them (404); their own
 * grant outside its dates, or revoked, shows nothing (403).
 */
export async function openGrant(s: Services, user: SessionUser, id: string): Promise<GrantDoc> {
  const g = await grants(s).findOne({ _id: id });
  if (!g || g.auditor.id !== user.id) throw errors.notFound('grant');
  const status = grantStatus(g);
  if (status !== 'active') {
    const why = {
      revoked: ['use this grant: it was revoked', '使用此授权(已被撤销)'],
      expired: [`use this grant: it ended on ${g.to}`, `使用此授权(已于 ${g.to} 到期)`],
      scheduled: [`use this grant before ${g.from}`, `在 ${g.from} 之前使用此授权`],
    }[status];
    throw new AppError('FORBIDDEN', { action: currentLocale() === 'zh-CN' ? why[1] : why[0] }, { status });
  }
  return g;
}

/** Puts one portal page view on the grant's ledger, with the auditor (the request's actor) as the actor. */
export async function recordAccess(s: Services, grantId: string, path: string, stream?: string) {
  const accessed = grantEvents.change('grant.accessed', { path, ...(stream ? { stream } : {}) });
  await s.ledger.appendWithRetry(streamOf('auditgrant', grantId), accessed.type, accessed.data);
}
