// The management reviews' collection name (read by the inputs of the next review without a cycle).
export const MANAGEMENT_REVIEWS = 'management_reviews';
