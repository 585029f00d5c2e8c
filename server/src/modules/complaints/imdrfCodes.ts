// IMDRF adverse-event terminology (IMDRF/AE WG/N43, "IMDRF terminologies for categorized Adverse
// Event Reporting (AER): terms, terminology structure and codes"), shipped as data: the subset of
// codes this product offers, each exactly as published (code and English term). IMDRF allows the
// terminology to be reproduced. Every code below was checked against a published reproduction
// (`seenIn`); a code not in this list is refused (400), never stored. To add codes, add rows here
// from the annex files of the release named in `release` (imdrf.org, "Adverse Event Terminology").
//
// Chinese terms: no NMPA-published Chinese translation of these annex terms was found, so each
// zh term is the product's own translation (`zhSource: 'product'`); replace it with NMPA's term
// (and `zhSource: 'nmpa'`) where one is published.

export const IMDRF_ANNEXES = ['A', 'B', 'C', 'D', 'E', 'F', 'G'] as const;
export type ImdrfAnnex = (typeof IMDRF_ANNEXES)[number];

export interface ImdrfCode {
  annex: ImdrfAnnex;
  code: string;
  en: string;
  zh: string;
  zhSource: 'nmpa' | 'product';
  /** Where the code and term were checked (a published reproduction of the annex). */
  seenIn: string;
}

export const IMDRF_SOURCE = {
  name: 'IMDRF terminologies for categorized Adverse Event Reporting (AER), IMDRF/AE WG/N43',
  release: 'Annex A release 2023; Annexes B–G as reproduced in the sources named per code',
  url: 'https://www.imdrf.org/working-groups/adverse-event-terminology',
} as const;

const BL_PHARMA = 'Bausch + Lomb 12.1.19-GREF-2, IMDRF Codes Annexes A, E and F (2022)';
const BL_SURGICAL = 'Bausch + Lomb 12.1.13-GREF-5, IMDRF Codes Annexes A, E and F for Surgical (2022)';
const BH_CAUSE = 'Bausch Health 12.1.1-GREF-2, IMDRF Codes Annexes B, C, D and G (2022)';
const ARGUS_MIR = 'Oracle Argus Safety 8.4.3, MIR health impact coding (IMDRF Annex F)';

const row = (annex: ImdrfAnnex, code: string, en: string, zh: string, seenIn: string): ImdrfCode => ({
  annex,
  code,
  en,
  zh,
  zhSource: 'product',
  seenIn,
});

export const IMDRF_CODES: readonly ImdrfCode[] = [
  // Annex A — medical device problem
  row('A', 'A0201', 'Product Quality Problem', '产品质量问题', BL_PHARMA),
  row('A', 'A020602', 'Component Missing', '组件缺失', BL_PHARMA),
  row(
    'A',
    'A24',
    'Adverse Event Without Identified Device or Use Problem',
    '未发现器械或使用问题的不良事件',
    BL_PHARMA,
  ),
  // Annex B — type of investigation
  row('B', 'B01', 'Testing of Actual Suspected Device', '对实际涉事器械进行测试', BH_CAUSE),
  row(
    'B',
    'B03',
    'Testing of Device from Same Lot/Batch Returned from User',
    '对用户退回的同批次器械进行测试',
    BH_CAUSE,
  ),
  // Annex C — investigation findings
  row('C', 'C16', 'Manufacturing Process Problem Identified', '发现生产过程问题', BH_CAUSE),
  row('C', 'C19', 'No Device Problem Found', '未发现器械问题', BH_CAUSE),
  row('C', 'C23', 'Usage Problem Identified', '发现使用问题', BH_CAUSE),
  // Annex D — investigation conclusion
  row('D', 'D03', 'Cause Traced to Manufacturing', '原因追溯至生产', BH_CAUSE),
  row('D', 'D11', 'Cause Traced to User', '原因追溯至使用者', BH_CAUSE),
  row('D', 'D14', 'No Problem Detected/Cannot be Confirmed', '未检出问题/无法确认', BH_CAUSE),
  // Annex E — clinical signs, symptoms and conditions
  row('E', 'E0402', 'Hypersensitivity/Allergic reaction', '超敏反应/过敏反应', BL_PHARMA),
  row('E', 'E2401', 'Insufficient Information', '信息不足', BL_PHARMA),
  row('E', 'E2403', 'No Clinical Signs, Symptoms or Conditions', '无临床体征、症状或状况', BL_PHARMA),
  // Annex F — health impact
  row('F', 'F02', 'Death', '死亡', ARGUS_MIR),
  row('F', 'F11', 'Minor Injury/Illness/Impairment', '轻微伤害/疾病/损害', BL_SURGICAL),
  row('F', 'F20', 'Serious Public Health Threat', '严重公共卫生威胁', ARGUS_MIR),
  row('F', 'F21', 'Unexpected Deterioration', '非预期的恶化', ARGUS_MIR),
  row('F', 'F24', 'Insufficient Information', '信息不足', BL_PHARMA),
  row('F', 'F26', 'No Health Consequences or Impact', '无健康后果或影响', BL_PHARMA),
  // Annex G — part or component
  row('G', 'G07001', 'Part/Component/Sub-assembly Term not Applicable', '部件/组件/子组件术语不适用', BH_CAUSE),
];

const BY_ANNEX = new Map<ImdrfAnnex, Map<string, ImdrfCode>>(
  IMDRF_ANNEXES.map((a) => [a, new Map(IMDRF_CODES.filter((c) => c.annex === a).map((c) => [c.code, c]))]),
);

export const codesOf = (annex: ImdrfAnnex): ImdrfCode[] => [...BY_ANNEX.get(annex)!.values()];
export const isImdrfCode = (annex: ImdrfAnnex, code: string): boolean => BY_ANNEX.get(annex)!.has(code);
