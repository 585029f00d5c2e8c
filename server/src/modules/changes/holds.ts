import type { RevisionHold } from '../../records/contributions.ts';
import { openChangeHolding } from './implementation.ts';

/** The documents' and DMRs' question "is this revision held by an open change?" (registered in modules/contributions.ts). */
export const changeRevisionHold: RevisionHold = openChangeHolding;
