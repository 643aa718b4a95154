import { AppealBody } from '../core/appeal.ts';
import { MessageBody, MessageQuery } from '../core/claim-thread.ts';
import * as z from 'zod/mini';
import {
  ErrorBody,
  ListQuery,
  NoBody,
  RequestUploadBody,
  WithdrawDocumentBody,
} from '../core/api-schemas.ts';
import { BankAccount, SubmitClaimRequest } from '../core/claim.ts';
import {
  CreateBatchBody,
  DownloadQuery,
  ImportConfirmationBody,
  PayoutsQuery,
  VoidBatchBody,
} from '../core/finance.ts';
import { ConfirmPayoutAccountBody } from '../core/payout-account.ts';
import { PostAuditQuery, PostAuditReviewBody } from '../core/post-audit.ts';
import { DEFAULT_QUOTAS, type QuotaName } from '../core/quotas.ts';
import { CustomerLookupQuery, PagedQuery, SearchQuery } from '../core/search.ts';
import { AdminChangeDecisionBody } from '../core/admin-changes.ts';
import {
  AdvancePaymentBody,
  CalendarChange,
  CalendarChangeEnvelope,
  DecisionBody,
  InfoRequestBody,
  InfoResponseBody,
  InspectionBody,
  InspectionReplyBody,
  NoteBody,
  ProductConfigChange,
  ProductConfigChangeEnvelope,
  QueueQuery,
  QuotasChange,
  ReassignBody,
  RecordAssessmentBody,
  StaffClaimBody,
  StaffUpdateBody,
  SupervisorApprovalBody,
  TemplateChange,
  TemplateChangeEnvelope,
  TemplatePreview,
  TemplatePreviewEnvelope,
  VerifyPayoutAccountBody,
  VoteBody,
  WaiverBody,
} from '../core/staff-schemas.ts';
import { SiuOutcomeBody, SiuPaidQuery, SiuQueueQuery, SiuReferralBody } from '../core/fraud/siu.ts';
import { IntakeClaimBody, IntakeLinkBody, IntakeListQuery } from '../core/inbound-email.ts';
import { AlertQuery } from '../core/workflow-signals.ts';
import { AcknowledgeFailureBody } from '../core/workflow-failures.ts';
import { ROUTES, type RouteId } from '../routes.ts';
import { MAX_CURSOR_VALUE, MAX_PATH_PARAM, MAX_QUERY_VALUE, PATH_PARAM } from './api-handler.ts';

type Route = (typeof ROUTES)[number];
/** Every POST and PUT route: the compiler refuses a write route without a documented body. */
export type WriteRouteId = Extract<Route, { method: 'POST' | 'PUT' }>['id'];

export interface BodyContract {
  /** What the document shows. */
  schema: z.core.$ZodType;
  /**
   * What the handler's middleware validates with, when that is a looser envelope whose inner
   * value the use case then validates against `schema` (the admin configuration changes answer
   * CONFIG_INVALID with precise paths that way). Absent: the handler validates with `schema`.
   */
  envelope?: z.core.$ZodType;
}

/**
 * Request body per write route: the very zod objects the handlers validate with (one definition;
 * tests/unit/openapi.test.ts loads every handler and checks each one against this table).
 */
export const REQUEST_BODIES: Record<WriteRouteId, BodyContract> = {
  SubmitClaim: { schema: SubmitClaimRequest },
  RequestUpload: { schema: RequestUploadBody },
  WithdrawDocument: { schema: WithdrawDocumentBody },
  FileClaimForCustomer: { schema: StaffClaimBody },
  RecordAssessment: { schema: RecordAssessmentBody },
  DecideClaim: { schema: DecisionBody },
  SupervisorApproval: { schema: SupervisorApprovalBody },
  DepartmentVote: { schema: VoteBody },
  RequestInformation: { schema: InfoRequestBody },
  AnswerInformationRequest: { schema: InfoResponseBody },
  ScheduleInspection: { schema: InspectionBody },
  ReplyToInspection: { schema: InspectionReplyBody },
  ReassignClaim: { schema: ReassignBody },
  AddNote: { schema: NoteBody },
  RedeliverWorkflowSignals: { schema: NoBody },
  AcknowledgeWorkflowFailure: { schema: AcknowledgeFailureBody },
  UpdateStaff: { schema: StaffUpdateBody },
  UpdateProductConfig: { schema: ProductConfigChange, envelope: ProductConfigChangeEnvelope },
  UpdateCalendar: { schema: CalendarChange, envelope: CalendarChangeEnvelope },
  DecideAdminChange: { schema: AdminChangeDecisionBody },
  UpdateQuotas: { schema: QuotasChange },
  UpdateTemplate: { schema: TemplateChange, envelope: TemplateChangeEnvelope },
  PreviewTemplate: { schema: TemplatePreview, envelope: TemplatePreviewEnvelope },
  RevealPayoutAccount: { schema: NoBody },
  WaiveDocument: { schema: WaiverBody },
  ConfirmClaimContact: { schema: NoBody },
  RequestPayoutAccountChange: { schema: BankAccount },
  LinkIntakeRecord: { schema: IntakeLinkBody },
  ClaimFromIntakeRecord: { schema: IntakeClaimBody },
  ConfirmPayoutAccountChange: { schema: ConfirmPayoutAccountBody },
  AcceptPayoutAccount: { schema: NoBody },
  VerifyPayoutAccount: { schema: VerifyPayoutAccountBody },
  ReviewPostAudit: { schema: PostAuditReviewBody },
  CreatePaymentBatch: { schema: CreateBatchBody },
  ReleasePaymentBatch: { schema: NoBody },
  VoidPaymentBatch: { schema: VoidBatchBody },
  ImportBankConfirmation: { schema: ImportConfirmationBody },
  ConfirmBankReturns: { schema: NoBody },
  ApproveAdvancePayment: { schema: AdvancePaymentBody },
  StartSiuInvestigation: { schema: NoBody },
  RecordSiuOutcome: { schema: SiuOutcomeBody },
  ReferToSiu: { schema: SiuReferralBody },
  AppealClaim: { schema: AppealBody },
  PostClaimMessage: { schema: MessageBody },
};

/** Query string schema per route: the same objects the handlers validate with. */
export const REQUEST_QUERIES: Partial<Record<RouteId, z.ZodMiniObject>> = {
  ListMyClaims: ListQuery,
  StaffQueue: QueueQuery,
  SearchClaims: SearchQuery,
  FindCustomers: CustomerLookupQuery,
  PolicyHistory: PagedQuery,
  WorkflowAlerts: AlertQuery,
  ListPostAudit: PostAuditQuery,
  ListPayoutsAwaiting: PayoutsQuery,
  ListPaymentBatches: ListQuery,
  ListReconciliations: ListQuery,
  DownloadPaymentBatch: DownloadQuery,
  ListPolicyImports: ListQuery,
  GetPolicyImport: ListQuery,
  ListSiuCases: SiuQueueQuery,
  ListSiuPaid: SiuPaidQuery,
  ListClaimMessages: MessageQuery,
  ListIntakeRecords: IntakeListQuery,
};

/** Routes that take an `Idempotency-Key` header (Powertools-idempotent, or keyed like a batch). */
export const IDEMPOTENCY_KEY_ROUTES: readonly RouteId[] = [
  'SubmitClaim',
  'FileClaimForCustomer',
  'CreatePaymentBatch',
  'WithdrawDocument',
];

/** Writes counted against a per-caller daily quota (core/quotas.ts; enforced in app/quotas.ts). */
export const QUOTA_ROUTES: Partial<Record<RouteId, QuotaName>> = {
  SubmitClaim: 'claims',
  FileClaimForCustomer: 'claims',
  RequestUpload: 'uploads',
  PostClaimMessage: 'messages',
};

const QUOTA_TEXT: Record<QuotaName, string> = {
  claims: `at most ${DEFAULT_QUOTAS.claimsPerCustomerPerDay} claims per customer per day by default, counting claims staff file on the phone for that customer`,
  uploads: `at most ${DEFAULT_QUOTAS.uploadsPerClaimPerDay} upload tickets per claim per day by default, customer and staff together`,
  messages: `at most ${DEFAULT_QUOTAS.messagesPerClaimPerDay} customer messages per claim per day by default (staff replies are not limited)`,
};
const QUOTA_CODE: Record<QuotaName, string> = {
  claims: 'QUOTA_EXCEEDED',
  uploads: 'QUOTA_EXCEEDED',
  messages: 'MESSAGE_QUOTA_EXCEEDED',
};

type Json = Record<string, unknown>;
const INT32_MAX = 2 ** 31 - 1;

/**
 * Completes what JSON Schema cannot take from zod by itself: an integer's `format` (int32 when
 * its bounds fit, else int64: VND amounts reach 10^15), read from the bounds zod already enforces.
 */
function withIntegerFormats(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withIntegerFormats);
  if (!node || typeof node !== 'object') return node;
  const out: Json = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, withIntegerFormats(v)]));
  if (out.type === 'integer' && out.format === undefined) {
    const fits =
      typeof out.minimum === 'number' &&
      typeof out.maximum === 'number' &&
      out.minimum >= -INT32_MAX - 1 &&
      out.maximum <= INT32_MAX;
    out.format = fits ? 'int32' : 'int64';
  }
  return out;
}

const jsonSchema = (s: z.core.$ZodType): Json =>
  withIntegerFormats(
    z.toJSONSchema(s, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }),
  ) as Json;

/** Query values are bounded by their schema and, whatever it says, by the request parsing. */
function queryParameters(id: RouteId) {
  const schema = REQUEST_QUERIES[id];
  if (!schema) return [];
  const json = jsonSchema(schema) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => {
    const cap = name === 'cursor' ? MAX_CURSOR_VALUE : MAX_QUERY_VALUE;
    const bounded =
      s.type === 'string' && s.enum === undefined
        ? { ...s, maxLength: Math.min(typeof s.maxLength === 'number' ? s.maxLength : cap, cap) }
        : s;
    return { name, in: 'query', required: json.required?.includes(name) ?? false, schema: bounded };
  });
}

/** Every path parameter is an identifier, bounded as api-handler.ts checks it (else 400). */
const pathParameter = (name: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string', minLength: 1, maxLength: MAX_PATH_PARAM, pattern: PATH_PARAM.source },
});

const idempotencyKeyHeader = {
  name: 'Idempotency-Key',
  in: 'header',
  required: true,
  description: 'One per submission (a UUID); a repeat replays the first answer for 24 hours.',
  schema: { type: 'string', minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9_-]{8,128}$' },
};

const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } };
const ref = (name: string) => ({ $ref: `#/components/responses/${name}` });

function describe(r: Route): string {
  const who =
    r.auth === 'public'
      ? 'Public: no sign-in.'
      : `Roles: ${r.roles.join(', ')} (any one of them; checked again against the staff directory on every request).`;
  const quota = QUOTA_ROUTES[r.id];
  return [
    `${r.summary}.`,
    who,
    ...(quota
      ? [
          `Quota: ${QUOTA_TEXT[quota]}; then 429 ${QUOTA_CODE[quota]} with Retry-After until midnight in Vietnam.`,
        ]
      : []),
  ].join('\n\n');
}

function requestBodyOf(id: RouteId) {
  const contract = (REQUEST_BODIES as Partial<Record<RouteId, BodyContract>>)[id];
  if (!contract) return {};
  // A body the handler allows to be absent (NoBody) is documented as optional.
  const optional = z.safeParse(contract.schema, undefined).success;
  const schema = jsonSchema(
    optional ? (contract.schema as z.ZodMiniOptional).def.innerType : contract.schema,
  );
  return {
    requestBody: { required: !optional, content: { 'application/json': { schema } } },
  };
}

/** The OpenAPI 3 document, generated from the route table and the zod schemas. */
export function buildOpenApi(serverUrl?: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => pathParameter(m[1] ?? ''));
    const headers = IDEMPOTENCY_KEY_ROUTES.includes(r.id) ? [idempotencyKeyHeader] : [];
    const parameters = [...params, ...queryParameters(r.id), ...headers];
    paths[r.path] ??= {};
    paths[r.path]![r.method.toLowerCase()] = {
      operationId: r.id,
      summary: r.summary,
      description: describe(r),
      tags: [r.tag],
      ...(r.auth === 'jwt' ? { security: [{ bearer: [] }], 'x-roles': r.roles } : { security: [] }),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...requestBodyOf(r.id),
      responses: {
        '200': { description: 'OK' },
        ...(r.method === 'POST' ? { '201': { description: 'Created' } } : {}),
        '400': ref('BadRequest'),
        ...(r.auth === 'jwt' ? { '401': ref('Unauthorized'), '403': ref('Forbidden') } : {}),
        '429': ref(QUOTA_ROUTES[r.id] ? 'QuotaExceeded' : 'Throttled'),
        '4XX': ref('ClientError'),
        '500': ref('ServerError'),
        '5XX': ref('ServerError'),
      },
    };
  }
  const retryAfter = (required: boolean, description: string) => ({
    'Retry-After': {
      required,
      description,
      schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 86_400 },
    },
  });
  const gatewayMessage = {
    type: 'object',
    required: ['message'],
    properties: { message: { type: 'string', maxLength: 100 } },
  };
  return {
    openapi: '3.0.3',
    info: {
      title: 'Claims API',
      version: '1.0.0',
      description: 'Online claims for non-life insurance (Vietnam).',
      contact: { name: 'Claims system maintainers' },
    },
    servers: [
      {
        url: serverUrl ?? '/',
        description:
          'The stage serving this document (local with `npm start`, staging or production on AWS).',
        'x-internal': false,
      },
    ],
    tags: [...new Set(ROUTES.map((r) => r.tag))].map((name) => ({ name })),
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A Cognito access token (RS256, 1 hour), checked by API Gateway’s JWT authorizer for issuer, audience, signature and expiry as RFC8725 recommends; roles are the Cognito groups, re-read from the staff directory on every request.',
        },
      },
      schemas: { ErrorBody: jsonSchema(ErrorBody), GatewayMessage: gatewayMessage },
      responses: {
        BadRequest: {
          description:
            'VALIDATION_FAILED (fields listed), MALFORMED_JSON, INVALID_CURSOR or another coded 400',
          content: errorContent,
        },
        Unauthorized: {
          description: 'No valid token: API Gateway’s JWT authorizer answers `{"message":"Unauthorized"}`',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/GatewayMessage' } } },
        },
        Forbidden: {
          description: 'FORBIDDEN, or a coded rule (segregation of duties, authority)',
          content: errorContent,
        },
        ClientError: { description: 'Another client error with a stable code', content: errorContent },
        QuotaExceeded: {
          description:
            'QUOTA_EXCEEDED (MESSAGE_QUOTA_EXCEEDED for thread messages): the caller’s daily quota for this write is used up (or the stage throttle answered `{"message":"Too Many Requests"}`)',
          headers: retryAfter(
            false,
            'Always sent with a used-up quota: seconds until the quota starts again (midnight, Asia/Ho_Chi_Minh); absent when the stage throttle answered',
          ),
          content: {
            'application/json': {
              schema: {
                oneOf: [
                  { $ref: '#/components/schemas/ErrorBody' },
                  { $ref: '#/components/schemas/GatewayMessage' },
                ],
              },
            },
          },
        },
        Throttled: {
          description:
            'The API stage’s shared throttle: API Gateway answers `{"message":"Too Many Requests"}`; retry with backoff',
          headers: retryAfter(false, 'Not sent by the stage throttle; back off exponentially'),
          content: { 'application/json': { schema: { $ref: '#/components/schemas/GatewayMessage' } } },
        },
        ServerError: {
          description: 'A generic body with the correlation id to quote; nothing else is exposed',
          content: errorContent,
        },
      },
    },
    paths,
  };
}
