import type Router from '@koa/router';
import type { Services } from '../platform/services.ts';
import { documentRoutes } from './documents/routes.ts';
import { trainingRoutes } from './training/routes.ts';
import { itemRoutes } from './items/routes.ts';
import { supplierRoutes } from './suppliers/routes.ts';
import { purchasingRoutes } from './purchasing/routes.ts';
import { certificateRoutes } from './purchasing/certificates.ts';
import { inspectionRoutes } from './inspection/routes.ts';
import { ncRoutes } from './nc/routes.ts';
import { inventoryRoutes } from './inventory/routes.ts';
import { traceRoutes } from './trace/routes.ts';
import { dmrRoutes } from './dmr/routes.ts';
import { equipmentRoutes } from './equipment/routes.ts';
import { productionRoutes } from './production/routes.ts';
import { portalRoutes } from '../portal/routes.ts';
import { exportRoutes } from '../exports/index.ts';
import { listExportRoutes } from '../exports/lists.ts';
import { taskRoutes } from './tasks/routes.ts';
import { registerContributions } from './contributions.ts';
import { capaRoutes } from './capa/routes.ts';
import { complaintRoutes } from './complaints/routes.ts';
import { reportingRoutes } from './reporting/routes.ts';
import { riskRoutes } from './risk/routes.ts';
import { designRoutes } from './design/routes.ts';
import { changeRoutes } from './changes/routes.ts';
import { qualityAlertRoutes } from './qualityAlerts/routes.ts';
import { salesRoutes } from './sales/routes.ts';
import { recallRoutes } from './recall/routes.ts';
import { returnsRoutes } from './returns/routes.ts';
import { serviceRoutes } from './service/routes.ts';
import { migrationRoutes } from './migration/routes.ts';
import { searchRoutes } from './search/routes.ts';
import { auditRoutes } from './audits/routes.ts';
import { managementReviewRoutes } from './managementReview/routes.ts';
import { kpiRoutes } from './kpi/routes.ts';
import { notificationRoutes } from './notifications/routes.ts';
import { reviewCommentRoutes } from './reviewComments/routes.ts';
import { delegationRoutes } from './delegation/routes.ts';
import { listViewRoutes } from './listViews/routes.ts';
import { validationRoutes } from '../validation/routes.ts';

/** The ERP core's routers (master data, suppliers, purchasing, incoming inspection, inventory, the lot's trace view). */
const erpRoutes = (s: Services): Router[] => [
  itemRoutes(s),
  supplierRoutes(s),
  purchasingRoutes(s),
  certificateRoutes(s),
  inspectionRoutes(s),
  ncRoutes(s),
  inventoryRoutes(s),
  traceRoutes(s),
  salesRoutes(s),
];

// The bounded contexts (documents, inventory, production…) register their routers here.
export function moduleRoutes(s: Services): Router[] {
  registerContributions(); // first: the inbox, the portal and the exports build their schemas from it
  return [
    documentRoutes(s),
    trainingRoutes(s),
    ...erpRoutes(s),
    dmrRoutes(s),
    equipmentRoutes(s),
    productionRoutes(s),
    complaintRoutes(s),
    reportingRoutes(s),
    capaRoutes(s),
    riskRoutes(s),
    designRoutes(s),
    changeRoutes(s),
    recallRoutes(s),
    returnsRoutes(s),
    serviceRoutes(s),
    qualityAlertRoutes(s),
    portalRoutes(s),
    exportRoutes(s),
    listExportRoutes(s),
    taskRoutes(s),
    migrationRoutes(s),
    validationRoutes(s),
    searchRoutes(s),
    auditRoutes(s),
    managementReviewRoutes(s),
    kpiRoutes(s),
    notificationRoutes(s),
    reviewCommentRoutes(s),
    delegationRoutes(s),
    listViewRoutes(s),
  ];
}
