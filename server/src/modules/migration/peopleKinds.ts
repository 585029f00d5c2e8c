import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { hasPermission } from '../../identity/roles.ts';
import { CreateUserBody } from '../../identity/schema.ts';
import { createUser, findUserByUsername, updateUser } from '../../identity/userService.ts';
import { asUser } from '../../records/command.ts';
import { IsoDate, optional } from '../../platform/fields.ts';
import { msg, Text } from '../../platform/schemas.ts';
import { todayUtc } from '../../platform/dates.ts';
import { streamOf } from '../../records/registry.ts';
import { documentsCollection } from '../documents/queries.ts';
import { recordMigratedTraining } from '../training/trainingService.ts';
import { TRAININGS, trainingId, type TrainingDoc } from '../training/training.record.ts';
import type { CellIssue, KindDef } from './kindTypes.ts';
import { strip, text } from './kindTypes.ts';

// People (issue 14 item 3): the user accounts, then their training records, imported in this order.
//
// Users are made by the identity module's own createUser (the username claimed for ever, 21 CFR
// 11.300(a): no reuse), as the importer, who needs the right to manage users. A migrated account
// gets no password anyone knows: a random 256-bit value, hashed at once and never shown, logged or
// returned, marked temporary. Nobody can sign in as it until an administrator sets a temporary
// password (POST /users/:id/reset-password), which the person must change at first sign-in
// (11.300(b)). Handing out a password in a spreadsheet or a report would put a credential where
// others read it (11.300, 11.10(d)). An inactive row is created, then disabled.
//
// Training records (ISO 13485:2016 6.2 e): one row per person and revision, completed before
// go-live. The training module records them by its own `migrated_completion` action (an event
// naming the batch, file, sheet and row and the original date, and no signature: none was given in
// Provenant, 21 CFR 11.50/11.70). The revision must be one that was effective (not a draft); the
// date may not be in the future nor before the revision's effective date when it is known.

const issue = (key: string, en: string, zh: string): CellIssue => ({ key, en, zh });
const YES = new Set(['yes', 'y', 'true', '1', '是', 'active', '启用']);
const NO = new Set(['no', 'n', 'false', '0', '否', 'inactive', '停用']);

const UserRow = z
  .object({
    username: CreateUserBody.shape.username,
    fullName: z.object({ en: Text(60).min(1), zh: optional(Text(40).min(1)) }).strict(),
    email: CreateUserBody.shape.email,
    roles: CreateUserBody.shape.roles,
    active: z.boolean(),
  })
  .strict();
type UserRowT = z.infer<typeof UserRow>;

const activeOf = (x: unknown) => {
  if (x === undefined) return true;
  const v = String(x).trim().toLowerCase();
  return YES.has(v) ? true : NO.has(v) ? false : String(x);
};
const fullNameOf = (r: UserRowT) => (r.fullName.zh ? `${r.fullName.zh} (${r.fullName.en})` : r.fullName.en);

export const usersKind: KindDef = {
  keyColumn: 'username',
  foldCase: true,
  schema: UserRow,
  columns: [
    { key: 'username', en: 'Username', zh: '用户名', required: true, example: 'li.wei' },
    { key: 'fullName.en', en: 'Full name (English)', zh: '姓名(英文)', required: true, example: 'Li Wei' },
    { key: 'fullName.zh', en: 'Full name (Chinese)', zh: '姓名(中文)', example: '李伟' },
    { key: 'email', en: 'E-mail', zh: '电子邮箱', required: true, example: 'li.wei@example.com' },
    {
      key: 'roles',
      en: 'Roles (role codes; separated by ;)',
      zh: '角色(角色代码,以 ; 分隔)',
      required: true,
      example: 'operator',
    },
    { key: 'active', en: 'Active (yes/no)', zh: '启用(是/否)', example: 'yes' },
  ],
  body: (v) =>
    strip({
      username: text(v.username),
      fullName: { en: text(v['fullName.en']), zh: text(v['fullName.zh']) },
      email: text(v.email),
      roles:
        v.roles === undefined
          ? undefined
          : [
              ...new Set(
                String(v.roles)
                  .split(/[;,\s]+/)
                  .filter(Boolean),
              ),
            ],
      active: activeOf(v.active),
    }),
  // login names are never reused (11.300(a)): a name ever claimed counts, even of a disabled account
  exists: async (s, name) => Boolean(await s.ledger.head(`username:${name.toLowerCase()}`)),
  check: async (_s, user) =>
    hasPermission(user, 'users.manage')
      ? []
      : [issue('username', 'creating accounts needs the right to manage users', '创建账户需要用户管理权限')],
  create: async (s, user, parsed) => {
    const r = parsed as UserRowT;
    const made = await asUser(user, () =>
      createUser(s, {
        username: r.username,
        fullName: fullNameOf(r),
        email: r.email,
        roles: r.roles,
        password: randomBytes(32).toString('base64url'), // never known to anyone: see above
        temporary: true,
      }),
    );
    if (!r.active) await asUser(user, () => updateUser(s, user.id, made._id, { status: 'disabled' }));
    return streamOf('user', made._id);
  },
  undo: async (s, user, stream, _reason) => {
    await asUser(user, () => updateUser(s, user.id, stream.slice(stream.indexOf(':') + 1), { status: 'disabled' }));
  },
};

const TrainingRow = z
  .object({
    username: Text(40).min(1),
    document: Text(60).min(1),
    revision: z
      .string()
      .trim()
      .regex(/^[A-Z]{1,3}$/, msg('a revision letter like A or B', '应为版本字母,如 A 或 B')),
    completedOn: IsoDate,
    note: optional(Text(500)),
  })
  .strict();
type TrainingRowT = z.infer<typeof TrainingRow>;

async function targetsOf(s: Services, r: TrainingRowT) {
  const person = await findUserByUsername(s, r.username);
  const doc = await documentsCollection(s).findOne({ number: r.document });
  const rev = doc?.revisions.find((x) => x.revision === r.revision.toUpperCase());
  return { person, doc, rev };
}

export const trainingKind: KindDef = {
  keyColumn: 'username',
  schema: TrainingRow,
  columns: [
    { key: 'username', en: 'Username', zh: '用户名', required: true, example: 'li.wei' },
    { key: 'document', en: 'Document number', zh: '文件编号', required: true, example: 'SOP-QA-001' },
    { key: 'revision', en: 'Revision', zh: '版本', required: true, example: 'A' },
    {
      key: 'completedOn',
      en: 'Completed on (YYYY-MM-DD)',
      zh: '完成日期(YYYY-MM-DD)',
      required: true,
      date: true,
      example: '2025-03-10',
    },
    { key: 'note', en: 'Trainer / evidence', zh: '培训人/证据', example: 'Classroom, trainer Zhang; form TR-12' },
  ],
  body: (v) =>
    strip({
      username: text(v.username)?.toLowerCase(),
      document: text(v.document),
      revision: text(v.revision)?.toUpperCase(),
      completedOn: text(v.completedOn),
      note: text(v.note),
    }),
  // one person, one revision of one document
  keyOf: (v) =>
    v.username === undefined || v.document === undefined || v.revision === undefined
      ? undefined
      : [String(v.username).toLowerCase(), String(v.document), String(v.revision).toUpperCase()].join('\u0000'),
  // a training already completed is reported by `check`, in words that fit it
  exists: async () => false,
  check: async (s, _user, _v, parsed) => {
    const r = parsed as TrainingRowT;
    const out: CellIssue[] = [];
    const { person, doc, rev } = await targetsOf(s, r);
    if (!person) out.push(issue('username', `no user ${r.username}`, `没有用户 ${r.username}`));
    if (!doc) out.push(issue('document', `no document ${r.document}`, `没有文件 ${r.document}`));
    else if (!rev)
      out.push(issue('revision', `${r.document} has no revision ${r.revision}`, `${r.document} 没有 ${r.revision} 版`));
    else if (!['effective', 'superseded', 'obsolete'].includes(rev.state) || !rev.effectiveDate)
      out.push(
        issue(
          'revision',
          `revision ${r.revision} of ${r.document} was never effective`,
          `${r.document} 的 ${r.revision} 版从未生效`,
        ),
      );
    if (person && doc && rev) {
      const t = await s.db
        .collection<TrainingDoc>(TRAININGS)
        .findOne({ _id: trainingId(doc._id, rev.revision, person._id) }, { projection: { status: 1 } });
      if (t?.status === 'done')
        out.push(
          issue(
            'username',
            `${r.username} has already completed ${r.document} rev ${r.revision}`,
            `${r.username} 已完成 ${r.document} ${r.revision} 版的培训`,
          ),
        );
    }
    if (r.completedOn > todayUtc()) out.push(issue('completedOn', 'a date in the future', '日期不能晚于今天'));
    else if (rev?.effectiveDate && r.completedOn < rev.effectiveDate)
      out.push(
        issue(
          'completedOn',
          `before the revision became effective (${rev.effectiveDate})`,
          `早于该版本的生效日期(${rev.effectiveDate})`,
        ),
      );
    return out;
  },
  create: async (s, user, parsed, _v, source) => {
    const r = parsed as TrainingRowT;
    const { person, doc, rev } = await targetsOf(s, r);
    return recordMigratedTraining(s, user, {
      document: { id: doc!._id, number: doc!.number, title: doc!.title },
      revision: rev!,
      person: { id: person!._id, name: person!.fullName },
      completedOn: r.completedOn,
      note: r.note ?? '',
      source,
    });
  },
};
