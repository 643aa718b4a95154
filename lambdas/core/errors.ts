/**
 * One coded error registry for the whole system (HOUSE_STYLE §4). Every error a client can see has
 * a stable code; the HTTP layer maps codes to statuses through {@link httpStatusOf}; workflow tasks
 * throw the same classes and the ASL matches on `error.name`.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  INVALID_CURSOR: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  BODY_TOO_LARGE: 413,
  IDEMPOTENCY_KEY_REQUIRED: 400,
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENCY_IN_PROGRESS: 409,
  UNAUTHENTICATED: 401,
  TOKEN_EXPIRED: 401,
  FORBIDDEN: 403,
  ROUTE_NOT_FOUND: 404,
  CLAIM_NOT_FOUND: 404,
  POLICY_NOT_FOUND: 404,
  DOCUMENT_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  PRODUCT_NOT_FOUND: 404,
  TEMPLATE_NOT_FOUND: 404,
  FACTS_DO_NOT_MATCH_PRODUCT: 400,
  // A claim filed without the privacy notice in force acknowledged (core/privacy-notice.ts).
  PRIVACY_NOTICE_REQUIRED: 400,
  PRIVACY_NOTICE_OUTDATED: 400,
  DOCUMENT_TYPE_NOT_IN_CHECKLIST: 400,
  FILE_TYPE_NOT_ALLOWED: 415,
  FILE_TOO_LARGE: 413,
  FILE_EMPTY: 400,
  INVALID_TRANSITION: 409,
  VERSION_CONFLICT: 409,
  DUPLICATE_VOTE: 409,
  AUTHORITY_LIMIT_EXCEEDED: 403,
  CONFIG_INVALID: 400,
  WORKFLOW_NOT_WAITING: 409,
  NOTHING_TO_REDELIVER: 409,
  NOTHING_TO_ACKNOWLEDGE: 409,
  CONTACT_NOT_REGISTERED: 409,
  NO_PENDING_ACCOUNT_CHANGE: 409,
  CONFIRMATION_CODE_WRONG: 422,
  CONFIRMATION_CODE_EXPIRED: 410,
  ACCOUNT_CHANGE_LIMIT: 429,
  PAYOUT_IN_BATCH: 409,
  ADVANCE_NOT_AVAILABLE: 409,
  // An advance on a claim the intake checks referred (a policy not in force, a loss out of time…).
  ADVANCE_CHECKS_UNRESOLVED: 409,
  DECISION_BELOW_ADVANCES: 409,
  NOTHING_PAYABLE: 409,
  DEPENDENCY_UNAVAILABLE: 503,
  DOCUMENT_CONTENT_NOT_ACCEPTED: 415,
  DECLARED_AMOUNT_NOT_ALLOWED: 400,
  POST_AUDIT_NOT_PENDING: 409,
  SIU_CASE_NOT_FOUND: 404,
  SIU_CASE_NOT_OPEN: 409,
  SIU_HOLD: 409,
  BATCH_NOT_FOUND: 404,
  RECONCILIATION_NOT_FOUND: 404,
  POLICY_IMPORT_NOT_FOUND: 404,
  SAME_MAKER_AND_CHECKER: 403,
  BATCH_NOT_RELEASABLE: 409,
  BATCH_NOT_RELEASED: 409,
  BATCH_HAS_HELD_PAYOUTS: 409,
  BATCH_NOT_VOIDABLE: 409,
  // Confirming the bank rejections an import reported: none await (still processing, none, done).
  RETURNS_NOT_CONFIRMABLE: 409,
  CONFIRMATION_FILE_INVALID: 400,
  INTERNAL: 500,
  DOCUMENTS_MISSING: 409,
  WAIVER_NOT_APPLICABLE: 409,
  SOD_OWN_FILING: 403,
  SOD_SINGLE_ASSESSOR: 403,
  SOD_STAFF_PAYOUT_ACCOUNT: 403,
  SOD_STAFF_CONTACT: 403,
  // An administrator changing what their own account may do, or an SIU reviewer closing a case on
  // a claim they worked on.
  SOD_OWN_ACCOUNT: 403,
  SOD_OWN_CASE: 403,
  // Whoever investigated or concluded a claim's SIU case approving its money; a supervisor
  // post-auditing a payment on a claim they worked on.
  SOD_SIU_REVIEWER: 403,
  SOD_OWN_REVIEW: 403,
  // A claim handed to the staff member who filed it, or whose payout account or contact is on it.
  SOD_HANDLING_CONFLICT: 403,
  // Four eyes on administration (core/admin-changes.ts): a change that moves money or authority is
  // approved by another administrator than its proposer; the last other active administrator stays.
  SOD_OWN_PROPOSAL: 403,
  SOD_LAST_OTHER_ADMIN: 403,
  CHANGE_PENDING: 409,
  CHANGE_NOT_FOUND: 404,
  ACCOUNT_INACTIVE: 403,
  CONTACT_ALREADY_CONFIRMED: 409,
  // A payout account staff typed in (core/payout-account-check.ts): none waits for confirmation, or
  // the supervisor verifying it with the customer worked on the claim.
  PAYOUT_ACCOUNT_ALREADY_CONFIRMED: 409,
  SOD_OWN_VERIFICATION: 403,
  QUOTA_EXCEEDED: 429,
  // The customer's daily quota of messages on one claim's thread (core/quotas.ts).
  MESSAGE_QUOTA_EXCEEDED: 429,
  INTAKE_RECORD_NOT_FOUND: 404,
  INTAKE_ALREADY_CLAIMED: 409,
  INTAKE_INCOMPLETE: 422,
  // Fraud controls (issue 9): a payment or advance refused while the SIU holds the claim.
  SIU_PAYMENT_HELD: 409,
  // The customer's appeal after a rejection (issue 10).
  APPEAL_NOT_ALLOWED: 409,
  APPEAL_WINDOW_CLOSED: 409,
  APPEAL_ALREADY_FILED: 409,
  // The customer withdrawing their own upload (core/dossier.ts withdrawalRefusal).
  DOCUMENT_NOT_OWN: 403,
  DOCUMENT_NOT_WITHDRAWABLE: 409,
  // A medical record asked for by a staff role that does not read health data (app/claim-view.ts FULL_REPORT_ROLES).
  HEALTH_DATA_NOT_FOR_ROLE: 403,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `contact.phone`. */
  path: string;
  /** A stable issue code (zod's `invalid_type`, `too_small`, … or ours). */
  code: string;
  /** Developer-facing English text; screens translate `rule` (or `code`) instead. */
  message: string;
  /**
   * The field's own rule that failed (`min_length`, `max`, `not_future`, …): with `path` it picks
   * the sentence (`field.at.<path>.<rule>`, else `field.rule.<rule>` naming the field's label).
   */
  rule?: string;
  /** The rule's parameters the sentence quotes (`limit`: the minimum or maximum). */
  params?: Record<string, string | number>;
}

/** Base of every error the domain raises on purpose. */
export class DomainError extends Error {
  override readonly name: string = 'DomainError';
  constructor(
    readonly code: ErrorCode,
    message: string = code,
    readonly details: { fields?: FieldIssue[]; [key: string]: unknown } = {},
  ) {
    super(message);
  }
}

export class ValidationError extends DomainError {
  override readonly name = 'ValidationError';
  constructor(fields: FieldIssue[], message = 'The request is not valid') {
    super('VALIDATION_FAILED', message, { fields });
  }
}

export class NotFoundError extends DomainError {
  override readonly name = 'NotFoundError';
}

export class ForbiddenError extends DomainError {
  override readonly name = 'ForbiddenError';
  constructor(message = 'You may not do this') {
    super('FORBIDDEN', message);
  }
}

/** Optimistic-locking failure: somebody changed the record since it was read. */
export class VersionConflictError extends DomainError {
  override readonly name = 'VersionConflictError';
  constructor(readonly currentVersion: number | undefined) {
    super('VERSION_CONFLICT', 'The record was changed by someone else', { currentVersion });
  }
}

export class InvalidTransitionError extends DomainError {
  override readonly name = 'InvalidTransitionError';
  constructor(from: string, to: string) {
    super('INVALID_TRANSITION', `A claim cannot go from ${from} to ${to}`, { from, to });
  }
}

/** Thrown by workflow tasks for faults worth retrying (the ASL `Retry` matches this name). */
export class TransientDependencyError extends DomainError {
  override readonly name = 'TransientDependencyError';
  constructor(message: string) {
    super('DEPENDENCY_UNAVAILABLE', message);
  }
}

/**
 * A per-caller write quota is used up for today (core/quotas.ts). The HTTP layer answers 429 with
 * `Retry-After: <retryAfterSeconds>` (midnight in Vietnam, when the counter starts again).
 */
export class QuotaExceededError extends DomainError {
  override readonly name = 'QuotaExceededError';
  constructor(
    quota: 'claims' | 'uploads' | 'messages',
    limit: number,
    retryAfterSeconds: number,
    resetsAt: string,
  ) {
    super(
      // Thread messages have their own code: the customer reads what exactly waits until tomorrow.
      quota === 'messages' ? 'MESSAGE_QUOTA_EXCEEDED' : 'QUOTA_EXCEEDED',
      quota === 'claims'
        ? `At most ${limit} claims per customer per day`
        : quota === 'uploads'
          ? `At most ${limit} uploads per claim per day`
          : `At most ${limit} messages per claim per day`,
      { quota, limit, retryAfterSeconds, resetsAt },
    );
  }
}

export const httpStatusOf = (code: ErrorCode): number => ERROR_STATUS[code];

/** Classes whose name says nothing the workflow could route on: their code names the error instead. */
const GENERIC_NAMES = new Set(['DomainError', 'NotFoundError']);

/**
 * The name a domain error carries out of a workflow task, which the ASL's Retry/Catch match on
 * (HOUSE_STYLE §17): a specific class keeps its own (`InvalidTransitionError`,
 * `VersionConflictError`, `TransientDependencyError`); a plain `DomainError` or `NotFoundError` is
 * named after its code (`CLAIM_NOT_FOUND` → `ClaimNotFoundError`, `DOCUMENTS_MISSING` →
 * `DocumentsMissingError`), so no two refusals share one name.
 */
export function workflowErrorName(e: DomainError): string {
  if (!GENERIC_NAMES.has(e.name)) return e.name;
  const pascal = e.code
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
  return `${pascal}Error`;
}

/**
 * A department's rejection in a joint decision: not thrown by a task but sent to the waiting
 * vote's task token (SendTaskFailure), which the ASL's JointDecision Catch routes back to assessment.
 */
export const DEPARTMENT_REJECTED = 'DepartmentRejected';

/**
 * Errors the workflow's Retry retries: faults of a dependency, never a refusal of the domain.
 * `VersionConflictError` (another writer got there first) is retried separately, re-reading the claim.
 */
export const TRANSIENT_WORKFLOW_ERRORS = [
  'TransientDependencyError',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.TooManyRequestsException',
  'Lambda.SdkClientException',
] as const;

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
