import type { adminAuditLog } from '../../../lambdas/app/admin-audit.ts';
import type { listAdminChanges } from '../../../lambdas/app/admin-changes.ts';
import type { configurationInForce } from '../../../lambdas/app/configuration.ts';
import type { templatesInForce } from '../../../lambdas/app/template-configuration.ts';
import type { deadlineFlag, deadlineFlagOf, workQueue } from '../../../lambdas/app/queue.ts';
import type { policyHistory } from '../../../lambdas/app/policy-history.ts';
import type { searchClaims } from '../../../lambdas/app/search.ts';
import type { approvalControlsView } from '../../../lambdas/app/approval-controls.ts';
import type { StaffView } from '../../../lambdas/app/staff.ts';
import type { forRoles, Withheld } from '../../../lambdas/app/claim-view.ts';
import type { PostAuditEntry } from '../../../lambdas/adapters/dynamo/post-audit-repo.ts';
import type {
  Claim,
  ClaimAssessment,
  ClaimDecision,
  ClaimDeadline,
  Classification,
} from '../../../lambdas/core/claim.ts';
import type { ChainVerdict, ClaimEvent } from '../../../lambdas/core/events.ts';
import type { PayoutAccountCheck } from '../../../lambdas/core/payout-account-check.ts';
import type { PayoutStep } from '../../../lambdas/core/payout.ts';
import type { Policy } from '../../../lambdas/core/policy.ts';
import type { ClaimView, Jsonified } from '../../shared/types.ts';

/**
 * Response shapes of the staff endpoints, derived from the server functions that build them
 * (type-only imports, HOUSE_STYLE §13): a change there fails `tsc` here.
 */
export type QueuePage = Jsonified<Awaited<ReturnType<typeof workQueue>>>;
export type QueueItem = QueuePage['items'][number];
export type SearchPage = Jsonified<Awaited<ReturnType<typeof searchClaims>>>;
export type PolicyHistoryPage = Jsonified<Awaited<ReturnType<typeof policyHistory>>>;
export type QueueView = 'mine' | 'team' | 'approvals' | 'all';
export type DeadlineFlag = ReturnType<typeof deadlineFlag>;

/** Staff-only members of the claim view (the customer's view drops them). */
type StaffOnly =
  | 'assignee'
  | 'assignedQueue'
  | 'approvals'
  | 'fraudIndicators'
  | 'fraud'
  | 'siu'
  | 'straightThrough'
  | 'waitingFor'
  | 'nextDeadline'
  | 'infoRequests'
  | 'inspections'
  | 'payment'
  | 'dossierCompleteAt'
  | 'acknowledgedAt'
  | 'invoiceFlags'
  | 'postAudit'
  | 'waivers'
  | 'filedBy'
  | 'contactCheck';

type StaffRead = Jsonified<ReturnType<typeof forRoles>>;

/**
 * GET /claims/{id} as staff see it: the whole claim, its policy and the worst deadline state. What a
 * role outside claims handling does not read is left out (app/claim-view.ts forRoles; the report's
 * facts keep their full type, `withheld` says what is missing).
 */
export type StaffClaim = Omit<
  ClaimView,
  | 'decision'
  | 'assessment'
  | 'classification'
  | 'payoutAccountCheck'
  | 'report'
  | 'infoRequests'
  | 'documents'
> & {
  report: Omit<ClaimView['report'], 'description'> & Pick<StaffRead['report'], 'description'>;
  infoRequests?: StaffRead['infoRequests'];
  documents: StaffRead['documents'];
} & Jsonified<Pick<Claim, 'version' | 'customerId' | 'channel' | 'locale' | 'updatedAt'>> &
  Partial<Jsonified<Pick<Claim, StaffOnly>>> & {
    assessment?: Jsonified<ClaimAssessment>;
    decision?: Jsonified<ClaimDecision>;
    classification?: Jsonified<Classification>;
    /** A payout account staff typed in: who typed it, the registered contact, how it was confirmed. */
    payoutAccountCheck?: Jsonified<PayoutAccountCheck>;
    deadlines?: (Jsonified<ClaimDeadline> & { id?: string })[];
    policy?: Jsonified<Policy>;
    deadlineFlag: DeadlineFlag;
    /** The deadline the flag belongs to (absent when no deadline runs). */
    flaggedDeadline?: Jsonified<NonNullable<ReturnType<typeof deadlineFlagOf>['flaggedDeadline']>>;
    /** The first page of the policy's other claims; the rest via /claims/{id}/policy-history. */
    policyClaims?: PolicyHistoryPage;
    /** Outstanding documents, waivers and segregation-of-duties facts (issue 7). */
    controls?: Jsonified<ReturnType<typeof approvalControlsView>>;
    /** What the API left out of the report for the caller's role (admin, finance): said, not shown. */
    withheld?: Withheld[];
  };

export type ApprovalRound = NonNullable<StaffClaim['approvals']>[number];
export type StepView = Jsonified<PayoutStep>;

export type StaffMember = Jsonified<StaffView> & { openClaims: number };

export interface ClaimAudit {
  claimId: string;
  claimNumber: string;
  verdict: ChainVerdict;
  /** The last event the KMS anchor vouches for (0: none; lambdas/core/audit-anchor.ts). */
  anchoredSeq: number;
  events: Jsonified<ClaimEvent>[];
}

export type AdminAudit = Jsonified<Awaited<ReturnType<typeof adminAuditLog>>>;
/** One change awaiting a second administrator (GET /admin/changes). */
export type AdminChange = Jsonified<Awaited<ReturnType<typeof listAdminChanges>>>['items'][number];
export type ConfigInForce = Jsonified<Awaited<ReturnType<typeof configurationInForce>>>;
export type ProductConfigEntry = ConfigInForce['items'][number];
export type TemplatesInForce = Jsonified<Awaited<ReturnType<typeof templatesInForce>>>;
export type TemplateEntry = TemplatesInForce['items'][number];

/** POST /claims/{id}/decision: the claim summary plus the decision; 202 when it awaits approval. */
export interface DecisionResult {
  status: string;
  version: number;
  decision?: Jsonified<ClaimDecision>;
}

/** One row of GET /post-audit. */
export type PostAuditItem = Jsonified<PostAuditEntry>;
