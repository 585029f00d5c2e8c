import { z } from 'zod';
import { Credentials, Id, msg, Reason, Text } from '../../platform/schemas.ts';
import { IsoDate, optional, RecordVersion, whole } from '../../platform/fields.ts';
import { errors } from '../../platform/errors.ts';
import { todayUtc } from '../../platform/dates.ts';
import { hasPermission } from '../../identity/roles.ts';

// The CAPA's input shapes (ISO 13485:2016 8.5.2 corrective action, 8.5.3 preventive action),
// shared by the routes (the HTTP door) and the events (what the ledger keeps).

export const CAPA_SOURCES = ['nc', 'complaint', 'audit_finding', 'trend', 'management_review'] as const;
export const Source = z.object({ type: z.enum(CAPA_SOURCES), id: Id }).strict();

/** A risk rating on the 1–5 scales of the company's risk matrix (ISO 14971 style severity × occurrence). */
export const Risk = z.object({ severity: whole(1, 5), occurrence: whole(1, 5) }).strict();

const Line = Text(500).min(1);
/** 5 Why: the ordered why/answer pairs, 1 to 10 of them (five is the name, not a limit). */
export const FiveWhy = z
  .object({
    method: z.literal('five_why'),
    whys: z
      .array(z.object({ why: Line, answer: Line }).strict())
      .min(1, msg('at least one why', '至少一个"为什么"'))
      .max(10, msg('at most 10 whys', '最多 10 个"为什么"')),
  })
  .strict();

/** Fishbone (Ishikawa) over the 6M categories, each with its causes; at least one cause in all. */
export const SIX_M = ['man', 'machine', 'method', 'material', 'measurement', 'environment'] as const;
const Causes = z.array(Line).max(20).default([]);
export const Fishbone = z
  .object({
    method: z.literal('fishbone'),
    categories: z
      .object({
        man: Causes,
        machine: Causes,
        method: Causes,
        material: Causes,
        measurement: Causes,
        environment: Causes,
      })
      .strict()
      .refine((c) => SIX_M.some((k) => c[k].length > 0), msg('at least one cause', '至少一个原因')),
  })
  .strict();

/** Fault tree: one top event, AND/OR gates with children, basic events as leaves. */
const FtNode = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,20}$/, msg('a short node id', '应为简短的节点编号')),
    parent: z.string().max(20).nullable(),
    kind: z.enum(['and', 'or', 'basic']),
    label: Line,
  })
  .strict();
type Node = z.infer<typeof FtNode>;
/** Why a node list is not one tree (null when it is). */
export function treeProblem(nodes: Node[]): { en: string; zh: string } | null {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  if (byId.size !== nodes.length) return { en: 'node ids repeat', zh: '节点编号重复' };
  if (nodes.filter((n) => n.parent === null).length !== 1)
    return { en: 'exactly one top event (no parent)', zh: '必须恰有一个顶事件(无父节点)' };
  for (const n of nodes) {
    if (n.parent !== null && !byId.has(n.parent))
      return { en: `unknown parent ${n.parent}`, zh: `未知父节点 ${n.parent}` };
    if (n.parent !== null && byId.get(n.parent)!.kind === 'basic')
      return { en: 'a basic event has no children', zh: '基本事件不能有子节点' };
    if (n.kind !== 'basic' && !nodes.some((c) => c.parent === n.id))
      return { en: `gate ${n.id} has no inputs`, zh: `门 ${n.id} 没有输入` };
    let p: Node | undefined = n;
    for (let i = 0; p && p.parent !== null; i++) {
      if (i > nodes.length) return { en: 'the tree has a cycle', zh: '故障树存在循环' };
      p = byId.get(p.parent);
    }
  }
  return null;
}
export const FaultTree = z
  .object({ method: z.literal('fault_tree'), nodes: z.array(FtNode).min(2).max(100) })
  .strict()
  .superRefine((t, ctx) => {
    const problem = treeProblem(t.nodes);
    if (problem) ctx.addIssue({ code: 'custom', path: ['nodes'], message: msg(problem.en, problem.zh) });
  });

export const RootCauseAnalysis = z.discriminatedUnion('method', [FiveWhy, Fishbone, FaultTree]);
export type RootCauseAnalysis = z.infer<typeof RootCauseAnalysis>;

export const ChangeLink = z
  .object({ type: z.enum(['document', 'dmr']), id: Id, revision: z.string().regex(/^[A-Za-z0-9.-]{1,10}$/) })
  .strict();

const Version = { version: optional(RecordVersion) };
const Signed = { ...Credentials, ...Version };

export const CreateCapaBody = z
  .object({ title: Text(200).min(1), source: Source, problem: Text(4000).min(1), owner: Id, due: IsoDate })
  .strict();
export const CapaQuery = z
  .object({
    state: optional(z.enum(['evaluation', 'in_progress', 'effectiveness_check', 'closed', 'no_capa'])),
    owner: optional(Id),
    source: optional(z.enum(CAPA_SOURCES)),
    overdue: optional(z.enum(['true', 'false'])),
    /** The finished device (item id) of the CAPA's source NC or complaint. */
    product: optional(Id),
  })
  .strict(); // an unknown or bracketed key (`owner[$ne]=…`) is refused, never ignored

/** Each action's body, by its route segment (POST /capas/:id/<action>). */
export const ACTION_BODIES = {
  decide: z.object({ decision: z.enum(['proceed', 'no_capa']), risk: Risk, rationale: Reason, ...Signed }).strict(),
  contain: z.object({ containment: Text(4000).min(1), ...Version }).strict(),
  investigate: z.object({ analysis: RootCauseAnalysis, rootCause: Text(2000).min(1), ...Version }).strict(),
  add_task: z.object({ description: Text(1000).min(1), owner: Id, due: IsoDate, ...Version }).strict(),
  complete_task: z.object({ taskId: Id, evidence: Text(4000).min(1), ...Version }).strict(),
  link_change: z.object({ link: ChangeLink, ...Version }).strict(),
  verify: z.object({ safety: Text(2000).min(1), compliance: Text(2000).min(1), ...Signed }).strict(),
  close: z
    .object({ effectiveness: z.object({ due: IsoDate, criteria: Text(2000).min(1) }).strict(), ...Signed })
    .strict(),
  record_effectiveness: z.object({ result: z.enum(['pass', 'fail']), evidence: Text(4000).min(1), ...Signed }).strict(),
  request_extension: z.object({ due: IsoDate, reason: Reason, ...Version }).strict(),
  approve_extension: z.object({ ...Signed }).strict(),
} as const;
export type CapaAction = keyof typeof ACTION_BODIES;

/** A due date is today or later (a plan is not made overdue). */
export function notPast(due: string, path: string) {
  if (due < todayUtc()) throw errors.validation(path, { en: 'the due date is in the past', zh: '到期日早于今天' });
}

/**
 * An owner (of the CAPA or of one of its actions) works it through the CAPA pages, which need
 * `records.read`: someone without it (an auditor's portal account) could never act on it, so the
 * CAPA would stall with nobody able to move it (ISO 13485:2016 8.5.2: actions taken without undue
 * delay). Refused at the field, before anything is numbered or written.
 */
export function mayOwnCapa(u: { roles: string[] }, field: string) {
  if (!hasPermission(u, 'records.read'))
    throw errors.validation(field, {
      en: 'this person cannot open CAPAs and could never act on this one: name someone who works in the QMS',
      zh: '此人无法打开 CAPA,永远无法处理:请指定在质量管理体系中工作的人员',
    });
}
