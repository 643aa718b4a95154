import { randomUUID } from 'node:crypto';
import middy, { type MiddlewareObj } from '@middy/core';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import * as z from 'zod/mini';
import { currentPrincipal } from '../app/staff-context.ts';
import { DomainError, type ErrorCode, httpStatusOf, isDomainError } from '../core/errors.ts';
import ROUTE_ACCESS from '#route-access';
import type { RouteId } from '../routes.ts';
import { logger } from '../runtime/logger.ts';
import { parseJsonBody, zodFieldIssues } from './body.ts';
import { SECURITY_HEADERS } from './security-headers.ts';
import { isCustomerOnly, type Principal, principalFromClaims, requireAnyRole } from './principal.ts';

/** Re-exported for the handlers; the logger itself lives in the runtime layer (lambdas/runtime/logger.ts). */
export { logger };

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResponse = APIGatewayProxyStructuredResultV2;

export interface ApiRequest<B> {
  body: B;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Undefined only on public routes. */
  principal: Principal;
  correlationId: string;
}

export interface ApiResult {
  status?: number;
  body?: unknown;
  /** A text body sent as it is (a CSV export), with its content type in `headers`. */
  text?: string;
  headers?: Record<string, string>;
}

interface Options<S extends z.core.$ZodType | undefined> {
  body?: S;
  /**
   * `idempotentRequests()` (./idempotency.ts): requires an `Idempotency-Key` header and replays the
   * first response for repeats (24 h). Passed in rather than built here, so only the functions that
   * take the header bundle Powertools idempotency.
   */
  idempotent?: ApiMiddleware;
  maxBodyBytes?: number;
}

/** What a client-supplied `x-correlation-id` may look like (UUIDs, ULIDs, request ids). */
const CORRELATION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{7,63}$/;

interface State {
  correlationId: string;
  request?: ApiRequest<unknown>;
}
type Ctx = Context & { state?: State };
/** A middy middleware of the HTTP stack. */
export type ApiMiddleware = MiddlewareObj<ApiEvent, ApiResponse, Error, Ctx>;

export function jsonResponse(
  status: number,
  body: unknown,
  correlationId: string,
  headers: Record<string, string> = {},
) {
  return {
    statusCode: status,
    headers: { ...SECURITY_HEADERS, 'x-correlation-id': correlationId, ...headers },
    body: body === undefined ? '' : JSON.stringify(body),
  } satisfies ApiResponse;
}

export function errorResponse(e: unknown, correlationId: string): ApiResponse {
  const mapped = mapError(e);
  if (mapped.status >= 500) {
    logger.error('request failed', { correlationId, error: e as Error });
    return jsonResponse(
      mapped.status,
      {
        error: {
          code: mapped.code,
          message: 'Something went wrong; quote the correlation id.',
          correlationId,
        },
      },
      correlationId,
    );
  }
  logger.info('request rejected', { correlationId, code: mapped.code });
  return jsonResponse(
    mapped.status,
    { error: { code: mapped.code, message: mapped.message, ...mapped.details, correlationId } },
    correlationId,
    {
      ...(mapped.status === 409 && typeof mapped.details.currentVersion === 'number'
        ? { etag: `"${mapped.details.currentVersion}"` }
        : {}),
      // A used-up quota says when the next window opens (RFC 9110 §10.2.3, delay in seconds).
      ...(mapped.status === 429 && typeof mapped.details.retryAfterSeconds === 'number'
        ? { 'retry-after': String(mapped.details.retryAfterSeconds) }
        : {}),
    },
  );
}

function mapError(e: unknown): {
  status: number;
  code: ErrorCode;
  message: string;
  details: Record<string, unknown>;
} {
  if (isDomainError(e))
    return { status: httpStatusOf(e.code), code: e.code, message: e.message, details: e.details };
  const name = (e as Error | undefined)?.name;
  if (name === 'IdempotencyAlreadyInProgressError')
    return {
      status: 409,
      code: 'IDEMPOTENCY_IN_PROGRESS',
      message: 'The first request with this key is still running',
      details: {},
    };
  if (name === 'IdempotencyValidationError')
    return {
      status: 422,
      code: 'IDEMPOTENCY_KEY_REUSED',
      message: 'This Idempotency-Key was used with a different body',
      details: {},
    };
  return { status: 500, code: 'INTERNAL', message: 'Internal error', details: {} };
}

/**
 * Every path parameter is an identifier (claim, document, user ids, product codes, template names)
 * and every query value is short: a value outside these bounds is a 400 with the field named,
 * never a key DynamoDB refuses (a 2 KB id) or a 500.
 */
export const PATH_PARAM = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const MAX_PATH_PARAM = 128;
export const MAX_QUERY_VALUE = 512;
const MAX_QUERY_PARAMS = 20;
export const MAX_CURSOR_VALUE = 8192;

function assertBounded(params: Record<string, string>, query: Record<string, string>) {
  const fields = [
    ...Object.entries(params)
      .filter(([, v]) => !PATH_PARAM.test(v ?? ''))
      .map(([k]) => ({ path: `path.${k}`, code: 'invalid_format', message: 'not an identifier' })),
    ...Object.entries(query)
      // Cursors carry their own bound and code (INVALID_CURSOR, lambdas/core/cursor.ts).
      .filter(([k, v]) => (v ?? '').length > (k === 'cursor' ? MAX_CURSOR_VALUE : MAX_QUERY_VALUE))
      .map(([k]) => ({
        path: `query.${k.slice(0, 64)}`,
        code: 'too_big',
        message: `at most ${MAX_QUERY_VALUE}`,
      })),
  ];
  if (Object.keys(query).length > MAX_QUERY_PARAMS)
    fields.push({ path: 'query', code: 'too_big', message: `at most ${MAX_QUERY_PARAMS} parameters` });
  if (fields.length > 0) throw new DomainError('VALIDATION_FAILED', 'The request is not valid', { fields });
}

/** Everything every HTTP handler needs, in order; the error mapper is registered last (runs first on error). */
function requestMiddleware<S extends z.core.$ZodType | undefined>(
  routeId: RouteId,
  opts: Options<S>,
): MiddlewareObj<ApiEvent, ApiResponse, Error, Ctx> {
  // The route's auth and roles only (lambdas/shared/route-access.ts): the route table stays out of the bundle.
  const route = ROUTE_ACCESS[routeId];
  if (!route) throw new Error(`unknown route ${routeId}`);
  return {
    before: async (request) => {
      const event = request.event;
      const headers = Object.fromEntries(
        Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v ?? '']),
      );
      // A caller's id is kept only in a bounded, plain format: anything else would be echoed into
      // responses and logs (8 KB of text, JSON, control characters), so a fresh one is used instead.
      const offered = headers['x-correlation-id'] ?? '';
      const correlationId = CORRELATION_ID.test(offered)
        ? offered
        : event.requestContext?.requestId || randomUUID();
      request.context.state = { correlationId };
      // A warm function keeps the logger between invocations: the last caller's id and claim go
      // first, so no line of this request names someone else's (the breach-response trail, below).
      logger.resetKeys();
      logger.appendKeys({ correlationId, route: routeId });
      let principal = undefined as unknown as Principal;
      if (route.auth !== 'public') {
        const claimed = principalFromClaims(event.requestContext?.authorizer?.jwt?.claims);
        // Who asked, on every line of the request, refused ones too: with the claim id below, the
        // logs answer "what did this user read" after a leak (docs/operations-runbook.md).
        logger.appendKeys({ userId: claimed.userId });
        principal = await currentPrincipal(claimed);
        logger.appendKeys({ callerKind: isCustomerOnly(principal) ? 'customer' : 'staff' });
        requireAnyRole(principal, route.roles);
      }
      const raw = parseJsonBody(event, headers, opts.maxBodyBytes ?? 64 * 1024);
      let body: unknown;
      if (opts.body) {
        const parsed = z.safeParse(opts.body, raw, { reportInput: true });
        if (!parsed.success)
          throw new DomainError('VALIDATION_FAILED', 'The request is not valid', {
            fields: zodFieldIssues(parsed.error),
          });
        body = parsed.data;
      }
      if (opts.idempotent && !headers['idempotency-key']) {
        throw new DomainError(
          'IDEMPOTENCY_KEY_REQUIRED',
          'Send an Idempotency-Key header (a UUID per submission)',
        );
      }
      if (opts.idempotent && !/^[A-Za-z0-9_-]{8,128}$/.test(headers['idempotency-key'] ?? '')) {
        throw new DomainError('VALIDATION_FAILED', 'Idempotency-Key must be 8–128 letters, digits, - or _', {
          fields: [
            { path: 'header.idempotency-key', code: 'invalid_format', message: 'bad idempotency key' },
          ],
        });
      }
      const params = (event.pathParameters ?? {}) as Record<string, string>;
      const query = (event.queryStringParameters ?? {}) as Record<string, string>;
      assertBounded(params, query);
      // Bounded by now (a path id), so safe to log.
      if (params.claimId) logger.appendKeys({ claimId: params.claimId });
      request.context.state.request = {
        body,
        params,
        query,
        headers,
        principal,
        correlationId,
      };
    },
  };
}

const errorMapper: MiddlewareObj<ApiEvent, ApiResponse, Error, Ctx> = {
  onError: async (request) => {
    const correlationId = request.context.state?.correlationId ?? randomUUID();
    request.response = errorResponse(request.error, correlationId);
  },
};

/**
 * What each route's handler validates its body with and whether it is idempotent, as registered
 * when the handler module loads: tests/unit/openapi.test.ts holds the OpenAPI document to it.
 */
export const HANDLER_CONTRACTS = new Map<
  RouteId,
  { body: z.core.$ZodType | undefined; idempotent: boolean }
>();

/**
 * The one middy stack for HTTP handlers: correlation id and logging, authentication and role
 * check against the route table, JSON body parsing and zod validation, optional idempotency, the
 * handler, then security headers; errors are mapped last, exposing messages only below 500.
 */
export function apiHandler<S extends z.core.$ZodType | undefined = undefined>(
  routeId: RouteId,
  opts: Options<S>,
  fn: (req: ApiRequest<S extends z.core.$ZodType ? z.output<S> : undefined>) => Promise<ApiResult>,
) {
  HANDLER_CONTRACTS.set(routeId, { body: opts.body, idempotent: opts.idempotent !== undefined });
  const chain = middy<ApiEvent, ApiResponse, Error, Ctx>().use(requestMiddleware(routeId, opts));
  if (opts.idempotent) chain.use(opts.idempotent);
  return chain.use(errorMapper).handler(async (_event, context) => {
    const state = context.state as State;
    const result = await fn(state.request as ApiRequest<never>);
    // One line per request served, with the keys above: who read or changed which claim.
    logger.info('request served', { status: result.status ?? 200 });
    if (result.text !== undefined) {
      const r = jsonResponse(result.status ?? 200, undefined, state.correlationId, result.headers);
      return { ...r, body: result.text };
    }
    return jsonResponse(result.status ?? 200, result.body, state.correlationId, result.headers);
  });
}
