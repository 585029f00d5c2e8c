import type { DesignElementState } from './element.record.ts';

/** The latest (working) revision of an element, and its latest approved one. */
export const latestOf = (s: DesignElementState) => s.revisions[s.revisions.length - 1];
export const approvedOf = (s: DesignElementState) => s.revisions.find((r) => r.revision === s.approved) ?? null;
