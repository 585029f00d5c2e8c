import { createHash } from 'node:crypto';
import bwipjs from 'bwip-js';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { DhrSignature, DhrStep, DhrView } from '../modules/production/dhr.view.ts';
import { manifestation } from '../../../signatures/manifestation.ts';
import { loadCjkFontBytes, pdfLibFontkit } from './fonts.ts';

// A synthetic DhrView for tests and the benchmark: parametrized sizes, Chinese and English text,
// out-of-spec values with their deviations, and a long audit trail. Deterministic for a given size.
export interface FixtureSize {
  steps: number;
  materials: number;
  signatures: number;
  valuesPerStep?: number;
  audit?: number;
}

const NAMES = [
  { zh: '输液管挤出', en: 'Infusion tubing extrusion' },
  { zh: '滴斗组装', en: 'Drip chamber assembly' },
  { zh: '流量调节器装配', en: 'Roller clamp fitting' },
  { zh: '密封性测试', en: 'Leak test' },
  { zh: '环氧乙烷灭菌装载', en: 'EO sterilization loading' },
  { zh: '包装与贴标', en: 'Packaging and labelling' },
];
const SUPPLIERS = [
  { code: 'SUP-001', name: { zh: '苏州医用高分子材料有限公司', en: 'Suzhou Medical Polymers Co., Ltd.' } },
  { code: 'SUP-002', name: { zh: '深圳精密模具有限公司', en: 'Shenzhen Precision Molding Ltd.' } },
  { code: 'SUP-003', name: { zh: 'Medline Components GmbH', en: 'Medline Components GmbH' } },
];
const PEOPLE = ['王芳 (Wang Fang)', '李强 (Li Qiang)', 'Anna Schmidt', '陈静 (Chen Jing)'];
const hash = (s: string) => createHash('sha256').update(s).digest('hex');
const at = (minutes: number) => new Date(Date.UTC(2026, 10, 20, 1, 0) + minutes * 60_000).toISOString();

export function makeDhrFixture(size: FixtureSize, locale: 'zh-CN' | 'en-US' = 'zh-CN'): DhrView {
  let sigN = 0;
  const all: DhrSignature[] = [];
  const sig = (meaning: string, minutes: number): DhrSignature => {
    const signer = PEOPLE[sigN % PEOPLE.length];
    sigN++;
    return all[
      all.push({
        signatureId: `sig-${sigN}`,
        meaning,
        signer,
        signerId: `user-${sigN % 4}`,
        signedAt: at(minutes),
        reason: null,
        manifestation: manifestation(signer, meaning, at(minutes), locale),
        valid: true,
      }) - 1
    ];
  };
  const perStep = size.valuesPerStep ?? 2;
  const outOfSpec = (i: number) => i % 37 === 5;
  // signatures: one per performed step, one per deviation closure, the approval and the release
  const stepSignatures = Math.max(
    0,
    size.signatures - 2 - Array.from({ length: size.steps }, (_, i) => i).filter(outOfSpec).length,
  );
  const steps: DhrStep[] = Array.from({ length: size.steps }, (_, i) => {
    const name = NAMES[i % NAMES.length];
    const values = Array.from({ length: perStep }, (_, k) => {
      const value = k === 0 && outOfSpec(i) ? 13.2 : 10 + ((i * 7 + k * 3) % 10) / 10;
      return {
        name: k === 0 ? `拉力 tensile ${k + 1}` : `Diameter Ø ${k + 1}`,
        value,
        unit: k === 0 ? 'N' : 'mm',
        lower: 9.5,
        upper: 12.5,
        inSpec: value >= 9.5 && value <= 12.5,
      };
    });
    const signed = sigN < stepSignatures;
    return {
      seq: (i + 1) * 10,
      name: { zh: `${name.zh} ${i + 1}`, en: `${name.en} ${i + 1}` },
      workInstruction: {
        id: `wi-${i % 6}`,
        number: `WI-PRD-${String(100 + (i % 6)).padStart(3, '0')}`,
        revision: 'B',
        title: name,
      },
      status: signed ? 'performed' : 'pending',
      values,
      equipment: [
        {
          id: `eq-${i % 4}`,
          code: `EQ-${100 + (i % 4)}`,
          name: { zh: '拉力试验机', en: 'Tensile tester' },
          calibrationDue: '2027-03-01',
        },
      ],
      comment: i % 25 === 3 ? '批次首件检验通过,记录见附件。First-article check passed.' : null,
      performed: signed ? sig('performed', i * 5) : null,
      verified: null,
    };
  });
  const materials = Array.from({ length: size.materials }, (_, i) => {
    const sup = SUPPLIERS[i % SUPPLIERS.length];
    return {
      itemId: `item-${i % 40}`,
      partNumber: `RM-${String(1000 + (i % 40))}`,
      name: { zh: `医用 PVC 粒料 型号 ${i % 40}`, en: `Medical PVC compound grade ${i % 40}` },
      unit: 'kg',
      lotId: `lot-${i}`,
      lotNumber: `L2611-${String(i).padStart(5, '0')}`,
      quantity: 1 + (i % 9) * 0.5,
      supplier: sup,
      supplierLot: `S-${hash(String(i)).slice(0, 8).toUpperCase()}`,
      expiryDate: '2028-06-30',
      coaRef: i < 2 ? hash(`coa${i}`) : null,
      issuedAt: at(i),
      issuedBy: PEOPLE[i % PEOPLE.length],
    };
  });
  const deviations = steps.flatMap((st) =>
    st.values
      .filter((v) => !v.inSpec)
      .map((v, k) => ({
        id: `dev-${st.seq}-${k}`,
        number: `DEV-2026-${String(st.seq).padStart(4, '0')}`,
        seq: st.seq,
        capture: v.name,
        value: v.value,
        lower: v.lower,
        upper: v.upper,
        status: 'closed' as const,
        openedAt: at(st.seq),
        closure: {
          disposition: 'use_as_is',
          rationale: '工程评估:不影响安全有效性。Engineering assessment: no impact on safety or performance.',
          signature: sig('approved', st.seq + 30),
        },
      })),
  );
  const approval = sig('approved', -60);
  while (sigN < size.signatures - 1) sig('reviewed', 9000 + sigN);
  const release = sig('released', 10_000);
  const signatures = [...all].sort((a, b) => a.signedAt.localeCompare(b.signedAt));
  const audit = Array.from({ length: size.audit ?? 60 }, (_, i) => ({
    version: i + 1,
    at: at(i * 3),
    actor: PEOPLE[i % PEOPLE.length],
    type: i === 0 ? 'workorder.created' : 'workorder.stepPerformed',
    reason: i % 10 === 9 ? '按偏差处置重新执行 / re-performed per deviation disposition' : null,
    hash: hash(`e${i}`),
  }));
  return {
    workOrder: {
      id: 'wo-fixture',
      stream: 'workorder:wo-fixture',
      number: 'WO-2026-00042',
      state: 'closed',
      plannedQuantity: 5000,
      plannedStart: '2026-11-20',
      plannedEnd: '2026-11-24',
      createdAt: at(-120),
    },
    device: {
      id: 'item-fg',
      partNumber: 'FG-IV-100',
      name: { zh: '一次性使用输液器 带针', en: 'Single-use infusion set with needle' },
      gtin: '06901234567892',
      control: 'lot',
    },
    dmr: { id: 'dmr-1', revision: 'C', effectiveDate: '2026-09-01' },
    lotNumber: 'L2611-00042',
    serials: [],
    expiryDate: '2029-11-30',
    output: {
      goodQuantity: 4980,
      scrappedQuantity: 20,
      lots: [{ id: 'lot-out', lotNumber: 'L2611-00042', serial: null, status: 'released' }],
    },
    materials,
    materialReconciliation: {
      lines: [
        {
          itemId: 'item-0',
          partNumber: 'RM-1000',
          standard: 100,
          issued: 102,
          consumed: 101,
          scrapped: 1,
          variance: 1,
        },
      ],
      reason: '开机调试损耗 / start-up loss',
      by: PEOPLE[0],
      at: at(9000),
    },
    steps,
    deviations,
    labels: {
      printed: 5010,
      used: 4980,
      destroyed: 30,
      reason: null,
      reconciledBy: PEOPLE[1],
      reconciledAt: at(9500),
      sampleHri: '(01)06901234567892(17)291130(10)L2611-00042',
    },
    approval,
    release,
    signatures,
    audit,
    ledger: { stream: 'workorder:wo-fixture', version: audit.length, headHash: hash('head'), verified: true },
    generatedAt: at(10_100),
  };
}

/** A GS1 DataMatrix label image like the one the labels module prints. */
export async function fixtureLabelPng(): Promise<Uint8Array> {
  return bwipjs.toBuffer({
    bcid: 'gs1datamatrix',
    text: '(01)06901234567892(17)291130(10)L2611-00042',
    scale: 3,
    includetext: false,
  });
}

/**
 * A small certificate of analysis PDF (what a supplier sends). By default in Helvetica without
 * the font embedded, as many suppliers' files are; `embedded` makes one that can be merged into
 * an archival export (Noto Sans SC embedded).
 */
export async function fixtureCoaPdf(
  title: string,
  pages = 1,
  fonts: 'standard' | 'embedded' = 'standard',
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  let font;
  if (fonts === 'embedded') {
    doc.registerFontkit(pdfLibFontkit);
    font = await doc.embedFont(await loadCjkFontBytes(), { subset: true });
  } else font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const p = doc.addPage([595.28, 841.89]);
    p.drawText(`Certificate of Analysis - ${title}`, { x: 50, y: 780, size: 16, font });
    p.drawText(`Page ${i + 1}: tensile 12.1 N, extractables pass, bioburden < 10 CFU`, {
      x: 50,
      y: 740,
      size: 11,
      font,
    });
  }
  return doc.save();
}
