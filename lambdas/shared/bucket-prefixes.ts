/**
 * Prefixes of the documents bucket that trigger work, defined once: CDK's EventBridge rules and
 * lifecycle rules and the local stack's S3 notifications both read them.
 */

/** Only objects under this prefix (the upload landing zone) trigger upload verification. */
export const UPLOAD_PREFIX = 'claims/';
/** Verified copies of uploads: the only keys a document is ever served from. */
export const STORED_PREFIX = 'stored/';
export const QUARANTINE_PREFIX = 'quarantine/';
/** Received mail (SES receipt rule S3 action); objects here trigger the `email-received` task function. */
export const INBOUND_EMAIL_PREFIX = 'inbound/';
