import type { Locale } from '../pdf/templates.ts';

// Performance qualification (PQ) protocol templates for the customer's own processes (issue 14
// item 1): IQ and OQ show the product is installed and works as specified; PQ shows it works in
// THIS company's processes, run by its own people (ISO 13485:2016 4.1.6: validation of software
// used in the QMS "proportionate to the risk"; 21 CFR 11.10(a); GAMP 5 "user acceptance"). One
// declarative list: each protocol has its purpose, the clause it serves, and steps with the
// expected result; the actual result is left blank and each step and the protocol carry signature
// blocks (executed by / reviewed by / date) to be completed on paper or in the customer's own
// controlled form. Rendered as the PQ section of the validation package.

type T = { en: string; zh: string };
export interface PqStep {
  action: T;
  expected: T;
}
export interface PqProtocol {
  id: string;
  title: T;
  purpose: T;
  clauses: string;
  steps: PqStep[];
}

const step = (actionEn: string, actionZh: string, expectedEn: string, expectedZh: string): PqStep => ({
  action: { en: actionEn, zh: actionZh },
  expected: { en: expectedEn, zh: expectedZh },
});

export const PQ_PROTOCOLS: readonly PqProtocol[] = [
  {
    id: 'PQ-01',
    title: { en: 'Document approval and release', zh: '文件审批与发布' },
    purpose: {
      en: 'A controlled document of the company is drafted, reviewed, approved by e-signature, becomes effective and is trained on.',
      zh: '公司受控文件的起草、审核、电子签名批准、生效及培训。',
    },
    clauses: 'ISO 13485:2016 4.2.4; 21 CFR 11.50, 11.70; QMSR 820.10',
    steps: [
      step(
        'Author drafts a new SOP revision and uploads its file.',
        '起草人起草新的 SOP 版本并上传文件。',
        'The revision is a draft numbered by the document scheme; the file is stored with its SHA-256.',
        '该版本为草稿,按文件编号规则编号;文件以 SHA-256 存储。',
      ),
      step(
        'Author submits it for review; a reviewer comments.',
        '起草人提交审核;审核人提出意见。',
        'The reviewer sees a task in the inbox; comments are recorded with name and time.',
        '审核人在待办中收到任务;意见记录了姓名和时间。',
      ),
      step(
        'The approver signs with password (and TOTP where enrolled).',
        '批准人以密码(及已绑定的动态口令)签名。',
        'The signature shows name, date/time and meaning "approved" (11.50); a wrong password is refused and nothing changes.',
        '签名显示姓名、日期时间和含义"批准"(11.50);密码错误被拒绝且无任何更改。',
      ),
      step(
        'On the effective date, open the document list.',
        '在生效日打开文件列表。',
        'The new revision is effective, the previous one superseded; training tasks are assigned to the affected roles.',
        '新版本生效,旧版本作废;受影响岗位收到培训任务。',
      ),
    ],
  },
  {
    id: 'PQ-02',
    title: { en: 'Purchasing to release of incoming material', zh: '采购至来料放行' },
    purpose: {
      en: 'An order to an approved supplier, receipt into quarantine, incoming inspection and QA release of the lot.',
      zh: '向合格供方下单、收货入待检区、来料检验及质量部放行批次。',
    },
    clauses: 'ISO 13485:2016 7.4.1, 7.4.3, 8.2.6; QMSR 820.10',
    steps: [
      step(
        'Buyer raises a purchase order for an item from a supplier not on the ASL for it.',
        '采购员向未列入该物料合格供方清单的供应商下单。',
        'The order is refused, naming the supplier and item.',
        '订单被拒绝,并指明供应商和物料。',
      ),
      step(
        'Buyer orders from an approved supplier; the order is approved.',
        '采购员向合格供方下单;订单获批准。',
        'The order is approved by signature and can be received.',
        '订单经签名批准,可以收货。',
      ),
      step(
        'Warehouse receives the delivery with supplier lot and expiry.',
        '仓库收货并录入供应商批号和有效期。',
        'A lot is created in quarantine; it cannot be issued to production.',
        '生成待检状态的批次;不能发往生产。',
      ),
      step(
        'Inspector records the incoming inspection; QA releases the lot.',
        '检验员记录来料检验;质量部放行批次。',
        'The inspector cannot release their own inspection; the release is signed and the lot becomes issuable.',
        '检验员不能放行自己检验的批次;放行经签名,批次可发料。',
      ),
    ],
  },
  {
    id: 'PQ-03',
    title: { en: 'Work order to device history record', zh: '生产工单至器械历史记录' },
    purpose: {
      en: 'A work order is released, material issued, steps signed on the shop floor, the DHR reviewed and the product released.',
      zh: '工单下达、发料、车间签署工序、审核器械历史记录并放行产品。',
    },
    clauses: 'ISO 13485:2016 7.5.1, 7.5.8, 7.5.9; QMSR 820.10 (ISO 13485 4.2.5)',
    steps: [
      step(
        'Planner releases a work order against the current DMR.',
        '计划员按现行 DMR 下达工单。',
        'The order carries the DMR revision and its bill of materials.',
        '工单载明 DMR 版本及其物料清单。',
      ),
      step(
        'An untrained operator tries to sign a step.',
        '未经培训的操作员尝试签署工序。',
        'The step is refused, naming the missing training.',
        '工序被拒绝,并指明缺少的培训。',
      ),
      step(
        'Trained operators issue released lots and sign each step; an out-of-calibration tool is refused.',
        '经培训的操作员发放已放行的批次并签署各工序;超出校准期的工具被拒绝。',
        'Each step shows who, when and the measured values; genealogy links components to the output lot.',
        '每道工序显示操作人、时间和测量值;谱系将组件与产出批次关联。',
      ),
      step(
        'QA reviews the DHR PDF and releases the output.',
        '质量部审核 DHR PDF 并放行产出。',
        'The DHR lists every step, lot and signature; the sealed PDF verifies; the lot becomes shippable.',
        'DHR 列出所有工序、批次和签名;密封 PDF 验证通过;批次可发货。',
      ),
    ],
  },
  {
    id: 'PQ-04',
    title: { en: 'Complaint handling', zh: '投诉处理' },
    purpose: {
      en: 'A complaint is recorded, assessed for reportability, investigated and closed, with a CAPA where needed.',
      zh: '记录投诉、评估是否需上报、调查并关闭,必要时启动 CAPA。',
    },
    clauses: 'ISO 13485:2016 8.2.2, 8.2.3, 8.5.2; 21 CFR 803; EU MDR Art. 87; 医疗器械不良事件监测和再评价管理办法',
    steps: [
      step(
        'Record a complaint naming a shipped serial number.',
        '记录一项指明已发货序列号的投诉。',
        'The complaint links to the unit, its DHR and its customer.',
        '投诉关联到该单件、其 DHR 和客户。',
      ),
      step(
        'Assess reportability (death or serious injury).',
        '评估是否需上报(死亡或严重伤害)。',
        'The reporting deadlines of each applicable regulation are shown from the awareness date.',
        '自获知日期起显示各适用法规的上报期限。',
      ),
      step(
        'Record the investigation and open a CAPA from it.',
        '记录调查并由此启动 CAPA。',
        'The CAPA names the complaint; the complaint cannot close while its investigation is open.',
        'CAPA 指明该投诉;调查未完成时投诉不能关闭。',
      ),
      step(
        'Close the complaint by signature.',
        '以签名关闭投诉。',
        'The closure is signed and the complaint appears in the trend report.',
        '关闭经签名,投诉出现在趋势报告中。',
      ),
    ],
  },
  {
    id: 'PQ-05',
    title: { en: 'Backup and restore', zh: '备份与恢复' },
    purpose: {
      en: 'The company’s scheduled backup is restored into an empty database and its records are complete and intact.',
      zh: '将公司的定期备份恢复到空数据库,记录完整且未被篡改。',
    },
    clauses: '21 CFR 11.10(c); ISO 13485:2016 4.2.5; NMPA 计算机化系统附录',
    steps: [
      step(
        'Take a backup with "provenant backup --out FILE" as scheduled.',
        '按计划运行 "provenant backup --out FILE" 进行备份。',
        'The archive and its manifest are written; the ledger head is printed.',
        '写出归档及其清单;打印账本头。',
      ),
      step(
        'Restore it into an empty database on a test server.',
        '在测试服务器上恢复到空数据库。',
        'The restore completes; the ledger head equals the backup’s.',
        '恢复完成;账本头与备份一致。',
      ),
      step(
        'Run "provenant ledger verify" and open three records chosen at random.',
        '运行 "provenant ledger verify" 并随机打开三条记录。',
        'No findings; each record, its history and its signatures are as before the backup.',
        '无发现问题;每条记录及其历史和签名与备份前一致。',
      ),
      step(
        'Restore a truncated copy of the archive.',
        '恢复一个被截断的归档副本。',
        'The restore is refused with a clear message and nothing is written.',
        '恢复被拒绝并给出明确信息,且未写入任何数据。',
      ),
    ],
  },
];

export const PQ_LABELS = {
  'en-US': {
    pqTitle: 'Performance qualification (PQ) protocols',
    pqIntro:
      'Protocols for the company’s own processes, to be executed by its users on this installation. Record the actual result of each step; sign each step and the protocol. A deviation is recorded and assessed before the protocol is approved.',
    pqPurpose: 'Purpose',
    pqClauses: 'Requirements',
    pqStep: 'Step',
    pqAction: 'Action',
    pqExpected: 'Expected result',
    pqActual: 'Actual result',
    pqPassFail: 'Pass / fail',
    pqInitials: 'Executed by / date',
    pqExecutedBy: 'Executed by (name, signature)',
    pqReviewedBy: 'Reviewed by (name, signature)',
    pqDate: 'Date',
  },
  'zh-CN': {
    pqTitle: '性能确认(PQ)方案',
    pqIntro:
      '针对公司自身流程的方案,由其用户在本安装上执行。记录每一步的实际结果;每一步及整个方案均需签名。偏差须在方案批准前记录并评估。',
    pqPurpose: '目的',
    pqClauses: '适用要求',
    pqStep: '步骤',
    pqAction: '操作',
    pqExpected: '预期结果',
    pqActual: '实际结果',
    pqPassFail: '通过 / 不通过',
    pqInitials: '执行人 / 日期',
    pqExecutedBy: '执行人(姓名、签名)',
    pqReviewedBy: '审核人(姓名、签名)',
    pqDate: '日期',
  },
} satisfies Record<Locale, Record<string, string>>;

/** The protocols in one language, as the templates draw them. */
export function pqData(locale: Locale) {
  const lang = locale === 'zh-CN' ? 'zh' : 'en';
  return PQ_PROTOCOLS.map((p) => ({
    id: p.id,
    title: p.title[lang],
    purpose: p.purpose[lang],
    clauses: p.clauses,
    steps: p.steps.map((x, i) => ({ n: i + 1, action: x.action[lang], expected: x.expected[lang] })),
  }));
}
