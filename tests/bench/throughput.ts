import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type MeteredRequest, meterRequests } from '../../lambdas/adapters/aws-clients.ts';
import { claimRead } from '../../lambdas/adapters/dynamo/claims-repo.ts';
import { BATCH_GET_LIMIT, readAll, readItems } from '../../lambdas/adapters/dynamo/item-reads.ts';
import { changeQuotas } from '../../lambdas/app/configuration.ts';
import { DEFAULT_QUOTAS } from '../../lambdas/core/quotas.ts';
import { systemClock } from '../../lambdas/core/time.ts';
import { LOCAL_REGION } from '../../lambdas/shared/functions.ts';
import { userIdFor } from '../../local/demo-data.ts';
import { LOCAL_CREDENTIALS } from '../../local/services/dynamodb-local.ts';
import type { LocalStack } from '../../local/stack.ts';
import { makeCustomers } from '../helpers/accounts.ts';
import { tokenFor } from '../helpers/api.ts';
import { hoursAgo } from '../helpers/claims.ts';
import { makeClaimRequest } from '../helpers/factories.ts';

/**
 * Claim submissions through the local API (autocannon, `CONNECTIONS` at once) against the raw
 * three-item TransactWrite a submission needs (claim, number pointer, same-loss marker), on the
 * same DynamoDB Local in the same run. Target: API rate ≥ half the raw rate.
 *
 * Two API figures, side by side:
 * - **full system**: every submission also runs its intake workflow (stream processor, Step
 *   Functions tasks) in this process and on this one DynamoDB Local while the window runs;
 * - **API alone**: the table stream's delivery is held back during the window (the workflow's
 *   processing deferred, as behind a paused event source mapping), then released, and every claim
 *   filed in the window is checked to have completed its intake (acknowledged, assigned or queued).
 *   On AWS the workflow runs on its own Lambdas against a table that does not queue, so this is the
 *   front door's own throughput; the full-system figure is what this one machine does.
 */
export const CONNECTIONS = 16;
export const TARGET_RATIO = 0.5;
const SECONDS = Number(process.env.BENCH_THROUGHPUT_SECONDS ?? 10);
/**
 * Submissions before any window, whose workflows are drained before the first one opens: the local
 * stack loads (and tsx compiles) each handler module on its first request and V8 optimises the hot
 * paths over the first hundreds, and neither belongs in a window. Without it the first window
 * measured (API alone) paid both and read below the full-system window after it, 13.1 against 24.3/s.
 */
const WARM_UP_SECONDS = 4;
/**
 * The customers who submit, in turn: load as it arrives, from many callers. One customer filing
 * every claim of the run (600 or so) grew that customer's daily claims counter (which names each
 * claim holding a slot, read and written by every submission) and the claims' same-loss partition
 * with every submission, so later requests cost more than a real day's; here each files about five,
 * under the default limit of 20 a day.
 */
const CUSTOMERS = 128;
/**
 * A customer's successive claims are for losses on successive days (3 hours, then a day and 3
 * hours ago, …), all within motor's 5 days' notice, each with their own vehicle, account and
 * contact: distinct losses, as real traffic brings. Not one loss filed again and again, which the
 * checks hold as a possible duplicate (same policy, day and cause), with every claim's same-loss
 * and shared-attribute (one plate, one account for all) partitions read by every check.
 */
const LOSS_DAYS = 5;

/** A signed-in customer and the claims they submit in turn (their own policy and contact). */
interface Caller {
  token: string;
  bodies: readonly string[];
  sent: number;
}

/** The next claim of the next caller: customers in turn, each one's losses in turn. */
function nextSubmission(from: readonly Caller[], n: number): { token: string; body: string } {
  const caller = from[n % from.length] as Caller;
  return { token: caller.token, body: caller.bodies[caller.sent++ % caller.bodies.length] as string };
}

const callersOf = new WeakMap<LocalStack, Promise<Caller[]>>();
/** The bench's customers on this stack, made once (accounts, policies, tokens). */
function callers(stack: LocalStack): Promise<Caller[]> {
  let made = callersOf.get(stack);
  if (!made) {
    made = makeCustomers(CUSTOMERS, 'bench').then((customers) =>
      Promise.all(
        customers.map(async (c) => ({
          token: await tokenFor(stack.apiUrl, c.username),
          bodies: Array.from({ length: LOSS_DAYS }, (_, day) =>
            JSON.stringify(
              makeClaimRequest({
                policyNumber: c.policyNumber,
                lossAt: hoursAgo(3 + 24 * day),
                facts: { kind: 'motor', vehiclePlate: c.vehiclePlate, policeAttended: false },
                contact: { phone: c.phone, email: c.email },
                payoutAccount: {
                  bankName: 'Vietcombank',
                  accountNumber: `00110${c.phone.slice(-8)}`,
                  accountHolder: c.name,
                },
              }),
            ),
          ),
          sent: 0,
        })),
      ),
    );
    callersOf.set(stack, made);
  }
  return made;
}

export interface Throughput {
  perSecond: number;
  p50: number;
  p99: number;
  requests: number;
  failed: number;
}

export async function benchThroughput(stack: LocalStack) {
  // The daily claims limit raised as an admin would (tests/helpers/global-setup.ts does the same), so
  // a machine fast enough to file more than 20 a customer in a run is not refused; here each files ~5.
  await changeQuotas(
    { userId: userIdFor('admin'), username: 'admin', roles: ['admin'], locale: 'vi' },
    { expectedVersion: 0, quotas: { ...DEFAULT_QUOTAS, claimsPerCustomerPerDay: 100_000 } },
    systemClock,
  ).catch(() => undefined); // already raised on this stack
  const warmUp: string[] = [];
  await apiSubmissions(stack, warmUp, WARM_UP_SECONDS);
  await drained(warmUp);
  const raw = await rawTransactWrites(stack);
  // The API alone first, so the full-system run's workflows (which go on after its window) are not
  // in its window; the deferred workflows are drained before the full-system run starts.
  const filed: string[] = [];
  await stack.streams.pause();
  let apiAlone: Throughput;
  try {
    apiAlone = await apiSubmissions(stack, filed);
  } finally {
    stack.streams.resume();
  }
  const drain = await drained(filed);
  const api = await apiSubmissions(stack);
  const ratio = (t: Throughput) => Math.round((t.perSecond / raw.perSecond) * 100) / 100;
  return {
    api,
    apiAlone,
    drain,
    raw,
    ratio: ratio(api),
    apiAloneRatio: ratio(apiAlone),
    target: TARGET_RATIO,
  };
}

/** Claims whose intake is complete: acknowledged, and assigned to someone or queued. */
async function drained(claimIds: readonly string[], timeoutMs = 300_000) {
  const started = performance.now();
  let pending = [...claimIds];
  while (pending.length > 0 && performance.now() - started < timeoutMs) {
    const still: string[] = [];
    for (let i = 0; i < pending.length; i += BATCH_GET_LIMIT) {
      const ids = pending.slice(i, i + BATCH_GET_LIMIT);
      const claims = await readItems(readAll(Object.fromEntries(ids.map((id) => [id, claimRead(id)]))));
      for (const id of ids) {
        const c = claims[id];
        if (!c?.acknowledgedAt || !(c.assignee || c.assignedQueue)) still.push(id);
      }
    }
    pending = still;
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 500));
  }
  return {
    filed: claimIds.length,
    completed: claimIds.length - pending.length,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

async function apiSubmissions(stack: LocalStack, filed?: string[], seconds = SECONDS): Promise<Throughput> {
  const from = await callers(stack);
  let next = 0;
  const r = await autocannon({
    url: stack.apiUrl,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/claims',
        setupRequest: (req) => {
          const { token, body } = nextSubmission(from, next++);
          return {
            ...req,
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
              'idempotency-key': randomUUID(),
            },
            body,
          };
        },
        onResponse: (status, responseBody) => {
          if (filed && status === 201) filed.push((JSON.parse(responseBody) as { claimId: string }).claimId);
        },
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

/** The raw write's client, on the stack's DynamoDB Local. */
function rawClient(stack: LocalStack) {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.env.AWS_ENDPOINT_URL_DYNAMODB,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    }),
  );
}

/** The submission's own write, nothing else: three conditional Puts of the same sizes. */
function rawTransactWrite(client: DynamoDBDocumentClient, TableName: string | undefined, report: unknown) {
  const id = randomUUID();
  return client.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName,
            Item: { pk: `BENCH#${id}`, sk: 'CLAIM', entity: 'BenchClaim', report, status: 'SUBMITTED' },
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
            Item: {
              pk: `BENCHLOSS#${id}`,
              sk: 'LOSS',
              claimId: id,
              cause: (report as { cause: string }).cause,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    }),
  );
}

/** The raw write, `CONNECTIONS` at a time for `SECONDS`. */
async function rawTransactWrites(stack: LocalStack): Promise<Throughput> {
  const client = rawClient(stack);
  const TableName = stack.env.TABLE_NAME;
  const report = makeClaimRequest({ lossAt: hoursAgo(3) });
  const latencies: number[] = [];
  let failed = 0;
  const end = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          await rawTransactWrite(client, TableName, report);
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

export interface RequestShare {
  requestsPerSubmission: number;
  medianMs: number;
}

/**
 * Why the ratio is what it is: submissions one at a time (the stream held back, nothing else
 * running), each DynamoDB request the submitting function makes timed by the request meter, next
 * to the raw write timed the same way. DynamoDB Local serves requests one after another on one
 * core, so a submission's share of its time is roughly the sum of these medians: the ratio the
 * concurrent run can reach is about raw ms / submission's DynamoDB ms.
 */
export async function submissionBreakdown(stack: LocalStack, samples = 40) {
  const from = await callers(stack);
  let next = 0;
  const submit = async () => {
    const { token, body } = nextSubmission(from, next++);
    const r = await fetch(`${stack.apiUrl}/claims`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body,
    });
    if (r.status !== 201) throw new Error(`submission ${r.status} ${await r.text()}`);
  };
  await submit(); // warm: the configuration read once per container
  const seen: MeteredRequest[] = [];
  const totals: number[] = [];
  await stack.streams.pause();
  meterRequests((r) => {
    if (r.service === 'DynamoDB' && r.functionName.endsWith('submit-claim')) seen.push(r);
  });
  try {
    for (let i = 0; i < samples; i++) {
      const t = performance.now();
      await submit();
      totals.push(performance.now() - t);
    }
  } finally {
    meterRequests(undefined);
    stack.streams.resume();
  }
  const byCommand: Record<string, RequestShare> = {};
  for (const command of new Set(seen.map((r) => r.command))) {
    const of = seen.filter((r) => r.command === command);
    byCommand[command] = {
      requestsPerSubmission: Math.round((of.length / samples) * 10) / 10,
      medianMs: median(of.map((r) => r.ms)),
    };
  }
  const client = rawClient(stack);
  const report = makeClaimRequest({ lossAt: hoursAgo(3) });
  const raw: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    await rawTransactWrite(client, stack.env.TABLE_NAME, report);
    raw.push(performance.now() - t);
  }
  client.destroy();
  const dynamoMs = Object.values(byCommand).reduce((n, c) => n + c.requestsPerSubmission * c.medianMs, 0);
  const rawMs = median(raw);
  return {
    byCommand,
    requestsPerSubmission: Math.round((seen.length / samples) * 10) / 10,
    dynamoMs: Math.round(dynamoMs * 10) / 10,
    submissionMs: median(totals),
    rawMs,
    /** The ratio the DynamoDB Local time alone allows. */
    ceiling: Math.round((rawMs / dynamoMs) * 100) / 100,
  };
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.floor(s.length / 2)] ?? 0) * 10) / 10;
};
