// The risk context's projection collections (kept apart so queries need not import the record types).
export const RISK_PLANS = 'riskplans';
export const RISK_FILES = 'riskfiles';
