import {
  registerLotReferences,
  registerPortalScope,
  registerRevisionHold,
  registerWorkOrderHold,
  registerSearchSource,
  registerTaskSource,
} from '../records/contributions.ts';
import { searchSources } from './search/sources.ts';
import { changeRevisionHold, changeWorkOrderHold } from './changes/holds.ts';
import { registerExportKind, auditTrailExport } from '../exports/index.ts';
import { validationExport } from '../validation/routes.ts';
import { documentTasks } from './documents/tasks.ts';
import { documentPortalScope } from './documents/portalScope.ts';
import { documentExport } from './documents/documentExport.ts';
import { trainingTasks } from './training/tasks.ts';
import { itemPortalScope } from './items/portalScope.ts';
import { dmrPortalScope } from './dmr/portalScope.ts';
import { productionTasks } from './production/tasks.ts';
import { equipmentTasks } from './equipment/tasks.ts';
import { workOrderPortalScope } from './production/portalScope.ts';
import { dhrExport } from './production/dhrExport.ts';
import { genealogyExport } from './trace/genealogyExport.ts';
import { packingListExport } from './sales/packingList.ts';
import { lotPortalScope } from './inventory/portalScope.ts';
import { riskFilePortalScope, riskPlanPortalScope } from './risk/portalScope.ts';
import { designElementPortalScope, designProjectPortalScope } from './design/portalScope.ts';
import { changePortalScope } from './changes/portalScope.ts';
import { reportingTasks } from './reporting/tasks.ts';
import { capaTasks } from './capa/tasks.ts';
import { purchasingTasks } from './purchasing/tasks.ts';
import { inspectionTasks } from './inspection/tasks.ts';
import { ncTasks } from './nc/tasks.ts';
import { complaintTasks } from './complaints/tasks.ts';
import { returnTasks } from './returns/tasks.ts';
import { serviceTasks } from './service/tasks.ts';
import { ncLotReferences } from './nc/lotReferences.ts';
import { complaintLotReferences } from './complaints/lotReferences.ts';
import { registerListExport } from '../exports/lists.ts';
import { ncListExport } from './nc/listExport.ts';
import { capaListExport } from './capa/listExport.ts';
import { complaintListExport } from './complaints/listExport.ts';
import { ncExport } from './nc/ncExport.ts';
import { capaExport } from './capa/capaExport.ts';
import { complaintExport, complaintReportExport } from './complaints/complaintExport.ts';
import { recallCustomersExport, recallNoticeExport } from './recall/recallExport.ts';
import { changeExport } from './changes/changeExport.ts';
import { changeTasks } from './changes/tasks.ts';
import { recallTasks } from './recall/tasks.ts';
import { salesOrderTasks } from './sales/tasks.ts';
import { kpiRecordsListExport } from './kpi/routes.ts';
import { trainingMatrixListExport } from './training/matrix.ts';
import { riskReportExport } from './risk/riskReportExport.ts';
import { designDhfExport, designTraceExport, designTraceListExport } from './design/designExport.ts';
import { auditTasks } from './audits/tasks.ts';
import { reviewTasks } from './managementReview/tasks.ts';
import { managementReviewExport } from './managementReview/reviewExport.ts';
import { auditReportExport } from './audits/auditExport.ts';

// What each bounded context contributes to the views that span contexts, listed once: the task
// inbox (in this order), the auditor portal's scope (its records listed in this order of types)
// and the sealed PDF exports. A new module adds its lines here; the inbox, the portal and the
// exports know no module.
export function registerContributions() {
  registerRevisionHold(changeRevisionHold);
  registerWorkOrderHold(changeWorkOrderHold);
  registerTaskSource(documentTasks);
  registerTaskSource(trainingTasks);
  registerTaskSource(productionTasks);
  registerTaskSource(equipmentTasks);
  registerTaskSource(reportingTasks);
  registerTaskSource(capaTasks);
  registerTaskSource(purchasingTasks);
  registerTaskSource(inspectionTasks);
  registerTaskSource(ncTasks);
  registerTaskSource(complaintTasks);
  registerTaskSource(returnTasks);
  registerTaskSource(serviceTasks);
  registerTaskSource(auditTasks);
  registerTaskSource(reviewTasks);
  registerTaskSource(changeTasks);
  registerTaskSource(recallTasks);
  registerTaskSource(salesOrderTasks);

  registerPortalScope(itemPortalScope);
  registerPortalScope(dmrPortalScope);
  registerPortalScope(documentPortalScope);
  registerPortalScope(workOrderPortalScope);
  registerPortalScope(lotPortalScope);
  registerPortalScope(designProjectPortalScope); // issue 12 item 5: the DHF, the risk file, the changes
  registerPortalScope(designElementPortalScope);
  registerPortalScope(riskPlanPortalScope);
  registerPortalScope(riskFilePortalScope);
  registerPortalScope(changePortalScope);

  registerLotReferences(ncLotReferences);
  registerLotReferences(complaintLotReferences);

  for (const source of searchSources) registerSearchSource(source); // global search, in this order of groups

  registerExportKind('document', documentExport);
  registerExportKind('audit-trail', auditTrailExport);
  registerExportKind('dhr', dhrExport);
  registerExportKind('genealogy', genealogyExport);
  registerExportKind('packing-list', packingListExport);
  registerExportKind('nc', ncExport);
  registerExportKind('capa', capaExport);
  registerExportKind('complaint', complaintExport);
  registerExportKind('complaint-report', complaintReportExport);
  registerExportKind('recall-notice', recallNoticeExport);
  registerExportKind('recall-customers', recallCustomersExport);
  registerExportKind('change', changeExport);
  registerExportKind('risk-report', riskReportExport);
  registerExportKind('design-dhf', designDhfExport);
  registerExportKind('design-trace', designTraceExport);
  registerExportKind('management-review', managementReviewExport);
  registerExportKind('audit-report', auditReportExport);
  registerExportKind('validation', validationExport);

  registerListExport('nc', ncListExport);
  registerListExport('capa', capaListExport);
  registerListExport('complaints', complaintListExport);
  registerListExport('design-trace', designTraceListExport);
  registerListExport('kpi-records', kpiRecordsListExport);
  registerListExport('training-matrix', trainingMatrixListExport);
}
