import type { Client, TestServer } from '../../../test/harness.ts';
import type { ItemDoc } from '../items/item.record.ts';
import type { DmrDoc } from '../dmr/dmr.record.ts';
import { approvedProject, designCast, device, element } from '../design/design.factory.ts';

// Shared by the risk tests. The policy is the example: five probability bands a factor of
// 100 apart × four severities, three zones. The bands and levels are the shape of ISO 14971:2007
// Annex D Table D.4 / ISO/TR 24971:2020 5.5 (semi-quantitative levels), widened to factors of 100.
export const BANDS: Array<[number, number]> = [
  [1e-10, 1e-8],
  [1e-8, 1e-6],
  [1e-6, 1e-4],
  [1e-4, 1e-2],
  [1e-2, 1],
];
const P_NAMES = [
  ['Improbable', '几乎不可能'],
  ['Remote', '极少'],
  ['Occasional', '偶尔'],
  ['Probable', '有可能'],
  ['Frequent', '经常'],
];
const S_NAMES = [
  ['Negligible', '可忽略'],
  ['Minor', '轻微'],
  ['Serious', '严重'],
  ['Critical', '危重'],
];
type Z = 'acceptable' | 'afap' | 'unacceptable';
const A: Z = 'acceptable',
  R: Z = 'afap',
  U: Z = 'unacceptable';
/** zones[severity - 1][probability - 1] */
export const ZONES_REV1: Z[][] = [
  [A, A, A, A, R],
  [A, A, A, R, R],
  [A, A, R, R, U],
  [A, R, R, U, U],
];

export const planContent = (zones: Z[][] = ZONES_REV1) => ({
  scope: 'Volumetric infusion pump and its infusion sets, design through post-production.',
  lifecyclePhases: ['design', 'production', 'distribution', 'use', 'disposal'],
  responsibilities: 'Risk owner: QA engineer; approval: QA manager; review: design review board.',
  probability: P_NAMES.map(([en, zh], i) => ({ name: { en, zh }, band: { min: BANDS[i][0], max: BANDS[i][1] } })),
  severity: S_NAMES.map(([en, zh]) => ({ name: { en, zh }, definition: { en: `${en} harm`, zh: `${zh}伤害` } })),
  zones: zones.map((cells) => ({ cells })),
});

/** A hazard row: P1 × P2 = 1e-3 × 1e-2 = 1e-5, the "Occasional" band [1e-6, 1e-4); severity 3 "Serious". */
export const hazardRow = (over: Record<string, unknown> = {}) => ({
  hazard: 'Air in the infusion line',
  sequence: 'Set not primed fully → air bubble passes the air-in-line detector',
  situation: 'Air delivered to the patient',
  harm: 'Air embolism',
  initial: { severity: 3, p1: 1e-3, p2: 1e-2 },
  imdrfCodes: [],
  controls: [],
  ...over,
});

export async function demo(t: TestServer) {
  const pick = async (pn: string) => (await t.services.db.collection<ItemDoc>('items').findOne({ partNumber: pn }))!;
  const pump = await pick('FG-PMP-1');
  const set = await pick('FG-IFS-20');
  const dmr = (await t.services.db.collection<DmrDoc>('dmrs').findOne({ itemId: set._id }))!;
  return { pump, set, dmr };
}

export const fileAct = (c: Client, id: string, action: string, body: Record<string, unknown> = {}) =>
  c.post(`/api/v1/risk-files/${id}/actions/${action}`, body);
export const planAct = (c: Client, id: string, action: string, body: Record<string, unknown> = {}) =>
  c.post(`/api/v1/risk-plans/${id}/actions/${action}`, body);

/**
 * A fresh device of the test's own (the demo company's pump already has its risk file: one file per
 * device), with a design project and one design input that a risk control can name, all through HTTP.
 */
export async function riskDevice(t: TestServer, partNumber: string) {
  const k = await designCast(t.url);
  const itemId = await device(k, partNumber);
  const projectId = await approvedProject(k, itemId);
  const inputId = await element(k, projectId, 'input', 'IN-01', { riskControls: ['RC-01'] });
  return { itemId, projectId, inputId, k };
}
