import { textPdf, type Block } from './textPdf.ts';

// The content file of a demo document revision: a bilingual page laid out the way the company's
// controlled documents are (header, numbered sections by document type, references), with
// Noto Sans SC embedded so controlled copies merge it as pages (see textPdf.ts).

export interface ContentOf {
  type: string;
  number: string;
  revision: string;
  department: string;
  title: { zh: string; en: string };
  owner: string;
  /** when the file was written (its PDF creation date) */
  written: string;
}

const COMPANY = '康健医疗器械有限公司 Kangjian Medical Devices Co., Ltd.';
const h = (text: string): Block => ({ text, size: 11.5, bold: true, gap: 12 });
const p = (text: string, indent = 0): Block => ({ text, gap: 3, indent });

function sections(d: ContentOf): Block[] {
  const t = d.title;
  switch (d.type) {
    case 'policy':
      return [
        h('1 目的 Purpose'),
        p(
          `规定${t.zh}的要求,确保质量管理体系持续有效。 Sets out the ${t.en.toLowerCase()} so that the quality management system stays effective.`,
        ),
        h('2 适用范围 Scope'),
        p(
          '适用于公司所有部门和场所的医疗器械设计开发、生产、储存和售后服务。 Applies to design, production, storage and servicing of medical devices at every department and site.',
        ),
        h('3 要求 Requirements'),
        p(
          '3.1 满足顾客要求和适用的法规要求。 Meet customer and applicable regulatory requirements (ISO 13485:2016, 5.3).',
          12,
        ),
        p(
          '3.2 每年在管理评审中评价质量目标的达成情况。 Review the achievement of quality objectives at each management review (5.6).',
          12,
        ),
        p('3.3 向全体员工传达并确保理解。 Communicate to and be understood by all personnel.', 12),
        h('4 职责 Responsibilities'),
        p(
          '总经理批准;管理者代表负责实施和保持。 Approved by the general manager; implemented and maintained by the management representative.',
        ),
      ];
    case 'work_instruction':
      return [
        h('1 目的 Purpose'),
        p(
          `规定${t.zh.replace(/作业指导书|操作规程$/, '')}的操作步骤和检查要求。 Steps and checks for: ${t.en.replace(/ Work Instruction$/, '')}.`,
        ),
        h('2 设备和物料 Equipment and materials'),
        p(
          '按工单领用的物料,已校准且在有效期内的设备。 Materials issued to the work order; equipment calibrated and within its due date.',
        ),
        h('3 操作步骤 Steps'),
        p(
          '3.1 核对工单、物料批号和设备状态标识。 Check the work order, material lot numbers and equipment status tags.',
          12,
        ),
        p(
          '3.2 按工艺参数设定设备并做首件检验。 Set the equipment to the process parameters and perform the first-article check.',
          12,
        ),
        p(
          '3.3 按规定频次抽检并在系统中记录测量值。 Sample at the stated frequency and record the measured values in the system.',
          12,
        ),
        p(
          '3.4 超出规格时立即停止并通知主管开具偏差。 Stop at once on an out-of-specification value and have the supervisor open a deviation.',
          12,
        ),
        h('4 注意事项 Cautions'),
        p(
          '在洁净区内按规定着装;不合格品放入红色隔离箱。 Wear cleanroom garments; place rejects in the red quarantine bin.',
        ),
        h('5 记录 Records'),
        p(
          '批生产记录(电子),保存至产品有效期后两年。 Electronic batch record, kept for two years beyond the product expiry date.',
        ),
      ];
    case 'specification':
      return [
        h('1 范围 Scope'),
        p(
          `规定${t.zh.replace(/规范$/, '')}的检验项目、方法和接收准则。 Inspection items, methods and acceptance criteria for: ${t.en.replace(/ Specification$/, '')}.`,
        ),
        h('2 抽样 Sampling'),
        p(
          '按 GB/T 2828.1 一般检验水平 II,正常检验一次抽样。 GB/T 2828.1 (ISO 2859-1), general inspection level II, single sampling, normal inspection.',
        ),
        h('3 检验项目 Inspection items'),
        p('3.1 外观:清洁、无毛刺、无异物。 Appearance: clean, free of burrs and foreign matter.', 12),
        p('3.2 尺寸:符合图纸公差。 Dimensions: within drawing tolerance.', 12),
        p(
          '3.3 功能:密封性、流量、连接牢固度符合 GB 8368 / ISO 8536-4。 Function: leak tightness, flow rate and connection strength per GB 8368 / ISO 8536-4.',
          12,
        ),
        h('4 判定 Acceptance'),
        p(
          '全部项目合格则批接收;否则按不合格品控制程序处理。 The lot is accepted when every item passes; otherwise it is handled per the nonconforming product procedure.',
        ),
      ];
    case 'drawing':
      return [
        h('标题栏 Title block'),
        p(`图号 Drawing no.: ${d.number}   版本 Rev.: ${d.revision}   比例 Scale: 1:1   单位 Units: mm`),
        h('技术要求 Notes'),
        p('1. 未注公差按 GB/T 1804-m。 Untoleranced dimensions per GB/T 1804-m (ISO 2768-m).', 12),
        p('2. 材料:阻燃 PC/ABS,UL 94 V-0。 Material: flame-retardant PC/ABS, UL 94 V-0.', 12),
        p('3. 外壳防护等级 IP22(IEC 60529)。 Enclosure protection IP22 (IEC 60529).', 12),
        p('4. 螺钉扭矩 0.6 ± 0.05 N·m。 Screw torque 0.6 ± 0.05 N·m.', 12),
      ];
    case 'form':
      return [
        h('填写说明 Instructions'),
        p('所有栏目必须填写;不适用时填写 N/A。 Complete every field; write N/A where it does not apply.'),
        h('表单栏目 Fields'),
        ...[
          '编号 No.',
          '日期 Date',
          '申请人 Requested by',
          '内容 Description',
          '理由 Reason',
          '审核 Reviewed by',
          '批准 Approved by',
        ].map((f) => p(`${f}: ______________________________`, 12)),
      ];
    case 'template':
      return [
        h('使用说明 How to use'),
        p(
          '复制本模板,按各章节提示填写,删除提示文字。 Copy this template, fill in each section, and delete the prompts.',
        ),
        h('章节 Sections'),
        ...[
          '1 预期用途 Intended use',
          '2 功能和性能要求 Functional and performance requirements',
          '3 法规和标准要求 Regulatory requirements and standards',
          '4 风险管理输出 Outputs of risk management (ISO 14971)',
          '5 可用性要求 Usability requirements (IEC 62366-1)',
        ].map((f) => p(f, 12)),
      ];
    default:
      return [
        // sop
        h('1 目的 Purpose'),
        p(
          `规定${t.zh.replace(/(\(旧版\))?$/, '')}的要求,确保活动受控。 Defines how the activities of this procedure (${t.en}) are controlled.`,
        ),
        h('2 适用范围 Scope'),
        p(
          '适用于公司质量管理体系覆盖的所有医疗器械产品和过程。 Applies to every medical device and process within the quality management system.',
        ),
        h('3 职责 Responsibilities'),
        p(
          '文件所有者负责本程序的编制和维护;各部门负责人负责在本部门实施。 The document owner writes and maintains this procedure; each head of department implements it in the department.',
        ),
        h('4 程序 Procedure'),
        p('4.1 识别输入,并在系统中建立记录。 Identify the inputs and create the record in the system.', 12),
        p('4.2 按风险确定控制措施和批准层级。 Set the controls and the approval level by risk.', 12),
        p('4.3 由指定的审核人和批准人电子签名。 Have the designated reviewers and approvers sign electronically.', 12),
        p('4.4 跟踪实施并验证有效性。 Follow up the implementation and verify its effectiveness.', 12),
        h('5 记录 Records'),
        p(
          '本程序产生的记录按记录控制程序保存。 Records from this procedure are kept per the record control procedure.',
        ),
        h('6 参考文件 References'),
        p('ISO 13485:2016;医疗器械生产质量管理规范;21 CFR Part 820。'),
      ];
  }
}

export function documentContentPdf(d: ContentOf): Promise<Buffer> {
  return textPdf(
    [
      { text: COMPANY, size: 9, grey: true },
      { text: d.title.zh, size: 17, bold: true, gap: 10 },
      { text: d.title.en, size: 13, bold: true, gap: 2 },
      {
        text: `文件编号 Document no.: ${d.number}    版本 Revision: ${d.revision}    部门 Department: ${d.department}    编制 Prepared by: ${d.owner}`,
        size: 9,
        gap: 8,
        grey: true,
      },
      ...sections(d),
    ],
    {
      title: `${d.number} Rev. ${d.revision} ${d.title.en}`,
      author: d.owner,
      footer: `${d.number} Rev. ${d.revision}`,
      date: new Date(`${d.written}T02:00:00Z`),
    },
  );
}
