import type { DocumentPrefix, ObjectAction } from './bucket-prefixes.ts';
import type { Role } from './roles.ts';

/**
 * Object access to the documents bucket, by prefix: which {@link ObjectAction}s on `<prefix>*`.
 * A prefix left out is out of reach. Sets DOCUMENTS_BUCKET.
 */
export type DocumentsAccess = { readonly [P in DocumentPrefix]?: readonly ObjectAction[] } & {
  /**
   * s3:ListBucket on the bucket (key names, not contents): S3 answers a HeadObject of a missing key
   * with 404 only to a caller that may list, 403 (AccessDenied) otherwise. Only for a function that
   * must tell "not there" from "not allowed".
   */
  readonly list?: true;
};

/**
 * What each function may touch. CDK turns this into least-privilege grants and environment
 * variables; the local stack gives each function exactly those variables and refuses the requests
 * its role on AWS would not allow (local/iam-guard.ts).
 */
export interface Access {
  table?: 'read' | 'readwrite';
  /** Claim documents and received mail, by prefix (e.g. `{ 'stored/': ['get'] }`). */
  documents?: DocumentsAccess;
  /** Step Functions: start executions, answer task tokens, or both (the outbox deliverer). */
  workflow?: 'start' | 'callback' | 'start-and-callback';
  /**
   * Start executions of the deadline re-planning state machine (a calendar change), and nothing
   * else on it. Sets DEADLINE_REPLAN_STATE_MACHINE_ARN.
   */
  deadlineReplan?: 'start';
  email?: boolean;
  sms?: boolean;
  schedules?: boolean;
  /** Manage users in the identity provider (Cognito on AWS). */
  identity?: boolean;
  /** Publish to the department SNS topics. */
  topics?: boolean;
  /**
   * The field-encryption key (personal data sealed at the field level): `encrypt` seals new values
   * (kms:GenerateDataKey), `decrypt` opens them (kms:Decrypt). Sets FIELD_KEY_ID.
   */
  fieldKey?: 'encrypt' | 'decrypt';
  /** Keyed fingerprints of account numbers (kms:GenerateMac on the fingerprint key). Sets FINGERPRINT_KEY_ID. */
  fingerprint?: boolean;
  /**
   * The audit anchor key (KMS HMAC, lambdas/core/audit-anchor.ts): `write` anchors chains
   * (kms:GenerateMac, and kms:VerifyMac on the anchor it extends), `verify` only checks anchors
   * (kms:VerifyMac). Sets AUDIT_KEY_ID.
   */
  auditAnchor?: 'write' | 'verify';
  /** Sign and verify paging cursors (the per-stage cursor signing key). */
  cursors?: boolean;
  /** Finance files (bank batches, confirmation files): these actions on `exports/*`. Sets EXPORTS_BUCKET. */
  exports?: readonly ObjectAction[];
  /** Policy files in the import bucket. Sets POLICY_IMPORTS_BUCKET. */
  policyImports?: 'read';
  /**
   * The claims web app's address without sending anything (WEB_BASE_URL): where an admin's
   * template may link (core/template-links.ts). Functions with `email` have it already.
   */
  siteLinks?: boolean;
}

/**
 * The environment contract between CDK and the handlers: the variables every function gets, and
 * those each kind of access adds (lib/claims-function.ts `grantAccess` sets exactly these and
 * fails synth otherwise; the local runtime gives each function exactly these).
 */
export const BASE_FUNCTION_ENV = [
  'STAGE',
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_LOGGER_LOG_EVENT',
  'NODE_OPTIONS',
  'AWS_NODEJS_CONNECTION_REUSE_ENABLED',
] as const;

export const ACCESS_ENV: { readonly [K in keyof Access]-?: readonly string[] } = {
  table: ['TABLE_NAME'],
  documents: ['DOCUMENTS_BUCKET'],
  exports: ['EXPORTS_BUCKET'],
  workflow: ['CLAIM_STATE_MACHINE_ARN'],
  deadlineReplan: ['DEADLINE_REPLAN_STATE_MACHINE_ARN'],
  email: ['EMAIL_FROM', 'WEB_BASE_URL', 'CLAIMS_INBOX_ADDRESS'],
  sms: ['SMS_SENDER_ID'],
  topics: ['DEPARTMENT_TOPIC_ARNS'],
  schedules: ['SCHEDULER_GROUP', 'SCHEDULER_ROLE_ARN', 'SCHEDULER_DEAD_LETTER_ARN', 'DEADLINE_TARGET_ARN'],
  identity: ['USER_POOL_ID'],
  fingerprint: ['FINGERPRINT_KEY_ID'],
  auditAnchor: ['AUDIT_KEY_ID'],
  fieldKey: ['FIELD_KEY_ID'],
  cursors: ['CURSOR_SIGNING_KEY'],
  policyImports: ['POLICY_IMPORTS_BUCKET'],
  siteLinks: ['WEB_BASE_URL'],
};

/** Every variable CDK sets on a function with this access (base variables included). */
export function functionEnvNames(access: Access): string[] {
  const kinds = (Object.keys(access) as (keyof Access)[]).filter((k) => access[k]);
  return [...new Set([...BASE_FUNCTION_ENV, ...kinds.flatMap((k) => ACCESS_ENV[k])])];
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDef {
  /** Stable id; also the Lambda's logical name and the OpenAPI operationId. */
  id: string;
  method: HttpMethod;
  /** API Gateway path syntax: `/claims/{claimId}`. */
  path: string;
  /** Module (from the repo root) exporting `handler`. */
  entry: string;
  /** `public` routes skip the JWT authorizer (only health and the OpenAPI document). */
  auth: 'public' | 'jwt';
  /** Groups allowed to call it; checked by the authorizer's claims inside the handler too. */
  roles: readonly Role[];
  access: Access;
  summary: string;
  tag: string;
}

/** A Lambda run by Step Functions, EventBridge Scheduler or S3 rather than by the API. */
export interface TaskFunctionDef {
  id: string;
  entry: string;
  /** `${Placeholder}` in the ASL that CDK and the local stack replace with the function's ARN. */
  aslSubstitution?: string;
  /** The state machine whose ASL names it (default: the claim lifecycle). */
  stateMachine?: 'claim-lifecycle' | 'policy-import' | 'deadline-replan';
  access: Access;
  timeoutSeconds?: number;
  /**
   * What invokes it besides Step Functions: object uploads to the documents bucket, new claim
   * events on the table's stream (filtered to `entity = ClaimEvent`, INSERT only), or
   * EventBridge Scheduler's one-time deadline schedules, or mail SES stored under `inbound/`, or
   * every new event of an audit chain on the table's stream (`audit-anchor-stream`, a second
   * event-source mapping with its own filter, ANCHOR_STREAM_FILTER).
   */
  trigger?:
    | 'documents-uploaded'
    | 'claim-event-stream'
    | 'deadline-schedules'
    | 'email-received'
    | 'audit-anchor-stream';
}

export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'ap-southeast-1';

/** The function name used on AWS and in local ARNs: kebab-case of the id, prefixed. */
export function functionName(id: string): string {
  return `claims-${id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;
}

export function localFunctionArn(id: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName(id)}`;
}
