import type { Services } from '../server/src/platform/services.ts';
import type { SessionUser } from '../server/src/identity/sessionUser.ts';
import { items } from '../server/src/modules/items/service.ts';
import { dmrs, getDmr, performDmrAction } from '../server/src/modules/dmr/service.ts';
import { DmrContentInput } from '../server/src/modules/dmr/schema.ts';
import { revisionOf } from '../server/src/modules/dmr/dmr.record.ts';
import { performAction, uploadContent } from '../server/src/modules/documents/documentActions.ts';
import { getDocument } from '../server/src/modules/documents/queries.ts';
import { listWorkOrders } from '../server/src/modules/production/service.ts';
import {
  addLink,
  confirmLink,
  createElement,
  createProject,
  elementAction,
  getElement,
  getProject,
  listLinks,
  projectAction,
} from '../server/src/modules/design/service.ts';
import { projectsOf } from '../server/src/modules/design/resolve.ts';
import { ElementContentInput, PlanInput } from '../server/src/modules/design/schema.ts';
import type { ElementKind } from '../server/src/modules/design/events.ts';
import { actOnChange, getChange, openChange } from '../server/src/modules/changes/service.ts';
import { IMPACT_QUESTIONS } from '../server/src/modules/changes/events.ts';
import { registerRevisionHold } from '../server/src/records/contributions.ts';
import { changeRevisionHold } from '../server/src/modules/changes/holds.ts';
import { sessionUsers } from './sessionUsers.ts';
import { documentContentPdf } from './documentContent.ts';
import { DEMO_PASSWORD } from './demo-users.ts';
import { todayUtc } from '../server/src/platform/dates.ts';

// The demo company's design controls and change control (issue 12 item 6), through the same
// commands people use: the infusion pump's design project (ISO 13485:2016 7.3) on the pump and
// its DMR, with 10 user needs, 20 design inputs, 11 outputs, 12 verifications (the battery run
// time failed and its re-run passed), 3 validations, two design reviews each signed by an
// independent reviewer (7.3.5), the transfer to DMR revision A (7.3.8); design input IN-03
// revised after its verification, its link to the output re-confirmed and the output's link to
// its verification left suspect (7.3.9); IN-20 (EMC) still waiting for a passing verification.
// Then a change request (7.3.9) that revises the leak-test work instruction (revision C, after
// the CAPA's B) and the infusion-set DMR (revision B) together: approved by the change board, the
// work order on the floor decided "finish on the old revision", the other two orders on DMR A
// still to be decided before implementation.
const sign = { password: DEMO_PASSWORD };
const both = (zh: string, en: string) => `${zh}\n${en}`;
type T = [zh: string, en: string];

const NEEDS: T[] = [
  ['按处方准确输注药液', 'Deliver the prescribed volume accurately'],
  ['管路堵塞时及时报警', 'Alarm promptly when the line is occluded'],
  ['防止空气输入患者体内', 'Prevent air from reaching the patient'],
  ['防止自由流', 'Prevent free flow'],
  ['转运途中可用电池工作', 'Run on battery during patient transport'],
  ['防止编程错误', 'Prevent programming errors'],
  ['病房照明下清晰可读、报警可闻', 'Readable in ward lighting, alarms audible'],
  ['可用医院常用消毒剂清洁', 'Cleanable with the hospital’s disinfectants'],
  ['与本公司输液器配套使用', 'Work with the company’s infusion sets'],
  ['对患者和操作者电气安全', 'Electrically safe for patient and operator'],
];
/** Two inputs per need (7.3.3), with the risk controls they implement (7.3.3 c). */
const INPUTS: Array<[T, string[]]> = [
  [['流速精度 ±5%(1–1200 mL/h)', 'Flow accuracy ±5 % over 1–1200 mL/h'], ['RC-01']],
  [['堵塞解除后团注量 ≤ 0.2 mL', 'Bolus after occlusion release ≤ 0.2 mL'], ['RC-02']],
  [['25 mL/h 时堵塞报警时间 ≤ 60 s', 'Occlusion alarm within 60 s at 25 mL/h'], ['RC-03']],
  [['堵塞压力三档可调', 'Three selectable occlusion pressure levels'], []],
  [['单个气泡 ≥ 50 µL 报警', 'Alarm on a single air bubble ≥ 50 µL'], ['RC-04']],
  [['15 min 内累积空气 1 mL 报警', 'Alarm on 1 mL cumulative air within 15 min'], ['RC-05']],
  [['开门时防自由流夹自动夹闭', 'Anti-free-flow clamp closes when the door opens'], ['RC-06']],
  [['泵门未关报警', 'Door-open alarm'], ['RC-07']],
  [['25 mL/h 时电池续航 ≥ 6 h', 'Battery run time ≥ 6 h at 25 mL/h'], ['RC-08']],
  [['电池耗尽前 30 min 低电量报警', 'Low-battery alarm 30 min before depletion'], ['RC-09']],
  [['药物库硬/软限值', 'Drug library with hard and soft limits'], ['RC-10']],
  [['修改速率需二次确认', 'Rate changes confirmed in two steps'], ['RC-11']],
  [['100–1000 lx 下 1 m 可读', 'Readable at 1 m under 100–1000 lx'], []],
  [['报警声压 ≥ 45 dB(A)(IEC 60601-1-8)', 'Alarm sound ≥ 45 dB(A) (IEC 60601-1-8)'], ['RC-12']],
  [['外壳防护 IPX4', 'Enclosure IPX4'], ['RC-13']],
  [['耐受 500 次消毒擦拭', 'Withstands 500 disinfectant wipes'], []],
  [['适配 FG-IFS-20 输液器(内径 3.0 mm)', 'Fits the FG-IFS-20 infusion set (ID 3.0 mm)'], []],
  [['输液器 50 kPa 气密', 'Infusion set leak-tight at 50 kPa'], ['RC-14']],
  [['患者漏电流 ≤ 100 µA(IEC 60601-1)', 'Patient leakage current ≤ 100 µA (IEC 60601-1)'], ['RC-15']],
  [['电磁兼容 IEC 60601-1-2', 'EMC to IEC 60601-1-2'], []],
];
/** Outputs (7.3.4) and the inputs each answers (1-based). */
const OUTPUTS: Array<[T, number[]]> = [
  [
    ['泵送机构图纸与流量控制固件', 'Pumping mechanism drawings and flow-control firmware'],
    [1, 2],
  ],
  [
    ['压力传感器与堵塞算法规范', 'Pressure sensor and occlusion algorithm specification'],
    [3, 4],
  ],
  [
    ['超声空气传感器规范', 'Ultrasonic air sensor specification'],
    [5, 6],
  ],
  [
    ['泵门与防自由流夹图纸', 'Door and anti-free-flow clamp drawings'],
    [7, 8],
  ],
  [
    ['电池组与电源管理规范', 'Battery pack and power management specification'],
    [9, 10],
  ],
  [
    ['软件需求规范与药物库', 'Software requirements specification and drug library'],
    [11, 12],
  ],
  [
    ['显示与报警模块规范', 'Display and alarm module specification'],
    [13, 14],
  ],
  [
    ['外壳与密封圈图纸', 'Enclosure and gasket drawings'],
    [15, 16],
  ],
  [
    ['输液器接口规范', 'Infusion set interface specification'],
    [17, 18],
  ],
  [['电源与绝缘图', 'Power supply and insulation diagram'], [19]],
  [['屏蔽与滤波设计', 'Shielding and filter design'], [20]],
];
/** Verifications (7.3.6), one per output; V-05 failed (5.2 h), V-05R re-run passed; V-11 planned. */
const VERIFICATIONS: Array<[T, string]> = [
  [['流速精度试验(IEC 60601-2-24 喇叭曲线)', 'Flow accuracy test (IEC 60601-2-24 trumpet curve)'], 'TR-V01'],
  [['堵塞报警试验', 'Occlusion alarm test'], 'TR-V02'],
  [['空气检测试验', 'Air-in-line detection test'], 'TR-V03'],
  [['防自由流试验', 'Free-flow prevention test'], 'TR-V04'],
  [['电池续航试验', 'Battery run-time test'], 'TR-V05'],
  [['软件验证', 'Software verification'], 'TR-V06'],
  [['显示与报警试验', 'Display and alarm test'], 'TR-V07'],
  [['IPX4 与擦拭耐受试验', 'IPX4 and wipe endurance test'], 'TR-V08'],
  [['输液器配合与气密试验', 'Infusion set fit and leak test'], 'TR-V09'],
  [['电气安全试验', 'Electrical safety test'], 'TR-V10'],
  [['电磁兼容试验', 'EMC test'], ''],
];
/** Validations (7.3.7) of the needs they answer (1-based). */
const VALIDATIONS: Array<[T, number[]]> = [
  [
    ['模拟临床使用验证', 'Simulated clinical use validation'],
    [1, 2, 3, 4, 5],
  ],
  [
    ['总结性可用性研究(15 名护士)', 'Summative usability study (15 nurses)'],
    [6, 7],
  ],
  [
    ['医院消毒流程验证', 'Hospital cleaning validation'],
    [8, 9, 10],
  ],
];

const content = (t: T, extra: Record<string, unknown> = {}) =>
  ElementContentInput.parse({ title: { zh: t[0], en: t[1] }, ...extra });

export async function seedDesign(s: Services): Promise<number> {
  if (await projectsOf(s).countDocuments({}, { limit: 1 })) return 0;
  const byPn = new Map((await items(s).find({}).toArray()).map((i) => [i.partNumber, i._id]));
  const pumpId = byPn.get('FG-PMP-1');
  const setId = byPn.get('FG-IFS-20');
  const pumpDmr = pumpId ? await dmrs(s).findOne({ itemId: pumpId }) : null;
  const setDmr = setId ? await dmrs(s).findOne({ itemId: setId }) : null;
  const wi = await s.db
    .collection<{ _id: string }>('documents')
    .findOne({ 'title.en': 'Infusion Set Leak Test Work Instruction' });
  if (!pumpId || !pumpDmr || !setDmr || !wi) return 0; // not the demo company
  const users = await sessionUsers(s);
  const who = (n: string): SessionUser => {
    const u = users.get(n);
    if (!u) throw new Error(`seed: no user ${n}`);
    return u;
  };
  const [author, qaEng, qaMgr, reviewer2, sup] = [
    'author',
    'qa.engineer',
    'qa.manager',
    'reviewer2',
    'prod.supervisor',
  ].map(who);

  // the project and its plan (7.3.2), approved by QA
  const project = await createProject(s, author, {
    title: { zh: '容积式输液泵 FG-PMP-1 设计开发', en: 'Volumetric infusion pump FG-PMP-1 design' },
    itemId: pumpId,
    dmrId: pumpDmr._id,
  });
  const pid = project._id;
  const stages = PlanInput.parse([
    { key: 'concept', name: { zh: '概念与设计输入', en: 'Concept and design inputs' }, responsible: qaEng.id },
    { key: 'detail', name: { zh: '详细设计与验证', en: 'Detailed design and verification' }, responsible: author.id },
  ]);
  const pv = async () => (await getProject(s, pid)).ledgerVersion;
  await projectAction(s, author, pid, 'edit_plan', { version: await pv(), stages });
  await projectAction(s, qaMgr, pid, 'approve_plan', { version: await pv(), ...sign });

  const add = async (kind: ElementKind, code: string, c: ElementContentInput) =>
    (await createElement(s, author, pid, { kind, code, content: c }))._id;
  const approve = async (id: string, u: SessionUser = qaMgr) =>
    elementAction(s, u, id, 'approve', { version: (await getElement(s, id)).ledgerVersion, ...sign });
  const link = (from: string, to: string) => addLink(s, author, pid, from, to);
  const code = (p: string, i: number) => `${p}-${String(i + 1).padStart(2, '0')}`;

  const needs: string[] = [];
  for (const [i, t] of NEEDS.entries()) needs.push(await add('need', code('UN', i), content(t)));
  const inputs: string[] = [];
  for (const [i, [t, rc]] of INPUTS.entries()) {
    inputs.push(await add('input', code('IN', i), content(t, { riskControls: rc })));
    await link(needs[Math.floor(i / 2)], inputs[i]);
  }
  const outputs: string[] = [];
  for (const [i, [t, from]] of OUTPUTS.entries()) {
    outputs.push(await add('output', code('OUT', i), content(t)));
    for (const n of from) await link(inputs[n - 1], outputs[i]);
  }
  const verifications: string[] = [];
  for (const [i, [t, evidence]] of VERIFICATIONS.entries()) {
    const failed = i === 4;
    const planned = !evidence;
    const protocol = both(`${t[0]}:按试验方案执行`, `${t[1]}: run to the test protocol`);
    verifications.push(
      await add(
        'verification',
        code('VER', i),
        content(t, {
          protocol,
          result: planned ? 'pending' : failed ? 'fail' : 'pass',
          ...(planned ? {} : { evidence: `${evidence}.pdf` }),
          ...(failed
            ? { description: { zh: '续航 5.2 h,低于 6 h 要求。', en: 'Run time 5.2 h, below the 6 h required.' } }
            : {}),
        }),
      ),
    );
    await link(outputs[i], verifications[i]);
  }
  const rerun = await add(
    'verification',
    'VER-05R',
    content(['电池续航试验(更换电芯后复测)', 'Battery run-time test (re-run after the cell change)'], {
      protocol: both('同 VER-05,更换 2600 mAh 电芯后', 'As VER-05, after the change to 2600 mAh cells'),
      result: 'pass',
      evidence: 'TR-V05R.pdf',
      rerunOf: verifications[4],
      description: { zh: '续航 7.1 h。', en: 'Run time 7.1 h.' },
    }),
  );
  await link(outputs[4], rerun);
  const validations: string[] = [];
  for (const [i, [t, of]] of VALIDATIONS.entries()) {
    validations.push(
      await add(
        'validation',
        code('VAL', i),
        content(t, {
          protocol: both('按确认方案在模拟病房执行', 'Run to the validation protocol in a simulated ward'),
          result: 'pass',
          evidence: `VR-${String(i + 1).padStart(2, '0')}.pdf`,
        }),
      ),
    );
    for (const n of of) await link(needs[n - 1], validations[i]);
  }
  // every element approved by QA, except the EMC test still planned
  for (const id of [...needs, ...inputs, ...outputs, ...verifications.slice(0, 10), rerun, ...validations])
    await approve(id);

  // two design reviews (7.3.5), each signed by its independent reviewer
  const attendees = [author.id, qaEng.id, qaMgr.id, reviewer2.id, sup.id];
  const dr1 = await add(
    'review',
    'DR-01',
    content(['概念阶段设计评审', 'Concept stage design review'], {
      stage: 'concept',
      attendees,
      independentReviewer: reviewer2.id,
      decisions: [both('设计输入完整,可进入详细设计。', 'Design inputs complete: proceed to detailed design.')],
      actions: [{ text: both('补充 EMC 输入', 'Add the EMC input'), owner: qaEng.fullName }],
    }),
  );
  await approve(dr1, reviewer2);
  const dr2 = await add(
    'review',
    'DR-02',
    content(['详细设计阶段设计评审', 'Detailed design stage review'], {
      stage: 'detail',
      attendees,
      independentReviewer: qaMgr.id,
      decisions: [
        both(
          '电池续航复测通过;EMC 试验完成前不得转移。',
          'Battery re-run passed; no transfer of the EMC design before its test passes.',
        ),
      ],
      actions: [{ text: both('完成 EMC 试验', 'Complete the EMC test'), owner: author.fullName }],
    }),
  );
  await approve(dr2, qaMgr);

  // design transfer (7.3.8): the verified outputs became DMR revision A of the pump
  const transfer = await add(
    'transfer',
    'TR-01',
    content(['设计转换至 DMR A 版', 'Design transfer to DMR revision A'], {
      dmrId: pumpDmr._id,
      dmrRevision: revisionOf(pumpDmr, pumpDmr.effective ?? pumpDmr.current)?.revision ?? 'A',
      outputs: outputs.slice(0, 10),
    }),
  );
  await approve(transfer);

  // IN-03 revised (30 s instead of 60 s): its downstream links turn suspect; the link to the
  // output is re-confirmed by signature, the output's link to its verification stays suspect
  await elementAction(s, author, inputs[2], 'revise', { version: (await getElement(s, inputs[2])).ledgerVersion });
  await elementAction(s, author, inputs[2], 'edit', {
    version: (await getElement(s, inputs[2])).ledgerVersion,
    content: content(['25 mL/h 时堵塞报警时间 ≤ 30 s', 'Occlusion alarm within 30 s at 25 mL/h'], {
      riskControls: ['RC-03'],
    }),
  });
  await approve(inputs[2]);
  const inToOut = (await listLinks(s, pid)).find((l) => l.from.id === inputs[2] && l.to.id === outputs[1]);
  if (inToOut) await confirmLink(s, qaMgr, pid, inToOut._id, { ...sign, reason: 'Output meets the 30 s input' });

  await seedChange(s, { sup, qaEng, qaMgr, reviewer2, author }, wi._id, setDmr._id);
  return 1;
}

/** The change request naming the leak-test WI's next revision and the infusion-set DMR's revision B. */
async function seedChange(
  s: Services,
  u: Record<'sup' | 'qaEng' | 'qaMgr' | 'reviewer2' | 'author', SessionUser>,
  wiId: string,
  dmrId: string,
) {
  const doc = async (who: SessionUser, action: string, extra: Record<string, unknown> = {}) =>
    performAction(s, who, wiId, action, { version: (await getDocument(s, wiId)).ledgerVersion, ...extra });
  const dmr = async (who: SessionUser, action: string, extra: Record<string, unknown> = {}) =>
    performDmrAction(s, who, dmrId, action, { version: (await getDmr(s, dmrId)).ledgerVersion, ...extra } as never);
  // the hold the app registers at start (modules/contributions.ts), needed before the app exists
  registerRevisionHold(changeRevisionHold);
  await doc(u.sup, 'new_revision');
  await dmr(u.sup, 'new_revision');
  const wiRev = (await getDocument(s, wiId)).current;
  const dmrRev = (await getDmr(s, dmrId)).current;
  const affected = new Set(['safety', 'riskFile', 'validation', 'workInProgress', 'inventory']);
  const impact = Object.fromEntries(
    IMPACT_QUESTIONS.map((q) => [
      q,
      {
        affected: affected.has(q),
        note: affected.has(q) ? both('见变更说明', 'See the change description') : both('不受影响', 'Not affected'),
      },
    ]),
  );
  const change = await openChange(s, u.qaEng, {
    title: { zh: '气密性检测增加标准漏孔点检', en: 'Leak test: reference-leak check added to the routing' },
    reason: both(
      'CAPA 后续:将每班标准漏孔点检写入作业指导书,并作为 DMR 工序 20 的记录项。',
      'CAPA follow-up: the per-shift reference-leak check goes into the work instruction and becomes a capture of DMR step 20.',
    ),
    items: [
      { kind: 'document', id: wiId, revision: wiRev },
      { kind: 'dmr', id: dmrId, revision: dmrRev },
    ],
    refs: [],
    impact: impact as never,
    classification: {
      class: 'minor',
      regulatoryNotification: false,
      rationale: both(
        '生产过程控制加严,产品技术要求不变,无需注册变更。',
        'A tighter in-process control; product requirements unchanged, no registration change.',
      ),
    },
  });

  // the two revisions go through their own review and approval under the change (held, not effective)
  const draft = await getDocument(s, wiId);
  await uploadContent(s, u.sup, wiId, {
    name: `${draft.number}-${draft.current}.pdf`,
    mime: 'application/pdf',
    bytes: await documentContentPdf({
      type: 'work_instruction',
      number: draft.number,
      revision: draft.current,
      department: 'PROD',
      title: { zh: '输液器气密性检测作业指导书', en: 'Infusion Set Leak Test Work Instruction' },
      owner: u.sup.fullName,
      written: todayUtc(),
    }),
  });
  await doc(u.sup, 'submit');
  await doc(u.reviewer2, 'review', sign);
  await doc(u.qaMgr, 'approve', sign);
  const cur = await getDmr(s, dmrId);
  const latest = cur.revisions[cur.revisions.length - 1]!.content;
  const routing = latest.routing.map((o) =>
    o.seq === 20
      ? { ...o, captures: [...o.captures, { name: 'Reference leak check', unit: 'kPa', lower: null, upper: 0.1 }] }
      : o,
  );
  await dmr(u.sup, 'edit', { content: DmrContentInput.parse({ ...latest, routing }) });
  await dmr(u.sup, 'submit');
  await dmr(u.reviewer2, 'review', sign);
  await dmr(u.qaMgr, 'approve', sign);

  // the change board approves; the order on the floor finishes on the old revision
  const act = async (who: SessionUser, action: string, extra: Record<string, unknown> = {}) =>
    actOnChange(s, who, change._id, action, { version: (await getChange(s, change._id)).ledgerVersion, ...extra });
  await act(u.qaEng, 'submit');
  await act(u.qaMgr, 'approve', sign);
  const running = (await listWorkOrders(s, { state: 'in_progress', item: undefined })).find((w) => w.dmr.id === dmrId);
  if (running)
    await act(u.sup, 'decide_work_order', {
      workOrderId: running._id,
      decision: 'finish_old',
      note: both(
        '已完成装配和检漏,按 A 版完成;点检已按 CAPA 临时措施执行。',
        'Assembled and leak-tested already: finished on revision A; the shift check already runs as the CAPA’s interim action.',
      ),
    });
}
