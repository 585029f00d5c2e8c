// The ERP core's record types (imported by server/src/records/types.ts so they are registered).
import '../items/item.record.ts';
import '../suppliers/supplier.record.ts';
import '../purchasing/purchasing.record.ts';
import '../inspection/inspection.record.ts';
import './lot.record.ts';
