import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { dynamoClient } from '../adapters/aws-clients.ts';
import { env, perExecutionEnvironment } from '../adapters/env.ts';
import { logger } from '../runtime/logger.ts';
import { TTL_ATTRIBUTE } from '../shared/table-definition.ts';
import type { ApiMiddleware } from './api-handler.ts';

/**
 * Powertools idempotency for the HTTP routes that take an `Idempotency-Key` (a first notice of loss
 * a client may send twice): `apiHandler(id, { idempotent: idempotentRequests() }, …)`. Its own module
 * so that only those functions bundle it (~37 KB); api-handler.ts checks the header and maps the
 * refusals (IDEMPOTENCY_IN_PROGRESS, IDEMPOTENCY_KEY_REUSED) for every route.
 */

/** The idempotency records' store, in the table of this execution environment (TABLE_NAME). */
const idempotencyStore = perExecutionEnvironment(
  () =>
    new DynamoDBPersistenceLayer({
      tableName: env('TABLE_NAME'),
      keyAttr: 'pk',
      sortKeyAttr: 'sk',
      expiryAttr: TTL_ATTRIBUTE,
      staticPkValue: 'IDEMPOTENCY',
      awsSdkV3Client: dynamoClient(),
    }),
);

/** Errors with which Powertools refuses a repeat before the handler runs (the record is not ours to clear). */
const REFUSED_REPEATS = new Set(['IdempotencyValidationError', 'IdempotencyAlreadyInProgressError']);

/**
 * The middleware: replays the first response for a repeated (caller, Idempotency-Key) for 24 h.
 * `perResource` adds the request's path to the key, for a route whose path names what it acts on
 * (`/claims/{claimId}/documents/{documentId}/withdraw`): the same key on another document is
 * another request, not a repeat of the first (the body alone, `{ expectedVersion }`, may well be
 * the same). Routes whose path names nothing (`POST /claims`) keep the key they always had.
 */
export function idempotentRequests(options: { perResource?: boolean } = {}): ApiMiddleware {
  const idempotency = makeHandlerIdempotent({
    persistenceStore: idempotencyStore(),
    config: new IdempotencyConfig({
      // Scoped to the caller: two customers may pick the same key without colliding.
      eventKeyJmesPath: options.perResource
        ? '[requestContext.authorizer.jwt.claims.sub, rawPath, headers."idempotency-key"]'
        : '[requestContext.authorizer.jwt.claims.sub, headers."idempotency-key"]',
      payloadValidationJmesPath: 'body',
      expiresAfterSeconds: 24 * 3600,
    }),
  });
  return {
    ...idempotency,
    // Powertools deletes the stored record on any error, including the refusal of a repeat
    // (another body under a used key, or the first still running): the next repeat would then
    // run as new. Only a failure of this request's own handler may clear the record.
    onError: async (request) => {
      if (REFUSED_REPEATS.has(request.error?.name ?? '')) return;
      // Clearing the record can fail too (the table throttling or timing out under load): the
      // client must still get this request's own coded answer, not a dropped connection. The
      // record then stays "in progress" until it expires and a retry meanwhile gets a 409.
      try {
        await idempotency.onError?.(request);
      } catch (e) {
        logger.warn('idempotency record not cleared', { error: e as Error });
      }
    },
  } as ApiMiddleware;
}
