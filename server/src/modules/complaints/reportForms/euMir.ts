import {
  complainantLine,
  device,
  f,
  facts,
  findings,
  investigationCodes,
  section,
  terms,
  yesNo,
  type ReportForm,
} from './context.ts';

// The EU Manufacturer Incident Report (MIR) for serious incidents (MDR/IVDR), reporting template
// 7.2.1/7.3.1 (European Commission, Medical Devices Vigilance System; EU MDR Art. 87): Section 1
// administrative information (1.1 competent authority, 1.2 date, type and classification of the
// report, 1.3 submitter information), 2 medical device information, 3 incident information,
// 4 manufacturer's analysis, 5 comments. The submitter's information is 1.3 of Section 1 on the
// published template, not a section of its own.
export const euMir: ReportForm = {
  jurisdiction: 'EU',
  title: {
    en: 'Manufacturer Incident Report (MIR) — serious incident (MDR)',
    zh: '制造商事件报告(MIR)— 严重事件(MDR)',
  },
  source: {
    en: 'Section order: European Commission MIR form for serious incidents (MDR/IVDR), template 7.2.1/7.3.1; EU MDR Art. 87.',
    zh: '章节顺序:欧盟委员会严重事件制造商事件报告(MIR)模板 7.2.1/7.3.1;EU MDR 第 87 条。',
  },
  sections(x) {
    const c = x.c;
    const fx = facts(x);
    const d = x.decision;
    const classification = !fx
      ? ''
      : fx.publicHealthThreat
        ? 'Serious public health threat'
        : fx.death
          ? 'Death'
          : fx.unanticipatedDeterioration
            ? 'Unanticipated serious deterioration in state of health'
            : d?.decision?.reportable
              ? 'All other reportable incidents'
              : '';
    return [
      section(x, 'Section 1: Administrative information', '第 1 部分:管理信息', [
        f(x, '1.1a', 'Name of receiving national competent authority (NCA)', '接收报告的国家主管当局(NCA)名称', ''),
        f(x, '1.1b', 'EUDAMED number of NCA', 'NCA 的 EUDAMED 编号', ''),
        f(x, '1.1c', 'Reference number assigned by NCA', 'NCA 分配的参考编号', ''),
        f(x, '1.1d', 'Reference number assigned by EUDAMED', 'EUDAMED 分配的参考编号', ''),
        f(x, '1.2a', 'Date of report submission', '报告提交日期', d?.submission?.submittedOn ?? ''),
        f(x, '1.2b', 'Date of incident', '事件日期', ''),
        f(x, '1.2c', 'Manufacturer awareness date of the incident', '制造商获知事件日期', c.awarenessDate),
        f(
          x,
          '1.2d',
          'Manufacturer awareness date of reportability',
          '制造商获知可报告性日期',
          d?.decision?.at?.slice(0, 10) ?? '',
        ),
        f(x, '1.2e', 'Type of report', '报告类型', ''),
        f(x, '1.2g', 'Classification of serious incident', '严重事件分类', classification),
        f(x, '1.3.1a', 'Submitter of the report', '报告提交者', ''),
        f(x, '1.3.1b', "Manufacturer's reference number for this incident", '制造商对本事件的参考编号', c.number),
        f(x, '1.3.2', 'Manufacturer information (name, SRN, address)', '制造商信息(名称、SRN、地址)', ''),
        f(x, '1.3.3', 'Authorised representative information', '授权代表信息', ''),
      ]),
      section(x, 'Section 2: Medical device information', '第 2 部分:医疗器械信息', [
        f(x, '2.1', 'UDI-DI', 'UDI-DI', c.udi.di),
        f(x, '2.1', 'UDI-PI / human readable UDI', 'UDI-PI / 人工可读 UDI', c.udi.hri),
        f(x, '2.2', 'Nomenclature (EMDN) code', '命名(EMDN)代码', ''),
        f(x, '2.3', 'Device trade name', '器械商品名称', device(x)),
        f(x, '2.4', 'Model / catalogue number', '型号 / 目录号', c.device.partNumber),
        f(x, '2.5', 'Lot number', '批号', c.udi.lot),
        f(x, '2.5', 'Serial number', '序列号', c.udi.serial),
        f(x, '2.6', 'Expiry date', '失效日期', c.udi.expiryDate),
        f(x, '2.6', 'Manufacturing date', '生产日期', c.udi.mfgDate),
        f(x, '2.7', 'Risk class', '风险等级', ''),
        f(x, '2.8', 'Notified body', '公告机构', ''),
      ]),
      section(x, 'Section 3: Incident information', '第 3 部分:事件信息', [
        f(x, '3.1a', "Manufacturer's description of the incident", '制造商对事件的描述', c.nature),
        f(x, '3.1b', 'IMDRF medical device problem (Annex A)', 'IMDRF 医疗器械问题(附录 A)', terms(x, 'A', c.codes.A)),
        f(
          x,
          '3.2a',
          'IMDRF clinical signs, symptoms, conditions (Annex E)',
          'IMDRF 临床体征、症状与状况(附录 E)',
          terms(x, 'E', c.codes.E),
        ),
        f(x, '3.2b', 'IMDRF health impact (Annex F)', 'IMDRF 健康影响(附录 F)', terms(x, 'F', c.codes.F)),
        f(x, '3.3', 'Patient information', '患者信息', ''),
        f(x, '3.4', 'Used for treatment or diagnosis', '是否用于治疗或诊断', yesNo(x, c.usedForTreatmentOrDiagnosis)),
        f(x, '3.5', 'Healthcare facility / reporter', '医疗机构 / 报告人', complainantLine(x)),
        f(x, '3.6', 'Country in which the incident occurred', '事件发生国家', c.country),
      ]),
      section(x, "Section 4: Manufacturer's analysis", '第 4 部分:制造商分析', [
        f(x, '4.1', "Manufacturer's investigation results", '制造商调查结果', findings(x)),
        f(x, '4.1', 'Device failed its specifications', '器械是否不符合规格', yesNo(x, c.failedSpecifications)),
        f(
          x,
          '4.1',
          'IMDRF cause investigation (Annexes B, C, D)',
          'IMDRF 原因调查(附录 B、C、D)',
          [investigationCodes(x, 'B'), investigationCodes(x, 'C'), investigationCodes(x, 'D')]
            .filter(Boolean)
            .join('; '),
        ),
        f(x, '4.1', 'IMDRF component (Annex G)', 'IMDRF 部件(附录 G)', investigationCodes(x, 'G')),
        f(x, '4.2a', 'Relationship of the device to the incident', '器械与事件的关系', c.relationship),
        f(x, '4.2b', 'Rationale (reportability decision)', '理由(可报告性决定)', d?.decision?.rationale ?? ''),
        f(
          x,
          '4.3',
          'Remedial action / corrective action / preventive action',
          '补救/纠正/预防措施',
          c.correction ?? '',
        ),
      ]),
      section(x, 'Section 5: Comments', '第 5 部分:备注', [f(x, '5', 'General comments', '一般备注', '')]),
    ];
  },
};
