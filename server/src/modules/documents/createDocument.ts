import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import { errors } from '../../platform/errors.ts';
import { streamOf } from '../../records/registry.ts';
import { asUser } from '../../records/command.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { usersCollection } from '../../identity/userService.ts';
import { allocateNumber } from './numbering.ts';
import type { CreateDocumentInput } from './schema.ts';
import type { DocumentType, Person } from './document.record.ts';
import { documentEvents } from './events.ts';
import { maySignAs, signerRoleRefusal, type SignerKind } from './signerRoles.ts';

/**
 * Resolves user ids to {id, name}; an unknown or disabled id is bad input at `path`. With `signs`,
 * each must also hold a role that may review/approve a document of that type (signerRoles.ts).
 */
export async function peopleOf(
  s: Services,
  ids: string[],
  path: string,
  signs?: { kind: SignerKind; type: DocumentType },
): Promise<Person[]> {
  const found = await usersCollection(s)
    .find({ _id: { $in: ids } })
    .toArray();
  const byId = new Map(found.map((u) => [u._id, u]));
  return ids.map((id, i) => {
    const u = byId.get(id);
    if (!u || u.status === 'disabled')
      throw errors.validation(`${path}.${i}`, { en: `no active user "${id}"`, zh: `没有有效用户"${id}"` });
    if (signs && !maySignAs(signs.kind, signs.type, u))
      throw signerRoleRefusal(signs.kind, signs.type, u.fullName, 400, { path: `${path}.${i}` });
    return { id: u._id, name: u.fullName };
  });
}

/** documentCreator: validates everything first, then allocates the number and writes version 1 (as the user). */
export async function createDocument(s: Services, user: SessionUser, input: CreateDocumentInput): Promise<string> {
  // segregation of duties from the start: nobody reviews or approves their own document
  if (input.reviewers.includes(user.id))
    throw errors.validation('body.reviewers', {
      en: 'the owner cannot review their own document',
      zh: '负责人不能审核自己的文件',
    });
  if (input.approvers.includes(user.id))
    throw errors.validation('body.approvers', {
      en: 'the owner cannot approve their own document',
      zh: '负责人不能批准自己的文件',
    });
  const reviewers = await peopleOf(s, input.reviewers, 'body.reviewers', { kind: 'reviewer', type: input.type });
  const approvers = await peopleOf(s, input.approvers, 'body.approvers', { kind: 'approver', type: input.type });
  await peopleOf(s, input.trainees.users, 'body.trainees.users');
  return asUser(user, async () => {
    const number = await allocateNumber(s, input.type, input.department);
    const id = randomUUID();
    const created = documentEvents.change('document.created', {
      number,
      type: input.type,
      title: input.title,
      summary: input.summary,
      owner: { id: user.id, name: user.fullName },
      department: input.department,
      reviewers,
      approvers,
      trainees: input.trainees,
      reviewIntervalMonths: input.reviewIntervalMonths,
    });
    await s.ledger.append(streamOf('document', id), created.type, created.data, { expectedVersion: 0 });
    return id;
  });
}
