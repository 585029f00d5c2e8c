import type { Services } from '../server/src/platform/services.ts';
import type { SessionUser } from '../server/src/identity/sessionUser.ts';
import { items } from '../server/src/modules/items/service.ts';
import { dmrs } from '../server/src/modules/dmr/service.ts';
import { elementsOf, projectsOf } from '../server/src/modules/design/resolve.ts';
import { latestOf } from '../server/src/modules/design/elementRevisions.ts';
import { createFile, createPlan, fileAction, getPlan, planAction } from '../server/src/modules/risk/service.ts';
import { riskFiles } from '../server/src/modules/risk/queries.ts';
import { PlanContent } from '../server/src/modules/risk/policy.ts';
import { FILE_ACTION_BODIES } from '../server/src/modules/risk/schema.ts';
import type { CommandInput } from '../server/src/records/lifecycle.ts';
import { sessionUsers } from './sessionUsers.ts';
import { DEMO_PASSWORD } from './demo-users.ts';

// The demo company's risk management (issue 12 items 3 and 6), through the same commands people
// use: the infusion pump's risk management plan (ISO 14971:2019 4.4) with its acceptability policy
// as data — five probability bands a factor of 100 apart (ISO/TR 24971:2020 5.5.3, P = P1 × P2 of
// ISO 14971:2019 Annex C) × four severities, three zones — drafted by the QA engineer and approved
// by the QA manager; then the pump's risk management file (4.5): 15 hazard rows along the Annex C
// chain hazard → sequence of events → hazardous situation → harm, with the risk controls by the
// 7.1 options (inherent safety by design / protective measure / information for safety), each
// control linked to the design input of seed/design.ts that implements it (the RC-xx codes) and
// verified by that project's verification reports (7.2); residual risk per row (7.3); the one row
// whose residual stays in the "reduce as far as possible" zone (keypad over-infusion) carries its
// benefit-risk analysis (7.4). The EMC control waits for VER-11 (still planned in the design
// project), so the file stays in draft — consistent with DR-02's "no transfer before EMC passes".
// The pFMEA covers the leak-test step (seq 20) of the FG-IFS-20 infusion-set DMR, the set the pump
// is used with (scope of the plan: the pump with its sets).
const both = (zh: string, en: string) => `${zh}\n${en}`;
type T = [zh: string, en: string];
const txt = (t: T) => both(t[0], t[1]);

const BANDS: Array<[number, number]> = [
  [1e-10, 1e-8],
  [1e-8, 1e-6],
  [1e-6, 1e-4],
  [1e-4, 1e-2],
  [1e-2, 1],
];
const P_NAMES: T[] = [
  ['几乎不可能', 'Improbable'],
  ['极少', 'Remote'],
  ['偶尔', 'Occasional'],
  ['有可能', 'Probable'],
  ['经常', 'Frequent'],
];
const S_NAMES: Array<[T, T]> = [
  [
    ['可忽略', 'Negligible'],
    ['不适或暂时不便,无需医疗干预', 'Discomfort or inconvenience, no medical intervention'],
  ],
  [
    ['轻微', 'Minor'],
    ['暂时伤害,需轻微医疗干预', 'Temporary injury needing minor medical intervention'],
  ],
  [
    ['严重', 'Serious'],
    ['需医疗干预的伤害或治疗延误', 'Injury or delayed therapy needing medical intervention'],
  ],
  [
    ['危重', 'Critical'],
    ['永久损伤或危及生命', 'Permanent impairment or life-threatening'],
  ],
];
type Z = 'acceptable' | 'afap' | 'unacceptable';
const [A, R, U]: Z[] = ['acceptable', 'afap', 'unacceptable'];
/** zones[severity - 1][probability - 1] */
const ZONES: Z[][] = [
  [A, A, A, A, R],
  [A, A, A, R, R],
  [A, A, R, R, U],
  [A, R, R, U, U],
];

type Kind = 'inherent_safety' | 'protective_measure' | 'information_for_safety';
/** [kind, description, design input (RC code or IN code), implementation, effectiveness] */
type Control = [Kind, T, string | null, T, T | null];
interface Row {
  hazard: T;
  sequence: T;
  situation: T;
  harm: T;
  severity: number;
  initial: [number, number];
  residual: [number, number];
  codes?: string[];
  controls: Control[];
  benefitRisk?: T;
}
const IFU: T = ['使用说明书警示已经标签评审', 'IFU warning checked in the labeling review'];
const IFU_OK: T = ['VAL-02 可用性研究:15 名护士均理解该警示', 'VAL-02 usability study: 15/15 nurses understood it'];

const ROWS: Row[] = [
  {
    hazard: ['重力自由流', 'Gravity free flow'],
    sequence: [
      '打开泵门取出输液器时滚轮夹未关闭 → 药液在重力作用下无控制流入',
      'Set removed with the door open and the roller clamp open → infusate flows by gravity, uncontrolled',
    ],
    situation: ['患者接受无控制的药液输注', 'Patient receives an uncontrolled infusion'],
    harm: ['药物过量致死亡或严重伤害', 'Drug overdose: death or serious injury'],
    severity: 4,
    initial: [1e-2, 1e-1],
    residual: [1e-5, 1e-4],
    codes: ['F02'],
    controls: [
      [
        'inherent_safety',
        ['开门时防自由流夹自动夹闭管路', 'Anti-free-flow clamp closes the tube when the door opens'],
        'RC-06',
        ['图纸 OUT-04 已实施', 'Implemented in drawing OUT-04'],
        ['VER-04 防自由流试验 30/30 无流动', 'VER-04 free-flow test: no flow in 30/30'],
      ],
      [
        'protective_measure',
        ['泵门未关报警', 'Door-open alarm'],
        'RC-07',
        ['固件报警表已实施', 'Implemented in the firmware alarm table'],
        ['VER-04 报警 ≤ 2 s', 'VER-04: alarm within 2 s'],
      ],
      [
        'information_for_safety',
        ['说明书:取出输液器前关闭滚轮夹', 'IFU: close the roller clamp before removing the set'],
        null,
        IFU,
        IFU_OK,
      ],
    ],
  },
  {
    hazard: ['下游堵塞未被检测', 'Downstream occlusion not detected'],
    sequence: [
      '管路打折或三通关闭 → 压力传感器漂移,未报警',
      'Line kinked or stopcock closed → pressure sensor drift, no alarm',
    ],
    situation: ['治疗中断而无人知晓', 'Therapy interrupted unnoticed'],
    harm: ['关键药物剂量不足致病情恶化', 'Underdose of a critical drug: deterioration'],
    severity: 3,
    initial: [1e-2, 1e-2],
    residual: [1e-4, 1e-3],
    controls: [
      [
        'protective_measure',
        ['25 mL/h 时 60 s 内堵塞报警', 'Occlusion alarm within 60 s at 25 mL/h'],
        'RC-03',
        ['堵塞算法 OUT-02 已实施', 'Occlusion algorithm OUT-02 implemented'],
        ['VER-02 报警时间 38 s', 'VER-02: alarm at 38 s'],
      ],
    ],
  },
  {
    hazard: ['堵塞解除后团注', 'Bolus after occlusion release'],
    sequence: [
      '堵塞期间管路内压力升高 → 解除堵塞时积存药液一次冲入',
      'Pressure builds during the occlusion → the stored volume rushes in on release',
    ],
    situation: ['患者接受非预期团注', 'Patient receives an unintended bolus'],
    harm: ['强效药物过量', 'Overdose of a potent drug'],
    severity: 3,
    initial: [1e-2, 1e-2],
    residual: [1e-3, 1e-4],
    controls: [
      [
        'inherent_safety',
        ['泵送机构限制团注量 ≤ 0.2 mL', 'Pumping mechanism limits the bolus to ≤ 0.2 mL'],
        'RC-02',
        ['OUT-01 泵送机构', 'OUT-01 pumping mechanism'],
        ['VER-01 团注 0.12 mL', 'VER-01: bolus 0.12 mL'],
      ],
    ],
  },
  {
    hazard: ['管路内气泡', 'Air bubble in the line'],
    sequence: ['输液器未完全排气 → 气泡通过泵送段', 'Set not fully primed → an air bubble passes the pumping segment'],
    situation: ['空气进入患者静脉', 'Air delivered into the patient’s vein'],
    harm: ['空气栓塞', 'Air embolism'],
    severity: 4,
    initial: [1e-2, 1e-3],
    residual: [1e-6, 1e-3],
    controls: [
      [
        'protective_measure',
        ['超声空气探测 ≥ 50 µL 停泵报警', 'Ultrasonic air detector stops the pump on ≥ 50 µL'],
        'RC-04',
        ['OUT-03 空气传感器', 'OUT-03 air sensor'],
        ['VER-03 20/20 次检出', 'VER-03: detected 20/20'],
      ],
      ['information_for_safety', ['说明书:完全排气', 'IFU: prime the set fully'], null, IFU, IFU_OK],
    ],
  },
  {
    hazard: ['累积微气泡', 'Cumulative micro-bubbles'],
    sequence: ['单个小于阈值的气泡持续累积', 'Bubbles each below the threshold accumulate'],
    situation: ['累积空气进入患者体内', 'Accumulated air reaches the patient'],
    harm: ['空气栓塞', 'Air embolism'],
    severity: 3,
    initial: [1e-2, 1e-3],
    residual: [1e-4, 1e-3],
    controls: [
      [
        'protective_measure',
        ['15 min 内累积 1 mL 空气报警', 'Alarm on 1 mL cumulative air within 15 min'],
        'RC-05',
        ['OUT-03 累积算法', 'OUT-03 cumulative algorithm'],
        ['VER-03 累积试验通过', 'VER-03 cumulative test passed'],
      ],
    ],
  },
  {
    hazard: ['键盘输入错误致过量输注', 'Over-infusion from a keypad error'],
    sequence: [
      '护士输入 100 而非 10.0 mL/h → 泵按十倍速率输注',
      'Nurse keys 100 instead of 10.0 mL/h → the pump runs at ten times the rate',
    ],
    situation: ['患者接受十倍剂量', 'Patient receives a tenfold dose'],
    harm: ['药物过量致死亡或严重伤害', 'Drug overdose: death or serious injury'],
    severity: 4,
    initial: [1e-2, 1e-1],
    residual: [1e-5, 1e-1],
    controls: [
      [
        'protective_measure',
        ['药物库硬/软限值', 'Drug library hard and soft limits'],
        'RC-10',
        ['OUT-06 药物库', 'OUT-06 drug library'],
        ['VER-06 限值用例全部通过', 'VER-06: all limit cases passed'],
      ],
      [
        'protective_measure',
        ['修改速率需二次确认', 'Rate change confirmed in two steps'],
        'RC-11',
        ['OUT-06 软件需求', 'OUT-06 software requirements'],
        ['VAL-02 可用性研究无未确认的错误', 'VAL-02: no unconfirmed error in the usability study'],
      ],
      ['information_for_safety', ['说明书:核对速率', 'IFU: check the rate before starting'], null, IFU, IFU_OK],
    ],
    benefitRisk: [
      '药物库外的自由输入仍可能出错;精确输注对重症治疗的受益大于剩余风险(临床评价 CER-PMP-01)。',
      'Free entry outside the drug library can still err; the benefit of accurate infusion in critical care outweighs the residual risk (clinical evaluation CER-PMP-01).',
    ],
  },
  {
    hazard: ['流速偏差', 'Flow inaccuracy'],
    sequence: ['泵送机构磨损 → 实际流速偏离设定', 'Pumping mechanism wear → actual rate departs from the set rate'],
    situation: ['长期输注剂量偏差', 'Dose error over a long infusion'],
    harm: ['剂量不足或过量', 'Under- or overdose'],
    severity: 3,
    initial: [1e-2, 1e-2],
    residual: [1e-4, 1e-3],
    codes: ['A0201'],
    controls: [
      [
        'inherent_safety',
        ['流速精度 ±5% 的泵送机构', 'Pumping mechanism accurate to ±5 %'],
        'RC-01',
        ['OUT-01', 'OUT-01'],
        ['VER-01 喇叭曲线 ±3.1%', 'VER-01 trumpet curve ±3.1 %'],
      ],
    ],
  },
  {
    hazard: ['转运中电池耗尽', 'Battery depletion during transport'],
    sequence: ['转运时间超过电池续航 → 泵停止', 'Transport outlasts the battery → the pump stops'],
    situation: ['转运途中治疗中断', 'Therapy interrupted during transport'],
    harm: ['治疗中断致病情恶化', 'Interrupted therapy: deterioration'],
    severity: 3,
    initial: [1e-1, 1e-2],
    residual: [1e-4, 1e-3],
    controls: [
      [
        'inherent_safety',
        ['25 mL/h 时续航 ≥ 6 h', 'Battery run time ≥ 6 h at 25 mL/h'],
        'RC-08',
        ['OUT-05 2600 mAh 电芯', 'OUT-05 2600 mAh cells'],
        ['VER-05R 续航 7.1 h', 'VER-05R: 7.1 h run time'],
      ],
      [
        'protective_measure',
        ['耗尽前 30 min 低电量报警', 'Low-battery alarm 30 min before depletion'],
        'RC-09',
        ['OUT-05 电源管理', 'OUT-05 power management'],
        ['VER-05R 报警提前 34 min', 'VER-05R: alarm 34 min ahead'],
      ],
    ],
  },
  {
    hazard: ['报警未被听到', 'Alarm not heard'],
    sequence: ['病房噪声大或护士不在床旁 → 报警无人响应', 'Noisy ward or nurse away → alarm unanswered'],
    situation: ['堵塞或空气报警未被处理', 'Occlusion or air alarm left unattended'],
    harm: ['治疗中断致病情恶化', 'Interrupted therapy: deterioration'],
    severity: 3,
    initial: [1e-2, 1e-2],
    residual: [1e-4, 1e-3],
    controls: [
      [
        'protective_measure',
        ['报警声压 ≥ 45 dB(A)', 'Alarm sound ≥ 45 dB(A)'],
        'RC-12',
        ['OUT-07 报警模块', 'OUT-07 alarm module'],
        ['VER-07 实测 58 dB(A)', 'VER-07: 58 dB(A) measured'],
      ],
      ['information_for_safety', ['说明书:报警音量设置', 'IFU: alarm volume setting'], null, IFU, IFU_OK],
    ],
  },
  {
    hazard: ['液体进入外壳', 'Fluid ingress'],
    sequence: ['药液溅入外壳 → 电路故障', 'Infusate spills into the enclosure → circuit fault'],
    situation: ['泵停止或输注错误', 'Pump stops or delivers wrongly'],
    harm: ['治疗中断或剂量错误', 'Interrupted therapy or dose error'],
    severity: 3,
    initial: [1e-2, 1e-2],
    residual: [1e-4, 1e-3],
    controls: [
      [
        'inherent_safety',
        ['IPX4 外壳与密封圈', 'IPX4 enclosure and gaskets'],
        'RC-13',
        ['OUT-08', 'OUT-08'],
        ['VER-08 IPX4 通过', 'VER-08: IPX4 passed'],
      ],
    ],
  },
  {
    hazard: ['电击', 'Electric shock'],
    sequence: ['绝缘失效 → 漏电流经输液管路到达患者', 'Insulation failure → leakage current reaches the patient'],
    situation: ['患者承受漏电流', 'Patient exposed to leakage current'],
    harm: ['心室颤动', 'Ventricular fibrillation'],
    severity: 4,
    initial: [1e-3, 1e-2],
    residual: [1e-6, 1e-3],
    controls: [
      [
        'inherent_safety',
        ['双重绝缘,患者漏电流 ≤ 100 µA', 'Double insulation, patient leakage ≤ 100 µA'],
        'RC-15',
        ['OUT-10 绝缘图', 'OUT-10 insulation diagram'],
        ['VER-10 漏电流 12 µA', 'VER-10: 12 µA leakage'],
      ],
    ],
  },
  {
    hazard: ['电磁干扰', 'Electromagnetic interference'],
    sequence: ['高频电刀或手机干扰 → 电机控制异常', 'Electrosurgery or a phone disturbs the motor control'],
    situation: ['泵以错误速率运行', 'Pump runs at a wrong rate'],
    harm: ['剂量错误', 'Dose error'],
    severity: 3,
    initial: [1e-3, 1e-2],
    residual: [1e-5, 1e-3],
    controls: [
      [
        'protective_measure',
        ['屏蔽与滤波设计,IEC 60601-1-2', 'Shielding and filters to IEC 60601-1-2'],
        'IN-20',
        ['OUT-11 屏蔽与滤波', 'OUT-11 shielding and filters'],
        null, // VER-11 (EMC test) still planned
      ],
    ],
  },
  {
    hazard: ['剂量计算软件错误', 'Software dose-calculation error'],
    sequence: ['mg/kg/min 换算 mL/h 时浓度单位用错', 'Concentration units mixed up converting mg/kg/min to mL/h'],
    situation: ['按错误速率输注', 'Infusion at a wrong rate'],
    harm: ['药物过量或不足', 'Overdose or underdose'],
    severity: 4,
    initial: [1e-3, 1e-1],
    residual: [1e-6, 1e-3],
    controls: [
      [
        'inherent_safety',
        ['浓度单位由药物库固定,不可自由输入', 'Concentration units fixed by the drug library, no free entry'],
        'RC-10',
        ['OUT-06', 'OUT-06'],
        ['VER-06 IEC 62304 软件验证', 'VER-06 software verification (IEC 62304)'],
      ],
    ],
  },
  {
    hazard: ['输液器泄漏', 'Infusion set leak'],
    sequence: ['粘接处泄漏 → 药液外漏、污染进入', 'Bonded joint leaks → infusate lost, contamination enters'],
    situation: ['剂量损失,管路污染', 'Dose lost, line contaminated'],
    harm: ['感染或剂量不足', 'Infection or underdose'],
    severity: 3,
    initial: [1e-3, 1e-2],
    residual: [1e-5, 1e-2],
    controls: [
      [
        'protective_measure',
        ['100% 50 kPa 气密检测', '100 % leak test at 50 kPa'],
        'RC-14',
        ['DMR FG-IFS-20 工序 20', 'DMR FG-IFS-20 step 20'],
        ['VER-09 气密试验通过', 'VER-09 leak test passed'],
      ],
      ['information_for_safety', ['说明书:使用前检查管路', 'IFU: inspect the set before use'], null, IFU, IFU_OK],
    ],
  },
  {
    hazard: ['装入不兼容输液器', 'Incompatible set loaded'],
    sequence: ['使用其他厂家输液器 → 内径不同', 'Another maker’s set used → different inner diameter'],
    situation: ['流速偏离设定', 'Flow departs from the set rate'],
    harm: ['剂量错误', 'Dose error'],
    severity: 3,
    initial: [1e-2, 1e-2],
    residual: [1e-4, 1e-3],
    controls: [
      [
        'inherent_safety',
        ['专用装夹几何结构只适配 FG-IFS-20', 'Loading geometry fits only the FG-IFS-20 set'],
        'IN-17',
        ['OUT-09 接口规范', 'OUT-09 interface specification'],
        ['VER-09 配合试验通过', 'VER-09 fit test passed'],
      ],
      ['information_for_safety', ['标签:仅使用 FG-IFS-20', 'Label: use FG-IFS-20 sets only'], null, IFU, IFU_OK],
    ],
  },
];

/** pFMEA rows over the leak-test step (seq 20) of the infusion-set DMR. */
const FMEA: Array<[T, T, T, number, number, number, T]> = [
  [
    ['检测压力低于 48 kPa', 'Test pressure below 48 kPa'],
    ['泄漏输液器被放行', 'Leaking sets released'],
    ['调压阀漂移', 'Regulator drift'],
    3,
    2,
    4,
    ['每件记录检测压力 48–52 kPa;每日校准点检', 'Test pressure captured 48–52 kPa per unit; daily calibration check'],
  ],
  [
    ['压降限值设置错误', 'Pressure-decay limit set wrong'],
    ['泄漏输液器被判合格', 'Leaking sets judged good'],
    ['检漏仪程序被改动', 'Tester program edited'],
    3,
    2,
    6,
    ['程序版本锁定;每班标准漏孔点检(CAPA)', 'Program version locked; reference-leak check per shift (CAPA)'],
  ],
  [
    ['工装未夹紧', 'Set not clamped in the fixture'],
    ['合格品误判报废', 'Good sets scrapped'],
    ['操作员装夹不到位', 'Operator loading error'],
    1,
    3,
    2,
    ['作业指导书图示', 'Work instruction pictures'],
  ],
  [
    ['漏检', 'Test skipped'],
    ['未检测产品放行', 'Untested set released'],
    ['节拍压力', 'Takt pressure'],
    3,
    1,
    3,
    ['第二人复核;结果电子采集', 'Second-person verification; result captured electronically'],
  ],
];

export async function seedRisk(s: Services): Promise<number> {
  if (await riskFiles(s).countDocuments({}, { limit: 1 })) return 0;
  const byPn = new Map((await items(s).find({}).toArray()).map((i) => [i.partNumber, i._id]));
  const pumpId = byPn.get('FG-PMP-1');
  const setId = byPn.get('FG-IFS-20');
  const setDmr = setId ? await dmrs(s).findOne({ itemId: setId }) : null;
  const project = pumpId ? await projectsOf(s).findOne({ 'item.id': pumpId }) : null;
  if (!pumpId || !setDmr || !project) return 0; // not the demo company
  const users = await sessionUsers(s);
  const who = (n: string): SessionUser => {
    const u = users.get(n);
    if (!u) throw new Error(`seed: no user ${n}`);
    return u;
  };
  const [qaEng, qaMgr] = ['qa.engineer', 'qa.manager'].map(who);

  // design inputs by their risk-control codes (and by their own codes, for inputs that name none)
  const inputs = await elementsOf(s).find({ projectId: project._id, kind: 'input' }).toArray();
  const inputOf = new Map<string, string>();
  for (const e of inputs) {
    inputOf.set(e.code, e._id);
    for (const rc of latestOf(e).content.riskControls ?? []) inputOf.set(rc, e._id);
  }
  const designInput = (code: string | null) => {
    if (!code) return undefined;
    const id = inputOf.get(code);
    if (!id) throw new Error(`seed: no design input for ${code}`);
    return id;
  };

  // the plan (4.4), its policy as data, drafted by the QA engineer and approved by the QA manager
  const content = PlanContent.parse({
    scope: both(
      '容积式输液泵 FG-PMP-1 及配套输液器 FG-IFS-20,覆盖设计、生产、流通、使用、处置全生命周期。',
      'Volumetric infusion pump FG-PMP-1 with its FG-IFS-20 infusion sets, over design, production, distribution, use and disposal.',
    ),
    lifecyclePhases: ['design', 'production', 'distribution', 'use', 'disposal'],
    responsibilities: both(
      '风险负责人:质量工程师;批准:质量经理;评审:设计评审组。',
      'Risk owner: QA engineer; approval: QA manager; review: the design review board.',
    ),
    probability: P_NAMES.map(([zh, en], i) => ({ name: { zh, en }, band: { min: BANDS[i][0], max: BANDS[i][1] } })),
    severity: S_NAMES.map(([[zh, en], [dzh, den]]) => ({ name: { zh, en }, definition: { zh: dzh, en: den } })),
    zones: ZONES.map((cells) => ({ cells })),
  });
  await createPlan(s, qaEng, pumpId, content);
  await planAction(s, qaMgr, pumpId, 'approve', {
    version: (await getPlan(s, pumpId)).ledgerVersion,
    password: DEMO_PASSWORD,
  });

  // the file (4.5): hazard rows and the pFMEA, written by the QA engineer
  await createFile(s, qaEng, pumpId);
  const act = (action: 'save_row' | 'save_fmea', body: Record<string, unknown>) =>
    fileAction(s, qaEng, pumpId, action, FILE_ACTION_BODIES[action].parse(body) as CommandInput);
  for (const r of ROWS)
    await act('save_row', {
      row: {
        hazard: txt(r.hazard),
        sequence: txt(r.sequence),
        situation: txt(r.situation),
        harm: txt(r.harm),
        initial: { severity: r.severity, p1: r.initial[0], p2: r.initial[1] },
        imdrfCodes: r.codes ?? [],
        controls: r.controls.map(([kind, d, input, impl, eff]) => ({
          kind,
          description: txt(d),
          designInputId: designInput(input),
          implementation: txt(impl),
          ...(eff ? { effectiveness: txt(eff) } : {}),
        })),
        residual: { severity: r.severity, p1: r.residual[0], p2: r.residual[1] },
        ...(r.benefitRisk ? { benefitRisk: txt(r.benefitRisk) } : {}),
      },
    });
  for (const [mode, effect, cause, severity, occurrence, detection, controls] of FMEA)
    await act('save_fmea', {
      row: {
        dmrId: setDmr._id,
        seq: 20,
        failureMode: txt(mode),
        effect: txt(effect),
        cause: txt(cause),
        severity,
        occurrence,
        detection,
        controls: txt(controls),
      },
    });
  return ROWS.length;
}
