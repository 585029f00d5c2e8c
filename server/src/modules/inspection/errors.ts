import { defineErrors } from '../../platform/errorCatalog.ts';

// The incoming-inspection context's domain errors, each declared once. The gates of a lot's
// release on its inspection (INSPECTION_NOT_COMPLETE, INSPECTION_FAILED) are the lot's rule and
// are declared with it (inventory/errors.ts).
export const InspectionErrors = defineErrors('inspection', {
  INSPECTION_CLOSED: { status: 409, en: 'This inspection is already dispositioned.', zh: '该检验已完成处置。' },
});
