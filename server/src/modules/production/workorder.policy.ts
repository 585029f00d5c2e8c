import type { Permission } from '../../identity/roles.ts';
import type { SignedAction } from './workorder.model.ts';

// Who may do what on a work order, in one place (STYLE 5). The service asks these before any
// password is checked; the record type asks signingPermission again when the signature lands.
export const signingPermission: Record<SignedAction, Permission> = {
  release: 'production.release', perform: 'production.execute', verify: 'production.execute',
  close_deviation: 'deviation.close', qa_release: 'production.qa_release',
};
export const actionPermission: Record<string, Permission> = {
  ...signingPermission, cancel: 'production.plan', issue: 'inventory.issue', print_labels: 'labels.print', reconcile_labels: 'labels.print',
  reconcile_materials: 'production.plan', complete: 'production.plan',
};
