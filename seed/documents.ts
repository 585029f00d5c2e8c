import type { Services } from '../server/src/platform/services.ts';
import type { SessionUser } from '../server/src/identity/sessionUser.ts';
import { sessionUsers } from './sessionUsers.ts';
import { createDocument } from '../server/src/modules/documents/createDocument.ts';
import { performAction, uploadContent } from '../server/src/modules/documents/documentActions.ts';
import { getDocument } from '../server/src/modules/documents/queries.ts';
import type { CreateDocumentInput } from '../server/src/modules/documents/schema.ts';
import { addDays, todayUtc } from '../server/src/modules/documents/document.record.ts';
import { completeTraining, trainingsOfDocument } from '../server/src/modules/training/trainingService.ts';
import { DEMO_PASSWORD } from './demo-users.ts';
import { documentContentPdf } from './documentContent.ts';

// The demo company's controlled documents, built through the same commands as the API, so each
// carries a real history of signatures and training. Dates before today are the company's past.

/**
 * A tiny valid one-page PDF showing `lines` (ASCII; other characters become "?"), in Helvetica
 * without the font embedded, like many files people upload: tests use it as a PDF that an
 * archival export cannot merge (archivalCheck.ts). The seed's own files embed their font.
 */
export function minimalPdf(lines: string[]): Buffer {
  const esc = (t: string) => t.replace(/[^\x20-\x7e]/g, '?').replace(/([\\()])/g, '\\$1');
  const text = lines.map((l, i) => `BT /F1 ${i === 0 ? 16 : 11} Tf 60 ${780 - i * 24} Td (${esc(l)}) Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(text, 'latin1')} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

type Stage =
  'empty' | 'draft' | 'rejected' | 'in_review' | 'approval' | 'approved' | 'effective' | 'superseded' | 'obsolete';
interface Spec {
  type: CreateDocumentInput['type'];
  dept: string;
  zh: string;
  en: string;
  owner: string;
  stage: Stage;
  reviewers?: string[];
  approvers?: string[];
  roles?: string[];
  months?: number;
  /** effective date of revision A (and of B for 'superseded') */
  dates?: string[];
  trained?: string[];
}

const QA_REVIEW = ['reviewer2'];
const DOCS: Spec[] = [
  {
    type: 'policy',
    dept: 'QA',
    zh: '质量手册',
    en: 'Quality Manual',
    owner: 'qa.manager',
    stage: 'superseded',
    approvers: ['qa.engineer'],
    roles: ['qa_engineer', 'production_supervisor'],
    dates: ['2024-01-15', '2025-07-01'],
    trained: ['qa.engineer'],
  },
  {
    type: 'policy',
    dept: 'QA',
    zh: '质量方针和质量目标',
    en: 'Quality Policy and Objectives',
    owner: 'qa.manager',
    stage: 'effective',
    approvers: ['qa.engineer'],
    roles: ['qa_engineer'],
    dates: ['2025-07-01'],
    trained: ['qa.engineer', 'reviewer2'],
  },
  {
    type: 'sop',
    dept: 'QA',
    zh: '文件控制程序',
    en: 'Document Control Procedure',
    owner: 'qa.engineer',
    stage: 'superseded',
    reviewers: ['reviewer'],
    approvers: ['qa.manager'],
    roles: ['document_author'],
    dates: ['2024-03-01', '2025-09-15'],
    trained: ['author'],
  },
  {
    type: 'sop',
    dept: 'QA',
    zh: '记录控制程序',
    en: 'Record Control Procedure',
    owner: 'qa.engineer',
    stage: 'effective',
    reviewers: ['reviewer'],
    approvers: ['qa.manager'],
    dates: ['2025-09-15'],
  },
  {
    type: 'sop',
    dept: 'QA',
    zh: '纠正和预防措施程序',
    en: 'Corrective and Preventive Action (CAPA) Procedure',
    owner: 'qa.engineer',
    stage: 'effective',
    reviewers: ['reviewer', 'reviewer2'],
    approvers: ['qa.manager'],
    roles: ['qa_engineer', 'production_supervisor'],
    dates: ['2025-10-01'],
    trained: ['prod.supervisor'],
  },
  {
    type: 'sop',
    dept: 'QA',
    zh: '不合格品控制程序',
    en: 'Control of Nonconforming Product',
    owner: 'qa.engineer',
    stage: 'effective',
    reviewers: ['reviewer2'],
    approvers: ['qa.manager'],
    roles: ['operator'],
    dates: ['2025-10-01'],
    trained: ['operator'],
  },
  {
    type: 'sop',
    dept: 'QA',
    zh: '内部审核程序',
    en: 'Internal Audit Procedure',
    owner: 'qa.engineer',
    stage: 'effective',
    reviewers: ['reviewer2'],
    approvers: ['qa.manager'],
    dates: ['2025-06-01'],
  },
  {
    type: 'sop',
    dept: 'RD',
    zh: '设计和开发控制程序',
    en: 'Design and Development Control Procedure',
    owner: 'author',
    stage: 'effective',
    reviewers: ['reviewer', 'reviewer2'],
    approvers: ['qa.manager'],
    months: 12,
    dates: ['2024-06-01'],
  },
  {
    type: 'sop',
    dept: 'QA',
    zh: '供应商管理程序',
    en: 'Supplier Management Procedure',
    owner: 'qa.engineer',
    stage: 'effective',
    reviewers: ['reviewer'],
    approvers: ['qa.manager'],
    roles: ['purchaser'],
    dates: ['2025-08-01'],
  },
  {
    type: 'sop',
    dept: 'QA',
    zh: '标签控制程序',
    en: 'Labeling Control Procedure',
    owner: 'qa.engineer',
    stage: 'in_review',
    reviewers: ['reviewer', 'reviewer2'],
    approvers: ['qa.manager'],
  },
  {
    type: 'sop',
    dept: 'QA',
    zh: '顾客投诉处理程序(旧版)',
    en: 'Customer Complaint Handling (legacy)',
    owner: 'qa.engineer',
    stage: 'obsolete',
    reviewers: ['reviewer2'],
    approvers: ['qa.manager'],
    dates: ['2023-05-01'],
  },
  {
    type: 'sop',
    dept: 'QA',
    zh: '顾客反馈和投诉处理程序',
    en: 'Customer Feedback and Complaint Handling',
    owner: 'qa.engineer',
    stage: 'effective',
    reviewers: ['reviewer2'],
    approvers: ['qa.manager'],
    dates: ['2025-11-01'],
  },
  {
    type: 'sop',
    dept: 'PROD',
    zh: '生产过程控制程序',
    en: 'Production Process Control Procedure',
    owner: 'prod.supervisor',
    stage: 'effective',
    reviewers: QA_REVIEW,
    approvers: ['qa.manager'],
    roles: ['operator'],
    dates: ['2025-08-15'],
    trained: ['operator', 'operator2'],
  },
  {
    type: 'sop',
    dept: 'PROD',
    zh: '洁净区管理程序',
    en: 'Cleanroom Control Procedure',
    owner: 'prod.supervisor',
    stage: 'effective',
    reviewers: QA_REVIEW,
    approvers: ['qa.manager'],
    roles: ['operator'],
    dates: ['2025-08-15'],
    trained: ['operator2'],
  },
  {
    type: 'sop',
    dept: 'QA',
    zh: '环氧乙烷灭菌过程确认程序',
    en: 'EO Sterilization Process Validation Procedure',
    owner: 'qa.engineer',
    stage: 'effective',
    reviewers: ['reviewer2'],
    approvers: ['qa.manager'],
    dates: ['2025-04-01'],
  },
  {
    type: 'sop',
    dept: 'QA',
    zh: '变更控制程序',
    en: 'Change Control Procedure',
    owner: 'qa.engineer',
    stage: 'approval',
    reviewers: ['reviewer', 'reviewer2'],
    approvers: ['qa.manager'],
  },
  {
    type: 'sop',
    dept: 'QA',
    zh: '风险管理程序',
    en: 'Risk Management Procedure (ISO 14971)',
    owner: 'author',
    stage: 'effective',
    reviewers: ['reviewer2'],
    approvers: ['qa.manager'],
    dates: ['2025-05-01'],
  },
  {
    type: 'sop',
    dept: 'QA',
    zh: '医疗器械不良事件监测程序',
    en: 'Adverse Event Monitoring and Reporting',
    owner: 'qa.engineer',
    stage: 'draft',
    reviewers: ['reviewer2'],
    approvers: ['qa.manager'],
  },
  {
    type: 'sop',
    dept: 'WH',
    zh: '仓库管理程序',
    en: 'Warehouse Control Procedure',
    owner: 'prod.supervisor',
    stage: 'effective',
    reviewers: QA_REVIEW,
    approvers: ['qa.manager'],
    roles: ['warehouse_clerk'],
    dates: ['2025-06-15'],
  },
  {
    type: 'sop',
    dept: 'RD',
    zh: '软件生命周期过程程序',
    en: 'Software Life Cycle Process (IEC 62304)',
    owner: 'author',
    stage: 'empty',
    reviewers: ['reviewer'],
    approvers: ['qa.manager'],
  },
  {
    type: 'work_instruction',
    dept: 'PROD',
    zh: '输液器装配作业指导书',
    en: 'Infusion Set Assembly Work Instruction',
    owner: 'prod.supervisor',
    stage: 'effective',
    reviewers: QA_REVIEW,
    approvers: ['qa.manager'],
    roles: ['operator'],
    dates: ['2025-09-01'],
    trained: ['operator'],
  },
  {
    type: 'work_instruction',
    dept: 'PROD',
    zh: '输液器气密性检测作业指导书',
    en: 'Infusion Set Leak Test Work Instruction',
    owner: 'prod.supervisor',
    stage: 'effective',
    reviewers: QA_REVIEW,
    approvers: ['qa.manager'],
    roles: ['operator'],
    dates: ['2025-09-01'],
    trained: ['operator', 'operator2'],
  },
  {
    type: 'work_instruction',
    dept: 'PROD',
    zh: '环氧乙烷灭菌柜操作规程',
    en: 'EO Sterilizer Operation Work Instruction',
    owner: 'prod.supervisor',
    stage: 'effective',
    reviewers: QA_REVIEW,
    approvers: ['qa.manager'],
    roles: ['operator'],
    dates: ['2025-09-01'],
    trained: ['operator', 'operator2'],
  },
  {
    type: 'work_instruction',
    dept: 'PROD',
    zh: '输液器包装作业指导书',
    en: 'Infusion Set Packaging Work Instruction',
    owner: 'prod.supervisor',
    stage: 'approved',
    reviewers: QA_REVIEW,
    approvers: ['qa.manager'],
    roles: ['operator'],
  },
  {
    type: 'work_instruction',
    dept: 'PROD',
    zh: '输液泵总装作业指导书',
    en: 'Infusion Pump Final Assembly Work Instruction',
    owner: 'prod.supervisor',
    stage: 'superseded',
    reviewers: QA_REVIEW,
    approvers: ['qa.manager'],
    roles: ['operator'],
    dates: ['2024-09-01', '2025-10-15'],
    trained: ['operator2', 'operator'],
  },
  {
    type: 'work_instruction',
    dept: 'PROD',
    zh: '输液泵软件烧录作业指导书',
    en: 'Infusion Pump Firmware Loading Work Instruction',
    owner: 'author',
    stage: 'rejected',
    reviewers: ['reviewer'],
    approvers: ['qa.manager'],
    roles: ['operator'],
  },
  {
    type: 'specification',
    dept: 'QA',
    zh: '输液泵最终检验规范',
    en: 'Infusion Pump Final Test Specification',
    owner: 'qa.engineer',
    stage: 'effective',
    reviewers: ['reviewer'],
    approvers: ['qa.manager'],
    roles: ['qa_engineer'],
    dates: ['2025-03-01'],
    trained: ['reviewer2'],
  },
  {
    type: 'specification',
    dept: 'QA',
    zh: '一次性使用输液器成品检验规范',
    en: 'Infusion Set Finished Product Inspection Specification',
    owner: 'qa.engineer',
    stage: 'effective',
    reviewers: ['reviewer'],
    approvers: ['qa.manager'],
    dates: ['2025-03-01'],
  },
  {
    type: 'specification',
    dept: 'QA',
    zh: 'PVC 粒料进货检验规范',
    en: 'PVC Compound Incoming Inspection Specification',
    owner: 'qa.engineer',
    stage: 'in_review',
    reviewers: ['reviewer', 'reviewer2'],
    approvers: ['qa.manager'],
  },
  {
    type: 'drawing',
    dept: 'RD',
    zh: '输液泵外壳装配图',
    en: 'Infusion Pump Enclosure Assembly Drawing',
    owner: 'author',
    stage: 'effective',
    reviewers: ['reviewer'],
    approvers: ['qa.manager'],
    dates: ['2025-02-01'],
  },
  {
    type: 'form',
    dept: 'QA',
    zh: '文件更改申请表',
    en: 'Document Change Request Form',
    owner: 'qa.engineer',
    stage: 'effective',
    reviewers: ['reviewer'],
    approvers: ['qa.manager'],
    dates: ['2025-09-15'],
  },
  {
    type: 'form',
    dept: 'PROD',
    zh: '输液器批生产记录',
    en: 'Infusion Set Batch Production Record Form',
    owner: 'prod.supervisor',
    stage: 'effective',
    reviewers: QA_REVIEW,
    approvers: ['qa.manager'],
    dates: ['2025-09-01'],
  },
  {
    type: 'template',
    dept: 'RD',
    zh: '设计输入文件模板',
    en: 'Design Input Document Template',
    owner: 'author',
    stage: 'draft',
    reviewers: ['reviewer'],
    approvers: ['qa.manager'],
  },
];

/** The stages whose history is settled (effective, superseded, obsolete): written early in the demo year. */
const SETTLED = new Set<Stage>(['effective', 'superseded', 'obsolete']);

/**
 * Creates the documents (numbers in order) and runs their histories. With `later`, only the settled
 * ones run now (seed/index.ts calls this on a simulated day early in the year, so the year's work
 * orders find approved procedures and trained operators); the ones still in flight (draft, in
 * review, approval, approved, rejected) are handed to `later` to run in the present. `today` is the
 * real today (an approved revision becomes effective two weeks after it).
 */
export async function seedDocuments(
  s: Services,
  opts: { today?: string; later?: (inFlight: () => Promise<unknown>) => void } = {},
): Promise<number> {
  if (await s.db.collection('documents').countDocuments({}, { limit: 1 })) return 0;
  const users = await sessionUsers(s);
  const who = (name: string) => {
    const u = users.get(name);
    if (!u) throw new Error(`seed: no user ${name}`);
    return u;
  };
  const sign = { password: DEMO_PASSWORD };
  // numbers are allocated in order (a stable demo); the histories then run a few at a time
  const ids: string[] = [];
  for (const spec of DOCS) {
    ids.push(
      await createDocument(s, who(spec.owner), {
        type: spec.type,
        department: spec.dept,
        title: { zh: spec.zh, en: spec.en },
        summary: {
          zh: `${spec.zh}:规定康健医疗器械有限公司的相关要求和职责。`,
          en: `${spec.en}: requirements and responsibilities at Kangjian Medical Devices.`,
        },
        reviewers: (spec.reviewers ?? ['reviewer']).map((n) => who(n).id),
        approvers: (spec.approvers ?? ['qa.manager']).map((n) => who(n).id),
        trainees: { roles: spec.roles ?? [], users: [] },
        reviewIntervalMonths: spec.months ?? 24,
      }),
    );
  }
  const history = async (spec: Spec, id: string) => {
    const owner = who(spec.owner);
    const act = async (user: SessionUser, action: string, extra: Record<string, string> = {}) => {
      const d = await getDocument(s, id);
      await performAction(s, user, id, action, { version: d.ledgerVersion, ...extra }, { historical: true });
    };
    const revise = async (effectiveDate: string | undefined, stop?: Stage) => {
      const d = await getDocument(s, id);
      await uploadContent(s, owner, id, {
        name: `${d.number}-${d.current}.pdf`,
        mime: 'application/pdf',
        bytes: await documentContentPdf({
          type: spec.type,
          number: d.number,
          revision: d.current,
          department: spec.dept,
          title: { zh: spec.zh, en: spec.en },
          owner: owner.fullName,
          written: addDays(effectiveDate ?? todayUtc(), -21),
        }),
      });
      if (stop === 'draft') return;
      await act(owner, 'submit', effectiveDate ? { effectiveDate } : {});
      const reviewers = spec.reviewers ?? ['reviewer'];
      if (stop === 'rejected') {
        await act(who(reviewers[0]), 'reject', {
          ...sign,
          reason: 'Step 4 does not state the verification of the programmed firmware checksum.',
        });
        return;
      }
      for (const [i, r] of reviewers.entries()) {
        if (stop === 'in_review' && i === reviewers.length - 1) return;
        await act(who(r), 'review', sign);
      }
      if (stop === 'approval') return;
      for (const a of spec.approvers ?? ['qa.manager']) await act(who(a), 'approve', sign);
    };
    const dates = spec.dates ?? [];
    switch (spec.stage) {
      case 'empty':
        break;
      case 'draft':
      case 'rejected':
      case 'in_review':
      case 'approval':
        await revise(undefined, spec.stage);
        break;
      case 'approved':
        await revise(addDays(opts.today ?? todayUtc(), 14));
        break;
      case 'effective':
        await revise(dates[0]);
        break;
      case 'superseded':
        await revise(dates[0]);
        await act(owner, 'new_revision');
        await revise(dates[1]);
        break;
      case 'obsolete':
        await revise(dates[0]);
        await act(who('qa.manager'), 'obsolete', {
          ...sign,
          reason: 'Replaced by the combined feedback and complaint handling procedure.',
        });
        break;
    }
    const trained = new Set(spec.trained ?? []);
    for (const t of await trainingsOfDocument(s, id)) {
      const u = [...users.values()].find((x) => x.id === t.userId);
      if (u && trained.has(u.username) && t.status === 'open' && t.revision === (await getDocument(s, id)).effective)
        await completeTraining(s, u, t._id, sign);
    }
  };
  const run = async (which: number[]) => {
    const queue = which.map((i) => () => history(DOCS[i], ids[i]));
    await Promise.all(
      Array.from({ length: 3 }, async () => {
        for (let job = queue.shift(); job; job = queue.shift()) await job();
      }),
    );
  };
  const all = DOCS.map((_, i) => i);
  if (!opts.later) await run(all);
  else {
    await run(all.filter((i) => SETTLED.has(DOCS[i].stage)));
    opts.later(() => run(all.filter((i) => !SETTLED.has(DOCS[i].stage))));
  }
  return DOCS.length;
}
