import type { Services } from '../server/src/platform/services.ts';
import type { SessionUser } from '../server/src/identity/sessionUser.ts';
import { sessionUsers } from './sessionUsers.ts';
import { items } from '../server/src/modules/items/service.ts';
import { documentsCollection } from '../server/src/modules/documents/queries.ts';
import { createDmr, dmrs, editDraft, getDmr, performDmrAction } from '../server/src/modules/dmr/service.ts';
import { DmrContentInput } from '../server/src/modules/dmr/schema.ts';
import { DEMO_PASSWORD } from './demo-users.ts';

// A Device Master Record for each finished device of the demo company, made effective through
// the same commands as the API: written by the production supervisor, reviewed by a QA
// engineer and approved by the QA manager with real e-signatures.

export async function seedDmrs(s: Services): Promise<number> {
  if (await dmrs(s).countDocuments({}, { limit: 1 })) return 0;
  const users = await sessionUsers(s);
  const [author, reviewer, approver] = ['prod.supervisor', 'reviewer2', 'qa.manager'].map((n) => users.get(n)!);
  const item = new Map((await items(s).find({}).toArray()).map((i) => [i.partNumber, i._id]));
  const wis = await documentsCollection(s).find({ type: 'work_instruction' }).toArray();
  const wi = (en: string) => wis.find((d) => d.title.en === en)?._id;
  if (!item.get('FG-IFS-20') || !item.get('FG-PMP-1') || !wi('Infusion Set Assembly Work Instruction')) return 0; // not the demo company
  const bom = (lines: Array<[string, number, 'lot' | 'serial' | 'none']>) =>
    lines.map(([pn, quantity, control]) => ({ itemId: item.get(pn)!, quantity, control }));

  const devices: Array<{ pn: string; content: unknown }> = [
    {
      pn: 'FG-IFS-20',
      content: {
        bom: bom([
          ['RM-PVC-001', 1.5, 'lot'],
          ['CP-DRP-001', 1, 'lot'],
          ['CP-RCL-001', 1, 'lot'],
          ['CP-LUER-001', 1, 'lot'],
          ['CP-NDL-001', 1, 'lot'],
          ['PK-EOP-001', 1, 'lot'],
          ['LB-IFS-001', 1, 'lot'],
        ]),
        routing: [
          {
            seq: 10,
            name: { zh: '管路切割与装配', en: 'Tubing cut and assembly' },
            workInstructionId: wi('Infusion Set Assembly Work Instruction'),
            equipmentType: 'Tube cutter / UV bonding station',
            equipmentTypeLabel: { en: 'Tube cutter / UV bonding station', zh: '切管及紫外粘接工作站' },
            trainingRequired: true,
            secondPersonVerify: false,
            captures: [
              {
                name: 'Tubing length',
                label: { en: 'Tubing length', zh: '管路长度' },
                unit: 'mm',
                lower: 1495,
                upper: 1505,
              },
              {
                name: 'UV cure time',
                label: { en: 'UV cure time', zh: '紫外固化时间' },
                unit: 's',
                lower: 8,
                upper: 12,
              },
            ],
          },
          {
            seq: 20,
            name: { zh: '气密性检测', en: 'Leak test' },
            workInstructionId: wi('Infusion Set Leak Test Work Instruction'),
            equipmentType: 'Leak tester',
            equipmentTypeLabel: { en: 'Leak tester', zh: '泄漏测试仪' },
            trainingRequired: true,
            secondPersonVerify: true,
            captures: [
              {
                name: 'Test pressure',
                label: { en: 'Test pressure', zh: '测试压力' },
                unit: 'kPa',
                lower: 48,
                upper: 52,
              },
              { name: 'Pressure decay', label: { en: 'Pressure decay', zh: '压力衰减' }, unit: 'kPa', upper: 0.5 },
            ],
          },
          {
            seq: 30,
            name: { zh: '环氧乙烷灭菌', en: 'EO sterilization' },
            workInstructionId: wi('EO Sterilizer Operation Work Instruction'),
            equipmentType: 'EO sterilizer',
            equipmentTypeLabel: { en: 'EO sterilizer', zh: '环氧乙烷灭菌柜' },
            trainingRequired: true,
            secondPersonVerify: true,
            captures: [
              {
                name: 'Exposure temperature',
                label: { en: 'Exposure temperature', zh: '暴露温度' },
                unit: '°C',
                lower: 50,
                upper: 60,
              },
              {
                name: 'Relative humidity',
                label: { en: 'Relative humidity', zh: '相对湿度' },
                unit: '%',
                lower: 40,
                upper: 80,
              },
              { name: 'Exposure time', label: { en: 'Exposure time', zh: '暴露时间' }, unit: 'h', lower: 6 },
            ],
          },
        ],
        specifications: [
          { name: 'Standard', value: 'GB 8368-2018 / ISO 8536-4' },
          { name: 'Flow rate (1 m head)', value: '≥ 1000 mL / 10 min' },
          { name: 'Sterility assurance level', value: 'SAL 10⁻⁶ (EO)' },
          { name: 'EO residue', value: '≤ 10 µg/g' },
        ],
        labeling: {
          udiElements: ['01', '17', '10', '11'],
          text: {
            zh: '一次性使用无菌输液器 带针;灭菌方式:环氧乙烷;一次性使用,包装破损禁止使用。',
            en: 'Sterile single-use infusion set with needle; sterilized by EO; single use only, do not use if the package is damaged.',
          },
        },
        packaging: {
          zh: '单支装入环氧乙烷灭菌包装袋,每盒 25 支,每箱 20 盒。',
          en: 'One set per EO sterilization pouch, 25 per box, 20 boxes per case.',
        },
      },
    },
    {
      pn: 'FG-PMP-1',
      content: {
        bom: bom([
          ['CP-HSG-100', 1, 'lot'],
          ['SA-PCB-100', 1, 'serial'],
          ['CP-MTR-100', 1, 'lot'],
          ['CP-BAT-100', 1, 'lot'],
          ['CP-DSP-100', 1, 'lot'],
        ]),
        routing: [
          {
            seq: 10,
            name: { zh: '总装', en: 'Final assembly' },
            workInstructionId: wi('Infusion Pump Final Assembly Work Instruction'),
            equipmentType: 'Torque screwdriver',
            equipmentTypeLabel: { en: 'Torque screwdriver', zh: '扭力螺丝刀' },
            trainingRequired: true,
            secondPersonVerify: false,
            captures: [
              {
                name: 'Screw torque',
                label: { en: 'Screw torque', zh: '螺钉扭矩' },
                unit: 'N·m',
                lower: 0.5,
                upper: 0.7,
              },
            ],
          },
          {
            seq: 20,
            name: { zh: '电气安全与流量精度测试', en: 'Electrical safety and flow accuracy test' },
            workInstructionId: wi('Infusion Pump Final Assembly Work Instruction'),
            equipmentType: 'Safety tester / flow analyzer',
            equipmentTypeLabel: { en: 'Safety tester / flow analyzer', zh: '安规及流量分析仪' },
            trainingRequired: true,
            secondPersonVerify: true,
            captures: [
              {
                name: 'Earth leakage current',
                label: { en: 'Earth leakage current', zh: '对地漏电流' },
                unit: 'µA',
                upper: 500,
              },
              { name: 'Flow accuracy', label: { en: 'Flow accuracy', zh: '流量精度' }, unit: '%', lower: -5, upper: 5 },
            ],
          },
        ],
        specifications: [
          { name: 'Standard', value: 'IEC 60601-1, IEC 60601-2-24' },
          { name: 'Flow range', value: '0.1–1200 mL/h' },
          { name: 'Flow accuracy', value: '±5 %' },
        ],
        labeling: {
          udiElements: ['01', '21', '11'],
          text: {
            zh: '输液泵;序列号见铭牌;使用前请阅读说明书。',
            en: 'Volumetric infusion pump; serial number on the rating plate; read the instructions for use.',
          },
        },
        packaging: {
          zh: '单台装入防静电袋和瓦楞纸箱,附说明书和电源适配器。',
          en: 'One pump in an antistatic bag and corrugated carton with the IFU and power adapter.',
        },
      },
    },
  ];
  const sign = { password: DEMO_PASSWORD };
  await Promise.all(
    devices.map(async ({ pn, content }) => {
      const d = await createDmr(s, author, item.get(pn)!);
      await editDraft(s, author, d._id, d.ledgerVersion, DmrContentInput.parse(content));
      const act = async (u: SessionUser, action: string, extra = {}) =>
        performDmrAction(s, u, d._id, action, { version: (await getDmr(s, d._id)).ledgerVersion, ...extra });
      await act(author, 'submit');
      await act(reviewer, 'review', sign);
      await act(approver, 'approve', sign);
    }),
  );
  return devices.length;
}
