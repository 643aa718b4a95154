/**
 * Finance files (bank transfer batches, the bank's confirmation files) are kept under this prefix
 * of the documents bucket. Defined once: CDK scopes the `exports` grant and a lifecycle rule to it,
 * the exports store writes under it.
 */
export const EXPORTS_PREFIX = 'exports/';
