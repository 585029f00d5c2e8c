import { device, f, facts, findings, section, terms, type ReportForm } from './context.ts';

// 可疑医疗器械不良事件报告表 (NMPA; 医疗器械不良事件监测和再评价管理办法 Art. 25-27). The published
// form whose order we could check is the one issued by the former SFDA (国家食品药品监督管理局制,
// annex to the 2008 管理办法(试行)): header (报告日期, 编码, 报告来源, 单位名称, 联系地址, 邮编,
// 联系电话), A.患者资料 (1-4), B.不良事件情况 (5-10), C.医疗器械情况 (11-23), D.不良事件评价 (24-25).
// UNVERIFIED: the form of the 2019 管理办法 (filed online in the national monitoring system) was not
// found; its order may differ. The printed report says so.
export const nmpa: ReportForm = {
  jurisdiction: 'CN',
  title: { en: 'Suspected medical device adverse event report (NMPA)', zh: '可疑医疗器械不良事件报告表' },
  source: {
    en: 'Field order: 可疑医疗器械不良事件报告表 as issued by the former SFDA (2008). NOT VERIFIED against the form of the 2019 Measures (NMPA online monitoring system), which was not found.',
    zh: '栏目顺序:原国家食品药品监督管理局制《可疑医疗器械不良事件报告表》(2008)。未能找到 2019 年《医疗器械不良事件监测和再评价管理办法》对应的在线报告表,顺序未经核对。',
  },
  sections(x) {
    const c = x.c;
    const fx = facts(x);
    const zh = x.locale === 'zh-CN';
    return [
      section(x, 'Report (header)', '报告基本情况', [
        f(x, '', 'Date of report', '报告日期', x.today),
        f(x, '', 'Code', '编码', x.decision?.submission?.reference ?? ''),
        f(x, '', 'Report source', '报告来源', ''),
        f(x, '', 'Organisation', '单位名称', ''),
        f(x, '', 'Address', '联系地址', ''),
        f(x, '', 'Post code', '邮编', ''),
        f(x, '', 'Phone', '联系电话', ''),
      ]),
      section(x, 'A. Patient information', 'A.患者资料', [
        f(x, '1.', 'Name', '姓名', ''),
        f(x, '2.', 'Age', '年龄', ''),
        f(x, '3.', 'Sex', '性别', ''),
        f(x, '4.', 'Intended treatment or effect', '预期治疗疾病或作用', ''),
      ]),
      section(x, 'B. Adverse event', 'B.不良事件情况', [
        f(
          x,
          '5.',
          'Main manifestation',
          '事件主要表现',
          [terms(x, 'A', c.codes.A), terms(x, 'E', c.codes.E)].filter(Boolean).join('; '),
        ),
        f(x, '6.', 'Date of event', '事件发生日期', ''),
        f(x, '7.', 'Date found or known', '发现或者知悉时间', c.awarenessDate),
        f(x, '8.', 'Place of use', '医疗器械实际使用场所', ''),
        f(x, '9.', 'Outcome', '事件后果', fx?.death ? (zh ? '死亡' : 'Death') : ''),
        f(x, '10.', 'Description of the event', '事件陈述', c.nature),
      ]),
      section(x, 'C. Medical device', 'C.医疗器械情况', [
        f(x, '11.', 'Product name', '产品名称', device(x)),
        f(x, '12.', 'Trade name', '商品名称', ''),
        f(x, '13.', 'Registration certificate number', '注册证号', ''),
        f(x, '14.', 'Manufacturer, address, phone', '生产企业名称、地址、联系电话', ''),
        f(x, '15.', 'Model/specification', '型号规格', c.device.partNumber),
        f(x, '15.', 'Product number', '产品编号', c.udi.serial),
        f(x, '15.', 'Lot number', '产品批号', c.udi.lot),
        f(x, '16.', 'Operator', '操作人', ''),
        f(x, '17.', 'Valid until', '有效期至', c.udi.expiryDate),
        f(x, '18.', 'Date of manufacture', '生产日期', c.udi.mfgDate),
        f(x, '19.', 'Date use stopped', '停用日期', ''),
        f(x, '20.', 'Date implanted (if implanted)', '植入日期(若植入)', ''),
        f(x, '21.', 'Preliminary cause analysis', '事件发生初步原因分析', findings(x)),
        f(x, '22.', 'Preliminary handling', '事件初步处理情况', c.correction ?? ''),
        f(x, '23.', 'Reporting status', '事件报告状态', ''),
      ]),
      section(x, 'D. Evaluation of the adverse event', 'D.不良事件评价', [
        f(x, '', 'Relationship recorded on the complaint', '投诉记录的关联性', c.relationship),
        f(x, '24.', 'Provincial monitoring centre opinion', '省级监测技术机构评价意见', ''),
        f(x, '25.', 'National monitoring centre opinion', '国家监测技术机构评价意见', ''),
      ]),
    ];
  },
};
