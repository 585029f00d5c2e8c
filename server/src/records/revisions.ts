// Helpers every revisioned record (documents, DMRs) reads its state with: revisions A, B, … in
// order, each going through review and approval again after a rejection as a new iteration.
// One definition here, so the record files and their lifecycles import them without a cycle.

/** The revision being worked on: the last one (A while it is the only one, B once B is started). */
export const latest = <R>(d: { revisions: R[] }): R => d.revisions[d.revisions.length - 1];

interface Iterated<D> {
  iteration: number;
  reviews: D[];
  approvals: D[];
}

/** Decisions of the revision's current iteration (earlier iterations stay in the history). */
export const currentReviews = <D extends { iteration: number }>(r: Iterated<D>): D[] =>
  r.reviews.filter((x) => x.iteration === r.iteration);
export const currentApprovals = <D extends { iteration: number }>(r: Iterated<D>): D[] =>
  r.approvals.filter((x) => x.iteration === r.iteration);
