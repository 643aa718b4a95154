import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import { AppealBody } from '../../lambdas/core/appeal.ts';
import { MessageBody } from '../../lambdas/core/claim-thread.ts';
import { NoBody, RequestUploadBody, WithdrawDocumentBody } from '../../lambdas/core/api-schemas.ts';
import { SiuOutcomeBody, SiuReferralBody } from '../../lambdas/core/fraud/siu.ts';
import { IntakeClaimBody, IntakeLinkBody } from '../../lambdas/core/inbound-email.ts';
import { BankAccount, SubmitClaimRequest } from '../../lambdas/core/claim.ts';
import { CreateBatchBody, ImportConfirmationBody, VoidBatchBody } from '../../lambdas/core/finance.ts';
import { PostAuditReviewBody } from '../../lambdas/core/post-audit.ts';
import {
  AdvancePaymentBody,
  CalendarChangeEnvelope,
  DecisionBody,
  InfoRequestBody,
  InfoResponseBody,
  InspectionBody,
  InspectionReplyBody,
  NoteBody,
  ProductConfigChangeEnvelope,
  QuotasChange,
  ReassignBody,
  RecordAssessmentBody,
  StaffClaimBody,
  StaffUpdateBody,
  SupervisorApprovalBody,
  TemplateChangeEnvelope,
  TemplatePreviewEnvelope,
  VerifyPayoutAccountBody,
  VoteBody,
  WaiverBody,
} from '../../lambdas/core/staff-schemas.ts';
import type { UserProfile } from '../../lambdas/adapters/dynamo/users-repo.ts';
import { DEPARTMENTS } from '../../lambdas/core/claim.ts';
import { AdminChangeDecisionBody } from '../../lambdas/core/admin-changes.ts';
import { AcknowledgeFailureBody } from '../../lambdas/core/workflow-failures.ts';
import type { RouteId } from '../../lambdas/routes.ts';
import { hoursAgo } from './claims.ts';
import { makeClaimRequest } from './factories.ts';
import { ASSIGNEE, OWNER, UNASSIGNED_ADJUSTER } from './security-fixtures.ts';

/**
 * What the security suites need to know about each route beyond the route table: which ownership
 * checks it makes (the one dimension the table cannot say), a well-formed request, and the zod
 * schema its handler validates the body with. Keyed by every RouteId, so a route added to
 * lambdas/routes.ts without an entry here does not typecheck, and the matrix test fails at run
 * time if the two lists ever differ.
 */
export type Ownership =
  /** A customer acts only on their own claim: another customer's gets CLAIM_NOT_FOUND. */
  | 'customer'
  /** An adjuster acts only on claims assigned to them (supervisors on any): others get FORBIDDEN. */
  | 'handler';

export interface CaseContext {
  /** Who sends the request. */
  caller: UserProfile;
  claimId: string;
  /** The version of the claim as staff see it now (for `expectedVersion`). */
  version: () => Promise<number>;
  documentId: string;
  requestId: string;
  inspectionId: string;
}

export interface RouteCase {
  ownership: readonly Ownership[];
  /** Path parameters other than `claimId` (which the suites fill with the claim under test). */
  params?: Record<string, string>;
  query?: string;
  /** A well-formed body: the request reaches the ownership checks and the use case. */
  body?: (c: CaseContext) => unknown | Promise<unknown>;
  /** The schema the handler validates the body with (undefined: declared inside the handler). */
  schema?: z.core.$ZodType;
  headers?: () => Record<string, string>;
  /**
   * The segregation-of-duties refusals an allowed caller may meet after an earlier case of the run
   * (e.g. the SIU reviewer who referred claim A may not close its case): the use case deciding,
   * past the role and ownership checks. Any other SOD_ refusal of an allowed caller fails the matrix.
   */
  sodAfterEarlierCases?: readonly string[];
}

const idempotent = () => ({ 'idempotency-key': randomUUID() });
/** Writes that take no input: nothing or `{}`, any field refused (NoBody). */
const NO_BODY = { schema: NoBody } as const;
const FAR_FUTURE_VERSION = 999_999;

export const ROUTE_CASES = {
  Health: { ownership: [] },
  OpenApi: { ownership: [] },
  GetMe: { ownership: [] },
  ListProducts: { ownership: [] },
  ListMyPolicies: { ownership: [] },
  SubmitClaim: {
    ownership: [],
    schema: SubmitClaimRequest,
    body: () => makeClaimRequest({ cause: 'theft', lossAt: hoursAgo(120) }),
    headers: idempotent,
  },
  ListMyClaims: { ownership: [] },
  GetClaim: { ownership: ['customer'] },
  RequestUpload: {
    ownership: ['customer', 'handler'],
    schema: RequestUploadBody,
    body: () => ({ docType: 'other', fileName: 'note.png', contentType: 'image/png', size: 120 }),
  },
  GetDocument: { ownership: ['customer'], params: {} },
  WithdrawDocument: {
    ownership: ['customer'],
    schema: WithdrawDocumentBody,
    body: async (c) => ({ expectedVersion: await c.version() }),
    headers: idempotent,
  },
  StaffQueue: { ownership: [] },
  FindCustomers: { ownership: [], query: 'q=0987654321' },
  ListCustomerPolicies: { ownership: [], params: { customerId: OWNER.customerId ?? '' } },
  FileClaimForCustomer: {
    ownership: [],
    schema: StaffClaimBody,
    body: () => ({
      customerId: OWNER.customerId,
      report: makeClaimRequest({ cause: 'theft', lossAt: hoursAgo(140) }),
    }),
    headers: idempotent,
  },
  RecordAssessment: {
    ownership: ['handler'],
    schema: RecordAssessmentBody,
    body: async (c) => ({
      expectedVersion: await c.version(),
      items: [{ description: 'Thay kính', coverCode: 'OD', assessedAmount: 1_000_000, kind: 'repair' }],
    }),
  },
  DecideClaim: {
    ownership: ['handler'],
    schema: DecisionBody,
    body: async (c) => ({ outcome: 'approve', expectedVersion: await c.version() }),
  },
  SupervisorApproval: {
    ownership: [],
    schema: SupervisorApprovalBody,
    body: async (c) => ({ expectedVersion: await c.version(), approve: false, comment: 'Chưa đủ căn cứ' }),
  },
  DepartmentVote: {
    ownership: [],
    schema: VoteBody,
    // The caller's own department (supervisors vote for claims): a vote for another is refused.
    // Round 1, the first approval round a claim can be in.
    body: (c) => {
      const d = c.caller.staff?.department;
      return {
        round: 1,
        department: d && (DEPARTMENTS as readonly string[]).includes(d) ? d : 'claims',
        vote: 'approve',
        comment: 'Đồng ý',
      };
    },
  },
  RequestInformation: {
    ownership: ['handler'],
    schema: InfoRequestBody,
    body: async (c) => ({ expectedVersion: await c.version(), message: 'Xin bổ sung hoá đơn.' }),
  },
  AnswerInformationRequest: {
    ownership: ['customer'],
    schema: InfoResponseBody,
    body: () => ({ message: 'Tôi đã gửi bổ sung.' }),
  },
  ScheduleInspection: {
    ownership: ['handler'],
    schema: InspectionBody,
    body: async (c) => ({
      expectedVersion: await c.version(),
      at: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      place: 'Gara Thành Công, Hà Nội',
    }),
  },
  ReplyToInspection: {
    ownership: ['customer'],
    schema: InspectionReplyBody,
    body: () => ({ reply: 'confirm' }),
  },
  ReassignClaim: {
    ownership: [],
    schema: ReassignBody,
    // Back to the same adjuster: the assignment the matrix relies on stays as it is.
    body: async (c) => ({
      expectedVersion: await c.version(),
      staffId: ASSIGNEE.userId,
      reason: 'Giữ nguyên',
    }),
  },
  AddNote: { ownership: [], schema: NoteBody, body: () => ({ text: 'Ghi chú nội bộ' }) },
  WorkflowAlerts: { ownership: [] },
  RedeliverWorkflowSignals: { ownership: [], ...NO_BODY },
  AcknowledgeWorkflowFailure: {
    ownership: [],
    schema: AcknowledgeFailureBody,
    body: () => ({ note: 'Checked and fixed by hand' }),
  },
  VerifyAuditTrail: { ownership: [] },
  ListStaff: { ownership: [] },
  UpdateStaff: {
    ownership: [],
    params: { userId: UNASSIGNED_ADJUSTER.userId },
    schema: StaffUpdateBody,
    // The account exactly as seeded: allowed, and nothing changes.
    body: () => ({
      displayName: UNASSIGNED_ADJUSTER.displayName,
      email: UNASSIGNED_ADJUSTER.email,
      roles: UNASSIGNED_ADJUSTER.roles,
      skills: UNASSIGNED_ADJUSTER.staff?.skills ?? [],
      regions: UNASSIGNED_ADJUSTER.staff?.regions ?? [],
      authorityLimit: UNASSIGNED_ADJUSTER.staff?.authorityLimit ?? 0,
      active: true,
    }),
  },
  ListProductConfigs: { ownership: [] },
  UpdateProductConfig: {
    ownership: [],
    params: { productCode: 'MOTOR_OD' },
    schema: ProductConfigChangeEnvelope,
    // A stale version: allowed to try, refused with 409, nothing changes.
    body: () => ({ expectedVersion: FAR_FUTURE_VERSION, config: {} }),
  },
  AdminAuditLog: { ownership: [] },
  ListAdminChanges: { ownership: [] },
  DecideAdminChange: {
    ownership: [],
    // No such change: the request is well formed, and nothing is decided.
    params: { changeId: '00000000-0000-4000-8000-000000000000' },
    schema: AdminChangeDecisionBody,
    body: () => ({ action: 'reject' }),
  },
  UpdateCalendar: {
    ownership: [],
    schema: CalendarChangeEnvelope,
    body: () => ({ expectedVersion: FAR_FUTURE_VERSION, calendar: {} }),
  },
  UpdateQuotas: {
    ownership: [],
    schema: QuotasChange,
    // A version that is never current: the admin is let in and gets 409, nothing changes.
    body: () => ({
      expectedVersion: FAR_FUTURE_VERSION,
      quotas: { claimsPerCustomerPerDay: 20, uploadsPerClaimPerDay: 60 },
    }),
  },
  ListTemplates: { ownership: [] },
  UpdateTemplate: {
    ownership: [],
    params: { templateName: 'acknowledgement' },
    schema: TemplateChangeEnvelope,
    body: () => ({ expectedVersion: FAR_FUTURE_VERSION, template: {} }),
  },
  PreviewTemplate: {
    ownership: [],
    params: { templateName: 'acknowledgement' },
    schema: TemplatePreviewEnvelope,
    body: () => ({ locale: 'vi', template: {} }),
  },
  RevealPayoutAccount: { ownership: [], ...NO_BODY },
  WaiveDocument: {
    ownership: [],
    schema: WaiverBody,
    body: async (c) => ({
      expectedVersion: await c.version(),
      docType: 'police_report',
      reason: 'Không có công an tham gia',
    }),
  },
  ConfirmClaimContact: { ownership: ['customer'], ...NO_BODY },
  RequestPayoutAccountChange: {
    ownership: ['customer'],
    schema: BankAccount,
    body: () => ({ bankName: 'BIDV', accountNumber: '12345678901', accountHolder: 'NGUYEN VAN AN' }),
  },
  ListClaimMessages: { ownership: ['customer'] },
  PostClaimMessage: {
    ownership: ['customer', 'handler'],
    schema: MessageBody,
    body: () => ({ text: 'Xin hỏi hồ sơ của tôi đang ở bước nào?' }),
  },
  AppealClaim: {
    ownership: ['customer'],
    schema: AppealBody,
    body: () => ({ reason: 'Tôi có thêm chứng cứ: giấy phép lái xe còn hạn.' }),
  },
  ConfirmPayoutAccountChange: {
    ownership: ['customer'],
    // Declared inside its handler; the suites check it by behaviour (a strict 6-digit code).
    schema: undefined,
    body: () => ({ code: '000000' }),
  },
  AcceptPayoutAccount: { ownership: ['customer'], ...NO_BODY },
  VerifyPayoutAccount: {
    ownership: [],
    schema: VerifyPayoutAccountBody,
    body: async (c) => ({
      expectedVersion: await c.version(),
      note: 'Đã gọi số đăng ký, khách xác nhận tài khoản',
    }),
  },
  SearchClaims: { ownership: [], query: 'q=30A-123.45' },
  PolicyHistory: { ownership: [] },
  ListPostAudit: { ownership: [] },
  ReviewPostAudit: {
    ownership: [],
    schema: PostAuditReviewBody,
    body: () => ({ outcome: 'confirmed', note: 'Đã xem' }),
  },
  ListPayoutsAwaiting: { ownership: [] },
  CreatePaymentBatch: {
    ownership: [],
    schema: CreateBatchBody,
    body: () => ({ cutoff: '2001-01-01T00:00:00+07:00' }),
    headers: idempotent,
  },
  ListPaymentBatches: { ownership: [] },
  GetPaymentBatch: { ownership: [], params: { batchId: 'PB-20010101-000000000000' } },
  ReleasePaymentBatch: { ownership: [], params: { batchId: 'PB-20010101-000000000000' }, ...NO_BODY },
  VoidPaymentBatch: {
    ownership: [],
    params: { batchId: 'PB-20010101-000000000000' },
    schema: VoidBatchBody,
    body: () => ({ reason: 'Khoản chi bị SIU giữ lại' }),
  },
  DownloadPaymentBatch: { ownership: [], params: { batchId: 'PB-20010101-000000000000' } },
  ImportBankConfirmation: {
    ownership: [],
    schema: ImportConfirmationBody,
    body: () => ({ fileName: 'confirm.csv', content: 'not,a,bank,file' }),
  },
  ListReconciliations: { ownership: [] },
  GetReconciliation: { ownership: [], params: { reconId: `RC-${'0'.repeat(24)}` } },
  ConfirmBankReturns: { ownership: [], params: { reconId: `RC-${'0'.repeat(24)}` }, ...NO_BODY },
  ListPolicyImports: { ownership: [] },
  ListSiuCases: { ownership: [] },
  StartSiuInvestigation: { ownership: [], ...NO_BODY, sodAfterEarlierCases: ['SOD_OWN_CASE'] },
  RecordSiuOutcome: {
    ownership: [],
    sodAfterEarlierCases: ['SOD_OWN_CASE'],
    schema: SiuOutcomeBody,
    body: () => ({ outcome: 'cleared', note: 'Không có dấu hiệu bất thường sau xác minh.' }),
  },
  ReferToSiu: {
    ownership: ['handler'],
    schema: SiuReferralBody,
    body: () => ({ note: 'Khách hàng gọi báo không hề đổi tài khoản nhận tiền' }),
  },
  ListSiuPaid: { ownership: [] },
  ExportSiuLabels: { ownership: [] },
  ListIntakeRecords: { ownership: [] },
  // An intake record that never existed: allowed roles reach the use case (404), others are refused.
  LinkIntakeRecord: {
    ownership: [],
    params: { intakeId: '0'.repeat(26) },
    schema: IntakeLinkBody,
    body: () => ({ expectedVersion: 1, customerId: 'CUS-0001', policyNumber: 'MOT-2026-0001' }),
  },
  ClaimFromIntakeRecord: {
    ownership: [],
    params: { intakeId: '0'.repeat(26) },
    schema: IntakeClaimBody,
    body: () => ({ expectedVersion: 1 }),
  },
  // An import id that never existed: allowed roles get 404, the others 403.
  GetPolicyImport: { ownership: [], params: { importId: '0'.repeat(26) } },
  ApproveAdvancePayment: {
    ownership: ['handler'],
    schema: AdvancePaymentBody,
    body: async (c) => ({
      expectedVersion: await c.version(),
      amount: 1_000_000,
      note: 'Tạm ứng theo Nghị định 67',
    }),
  },
} as const satisfies Record<RouteId, RouteCase>;

export const caseOf = (id: RouteId): RouteCase => ROUTE_CASES[id];

/** Fills `{name}` placeholders: the claim under test, the fixtures' ids, then the case's own. */
export function pathFor(path: string, id: RouteId, c: CaseContext): string {
  const own: Record<string, string> = {
    claimId: c.claimId,
    documentId: c.documentId,
    requestId: c.requestId,
    inspectionId: c.inspectionId,
    ...(caseOf(id).params ?? {}),
  };
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = own[name];
    if (v === undefined) throw new Error(`${id}: no value for path parameter ${name}`);
    return encodeURIComponent(v);
  });
}
