import type { Services } from '../../platform/services.ts';
import { errors } from '../../platform/errors.ts';
import { items } from '../items/service.ts';
import { documentsCollection } from '../documents/queries.ts';
import type { DmrContent } from './dmr.record.ts';
import type { DmrContentInput } from './schema.ts';

const at = (path: string, en: string, zh: string) => errors.validation(path, { en, zh });

/** Resolves and checks draft content against the item master and the document register (the `edit` action's prepare). */
export async function resolveContent(s: Services, deviceId: string, input: DmrContentInput): Promise<DmrContent> {
  const ids = input.bom.map((l) => l.itemId);
  const found = new Map(
    (
      await items(s)
        .find({ _id: { $in: ids } })
        .toArray()
    ).map((i) => [i._id, i]),
  );
  const bom = input.bom.map((l, i) => {
    const it = found.get(l.itemId);
    const path = `body.content.bom.${i}.itemId`;
    if (!it) throw at(path, `no item "${l.itemId}"`, `没有物料"${l.itemId}"`);
    if (it._id === deviceId) throw at(path, 'a device cannot be a component of itself', '器械不能是自身的组件');
    if (!it.active) throw at(path, `${it.partNumber} is deactivated`, `${it.partNumber} 已停用`);
    return {
      itemId: it._id,
      partNumber: it.partNumber,
      name: it.name,
      quantity: l.quantity,
      unit: it.unit,
      control: l.control,
    };
  });
  const wiIds = [...new Set(input.routing.map((o) => o.workInstructionId))];
  const docs = new Map(
    (
      await documentsCollection(s)
        .find({ _id: { $in: wiIds } })
        .toArray()
    ).map((d) => [d._id, d]),
  );
  const routing = input.routing.map((o, i) => {
    const doc = docs.get(o.workInstructionId);
    const path = `body.content.routing.${i}.workInstructionId`;
    if (!doc) throw at(path, `no document "${o.workInstructionId}"`, `没有文件"${o.workInstructionId}"`);
    if (doc.type !== 'work_instruction')
      throw at(path, `${doc.number} is not a work instruction`, `${doc.number} 不是作业指导书`);
    if (doc.state === 'obsolete') throw at(path, `${doc.number} is obsolete`, `${doc.number} 已作废`);
    return {
      seq: o.seq,
      name: o.name,
      workInstructionId: doc._id,
      workInstruction: { number: doc.number, title: doc.title },
      equipmentType: o.equipmentType,
      ...(o.equipmentTypeLabel ? { equipmentTypeLabel: o.equipmentTypeLabel } : {}),
      trainingRequired: o.trainingRequired,
      secondPersonVerify: o.secondPersonVerify,
      captures: o.captures.map((c) => ({
        name: c.name,
        ...(c.label ? { label: c.label } : {}),
        unit: c.unit,
        lower: c.lower,
        upper: c.upper,
      })),
    };
  });
  return { bom, routing, specifications: input.specifications, labeling: input.labeling, packaging: input.packaging };
}
