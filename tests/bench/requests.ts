import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { type MeteredRequest, meterRequests } from '../../lambdas/adapters/aws-clients.ts';
import { functionName, LOCAL_REGION } from '../../lambdas/shared/functions.ts';
import { ROUTES } from '../../lambdas/routes.ts';
import { DEMO_USERS } from '../../local/demo-data.ts';
import { invocationListeners } from '../../local/lambda-runtime.ts';
import { LOCAL_CREDENTIALS } from '../../local/services/dynamodb-local.ts';
import type { LocalStack } from '../../local/stack.ts';
import { type Api, apiAs } from '../helpers/api.ts';
import { fileClaim, getClaim, hoursAgo, parked, until, uploadMissingDocuments } from '../helpers/claims.ts';
import { suitePolicies } from '../helpers/suite-policies.ts';

/**
 * Requests and cost per lifecycle path, counted on the real local stack: every AWS request the
 * handlers make (the request meter in lambdas/adapters/aws-clients.ts, DynamoDB with its consumed
 * capacity), every Lambda invocation and its duration (local/lambda-runtime.ts), the Step Functions
 * state transitions (the stand-in's execution history), e-mails and SMS (the SES and SNS stand-ins).
 * The claim-page polling the benchmark does to know when a step is done (GET /claims/{id}, the
 * GetClaim function) is counted apart: it is the harness waiting, not the path.
 */
const PRICES = JSON.parse(readFileSync(path.join(import.meta.dirname, 'aws-prices.json'), 'utf8')) as {
  date: string;
  region: string;
  lambdaMemoryMb: number;
  prices: Record<PriceName, number>;
};
type PriceName =
  | 'dynamodbWritePerMillionUnits'
  | 'dynamodbReadPerMillionUnits'
  | 'lambdaPerMillionRequests'
  | 'lambdaArmPerGbSecond'
  | 'stepFunctionsPerThousandTransitions'
  | 'apiGatewayHttpPerMillionRequests'
  | 'sesPerThousandEmails'
  | 'smsVietnamPerMessage'
  | 's3PutPerThousand'
  | 's3GetPerThousand'
  | 'schedulerPerMillionInvocations'
  | 'kmsPerTenThousandRequests';
const ROUTE_FUNCTIONS = new Set(ROUTES.map((r) => functionName(r.id)));
const POLL_FUNCTION = functionName('GetClaim');
const UPLOAD_FUNCTION = functionName('RequestUpload');
const READ_COMMANDS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const S3_READS = new Set(['GetObject', 'HeadObject']);

interface Window {
  requests: MeteredRequest[];
  invocations: { functionName: string; ms: number }[];
}

export interface PathCount {
  path: string;
  /** DynamoDB requests by operation (polling excluded). */
  dynamo: Record<string, number>;
  /** DynamoDB requests by function and operation (where to look for waste). */
  dynamoByFunction: Record<string, Record<string, number>>;
  dynamoRequests: number;
  readUnits: number;
  writeUnits: number;
  lambdaInvocations: Record<string, number>;
  invocations: number;
  lambdaGbSeconds: number;
  apiRequests: number;
  transitions: number;
  emails: number;
  sms: number;
  s3Puts: number;
  s3Gets: number;
  schedulesCreated: number;
  schedulesDeleted: number;
  kms: number;
  polling: { apiRequests: number; dynamoRequests: number };
  /** Cost per 10,000 claims in USD by service. */
  costPer10k: Record<string, number>;
}

const countBy = <T>(xs: T[], key: (x: T) => string) =>
  xs.reduce<Record<string, number>>((acc, x) => {
    acc[key(x)] = (acc[key(x)] ?? 0) + 1;
    return acc;
  }, {});

export async function benchRequests(stack: LocalStack): Promise<PathCount[]> {
  let window: Window | undefined;
  meterRequests((r) => window?.requests.push(r));
  const onInvoke = (name: string, ms: number) => window?.invocations.push({ functionName: name, ms });
  invocationListeners.add(onInvoke);
  const sfn = new SFNClient({
    endpoint: stack.services.sfn.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const outbox = async () => {
    const mail = (await (await fetch(`${stack.mailUrl}/store`)).json()) as { emails: unknown[] };
    const inbox = (await (await fetch(`${stack.inboxUrl}/inbox`)).json()) as { kind: string }[];
    return { emails: mail.emails.length, sms: inbox.filter((m) => m.kind === 'sms').length };
  };
  const transitions = async () => {
    let total = 0;
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(
        new ListExecutionsCommand({ stateMachineArn: stack.env.CLAIM_STATE_MACHINE_ARN, nextToken }),
      );
      for (const e of page.executions ?? []) {
        let token: string | undefined;
        do {
          const h = await sfn.send(
            new GetExecutionHistoryCommand({
              executionArn: e.executionArn,
              nextToken: token,
              includeExecutionData: false,
            }),
          );
          total += (h.events ?? []).filter((ev) => ev.type?.endsWith('StateEntered')).length;
          token = h.nextToken;
        } while (token);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return total;
  };

  const only = process.env.BENCH_PATHS?.split(',');
  const measure = async (name: string, run: () => Promise<void>): Promise<PathCount[]> => {
    if (only && !only.some((o) => name.startsWith(o))) return [];
    const [before, sfnBefore] = [await outbox(), await transitions()];
    window = { requests: [], invocations: [] };
    await run();
    // Let the stream processor and the workflow finish what the last step started.
    await new Promise((r) => setTimeout(r, 1500));
    const w = window;
    window = undefined;
    const [after, sfnAfter] = [await outbox(), await transitions()];
    return [summarise(name, w, sfnAfter - sfnBefore, after.emails - before.emails, after.sms - before.sms)];
  };

  const as = (username: string) => apiAs(stack.apiUrl, username);
  const [an, hai, dung, khanh, minh, oanh] = await Promise.all([
    as('an.nguyen'),
    as('hai.do'),
    as('dung.pham'),
    as('khanh.bui'),
    as('minh.dang'),
    as('oanh.vu'),
  ]);
  const dungId = DEMO_USERS.find((u) => u.username === 'dung.pham')?.userId ?? '';
  const assignToDung = async (claimId: string) => {
    const c = await getClaim(hai, claimId);
    const r = await hai.post(`/claims/${claimId}/assignment`, {
      expectedVersion: c.version,
      staffId: dungId,
      reason: 'Đúng địa bàn Hà Nội',
    });
    if (r.status !== 200) throw new Error(`assignment ${r.status} ${JSON.stringify(r.body)}`);
  };
  const assess = async (claimId: string, amount: number) => {
    const c = await getClaim(dung, claimId);
    const r = await dung.post(`/claims/${claimId}/assessment`, {
      expectedVersion: c.version,
      items: [
        { description: 'Thay cản trước, sơn', coverCode: 'OD', assessedAmount: amount, kind: 'repair' },
      ],
      marketValue: 650_000_000,
    });
    if (r.status !== 200) throw new Error(`assessment ${r.status} ${JSON.stringify(r.body)}`);
  };
  const decide = async (claimId: string, expected: number) => {
    const c = await getClaim(dung, claimId);
    const r = await dung.post(`/claims/${claimId}/decision`, {
      outcome: 'approve',
      expectedVersion: c.version,
    });
    if (r.status !== expected) throw new Error(`decision ${r.status} ${JSON.stringify(r.body)}`);
  };
  const vote = async (api: Api, claimId: string, department: string) => {
    for (let i = 0; i < 100; i++) {
      const r = await api.post(`/claims/${claimId}/votes`, {
        round: 1,
        department,
        vote: 'approve',
        comment: 'Đồng ý.',
      });
      if (r.status === 200) return;
      if (r.status !== 409 || r.body.error.code !== 'WORKFLOW_NOT_WAITING')
        throw new Error(`vote ${r.status} ${JSON.stringify(r.body)}`);
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error('the workflow never waited for the vote');
  };
  // One policy per path, made before any window opens (not counted): claims on one policy with
  // losses within three days of each other are possible duplicates, which go to a person.
  const policies = suitePolicies('MOT-BENCH');
  const own = {
    intake: await policies.running(200, 200),
    straightThrough: await policies.running(200, 200),
    assessed: await policies.running(200, 200),
    joint: await policies.running(200, 200),
    paid: await policies.running(200, 200),
  };
  /** Filing to acknowledged (documents asked for, the claim assigned). */
  const intake = async (day: number, cause: string, amount: number, policyNumber: string) => {
    const { claimId, claimNumber } = await fileClaim(an, {
      policyNumber,
      cause: cause as 'collision',
      lossAt: hoursAgo(2 + 24 * day),
      estimatedAmount: { amount, currency: 'VND' },
    });
    await until(
      hai,
      claimId,
      (c) => c.status === 'AWAITING_DOCUMENTS' || c.waitingFor === 'assessment',
      15_000,
    );
    return { claimId, claimNumber };
  };
  const straightThrough = async (day: number, cause: string, policyNumber: string) => {
    const amount = 6_000_000 + 1000 * cause.length + day;
    const { claimId, claimNumber } = await intake(day, cause, amount, policyNumber);
    await uploadMissingDocuments(an, claimId, 60 + cause.length, { repair_invoice: amount });
    const c = await until(
      hai,
      claimId,
      (x) => x.status === 'PAYMENT_QUEUED' && x.waitingFor === 'payment',
      20_000,
    ).catch(async (e) => {
      const x = await getClaim(hai, claimId);
      throw new Error(
        `${x.claimNumber} ${x.status}/${x.waitingFor}: ${JSON.stringify(x.straightThrough)} ${e}`,
      );
    });
    return { claimId, claimNumber, amount: c.payment.amount.amount as number };
  };

  try {
    const results: PathCount[] = [];
    results.push(
      ...(await measure('intake', async () => void (await intake(2, 'vandalism', 7_000_000, own.intake)))),
    );
    results.push(
      ...(await measure(
        'straight-through',
        async () => void (await straightThrough(2, 'explosion', own.straightThrough)),
      )),
    );
    results.push(
      ...(await measure('assessed', async () => {
        const { claimId } = await intake(2, 'collision', 30_000_000, own.assessed);
        await until(hai, claimId, parked(), 15_000);
        await uploadMissingDocuments(an, claimId, 71);
        await assignToDung(claimId);
        await assess(claimId, 30_000_000);
        await decide(claimId, 200);
        await until(hai, claimId, (x) => x.status === 'PAYMENT_QUEUED', 20_000);
      })),
    );
    results.push(
      ...(await measure('joint decision', async () => {
        const { claimId } = await intake(2, 'fire', 600_000_000, own.joint);
        await until(hai, claimId, parked(), 15_000);
        await uploadMissingDocuments(an, claimId, 72);
        await assignToDung(claimId);
        await assess(claimId, 600_000_000);
        await decide(claimId, 202);
        for (const [api, dept] of [
          [hai, 'claims'],
          [khanh, 'underwriting'],
          [minh, 'finance'],
        ] as const)
          await vote(api, claimId, dept);
        await until(hai, claimId, (x) => x.status === 'PAYMENT_QUEUED', 20_000);
      })),
    );
    // Paid: straight through, then the payment batch (prepared, released) and the bank's confirmation.
    // The batch takes every awaiting payout; the finance steps' requests are per batch, and are
    // counted here against this one claim (an upper bound: a real batch shares them among its lines).
    results.push(
      ...(await measure('paid (batch of all awaiting)', async () => {
        // A repairable loss (a theft has nothing to repair, so no invoice evidences its amount and it
        // never goes straight through: NO_EVIDENCED_AMOUNT), on a policy of its own.
        const paid = await straightThrough(3, 'explosion', own.paid);
        const batch = await minh.post(
          '/finance/batches',
          { cutoff: new Date().toISOString() },
          { 'idempotency-key': randomUUID() },
        );
        if (batch.status !== 201 && batch.status !== 200) throw new Error(`batch ${batch.status}`);
        const released = await oanh.post(`/finance/batches/${batch.body.batchId}/release`, {});
        if (released.status !== 200)
          throw new Error(`release ${released.status} ${JSON.stringify(released.body)}`);
        const content = [
          'reference,amount,status,reason,bank_ref',
          `${paid.claimNumber},${paid.amount},SUCCESS,,FT${Date.now()}`,
        ].join('\n');
        const r = await oanh.post('/finance/reconciliations', {
          fileName: `bench-${Date.now()}.csv`,
          content,
        });
        if (r.status !== 201) throw new Error(`reconciliation ${r.status} ${JSON.stringify(r.body)}`);
        await until(hai, paid.claimId, (c) => c.status === 'PAID', 20_000);
      })),
    );
    return results;
  } finally {
    meterRequests(undefined);
    invocationListeners.delete(onInvoke);
    sfn.destroy();
  }
}

function summarise(name: string, w: Window, transitions: number, emails: number, sms: number): PathCount {
  // Requests made by the polling GetClaim, and the local gateway's user look-up (a JWT authorizer
  // on AWS, which reads no table), are not the path's.
  const polled = w.requests.filter((r) => r.functionName === POLL_FUNCTION);
  const own = w.requests.filter((r) => r.functionName !== POLL_FUNCTION && r.functionName !== 'local');
  const invocations = w.invocations.filter((i) => i.functionName !== POLL_FUNCTION);
  const dynamo = own.filter((r) => r.service === 'DynamoDB');
  const units = (read: boolean) =>
    dynamo
      .filter((r) => READ_COMMANDS.has(r.command) === read)
      .reduce((n, r) => n + (r.capacityUnits ?? 0), 0);
  const s3 = own.filter((r) => r.service === 'S3');
  // The customer's browser puts each upload straight into S3 (a presigned POST per RequestUpload).
  const browserPuts = invocations.filter((i) => i.functionName === UPLOAD_FUNCTION).length;
  const count: Omit<PathCount, 'costPer10k'> = {
    path: name,
    dynamo: countBy(dynamo, (r) => r.command),
    dynamoByFunction: Object.fromEntries(
      [...new Set(dynamo.map((r) => r.functionName))].map((f) => [
        f.replace(/^claims-/, ''),
        countBy(
          dynamo.filter((r) => r.functionName === f),
          (r) => r.command,
        ),
      ]),
    ),
    dynamoRequests: dynamo.length,
    readUnits: units(true),
    writeUnits: units(false),
    lambdaInvocations: countBy(invocations, (i) => i.functionName.replace(/^claims-/, '')),
    invocations: invocations.length,
    lambdaGbSeconds:
      invocations.reduce((n, i) => n + Math.max(1, Math.ceil(i.ms)), 0) /
      1000 /
      (1024 / PRICES.lambdaMemoryMb),
    apiRequests: invocations.filter((i) => ROUTE_FUNCTIONS.has(i.functionName)).length,
    transitions,
    emails,
    sms,
    s3Puts: s3.filter((r) => !S3_READS.has(r.command)).length + browserPuts,
    s3Gets: s3.filter((r) => S3_READS.has(r.command)).length,
    schedulesCreated: own.filter((r) => r.service === 'Scheduler' && r.command === 'CreateSchedule').length,
    schedulesDeleted: own.filter((r) => r.service === 'Scheduler' && r.command === 'DeleteSchedule').length,
    kms: own.filter((r) => r.service === 'KMS').length,
    polling: {
      apiRequests: w.invocations.length - invocations.length,
      dynamoRequests: polled.filter((r) => r.service === 'DynamoDB').length,
    },
  };
  return { ...count, costPer10k: costPer10k(count) };
}

/** USD per 10,000 claims on this path, by service (list prices, no free tier). */
export function costPer10k(c: Omit<PathCount, 'costPer10k'>): Record<string, number> {
  const p = PRICES.prices;
  const n = 10_000;
  const cost: Record<string, number> = {
    DynamoDB:
      ((c.writeUnits * p.dynamodbWritePerMillionUnits + c.readUnits * p.dynamodbReadPerMillionUnits) * n) /
      1e6,
    'Lambda requests': (c.invocations * p.lambdaPerMillionRequests * n) / 1e6,
    'Lambda duration': c.lambdaGbSeconds * p.lambdaArmPerGbSecond * n,
    'Step Functions': (c.transitions * p.stepFunctionsPerThousandTransitions * n) / 1e3,
    'API Gateway': (c.apiRequests * p.apiGatewayHttpPerMillionRequests * n) / 1e6,
    SES: (c.emails * p.sesPerThousandEmails * n) / 1e3,
    SMS: c.sms * p.smsVietnamPerMessage * n,
    S3: ((c.s3Puts * p.s3PutPerThousand + c.s3Gets * p.s3GetPerThousand) * n) / 1e3,
    KMS: (c.kms * p.kmsPerTenThousandRequests * n) / 1e4,
  };
  return Object.fromEntries(Object.entries(cost).map(([k, v]) => [k, Math.round(v * 100) / 100]));
}

/** Prints the per-path tables; returns the lines for the README. */
export function printRequestReport(results: PathCount[]): void {
  console.log(
    `Requests per lifecycle path (local stack; polling by the benchmark excluded). Prices: ${PRICES.region}, ${PRICES.date}, tests/bench/aws-prices.json`,
  );
  console.table(
    Object.fromEntries(
      results.map((r) => [
        r.path,
        {
          'DynamoDB req': r.dynamoRequests,
          RRU: r.readUnits,
          WRU: r.writeUnits,
          Lambda: r.invocations,
          'GB-s': Math.round(r.lambdaGbSeconds * 100) / 100,
          API: r.apiRequests,
          'SFN transitions': r.transitions,
          'e-mail': r.emails,
          SMS: r.sms,
          'S3 put/get': `${r.s3Puts}/${r.s3Gets}`,
          'schedules +/-': `${r.schedulesCreated}/${r.schedulesDeleted}`,
          KMS: r.kms,
          'polling API/DDB': `${r.polling.apiRequests}/${r.polling.dynamoRequests}`,
        },
      ]),
    ),
  );
  console.log('DynamoDB requests by operation:');
  console.table(Object.fromEntries(results.map((r) => [r.path, r.dynamo])));
  console.log('Cost per 10,000 claims, USD at list prices (no free tier):');
  console.table(
    Object.fromEntries(
      results.map((r) => {
        const total = Object.values(r.costPer10k).reduce((a, b) => a + b, 0);
        const [top, topCost] = Object.entries(r.costPer10k).sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
        return [
          r.path,
          {
            ...r.costPer10k,
            total: Math.round(total * 100) / 100,
            dominant: `${top} ${Math.round((100 * topCost) / (total || 1))}%`,
          },
        ];
      }),
    ),
  );
  for (const r of results)
    console.log(`${r.path} Lambda invocations: ${JSON.stringify(r.lambdaInvocations)}`);
  const intake = results.find((r) => r.path === 'intake');
  if (intake) {
    console.log('Intake, DynamoDB requests by function:');
    console.table(intake.dynamoByFunction);
  }
}
