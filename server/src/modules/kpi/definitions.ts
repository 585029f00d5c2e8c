import type { KpiId } from './schema.ts';

export type Bilingual = { en: string; zh: string };
interface KpiText {
  name: Bilingual;
  definition: Bilingual;
  unit: string;
  chart: 'line' | 'bar';
}

// The name and definition shown beside each chart (ISO 13485:2016 8.4: the data analysed and how).
export const KPI_TEXT: Record<KpiId, KpiText> = {
  incident_rate: {
    name: { en: 'Quality incident rate', zh: '质量事件率' },
    definition: {
      en: 'Nonconformances opened plus complaints received in the period, per 1,000 units shipped in the period (every lot shipment event).',
      zh: '期间内新开不合格品数与收到的投诉数之和,除以期间内发货数量(每次批次发货事件),按每千件计。',
    },
    unit: '‰',
    chart: 'line',
  },
  scrap_rate: {
    name: { en: 'Scrap rate', zh: '报废率' },
    definition: {
      en: 'Quantity scrapped by signed decision in the period ÷ quantity issued to production in the period, in %.',
      zh: '期间内经签名决定报废的数量 ÷ 期间内发料到生产的数量,以 % 计。',
    },
    unit: '%',
    chart: 'line',
  },
  inspection_wait: {
    name: { en: 'Incoming inspection waiting time', zh: '来料检验等待时间' },
    definition: {
      en: 'Hours from receipt (the inspection is opened at receipt) to the signed disposition, for inspections dispositioned in the period: median (value) and p90 (nearest rank).',
      zh: '期间内已处置检验从收货(收货时创建检验)到签名处置的小时数:中位数(数值)与 p90(最近秩法)。',
    },
    unit: 'h',
    chart: 'line',
  },
  inventory_turnover: {
    name: { en: 'Inventory turnover days', zh: '库存周转天数' },
    definition: {
      en: 'On-hand quantity at the end of the period ÷ average daily outflow, where outflow = quantity issued to production + quantity shipped in the period, divided by the days of the period.',
      zh: '期末库存数量 ÷ 日均出库量;出库量 = 期间内发料到生产的数量 + 发货数量,除以期间天数。',
    },
    unit: 'd',
    chart: 'line',
  },
  audit_pass_rate: {
    name: { en: 'Audit pass rate', zh: '审核通过率' },
    definition: {
      en: 'Audits closed in the period (report approved) without a major finding ÷ audits closed in the period, in %, over all audits (not per product) (ISO 13485:2016 8.2.4).',
      zh: '期间内关闭(报告已批准)且无严重不符合项的审核数 ÷ 期间内关闭的审核数,以 % 计,统计全部审核(不按产品)(ISO 13485:2016 8.2.4)。',
    },
    unit: '%',
    chart: 'line',
  },
  trace_speed: {
    name: { en: 'Trace speed', zh: '追溯速度' },
    definition: {
      en: 'Milliseconds to answer a forward trace (every finished lot and unit and its customer) from a sample lot — the product’s lot issued most recently — measured when the dashboard is opened.',
      zh: '从样本批次(该产品最近发料的批次)做正向追溯(所有成品批次、单件及其客户)所需毫秒数,在打开看板时测量。',
    },
    unit: 'ms',
    chart: 'bar',
  },
  recall_timeliness: {
    name: { en: 'Recall and correction timeliness', zh: '召回与纠正及时性' },
    definition: {
      en: 'Mean days from initiation to 100% of the shipped units accounted for (the disposition date by which the units returned, corrected or destroyed cover every unit shipped; "not found" accounts for nothing), over recalls initiated in the period and fully accounted; beside it, the regulatory clocks met (21 CFR 806.10, EU MDR Art. 87, 医疗器械召回管理办法 第十六条).',
      zh: '期间内发起且已全部落实的召回,从发起到 100% 发货数量落实(退回、纠正或销毁的数量覆盖全部发货数量的处置日期;"未找到"不计为落实)的平均天数;另列法规时限的达成情况(21 CFR 806.10、EU MDR 第 87 条、医疗器械召回管理办法第十六条)。',
    },
    unit: 'd',
    chart: 'line',
  },
  capa_ageing: {
    name: { en: 'CAPA ageing', zh: 'CAPA 账龄' },
    definition: {
      en: 'CAPAs open at the end of the period (not closed, not decided "no CAPA"), by days since they were opened: 0–30, 31–60, 61–90, over 90. With a product: CAPAs whose source NC or complaint is about it.',
      zh: '期末仍未关闭(且未决定"无需 CAPA")的 CAPA,按开启天数分组:0–30、31–60、61–90、90 以上。选定产品时:来源不合格品或投诉涉及该产品的 CAPA。',
    },
    unit: '',
    chart: 'bar',
  },
  first_pass_yield: {
    name: { en: 'First-pass yield per routing step', zh: '各工序一次合格率' },
    definition: {
      en: 'Work-order steps performed in the period without an out-of-limit deviation on that step ÷ steps performed, in %, per routing step.',
      zh: '期间内执行且该工序未出现超限偏差的工单工序数 ÷ 执行的工序数,以 % 计,按工序统计。',
    },
    unit: '%',
    chart: 'bar',
  },
  on_time_delivery: {
    name: { en: 'On-time delivery', zh: '准时交付率' },
    definition: {
      en: 'Sales-order shipment lines shipped in the period on or before the line’s requested date ÷ lines shipped, in %.',
      zh: '期间内发货且发货日期不晚于要求日期的销售订单发货行 ÷ 发货行数,以 % 计。',
    },
    unit: '%',
    chart: 'line',
  },
  supplier_scorecard: {
    name: { en: 'Supplier scorecard', zh: '供应商评分' },
    definition: {
      en: 'Incoming inspections completed in the period with result "pass" ÷ inspections completed, in %, per supplier (ISO 13485:2016 7.4.1 supplier monitoring).',
      zh: '期间内完成且结果为"合格"的来料检验数 ÷ 完成的检验数,以 % 计,按供应商统计(ISO 13485:2016 7.4.1 供方监视)。',
    },
    unit: '%',
    chart: 'bar',
  },
};
