import type { Lifecycle } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import type { DesignLinkState } from './link.record.ts';
import { DesignErrors } from './errors.ts';

// A trace link's lifecycle, declared once: a suspect link is re-confirmed by signature
// ("verified": the downstream element still meets the revised upstream one, ISO 13485:2016
// 7.3.9 — changes reviewed for their effect on the parts already designed and verified).
export const designLinkLifecycle: Lifecycle<DesignLinkState> = {
  record: 'designlink',
  initial: 'current',
  states: ['current', 'suspect'],
  final: [],
  transitions: [
    {
      name: 'confirm',
      from: ['suspect'],
      to: 'current',
      permission: 'design.approve',
      signature: { meaning: 'verified' },
    },
  ],
  stateOf: (l) => (l.suspect ? 'suspect' : 'current'),
  wrongState: () => refusal(DesignErrors.DESIGN_LINK_NOT_SUSPECT()),
};
