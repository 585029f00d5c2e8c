import type { ReportForm as FormName } from '../../../exports/kinds.ts';
import type { ReportForm } from './context.ts';
import { fda3500a } from './fda3500a.ts';
import { euMir } from './euMir.ts';
import { nmpa } from './nmpa.ts';

// The regulators' forms a complaint's report is printed in (export kind 'complaint-report').
export const REPORT_FORM_DEFS: Record<FormName, ReportForm> = { 'fda-3500a': fda3500a, 'eu-mir': euMir, nmpa };
export type { ReportContext } from './context.ts';
