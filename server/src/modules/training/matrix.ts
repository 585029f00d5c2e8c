import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { ROLE_IDS } from '../../identity/roles.ts';
import { todayUtc } from '../../platform/dates.ts';
import { optional } from '../../platform/fields.ts';
import { Id, Text } from '../../platform/schemas.ts';
import { usersCollection } from '../../identity/userService.ts';
import { inLocale, type ListExport } from '../../exports/lists.ts';
import { documentsCollection } from '../documents/queries.ts';
import { TRAININGS, type TrainingDoc } from './training.record.ts';

/**
 * The training matrix (issue 15 item 7): people × documents, one cell per person who was ever
 * assigned training on a document, from the training records (ISO 13485:2016 6.2 e): "maintain
 * appropriate records of education, training, skills and experience"; 6.2 d) "ensure personnel
 * are aware of the relevance and importance of their activities"; 21 CFR 820.25(b)). A cell's status:
 *
 * - `current`    the person completed ("read and understood") the document's effective revision;
 * - `due`        training on the effective revision is assigned and open, its due date not passed;
 * - `overdue`    training on the effective revision is open and its due date (assignment + 30 days)
 *                is before today;
 * - `superseded` the person's training is only on revisions that are no longer effective (trained on
 *                rev A, rev B now effective and nothing assigned on it, or the document obsoleted):
 *                their training does not cover what is in force.
 */
export type MatrixStatus = 'current' | 'due' | 'overdue' | 'superseded';

export const MatrixQuery = z
  .object({
    department: optional(
      Text(40)
        .min(1)
        .regex(/^[A-Za-z0-9_-]+$/),
    ),
    role: optional(z.enum(ROLE_IDS)),
    documentId: optional(Id),
    status: optional(z.enum(['current', 'due', 'overdue', 'superseded'])),
  })
  .strict();
export type MatrixQuery = z.infer<typeof MatrixQuery>;

export interface MatrixCell {
  userId: string;
  name: string;
  roles: string[];
  documentId: string;
  number: string;
  title: { zh: string; en: string };
  department: string;
  effective: string | null;
  /** The revision the cell is about: the effective one if the person has training on it, else their latest. */
  revision: string;
  trainingId: string;
  status: MatrixStatus;
  due: string;
  completedAt: string | null;
}

/** The status of one person on one document from all their trainings on it (definitions above). */
export function cellStatus(
  trainings: Pick<TrainingDoc, 'revision' | 'status' | 'due'>[],
  effective: string | null,
  today: string,
): { status: MatrixStatus; index: number } {
  const onEffective = effective ? trainings.findIndex((t) => t.revision === effective) : -1;
  if (onEffective < 0) return { status: 'superseded', index: latestIndex(trainings) };
  const t = trainings[onEffective]!;
  if (t.status === 'done') return { status: 'current', index: onEffective };
  return { status: t.due < today ? 'overdue' : 'due', index: onEffective };
}
const latestIndex = (ts: Pick<TrainingDoc, 'revision'>[]) =>
  ts.reduce((best, t, i) => (t.revision.localeCompare(ts[best]!.revision, 'en', { numeric: true }) > 0 ? i : best), 0);

export async function trainingMatrix(s: Services, q: MatrixQuery): Promise<MatrixCell[]> {
  const docFilter: Record<string, unknown> = {};
  if (q.department) docFilter.department = q.department;
  if (q.documentId) docFilter._id = q.documentId;
  const docs = await documentsCollection(s)
    .find(docFilter, { projection: { number: 1, title: 1, department: 1, effective: 1 } })
    .limit(5000)
    .toArray();
  if (!docs.length) return [];
  const userFilter: Record<string, unknown> = {};
  if (q.role) userFilter.roles = q.role;
  const users = new Map(
    (
      await usersCollection(s)
        .find(userFilter, { projection: { fullName: 1, roles: 1, status: 1 } })
        .toArray()
    )
      .filter((u) => u.status !== 'disabled')
      .map((u) => [u._id, u]),
  );
  const trainings = await s.db
    .collection<TrainingDoc>(TRAININGS)
    .find({ documentId: { $in: docs.map((d) => d._id) } })
    .toArray();
  const groups = new Map<string, TrainingDoc[]>();
  for (const t of trainings) {
    if (!users.has(t.userId)) continue;
    const key = `${t.documentId}\u0000${t.userId}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  const byId = new Map(docs.map((d) => [d._id, d]));
  const today = todayUtc();
  const cells: MatrixCell[] = [];
  for (const ts of groups.values()) {
    const d = byId.get(ts[0]!.documentId)!;
    const u = users.get(ts[0]!.userId)!;
    const { status, index } = cellStatus(ts, d.effective ?? null, today);
    const t = ts[index]!;
    if (q.status && q.status !== status) continue;
    cells.push({
      userId: u._id,
      name: u.fullName,
      roles: u.roles,
      documentId: d._id,
      number: d.number,
      title: d.title,
      department: d.department,
      effective: d.effective ?? null,
      revision: t.revision,
      trainingId: t._id,
      status,
      due: t.due,
      completedAt: t.completedAt,
    });
  }
  return cells.sort((a, b) => a.name.localeCompare(b.name) || a.number.localeCompare(b.number));
}

const STATUS_TEXT: Record<MatrixStatus, { en: string; zh: string }> = {
  current: { en: 'Current', zh: '有效' },
  due: { en: 'Due', zh: '待培训' },
  overdue: { en: 'Overdue', zh: '已逾期' },
  superseded: { en: 'Superseded revision', zh: '版本已被取代' },
};

/** GET /api/v1/lists/training-matrix/export.xlsx?<the matrix's filters> (registered in modules/contributions.ts). */
export const trainingMatrixListExport: ListExport<MatrixCell, MatrixQuery> = {
  permission: 'training.read_all',
  title: { en: 'Training matrix', zh: '培训矩阵' },
  query: MatrixQuery,
  columns: [
    { key: 'name', header: { en: 'Person', zh: '人员' }, value: (r) => r.name },
    { key: 'roles', header: { en: 'Roles', zh: '角色' }, value: (r) => r.roles.join(', ') },
    { key: 'number', header: { en: 'Document', zh: '文件' }, value: (r) => r.number },
    { key: 'title', header: { en: 'Title', zh: '标题' }, value: (r, l) => inLocale(r.title, l) },
    { key: 'department', header: { en: 'Department', zh: '部门' }, value: (r) => r.department },
    { key: 'effective', header: { en: 'Effective revision', zh: '生效版本' }, value: (r) => r.effective ?? '' },
    { key: 'revision', header: { en: 'Trained revision', zh: '培训版本' }, value: (r) => r.revision },
    { key: 'status', header: { en: 'Status', zh: '状态' }, value: (r, l) => inLocale(STATUS_TEXT[r.status], l) },
    { key: 'due', header: { en: 'Due', zh: '截止日期' }, value: (r) => r.due },
    { key: 'completedAt', header: { en: 'Completed', zh: '完成时间' }, value: (r) => r.completedAt ?? '' },
  ],
  rows: (s: Services, _u: SessionUser, q: MatrixQuery) => trainingMatrix(s, q),
};
