import { registerExportKind } from './kinds.ts';
import { documentExport } from './documentExport.ts';
import { auditTrailExport } from './auditTrailExport.ts';

// The exports bounded context: the router, the job registry and the built-in kinds. Production
// registers 'dhr' with registerExportKind() from its own module.
registerExportKind('document', documentExport);
registerExportKind('audit-trail', auditTrailExport);

export { exportRoutes } from './routes.ts';
export { registerExportKind, buildExport, exportKind, exportKinds, type ExportKind, type ExportResult, type ExportOptions, type GeneratedExport } from './kinds.ts';
