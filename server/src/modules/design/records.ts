// The design context's record types, for the one list in records/types.ts.
export { designProjectRecord } from './project.record.ts';
export { designElementRecord } from './element.record.ts';
export { designLinkRecord } from './link.record.ts';
