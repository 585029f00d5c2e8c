import { z } from 'zod';

// The facts of an event a reportability decision is judged on (21 CFR 803.3 "MDR reportable
// event", EU MDR Art. 2(64)-(66) and 87, NMPA 医疗器械不良事件监测和再评价管理办法 Art. 25-27).
export const FACTS = [
  'death',
  'seriousInjury', // 803.3 serious injury; MDR Art. 2(58) serious deterioration of health; NMPA 严重伤害
  'malfunction', // a malfunction that would be likely to cause or contribute to death or serious injury if it recurred (803.50(a)(2)); NMPA 可能导致严重伤害或者死亡
  'unanticipatedDeterioration', // MDR Art. 87(5): unanticipated serious deterioration in a person's state of health
  'publicHealthThreat', // MDR Art. 2(66), 87(4)
  'remedialAction', // 803.53(a): remedial action needed to prevent an unreasonable risk of substantial harm
  'regulatorRequest', // 803.53(b): FDA's written request for 5-day reports
  'overseas', // NMPA Art. 26: an event that occurred outside China
  'cluster', // NMPA Art. 27: 群体医疗器械不良事件
  'newInformation', // 803.56: information obtained after a report was submitted (set on a supplement, never by hand)
] as const;
export type Fact = (typeof FACTS)[number];
export type Facts = Record<Fact, boolean>;

export const FactsInput = z.strictObject(
  Object.fromEntries(FACTS.map((f) => [f, z.boolean().default(false)])) as {
    [K in Fact]: z.ZodDefault<z.ZodBoolean>;
  },
);
export const FactName = z.enum(FACTS);
