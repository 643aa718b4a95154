/**
 * Prefixes of the documents bucket, defined once: CDK's EventBridge rules, lifecycle rules and
 * per-prefix grants (lib/claims-function.ts), the local stack's S3 notifications and its IAM guard
 * (local/iam-guard.ts) all read them.
 */

/** Only objects under this prefix (the upload landing zone) trigger upload verification. */
export const UPLOAD_PREFIX = 'claims/';
/** Verified copies of uploads: the only keys a document is ever served from. */
export const STORED_PREFIX = 'stored/';
export const QUARANTINE_PREFIX = 'quarantine/';
/** Received mail (SES receipt rule S3 action); objects here trigger the `email-received` task function. */
export const INBOUND_EMAIL_PREFIX = 'inbound/';

/** The prefixes a function's `documents` access names (finance files under `exports/` are `exports`). */
export const DOCUMENT_PREFIXES = [
  UPLOAD_PREFIX,
  STORED_PREFIX,
  QUARANTINE_PREFIX,
  INBOUND_EMAIL_PREFIX,
] as const;
export type DocumentPrefix = (typeof DOCUMENT_PREFIXES)[number];

/**
 * What a function may do to the objects under a prefix. Each is the IAM actions in
 * {@link OBJECT_ACTION_IAM}, granted on `<bucket>/<prefix>*` and nothing else: never a version
 * (s3:GetObjectVersion, s3:DeleteObjectVersion), so the noncurrent versions a restore relies on
 * are out of every function's reach.
 */
export type ObjectAction = 'get' | 'put' | 'delete';

export const OBJECT_ACTION_IAM: { readonly [A in ObjectAction]: readonly string[] } = {
  // HeadObject and a presigned GET are s3:GetObject too; a copy needs it on its source.
  get: ['s3:GetObject'],
  // Multipart parts are s3:PutObject; abandoning one's own unfinished upload touches no stored object.
  put: ['s3:PutObject', 's3:AbortMultipartUpload'],
  // On the versioned bucket this only lays a delete marker: the bytes stay a noncurrent version.
  delete: ['s3:DeleteObject'],
};
