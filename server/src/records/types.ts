// Importing a record type registers it. Every record type of the server is listed here so the
// projector's start-up catch-up knows all of them.
import '../identity/user.record.ts';
import '../identity/alerts.ts';
import '../modules/documents/document.record.ts';
import '../modules/documents/numbering.ts';
import '../modules/training/training.record.ts';
import '../modules/inventory/erpRecords.ts';
import '../modules/dmr/dmr.record.ts';
import '../modules/equipment/equipment.record.ts';
import '../modules/production/workorder.record.ts';
import '../portal/grant.record.ts';
import '../exports/export.record.ts';
