import { defineErrors } from '../../platform/errorCatalog.ts';

// The migration context's domain errors, each declared once.
export const MigrationErrors = defineErrors('migration', {
  MIGRATION_REJECTED: {
    status: 422,
    en: (p: { count: number }) => `The file has ${p.count} error(s): nothing was imported. See the cleansing report.`,
    zh: (p: { count: number }) => `文件有 ${p.count} 处错误:未导入任何记录。请查看清洗报告。`,
  },
});
