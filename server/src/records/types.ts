import { registerRecordTypes, type RecordType } from './registry.ts';
import { userRecord } from '../identity/user.record.ts';
import { alertRecord } from '../identity/alerts.ts';
import { documentRecord } from '../modules/documents/document.record.ts';
import { schemeRecord } from '../modules/documents/numbering.ts';
import { trainingRecord } from '../modules/training/training.record.ts';
import { customerRecord, itemRecord, locationRecord } from '../modules/items/item.record.ts';
import { supplierRecord } from '../modules/suppliers/supplier.record.ts';
import { poRecord } from '../modules/purchasing/purchasing.record.ts';
import { requisitionRecord } from '../modules/purchasing/requisition.record.ts';
import { settingRecord } from '../modules/purchasing/settings.ts';
import { inspectionRecord } from '../modules/inspection/inspection.record.ts';
import { ncRecord } from '../modules/nc/nc.record.ts';
import { lotRecord } from '../modules/inventory/lot.record.ts';
import { dmrRecord } from '../modules/dmr/dmr.record.ts';
import { equipmentRecord } from '../modules/equipment/equipment.record.ts';
import { workOrderRecord } from '../modules/production/workorder.record.ts';
import { grantRecord } from '../portal/grant.record.ts';
import { exportRecord } from '../exports/export.record.ts';
import { listExportRecord } from '../exports/lists.record.ts';
import { complaintRecord } from '../modules/complaints/complaint.record.ts';
import { rulesRecord } from '../modules/reporting/rules.record.ts';
import { reportabilityRecord } from '../modules/reporting/reportability.record.ts';
import { capaRecord } from '../modules/capa/capa.record.ts';
import { salesOrderRecord } from '../modules/sales/salesorder.record.ts';
import { riskPlanRecord } from '../modules/risk/plan.record.ts';
import { riskFileRecord } from '../modules/risk/riskfile.record.ts';
import { recallRecord } from '../modules/recall/recall.record.ts';
import { rmaRecord } from '../modules/returns/rma.record.ts';
import { serviceRecordType } from '../modules/service/servicerecord.record.ts';
import { designElementRecord, designLinkRecord, designProjectRecord } from '../modules/design/records.ts';
import { migrationRecord } from '../modules/migration/migration.record.ts';
import { changeRecord } from '../modules/changes/change.record.ts';
import { auditRecord } from '../modules/audits/audit.record.ts';
import { programmeRecord } from '../modules/audits/programme.record.ts';
import { managementReviewRecord } from '../modules/managementReview/review.record.ts';
import { notificationPrefsRecord, notificationRecord } from '../modules/notifications/notification.record.ts';
import { reviewCommentRecord } from '../modules/reviewComments/reviewComment.record.ts';
import { delegationRecord } from '../modules/delegation/delegation.record.ts';
import { listViewRecord } from '../modules/listViews/listView.record.ts';

// Every record type of the server, listed once: the projector's start-up catch-up, the ledger
// routes and the command path know exactly these. A new record type is added here.
export const RECORD_TYPES: RecordType<any>[] = [
  userRecord,
  alertRecord,
  documentRecord,
  schemeRecord,
  trainingRecord,
  dmrRecord,
  itemRecord,
  locationRecord,
  customerRecord,
  supplierRecord,
  poRecord,
  requisitionRecord,
  settingRecord,
  inspectionRecord,
  ncRecord,
  lotRecord,
  equipmentRecord,
  workOrderRecord,
  grantRecord,
  exportRecord,
  listExportRecord,
  complaintRecord,
  rulesRecord,
  reportabilityRecord,
  capaRecord,
  salesOrderRecord,
  riskPlanRecord,
  riskFileRecord,
  designProjectRecord,
  designElementRecord,
  designLinkRecord,
  changeRecord,
  recallRecord,
  rmaRecord,
  serviceRecordType,
  migrationRecord,
  auditRecord,
  programmeRecord,
  managementReviewRecord,
  notificationRecord,
  notificationPrefsRecord,
  reviewCommentRecord,
  delegationRecord,
  listViewRecord,
];

/** Called once at boot (and by anything that reads the ledger without booting). */
export const registerAllRecordTypes = () => registerRecordTypes(RECORD_TYPES);
