import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { changeQuotas } from '../../lambdas/app/configuration.ts';
import { DEFAULT_QUOTAS } from '../../lambdas/core/quotas.ts';
import { systemClock } from '../../lambdas/core/time.ts';
import { LOCAL_REGION } from '../../lambdas/shared/functions.ts';
import { userIdFor } from '../../local/demo-data.ts';
import { LOCAL_CREDENTIALS } from '../../local/services/dynamodb-local.ts';
import type { LocalStack } from '../../local/stack.ts';
import { tokenFor } from '../helpers/api.ts';
import { hoursAgo } from '../helpers/claims.ts';
import { makeClaimRequest } from '../helpers/factories.ts';

/**
 * Claim submissions through the local API (autocannon, `CONNECTIONS` at once) against the raw
 * three-item TransactWrite a submission needs (claim, number pointer, same-loss marker), on the
 * same DynamoDB Local in the same run. Target: API rate ≥ half the raw rate.
 */
export const CONNECTIONS = 16;
export const TARGET_RATIO = 0.5;
const SECONDS = Number(process.env.BENCH_THROUGHPUT_SECONDS ?? 10);

export interface Throughput {
  perSecond: number;
  p50: number;
  p99: number;
  requests: number;
  failed: number;
}

export async function benchThroughput(stack: LocalStack) {
  // The claims quota of the demo customer raised as an admin would (tests/helpers/global-setup.ts does the same).
  await changeQuotas(
    { userId: userIdFor('admin'), username: 'admin', roles: ['admin'], locale: 'vi' },
    { expectedVersion: 0, quotas: { ...DEFAULT_QUOTAS, claimsPerCustomerPerDay: 100_000 } },
    systemClock,
  ).catch(() => undefined); // already raised on this stack
  const raw = await rawTransactWrites(stack);
  const api = await apiSubmissions(stack);
  return { api, raw, ratio: Math.round((api.perSecond / raw.perSecond) * 100) / 100, target: TARGET_RATIO };
}

async function apiSubmissions(stack: LocalStack): Promise<Throughput> {
  const token = await tokenFor(stack.apiUrl, 'an.nguyen');
  const body = JSON.stringify(makeClaimRequest({ lossAt: hoursAgo(3) }));
  const r = await autocannon({
    url: stack.apiUrl,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        path: '/claims',
        setupRequest: (req) => ({
          ...req,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'idempotency-key': randomUUID(),
          },
          body,
        }),
      },
    ],
  });
  return {
    perSecond: Math.round((r['2xx'] / r.duration) * 10) / 10,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    failed: r.non2xx + r.errors + r.timeouts,
  };
}

/** The submission's own write, nothing else: three conditional Puts of the same sizes, 16 at a time. */
async function rawTransactWrites(stack: LocalStack): Promise<Throughput> {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.env.AWS_ENDPOINT_URL_DYNAMODB,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    }),
  );
  const TableName = stack.env.TABLE_NAME;
  const report = makeClaimRequest({ lossAt: hoursAgo(3) });
  const latencies: number[] = [];
  let failed = 0;
  const end = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < end) {
        const id = randomUUID();
        const t = performance.now();
        try {
          await client.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName,
                    Item: {
                      pk: `BENCH#${id}`,
                      sk: 'CLAIM',
                      entity: 'BenchClaim',
                      report,
                      status: 'SUBMITTED',
                    },
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                },
                {
                  Put: {
                    TableName,
                    Item: { pk: `BENCHNO#${id}`, sk: 'NUMBER', claimId: id },
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                },
                {
                  Put: {
                    TableName,
                    Item: { pk: `BENCHLOSS#${id}`, sk: 'LOSS', claimId: id, cause: report.cause },
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                },
              ],
            }),
          );
          latencies.push(performance.now() - t);
        } catch {
          failed += 1;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  client.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
  return {
    perSecond: Math.round((latencies.length / seconds) * 10) / 10,
    p50: at(0.5),
    p99: at(0.99),
    requests: latencies.length + failed,
    failed,
  };
}
