/** The sales orders' projection (salesorder.record.ts), named apart so that allocation reads it without importing the record. */
export const SALES_ORDERS = 'salesorders';
