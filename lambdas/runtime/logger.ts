import { Logger } from '@aws-lambda-powertools/logger';
import { optionalEnv } from '../adapters/env.ts';

/**
 * The one structured logger of every function (Powertools, JSON lines), in the runtime layer so
 * use cases (lambdas/app) log without depending on the HTTP wrapper (lambdas/http), and workflow
 * functions do not bundle the route table and middy to get a logger.
 *
 * Request bodies carry personal data (bank account numbers, phone numbers): nothing logs an event
 * or a body. There is no `injectLambdaContext({ logEvent })`, CDK pins
 * POWERTOOLS_LOGGER_LOG_EVENT=false, 4xx are logged by code only and 5xx by the error, and
 * tests/integration/payout-account.int.test.ts greps the captured logs for the number.
 */
export const logger = new Logger({ serviceName: optionalEnv('POWERTOOLS_SERVICE_NAME', 'claims') });
