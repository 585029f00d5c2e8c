import type { ClockUnit } from './clock.ts';

// The reporting rules the product ships, as data: an administrator changes a row, a holiday or
// adds a country on the ledger (`reporting_rules:<jurisdiction>`, rules.lifecycle.ts), never in
// code. These are the defaults until the first change of a jurisdiction is recorded.

export interface RuleRow {
  /** The row's code within its jurisdiction (the "severity"). */
  code: string;
  label: { en: string; zh: string };
  amount: number;
  unit: ClockUnit;
  /** Where the deadline comes from (regulation and article). */
  citation: string;
  /**
   * When a decision's facts suggest this row: any of these entries, each facts joined by "+" that
   * must all hold (e.g. "overseas+death"). The first matching row wins (rows are listed most urgent first).
   */
  when: string[];
}

export interface Jurisdiction {
  jurisdiction: string;
  name: { en: string; zh: string };
  timeZone: string;
  weekend: number[]; // 0 = Sunday … 6 = Saturday
  holidays: string[];
  /** Weekend days that are working days (China's 调休); [] where there are none. */
  workdays?: string[];
  rules: RuleRow[];
}

/** US federal holidays (5 U.S.C. 6103, with the observed day when one falls on a weekend): FDA's "work days" (803.53) skip them. */
const US_HOLIDAYS = [
  '2026-01-01', '2026-01-19', '2026-02-16', '2026-05-25', '2026-06-19', '2026-07-03',
  '2026-09-07', '2026-10-12', '2026-11-11', '2026-11-26', '2026-12-25',
  '2027-01-01', '2027-01-18', '2027-02-15', '2027-05-31', '2027-06-18', '2027-07-05',
  '2027-09-06', '2027-10-11', '2027-11-11', '2027-11-25', '2027-12-24',
]; // prettier-ignore

/**
 * China's 2026 public holidays and the weekend days worked in exchange (调休), from 国务院办公厅
 * 关于2026年部分节假日安排的通知 (4 Nov 2025): 元旦 1-3 Jan, 1月4日(周日)上班; 春节 15-23 Feb,
 * 2月14日(周六)、2月28日(周六)上班; 清明 4-6 Apr; 劳动节 1-5 May, 5月9日(周六)上班; 端午 19-21
 * Jun; 中秋 25-27 Sep; 国庆 1-7 Oct, 9月20日(周日)、10月10日(周六)上班. The NMPA clocks count
 * calendar days (日), so these matter to working-day rules an administrator adds. Each later year is
 * entered on the calendar screen when the State Council publishes it.
 */
const CN_HOLIDAYS_2026 = [
  '2026-01-01', '2026-01-02', '2026-01-03',
  '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23',
  '2026-04-04', '2026-04-05', '2026-04-06',
  '2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05',
  '2026-06-19', '2026-06-20', '2026-06-21',
  '2026-09-25', '2026-09-26', '2026-09-27',
  '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07',
]; // prettier-ignore
const CN_WORKDAYS_2026 = ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'];

export const DEFAULT_JURISDICTIONS: Jurisdiction[] = [
  {
    jurisdiction: 'US',
    name: { en: 'United States (FDA)', zh: '美国(FDA)' },
    timeZone: 'America/New_York',
    weekend: [0, 6],
    holidays: US_HOLIDAYS,
    rules: [
      {
        code: 'supplement',
        label: { en: 'Supplemental report (from receipt of new information)', zh: '补充报告(自获得新信息之日起)' },
        amount: 30,
        unit: 'calendar_days',
        citation: '21 CFR 803.56',
        when: ['newInformation'],
      },
      {
        code: 'five_day',
        label: { en: '5-day report (remedial action or FDA request)', zh: '5 个工作日报告(需采取补救措施或 FDA 要求)' },
        amount: 5,
        unit: 'working_days',
        citation: '21 CFR 803.53',
        when: ['remedialAction', 'regulatorRequest'],
      },
      {
        code: 'mdr_30_day',
        label: { en: '30-day MDR report', zh: '30 日 MDR 报告' },
        amount: 30,
        unit: 'calendar_days',
        citation: '21 CFR 803.50(a)',
        when: ['death', 'seriousInjury', 'malfunction'],
      },
    ],
  },
  {
    jurisdiction: 'EU',
    name: { en: 'European Union (MDR)', zh: '欧盟(MDR)' },
    timeZone: 'Europe/Brussels',
    weekend: [0, 6],
    holidays: [],
    rules: [
      {
        code: 'public_health_threat',
        label: { en: 'Serious public health threat', zh: '严重公共卫生威胁' },
        amount: 2,
        unit: 'calendar_days',
        citation: 'EU MDR (2017/745) Art. 87(4)',
        when: ['publicHealthThreat'],
      },
      {
        code: 'death_or_deterioration',
        label: {
          en: 'Death or unanticipated serious deterioration in health',
          zh: '死亡或非预期的健康状况严重恶化',
        },
        amount: 10,
        unit: 'calendar_days',
        citation: 'EU MDR (2017/745) Art. 87(5)',
        when: ['death', 'unanticipatedDeterioration'],
      },
      {
        code: 'serious_incident',
        label: { en: 'Serious incident', zh: '严重事件' },
        amount: 15,
        unit: 'calendar_days',
        citation: 'EU MDR (2017/745) Art. 87(3)',
        when: ['seriousInjury'],
      },
    ],
  },
  {
    jurisdiction: 'CN',
    name: { en: 'China (NMPA)', zh: '中国(国家药监局)' },
    timeZone: 'Asia/Shanghai',
    weekend: [0, 6],
    holidays: CN_HOLIDAYS_2026,
    workdays: CN_WORKDAYS_2026,
    rules: [
      {
        code: 'cluster',
        label: { en: 'Cluster adverse event (by phone or fax)', zh: '群体医疗器械不良事件(电话或传真报告)' },
        amount: 12,
        unit: 'hours',
        citation: '医疗器械不良事件监测和再评价管理办法 (2019) 第二十七条 (Art. 27)',
        when: ['cluster'],
      },
      {
        code: 'cluster_individual',
        label: { en: 'Cluster event: each individual report', zh: '群体事件中每一事件的个例报告' },
        amount: 24,
        unit: 'hours',
        citation: '医疗器械不良事件监测和再评价管理办法 (2019) 第二十七条 (Art. 27)',
        when: [],
      },
      {
        code: 'overseas',
        label: { en: 'Overseas event (death or serious injury)', zh: '境外发生的导致或可能导致严重伤害或死亡的事件' },
        amount: 30,
        unit: 'calendar_days',
        citation: '医疗器械不良事件监测和再评价管理办法 (2019) 第二十六条 (Art. 26)',
        when: ['overseas+death', 'overseas+seriousInjury', 'overseas+malfunction'],
      },
      {
        code: 'death',
        label: { en: 'Death', zh: '导致死亡' },
        amount: 7,
        unit: 'calendar_days',
        citation: '医疗器械不良事件监测和再评价管理办法 (2019) 第二十五条 (Art. 25)',
        when: ['death'],
      },
      {
        code: 'serious_injury',
        label: {
          en: 'Serious injury, or could cause serious injury or death',
          zh: '导致严重伤害、可能导致严重伤害或者死亡',
        },
        amount: 20,
        unit: 'calendar_days',
        citation: '医疗器械不良事件监测和再评价管理办法 (2019) 第二十五条 (Art. 25)',
        when: ['seriousInjury', 'malfunction'],
      },
    ],
  },
];

/** The first row whose facts all hold (rows are listed most urgent first). */
export function suggestedRule(rules: RuleRow[], facts: Record<string, boolean>): RuleRow | null {
  return rules.find((r) => r.when.some((all) => all.split('+').every((f) => facts[f] === true))) ?? null;
}
