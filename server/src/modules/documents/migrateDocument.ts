import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { hasPermission } from '../../identity/roles.ts';
import { errors } from '../../platform/errors.ts';
import { asUser } from '../../records/command.ts';
import { streamOf } from '../../records/registry.ts';
import { usersCollection } from '../../identity/userService.ts';
import { ROLE_IDS } from '../../identity/roles.ts';
import type { Bilingual, DocumentType, Person } from './document.record.ts';
import { putBlob } from './contentStore.ts';
import { documentEvents } from './events.ts';

// A document taken over from the legacy register (issue 14 item 3), written by the documents
// module the way createDocument writes a new one: its number claimed first on `docnumber:<number>`
// (version 1, the claim that keeps numbers unique for ever, numbering.ts) — the legacy number is
// kept, never re-allocated — then the document's first event, `document.migrated`, as the importer.
// The files go to the content store (content-addressed, insert-only) only after the claim. No
// signature is written or claimed (21 CFR 11.50/11.70): the page shows the revisions as migrated.
// Its people come from the register (owner, reviewers, approvers, trainees) so that its next
// revision can be reviewed and approved like any other (ISO 13485:2016 4.2.4 a).

export interface MigratedRevision {
  revision: string;
  effectiveDate: string;
  superseded: boolean;
  file: { name: string; bytes: Buffer; mime: string };
  source: { batch: string; file: string; sheet: string; row: number; sha256: string };
}

export const docNumberClaimed = async (s: Services, number: string) =>
  Boolean(await s.ledger.head(`docnumber:${number}`));

/** The caller (the migration kind) has checked every row; returns the document's stream. */
export async function migrateDocument(
  s: Services,
  user: SessionUser,
  m: {
    number: string;
    type: DocumentType;
    title: Bilingual;
    department: string;
    /** Usernames (checked by the kind: active, in a signing role, owner not a signer); null: the importer owns it. */
    owner: string | null;
    reviewers: string[];
    approvers: string[];
    /** Usernames or role codes. */
    trainees: string[];
    revisions: MigratedRevision[];
  },
): Promise<string> {
  if (!hasPermission(user, 'migration.run')) throw errors.forbidden('migration.run');
  const roles = m.trainees.filter((t) => ROLE_IDS.includes(t));
  const names = [m.owner ?? '', ...m.reviewers, ...m.approvers, ...m.trainees.filter((t) => !roles.includes(t))];
  const found = await usersCollection(s)
    .find({ username: { $in: [...new Set(names.filter(Boolean))] } })
    .toArray();
  const byName = new Map(found.map((u) => [u.username, u]));
  const person = (n: string): Person => {
    const u = byName.get(n);
    // checked in the dry run; gone or disabled since: refused, nothing written
    if (!u || u.status === 'disabled')
      throw errors.validation('owner', { en: `no active user "${n}"`, zh: `没有有效用户"${n}"` });
    return { id: u._id, name: u.fullName };
  };
  const owner = m.owner ? person(m.owner) : { id: user.id, name: user.fullName };
  const reviewers = m.reviewers.map(person);
  const approvers = m.approvers.map(person);
  const trainees = { roles, users: m.trainees.filter((t) => !roles.includes(t)).map((n) => person(n).id) };
  return asUser(user, async () => {
    await s.ledger.append(`docnumber:${m.number}`, 'numbering.claimed', { type: m.type }, { expectedVersion: 0 });
    const revisions = [];
    for (const r of m.revisions)
      revisions.push({
        revision: r.revision,
        effectiveDate: r.effectiveDate,
        superseded: r.superseded,
        file: {
          sha256: await putBlob(s, r.file.bytes),
          name: r.file.name,
          size: r.file.bytes.length,
          mime: r.file.mime,
        },
        source: r.source,
      });
    const stream = streamOf('document', randomUUID());
    const e = documentEvents.change('document.migrated', {
      number: m.number,
      type: m.type,
      title: m.title,
      owner,
      department: m.department,
      reviewers,
      approvers,
      trainees,
      reviewIntervalMonths: 24,
      revisions,
    });
    await s.ledger.append(stream, e.type, e.data, { expectedVersion: 0 });
    return stream;
  });
}
