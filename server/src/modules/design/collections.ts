import { declareIndexes } from '../../platform/db/mongo.ts';

// The design projections, named once (the records project into them; the trace matrix and the
// gap check read a project's elements and links with one query each, by projectId).
export const DESIGN_PROJECTS = 'design_projects';
export const DESIGN_ELEMENTS = 'design_elements';
export const DESIGN_LINKS = 'design_links';
declareIndexes(DESIGN_PROJECTS, [{ key: { 'item.id': 1 }, name: 'item' }]);
declareIndexes(DESIGN_ELEMENTS, [{ key: { projectId: 1, kind: 1 }, name: 'project_kind' }]);
declareIndexes(DESIGN_LINKS, [
  { key: { projectId: 1 }, name: 'project' },
  { key: { 'from.id': 1 }, name: 'from' },
]);
