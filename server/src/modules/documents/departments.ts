// The departments a controlled document may belong to. The department is part of the document
// number ({dept} in the numbering pattern, numbering.ts), so it is picked from this list rather than
// typed: a typo would start a new number series (ISO 13485:2016 4.2.4 e), documents identified).
export interface Department {
  code: string;
  name: { zh: string; en: string };
}

export const DEPARTMENTS: readonly Department[] = [
  { code: 'QA', name: { en: 'Quality assurance', zh: '质量保证部' } },
  { code: 'QC', name: { en: 'Quality control', zh: '质量控制部' } },
  { code: 'LAB', name: { en: 'Laboratory', zh: '实验室' } },
  { code: 'RA', name: { en: 'Regulatory affairs', zh: '法规事务部' } },
  { code: 'RD', name: { en: 'Research and development', zh: '研发部' } },
  { code: 'PROD', name: { en: 'Production', zh: '生产部' } },
  { code: 'ENG', name: { en: 'Engineering', zh: '工程部' } },
  { code: 'WH', name: { en: 'Warehouse', zh: '仓库' } },
  { code: 'PUR', name: { en: 'Purchasing', zh: '采购部' } },
  { code: 'SVC', name: { en: 'Service', zh: '售后服务部' } },
  { code: 'HR', name: { en: 'Human resources', zh: '人力资源部' } },
  { code: 'IT', name: { en: 'Information technology', zh: '信息技术部' } },
  { code: 'MGT', name: { en: 'Management', zh: '管理层' } },
];

export const DEPARTMENT_CODES: readonly string[] = DEPARTMENTS.map((d) => d.code);
