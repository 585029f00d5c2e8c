import { z } from 'zod';
import { IsoDate } from '../../platform/fields.ts';
import { Bilingual, Text, msg } from '../../platform/schemas.ts';
import { todayUtc } from '../../platform/dates.ts';
import { DOCUMENT_TYPES } from '../documents/documentTypes.ts';
import { revisionOrder } from '../documents/document.record.ts';
import { Department } from '../documents/schema.ts';
import { sniffType } from '../documents/upload.ts';
import { docNumberClaimed, migrateDocument } from '../documents/migrateDocument.ts';
import { maySignAs, signerRoleRefusal, type SignerKind } from '../documents/signerRoles.ts';
import { usersCollection } from '../../identity/userService.ts';
import type { UserDoc } from '../../identity/userService.ts';
import { ROLE_IDS } from '../../identity/roles.ts';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import type { CellIssue, GoodRow, KindDef } from './kindTypes.ts';
import { strip, text } from './kindTypes.ts';

// The document register (issue 14 item 3: "metadata plus files from a folder or zip, current
// revision effective, older revisions optional"). Uploaded as ONE ZIP bundle (bundle.ts): the
// .xlsx register plus the content files its rows name. One row per revision: for each document
// number exactly one current row, and optionally older revisions marked superseded, each with a
// lower revision letter and an effective date no later than the current one's. The legacy number
// is kept (ISO 13485:2016 4.2.4 c)/e): documents stay identifiable by the numbers in use) and
// claimed as the numbering claims a new one, so it can never be handed out again. Written by the
// documents module (migrateDocument.ts) as one `document.migrated` event per document, no
// signature claimed (21 CFR 11.50, 11.70).

const issue = (key: string, en: string, zh: string): CellIssue => ({ key, en, zh });
const YES = new Set(['yes', 'y', 'true', '1', '是']);
const NO = new Set(['no', 'n', 'false', '0', '否']);
const yesNo = (x: unknown) => {
  if (x === undefined) return false;
  const v = String(x).trim().toLowerCase();
  return YES.has(v) ? true : NO.has(v) ? false : String(x);
};

// The people of a document (documents reviewed and approved before issue: ISO 13485:2016 4.2.4 a,
// 21 CFR 820.40): its owner, the reviewers and approvers who will sign its next revision, and who
// trains on it. Usernames (approvers/reviewers separated by ";"); trainees may also be role codes.
const Username = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._@-]+$/, msg('a username', '应为用户名'));
const Names = z.array(Username).max(10, msg('at most 10 names', '最多 10 个名字'));
const list = (x: unknown) =>
  x === undefined
    ? undefined
    : String(x)
        .split(/[;；]/)
        .map((n) => n.trim().toLowerCase())
        .filter(Boolean);

const DocumentRow = z
  .object({
    number: z
      .string()
      .trim()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/,
        msg('letters, digits, . _ - (at most 40)', '只能使用字母、数字、. _ -(最多 40 个)'),
      ),
    title: Bilingual,
    type: z.enum(DOCUMENT_TYPES),
    department: Department,
    revision: z.string().regex(/^[A-Z]{1,3}$/, msg('a revision letter like A or B', '应为版本字母,如 A 或 B')),
    effectiveDate: IsoDate,
    file: Text(300).min(1),
    superseded: z.boolean({ error: msg('yes or no', '应为“是”或“否”') }),
    owner: Username.toLowerCase().optional(),
    reviewers: Names.min(1, msg('at least one reviewer', '至少一名审核人')),
    approvers: Names.min(1, msg('at least one approver', '至少一名批准人')),
    trainees: z.array(Username).max(30, msg('at most 30 names', '最多 30 个名字')).optional(),
  })
  .strict();
type DocumentRowT = z.infer<typeof DocumentRow>;

const PEOPLE = ['owner', 'reviewers', 'approvers', 'trainees'] as const;
/** A row's people in one comparable form (lists as sets). */
const peopleOf = (r: DocumentRowT, k: (typeof PEOPLE)[number]) => {
  const x = r[k];
  return x === undefined ? '' : typeof x === 'string' ? x : [...new Set(x)].sort().join(';');
};

/**
 * The row's people, by column: every username an active user (a disabled account signs nothing);
 * reviewers and approvers in a role that may review/approve the type (signerRoles.ts, the rule
 * the new-document form and signing use); nobody named twice; and the owner (the importer when the
 * column is empty) never one of them — segregation of duties, as createDocument refuses it.
 */
async function peopleIssues(s: Services, importer: SessionUser, r: DocumentRowT): Promise<CellIssue[]> {
  // trainees: a role code (e.g. operator) names the role; everything else is a username
  const named = [
    r.owner,
    ...r.reviewers,
    ...r.approvers,
    ...(r.trainees ?? []).filter((n) => !ROLE_IDS.includes(n)),
  ].filter((n): n is string => n !== undefined);
  const users = await usersCollection(s)
    .find({ username: { $in: [...new Set(named)] } })
    .toArray();
  const byName = new Map<string, UserDoc>(users.map((u) => [u.username, u]));
  const out: CellIssue[] = [];
  const active = (key: string, n: string) => {
    const u = byName.get(n);
    if (u && u.status !== 'disabled') return u;
    out.push(issue(key, `no active user "${n}"`, `没有有效用户"${n}"`));
    return null;
  };
  if (r.owner !== undefined) active('owner', r.owner);
  const owner = r.owner ?? importer.username.toLowerCase();
  for (const kind of ['reviewer', 'approver'] as SignerKind[]) {
    const key = `${kind}s` as 'reviewers' | 'approvers';
    const names = r[key];
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice) out.push(issue(key, `"${twice}" is named twice`, `"${twice}"重复`));
    if (names.includes(owner))
      out.push(
        issue(
          key,
          `the owner (${owner}) cannot ${kind === 'reviewer' ? 'review' : 'approve'} their own document`,
          `负责人(${owner})不能${kind === 'reviewer' ? '审核' : '批准'}自己的文件`,
        ),
      );
    for (const n of names) {
      const u = active(key, n);
      if (u && !maySignAs(kind, r.type, u)) {
        const e = signerRoleRefusal(kind, r.type, `${u.fullName} (${n})`, 400);
        out.push(issue(key, e.localized('en-US'), e.localized('zh-CN')));
      }
    }
  }
  for (const n of r.trainees ?? []) if (!ROLE_IDS.includes(n)) active('trainees', n);
  return out;
}

/** The bundle's file a row names ("./" and a leading "/" ignored). */
const fileIn = (files: Map<string, Buffer> | null, name: string) =>
  files?.get(name.replace(/^\.?\//, '').trim()) ?? null;
const baseName = (name: string) => name.slice(name.lastIndexOf('/') + 1);

export const documentsKind: KindDef = {
  keyColumn: 'number',
  bundle: true,
  schema: DocumentRow,
  columns: [
    { key: 'number', en: 'Document number', zh: '文件编号', required: true, example: 'SOP-QA-001' },
    { key: 'title.en', en: 'Title (English)', zh: '标题(英文)', required: true, example: 'Document control' },
    { key: 'title.zh', en: 'Title (Chinese)', zh: '标题(中文)', required: true, example: '文件控制程序' },
    {
      key: 'type',
      en: `Type (${DOCUMENT_TYPES.join('/')})`,
      zh: `类型(${DOCUMENT_TYPES.join('/')})`,
      required: true,
      example: 'sop',
    },
    { key: 'department', en: 'Department', zh: '部门', required: true, example: 'QA' },
    { key: 'revision', en: 'Revision', zh: '版本', required: true, example: 'B' },
    {
      key: 'effectiveDate',
      en: 'Effective date (YYYY-MM-DD)',
      zh: '生效日期(YYYY-MM-DD)',
      required: true,
      date: true,
      example: '2024-06-01',
    },
    { key: 'file', en: 'File in the ZIP', zh: 'ZIP 中的文件', required: true, example: 'files/SOP-QA-001_B.pdf' },
    { key: 'superseded', en: 'Superseded (yes/no)', zh: '已被替代(是/否)', example: 'no' },
    { key: 'owner', en: 'Owner (username)', zh: '负责人(用户名)', example: 'author' },
    {
      key: 'reviewers',
      en: 'Reviewers (usernames, separated by ;)',
      zh: '审核人(用户名,以 ; 分隔)',
      required: true,
      example: 'reviewer;reviewer2',
    },
    {
      key: 'approvers',
      en: 'Approvers (usernames, separated by ;)',
      zh: '批准人(用户名,以 ; 分隔)',
      required: true,
      example: 'qa.manager',
    },
    {
      key: 'trainees',
      en: 'Trainees (usernames or role codes, separated by ;)',
      zh: '培训对象(用户名或角色代码,以 ; 分隔)',
      example: 'operator',
    },
  ],
  body: (v) =>
    strip({
      number: text(v.number),
      title: { en: text(v['title.en']), zh: text(v['title.zh']) },
      type: v.type,
      department: text(v.department),
      revision: text(v.revision)?.toUpperCase(),
      effectiveDate: text(v.effectiveDate),
      file: text(v.file),
      superseded: yesNo(v.superseded),
      owner: text(v.owner),
      reviewers: list(v.reviewers),
      approvers: list(v.approvers),
      trainees: list(v.trainees),
    }),
  // one row per revision of a number
  keyOf: (v) =>
    v.number === undefined || v.revision === undefined
      ? undefined
      : `${String(v.number).trim()}\u0000${String(v.revision).toUpperCase()}`,
  exists: (s, key) => docNumberClaimed(s, key.split('\u0000')[0]),
  check: async (s, user, _v, parsed, ctx) => {
    const r = parsed as DocumentRowT;
    const out: CellIssue[] = [...(await peopleIssues(s, user, r))];
    const bytes = fileIn(ctx.files, r.file);
    if (!bytes) out.push(issue('file', `${r.file} is not in the ZIP`, `ZIP 中没有 ${r.file}`));
    else if (!sniffType(bytes))
      out.push(
        issue(
          'file',
          `${r.file} is not a PDF, PNG, JPEG, DOCX or XLSX file`,
          `${r.file} 不是 PDF、PNG、JPEG、DOCX 或 XLSX 文件`,
        ),
      );
    if (r.effectiveDate > todayUtc()) out.push(issue('effectiveDate', 'a date in the future', '日期不能晚于今天'));
    return out;
  },
  fileCheck: async (_s, rows) => {
    const out: Array<CellIssue & { row: number }> = [];
    const byNumber = new Map<string, GoodRow[]>();
    for (const g of rows) {
      const n = (g.parsed as DocumentRowT).number;
      byNumber.set(n, [...(byNumber.get(n) ?? []), g]);
    }
    for (const [number, group] of byNumber) {
      const current = group.filter((g) => !(g.parsed as DocumentRowT).superseded);
      if (current.length === 0) {
        for (const g of group)
          out.push({
            row: g.row,
            ...issue('superseded', `${number} has no current revision`, `${number} 没有现行版本`),
          });
        continue;
      }
      for (const g of current.slice(1))
        out.push({
          row: g.row,
          ...issue(
            'superseded',
            `${number} is already current on row ${current[0].row}: one current revision per number`,
            `${number} 已在第 ${current[0].row} 行为现行版本:每个编号只能有一个现行版本`,
          ),
        });
      const cur = current[0].parsed as DocumentRowT;
      for (const g of group) {
        const r = g.parsed as DocumentRowT;
        // one document, one set of people: every row of a number names the same ones
        for (const k of PEOPLE)
          if (g !== current[0] && peopleOf(r, k) !== peopleOf(cur, k))
            out.push({
              row: g.row,
              ...issue(
                k,
                `${number}: not the same as on row ${current[0].row} (${peopleOf(cur, k) || '—'})`,
                `${number}:与第 ${current[0].row} 行不一致(${peopleOf(cur, k) || '—'})`,
              ),
            });
        if (!r.superseded) continue;
        if (revisionOrder(r.revision, cur.revision) >= 0)
          out.push({
            row: g.row,
            ...issue(
              'revision',
              `a superseded revision must be earlier than the current ${cur.revision}`,
              `被替代的版本须早于现行版本 ${cur.revision}`,
            ),
          });
        else if (r.effectiveDate > cur.effectiveDate)
          out.push({
            row: g.row,
            ...issue(
              'effectiveDate',
              `after the current revision's effective date (${cur.effectiveDate})`,
              `晚于现行版本的生效日期(${cur.effectiveDate})`,
            ),
          });
      }
    }
    return out.sort((a, b) => a.row - b.row);
  },
  // every row of one number makes one document, written when its first row comes
  create: async (s, user, parsed, _v, source, ctx) => {
    const r = parsed as DocumentRowT;
    const made = ctx.made.get(r.number);
    if (made) return made;
    const group = ctx.rows.filter((g) => (g.parsed as DocumentRowT).number === r.number);
    const cur = group.map((g) => g.parsed as DocumentRowT).find((x) => !x.superseded)!;
    const stream = await migrateDocument(s, user, {
      number: cur.number,
      type: cur.type,
      title: cur.title,
      department: cur.department,
      owner: cur.owner ?? null,
      reviewers: cur.reviewers,
      approvers: cur.approvers,
      trainees: cur.trainees ?? [],
      revisions: group.map((g) => {
        const x = g.parsed as DocumentRowT;
        const bytes = fileIn(ctx.files, x.file)!;
        return {
          revision: x.revision,
          effectiveDate: x.effectiveDate,
          superseded: x.superseded,
          file: { name: baseName(x.file), bytes, mime: sniffType(bytes)! },
          source: { ...source, row: g.row },
        };
      }),
    });
    ctx.made.set(r.number, stream);
    return stream;
  },
};
