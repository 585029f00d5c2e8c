import {
  complainantLine,
  device,
  f,
  facts,
  findings,
  investigationCodes,
  section,
  terms,
  udiLine,
  yesNo,
  type ReportForm,
} from './context.ts';

// FDA Form 3500A (MedWatch, mandatory reporting; 21 CFR 803.20(a)): the front (A patient, B event
// or problem, D suspect medical device, E initial reporter) and the back (F user facility/importer,
// G all manufacturers, H device manufacturers only), with the form's block numbers. Section C
// (suspect products: drugs and biologics) is not printed: a device report leaves it blank. Sections
// and blocks as in FDA's "Instructions for Completing the MedWatch Form 3500A" and the form
// FORM FDA 3500A; block numbers of the 10/05 and 5/15 editions (where they differ, the later one).
export const fda3500a: ReportForm = {
  jurisdiction: 'US',
  title: { en: 'FDA Form 3500A (MedWatch) — mandatory report', zh: 'FDA 3500A 表(MedWatch)— 强制报告' },
  source: {
    en: 'Section order and blocks: FORM FDA 3500A and its instructions (21 CFR 803.20). Section C (suspect products: drugs/biologics) does not apply to a device report.',
    zh: '章节顺序与栏目:FORM FDA 3500A 及其填表说明(21 CFR 803.20)。C 部分(可疑药品/生物制品)不适用于器械报告。',
  },
  sections(x) {
    const c = x.c;
    const fx = facts(x);
    const d = x.decision?.decision;
    const type =
      d?.rule?.code === 'five_day'
        ? '5-day'
        : d?.rule?.code === 'mdr_30_day'
          ? '30-day'
          : d?.rule?.code === 'supplement'
            ? 'Follow-up'
            : '';
    const problem = [
      fx && (fx.death || fx.seriousInjury) ? 'Adverse event' : '',
      fx?.malfunction ? 'Product problem' : '',
    ]
      .filter(Boolean)
      .join(' + ');
    const reportable = fx
      ? [fx.death ? 'Death' : '', fx.seriousInjury ? 'Serious injury' : '', fx.malfunction ? 'Malfunction' : '']
          .filter(Boolean)
          .join(', ')
      : '';
    return [
      section(x, 'A. Patient information', 'A. 患者信息', [
        f(x, 'A1.', 'Patient identifier', '患者标识', ''),
        f(x, 'A2.', 'Age or date of birth', '年龄或出生日期', ''),
        f(x, 'A3.', 'Sex', '性别', ''),
        f(x, 'A4.', 'Weight', '体重', ''),
      ]),
      section(x, 'B. Adverse event or product problem', 'B. 不良事件或产品问题', [
        f(x, 'B1.', 'Adverse event and/or product problem', '不良事件和/或产品问题', problem),
        f(x, 'B2.', 'Outcome attributed to adverse event', '不良事件导致的结果', fx?.death ? 'Death' : ''),
        f(x, 'B3.', 'Date of event', '事件日期', ''),
        f(x, 'B4.', 'Date of this report', '本报告日期', x.today),
        f(x, 'B5.', 'Describe event or problem', '事件或问题描述', c.nature),
        f(x, 'B6.', 'Relevant tests/laboratory data', '相关检查/实验室数据', ''),
        f(x, 'B7.', 'Other relevant history', '其他相关病史', ''),
      ]),
      section(x, 'D. Suspect medical device', 'D. 可疑医疗器械', [
        f(x, 'D1.', 'Brand name', '品牌名称', device(x)),
        f(x, 'D2.', 'Common device name', '通用器械名称', ''),
        f(x, 'D3.', 'Manufacturer name, city and state', '制造商名称、城市和州', ''),
        f(x, 'D4.', 'Model # / Catalog #', '型号 / 目录号', c.device.partNumber),
        f(x, 'D4.', 'Lot #', '批号', c.udi.lot),
        f(x, 'D4.', 'Serial #', '序列号', c.udi.serial),
        f(x, 'D4.', 'Expiration date', '失效日期', c.udi.expiryDate),
        f(x, 'D4.', 'Unique identifier (UDI) #', '唯一器械标识(UDI)', udiLine(x)),
        f(x, 'D5.', 'Operator of device', '器械操作者', ''),
        f(x, 'D6.', 'If implanted, give date', '植入日期(如植入)', ''),
        f(x, 'D7.', 'If explanted, give date', '取出日期(如取出)', ''),
        f(x, 'D8.', 'Single-use device reprocessed and reused?', '一次性器械是否经再处理后重复使用', ''),
        f(x, 'D9.', 'Name and address of reprocessor', '再处理者名称和地址', ''),
        f(x, 'D10.', 'Device available for evaluation?', '器械是否可供评估', ''),
        f(x, 'D11.', 'Concomitant medical products', '合并使用的医疗产品', ''),
      ]),
      section(x, 'E. Initial reporter', 'E. 初始报告人', [
        f(x, 'E1.', 'Name, address and phone', '姓名、地址和电话', complainantLine(x)),
        f(x, 'E2.', 'Health professional?', '是否医疗专业人员', ''),
        f(x, 'E3.', 'Occupation', '职业', ''),
        f(x, 'E4.', 'Initial reporter also sent report to FDA', '初始报告人是否也已向 FDA 报告', ''),
      ]),
      section(
        x,
        'F. For use by user facility/importer (devices only)',
        'F. 供使用单位/进口商填写(仅限器械)',
        [],
        x.locale === 'zh-CN'
          ? '制造商填写 G 和 H 部分(21 CFR 803.20(a)(2))。'
          : 'A manufacturer completes G and H (21 CFR 803.20(a)(2)).',
      ),
      section(x, 'G. All manufacturers', 'G. 所有制造商', [
        f(x, 'G1.', 'Contact office (name, address)', '联系部门(名称、地址)', ''),
        f(x, 'G2.', 'Phone number', '电话', ''),
        f(x, 'G3.', 'Report source', '报告来源', c.country && c.country !== 'US' ? `Foreign (${c.country})` : ''),
        f(x, 'G4.', 'Date received by manufacturer', '制造商获知日期', c.awarenessDate),
        f(x, 'G5.', 'PMA / 510(k) #', 'PMA / 510(k) 编号', ''),
        f(x, 'G6.', 'Combination product', '组合产品', ''),
        f(x, 'G7.', 'Type of report', '报告类型', type),
        f(x, 'G8.', 'Adverse event term(s)', '不良事件术语', terms(x, 'E', c.codes.E)),
        f(x, 'G9.', 'Manufacturer report number', '制造商报告编号', x.decision?.submission?.reference ?? ''),
      ]),
      section(x, 'H. Device manufacturers only', 'H. 仅限器械制造商', [
        f(x, 'H1.', 'Type of reportable event', '可报告事件类型', reportable),
        f(x, 'H2.', 'If follow-up, what type?', '如为随访报告,类型', ''),
        f(
          x,
          'H3.',
          'Device evaluated by manufacturer?',
          '制造商是否评估了器械',
          c.investigation ? yesNo(x, c.investigation.investigated) : '',
        ),
        f(x, 'H4.', 'Device manufacture date', '器械生产日期', c.udi.mfgDate),
        f(x, 'H5.', 'Labeled for single use?', '是否标示为一次性使用', ''),
        f(
          x,
          'H6.',
          'Event problem and evaluation codes (IMDRF)',
          '事件问题与评估代码(IMDRF)',
          [
            terms(x, 'A', c.codes.A),
            investigationCodes(x, 'B'),
            investigationCodes(x, 'C'),
            investigationCodes(x, 'D'),
            investigationCodes(x, 'G'),
          ]
            .filter(Boolean)
            .join('; '),
        ),
        f(
          x,
          'H7.',
          'If remedial action initiated, check type',
          '如已采取补救措施,类型',
          fx?.remedialAction ? 'Remedial action (803.53(a))' : '',
        ),
        f(x, 'H8.', 'Usage of device', '器械使用情况', ''),
        f(
          x,
          'H9.',
          'If action reported to FDA under 21 USC 360i(g), list correction/removal reporting number',
          '如已按 21 USC 360i(g) 报告,纠正/移除报告编号',
          '',
        ),
        f(
          x,
          'H10.',
          'Additional manufacturer narrative',
          '制造商补充说明',
          [findings(x), c.correction ?? ''].filter(Boolean).join(' — '),
        ),
        f(x, 'H11.', 'Corrected data', '更正数据', ''),
      ]),
    ];
  },
};
