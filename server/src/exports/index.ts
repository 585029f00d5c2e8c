// The exports bounded context: the router and the job registry. Every kind, this folder's own
// 'audit-trail' too, is registered in the one list of contributions (modules/contributions.ts).
export { auditTrailExport } from './auditTrailExport.ts';
export { exportRoutes } from './routes.ts';
export {
  registerExportKind,
  buildExport,
  exportKind,
  exportKinds,
  type ExportKind,
  type ExportResult,
  type ExportOptions,
  type GeneratedExport,
} from './kinds.ts';
