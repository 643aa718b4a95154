import { z } from 'zod';
import { ErrorBody, ListQuery, RequestUploadBody } from '../core/api-schemas.ts';
import { BankAccount, SubmitClaimRequest } from '../core/claim.ts';
import { PostAuditReviewBody } from '../core/post-audit.ts';
import {
  AdvancePaymentBody,
  CalendarChange,
  ProductConfigChange,
  StaffUpdateBody,
  TemplateChange,
  TemplatePreview,
  WaiverBody,
} from '../core/staff-schemas.ts';
import { PagedQuery, SearchQuery } from '../core/search.ts';
import { QueueQuery } from '../core/staff-schemas.ts';
import { IntakeClaimBody, IntakeLinkBody } from '../core/inbound-email.ts';
import { type RouteId, ROUTES } from '../routes.ts';

/** Request body schema per route; the same objects the handlers validate with. */
const REQUEST_BODIES: Partial<Record<RouteId, z.ZodType>> = {
  SubmitClaim: SubmitClaimRequest,
  RequestUpload: RequestUploadBody,
  UpdateStaff: StaffUpdateBody,
  // The full contract; the handlers take `config`/`calendar` as objects and answer CONFIG_INVALID.
  UpdateProductConfig: ProductConfigChange,
  UpdateCalendar: CalendarChange,
  UpdateTemplate: TemplateChange,
  PreviewTemplate: TemplatePreview,
  ReviewPostAudit: PostAuditReviewBody,
  WaiveDocument: WaiverBody,
  ApproveAdvancePayment: AdvancePaymentBody,
  LinkIntakeRecord: IntakeLinkBody,
  ClaimFromIntakeRecord: IntakeClaimBody,
  RequestPayoutAccountChange: BankAccount,
};

const jsonSchema = (s: z.ZodType) =>
  z.toJSONSchema(s, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' });

/** Query string schema per route (paged lists): the same objects the handlers validate with. */
const REQUEST_QUERIES: Partial<Record<RouteId, z.ZodObject>> = {
  ListMyClaims: ListQuery,
  StaffQueue: QueueQuery,
  SearchClaims: SearchQuery,
  PolicyHistory: PagedQuery,
};

function queryParameters(id: RouteId) {
  const schema = REQUEST_QUERIES[id];
  if (!schema) return [];
  const json = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: s,
  }));
}

/** The OpenAPI 3 document, generated from the route table and the zod schemas. */
export function buildOpenApi(serverUrl?: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const body = REQUEST_BODIES[r.id];
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const headers =
      r.id === 'SubmitClaim'
        ? [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: true,
              schema: { type: 'string', minLength: 8, maxLength: 128 },
            },
          ]
        : [];
    paths[r.path] ??= {};
    paths[r.path]![r.method.toLowerCase()] = {
      operationId: r.id,
      summary: r.summary,
      tags: [r.tag],
      ...(r.auth === 'jwt' ? { security: [{ bearer: [] }], 'x-roles': r.roles } : { security: [] }),
      parameters: [...params, ...queryParameters(r.id), ...headers],
      ...(body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(body) } } } }
        : {}),
      responses: {
        '200': { description: 'OK' },
        ...(r.method === 'POST' ? { '201': { description: 'Created' } } : {}),
        '4XX': {
          description: 'Client error with a stable code',
          content: { 'application/json': { schema: jsonSchema(ErrorBody) } },
        },
        '5XX': {
          description: 'Server error (generic body with a correlation id)',
          content: { 'application/json': { schema: jsonSchema(ErrorBody) } },
        },
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Claims API',
      version: '1.0.0',
      description: 'Online claims for non-life insurance (Vietnam).',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}
