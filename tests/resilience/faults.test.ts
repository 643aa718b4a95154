import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionName } from '../../lambdas/shared/functions.ts';
import { DEMO_USERS } from '../../local/demo-data.ts';
import { invokeLocal } from '../../local/lambda-runtime.ts';
import { injectFault } from '../../local/services/fault-proxy.ts';
import type { LocalEmail } from '../../local/services/ses.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/services/dynamodb-local.ts';
import { LOCAL_NAMES, type LocalStack, startLocalStack } from '../../local/stack.ts';
import { type StreamPoller, startStreamPoller } from '../../local/stream-poller.ts';
import { type Api, apiAs, eventually } from '../helpers/api.ts';
import { getClaim, parked, until } from '../helpers/claims.ts';
import { type LoadCustomer, makeCustomers } from '../helpers/accounts.ts';
import { makeClaimRequest } from '../helpers/factories.ts';
import { pngBytes, presignedPost } from '../helpers/files.ts';
import { TEST_REFERRAL_MIN_FLAGS, TEST_REFERRAL_MIN_SCORE } from '../helpers/global-setup.ts';
import { captureLogs, findSecrets, printFigures, scanTable, withConcurrency } from './helpers.ts';

/**
 * Faults injected for real: the handlers talk to DynamoDB Local and the SES stand-in through fault
 * proxies (local/services/fault-proxy.ts) that answer throttling and 5xx in the service's own
 * format, so the SDK's retry, then the workflow's Retry, then the client's retry run as on AWS.
 * A deadline is delivered twice at once, and the stream processor crashes mid-batch. Each ends
 * with every claim, acknowledgement, email and deadline exactly once.
 */
const CLAIMS = 24;
const logs = captureLogs();
let stack: LocalStack;
let customers: LoadCustomer[];
const apis = new Map<string, Api>();
const accountNumbers: string[] = [];
const claims: { claimId: string; claimNumber: string; username: string }[] = [];
const figures: Record<string, unknown> = {};
let checkpointDir: string;

beforeAll(async () => {
  stack = await startLocalStack({
    apiPort: 0,
    webPort: 0,
    retryIntervalOverrideMs: 0,
    referralMinFlags: TEST_REFERRAL_MIN_FLAGS,
    referralMinScore: TEST_REFERRAL_MIN_SCORE,
    faultInjection: true,
  });
  customers = await makeCustomers(8, 'fault');
  for (const c of customers) apis.set(c.username, await apiAs(stack.apiUrl, c.username));
  checkpointDir = await mkdtemp(path.join(tmpdir(), 'claims-stream-'));
}, 120_000);

afterAll(async () => {
  logs.restore();
  await stack?.stop();
  await rm(checkpointDir, { recursive: true, force: true });
});

const mails = async (): Promise<LocalEmail[]> => stack.services.ses.listMessages();
const mentioning = (all: LocalEmail[], text: string) =>
  all.filter((m) => `${m.subject}\n${m.body.text ?? ''}\n${m.body.html ?? ''}`.includes(text));

describe('DynamoDB throttling and 5xx, SES throttling', () => {
  it('files every claim and acknowledges it once while the stores throttle and fail', async () => {
    const dynamo = stack.faults!.dynamodb.endpoint;
    const ses = stack.faults!.ses.endpoint;
    await injectFault(dynamo, { operation: '*', count: 400, fault: 'throttle', every: 4 });
    await injectFault(dynamo, {
      operation: 'TransactWriteItems',
      count: 10,
      fault: 'server-error',
      every: 2,
    });
    // More failures in a row than the SDK's three attempts: the workflow's Retry has to take over.
    await injectFault(ses, { operation: 'SendEmail', count: 9, fault: 'throttle' });

    const statuses: number[] = [];
    const results = await withConcurrency(
      8,
      Array.from({ length: CLAIMS }, (_, i) => async () => {
        const customer = customers[i % customers.length]!;
        const api = apis.get(customer.username)!;
        const accountNumber = `0082${String(100_000_000 + i)}`;
        accountNumbers.push(accountNumber);
        const body = makeClaimRequest({
          policyNumber: customer.policyNumber,
          lossAt: new Date(Date.now() - (1 + Math.floor(i / customers.length)) * 86_400_000).toISOString(),
          payoutAccount: { bankName: 'BIDV', accountNumber, accountHolder: 'KHACH HANG LOI' },
          contact: { phone: '0912345678', email: `${customer.username}@example.vn` },
        });
        const key = randomUUID();
        // A client retries a 5xx (and "still running") under the same key.
        for (let attempt = 0; ; attempt++) {
          const r = await api.post('/claims', body, { 'idempotency-key': key });
          statuses.push(r.status);
          if ((r.status >= 500 || r.status === 409) && attempt < 8) {
            await new Promise((res) => setTimeout(res, 200));
            continue;
          }
          expect([200, 201], JSON.stringify(r.body)).toContain(r.status);
          return { ...(r.body as { claimId: string; claimNumber: string }), username: customer.username };
        }
      }),
    );
    claims.push(...results);
    const staff = await apiAs(stack.apiUrl, 'hai.do');
    for (const c of claims) await until(staff, c.claimId, parked(), 120_000);
    const injected = stack.faults!.dynamodb.stats().injected;
    const sesInjected = stack.faults!.ses.stats().injected;
    stack.faults!.dynamodb.clear();
    stack.faults!.ses.clear();

    expect(Object.values(injected).reduce((a, b) => a + b, 0)).toBeGreaterThan(20);
    expect(injected.TransactWriteItems ?? 0).toBeGreaterThan(0);
    expect(sesInjected.SendEmail).toBe(9);
    // Nothing lost, nothing doubled.
    expect(new Set(claims.map((c) => c.claimId)).size).toBe(CLAIMS);
    const items = await scanTable(stack);
    const ids = new Set(claims.map((c) => c.claimId));
    expect(items.filter((x) => x.sk === 'CLAIM' && ids.has(String(x.claimId)))).toHaveLength(CLAIMS);
    const acks = items.filter((x) => x.type === 'AcknowledgementSent' && ids.has(String(x.claimId)));
    expect(acks).toHaveLength(CLAIMS);
    const all = await mails();
    for (const c of claims) {
      const ack = mentioning(all, c.claimNumber).filter((m) =>
        m.destination.to.includes(`${c.username}@example.vn`),
      );
      expect(ack, c.claimNumber).toHaveLength(1);
    }
    Object.assign(figures, {
      submissions: CLAIMS,
      clientRequests: statuses.length,
      clientServerErrors: statuses.filter((s) => s >= 500).length,
      dynamoFaultsInjected: injected,
      sesFaultsInjected: sesInjected,
    });
  });
});

describe('S3 throttling and 5xx while documents are uploaded and verified', () => {
  it('verifies every upload once', async () => {
    const s3 = stack.faults!.s3.endpoint;
    // The browser's presigned POST is throttled (the client retries); verification's own reads fail
    // every other call (the SDK retries).
    await injectFault(s3, { operation: 'PostObject', count: 2, fault: 'throttle' });
    await injectFault(s3, { operation: '*', count: 8, fault: 'server-error', every: 2 });
    const { claimId, username } = claims[8]!;
    const api = apis.get(username)!;
    const missing = (await getClaim(api, claimId)).missingDocuments as string[];
    expect(missing.length).toBeGreaterThan(0);
    let uploadRetries = 0;
    for (const [i, docType] of missing.entries()) {
      const bytes = pngBytes(3, 3, [30 * (i + 1), 40, 90]);
      const intent = await api.post(`/claims/${claimId}/documents`, {
        docType,
        fileName: `${docType}.png`,
        contentType: 'image/png',
        size: bytes.length,
      });
      expect(intent.status, JSON.stringify(intent.body)).toBe(201);
      for (let attempt = 0; ; attempt++) {
        const up = await presignedPost(intent.body.upload, bytes, 'image/png', `${docType}.png`);
        if (up.status >= 500 && attempt < 5) {
          uploadRetries += 1;
          continue;
        }
        expect(up.status).toBeLessThan(300);
        break;
      }
    }
    await until(api, claimId, (x) => x.missingDocuments.length === 0, 60_000);
    const injected = stack.faults!.s3.stats().injected;
    stack.faults!.s3.clear();
    // The two throttles hit uploads; the every-other 5xx may hit an upload too, depending on
    // how the uploads and verification's reads interleave.
    expect(injected.PostObject).toBeGreaterThanOrEqual(2);
    expect(Object.values(injected).reduce((a, b) => a + b, 0)).toBeGreaterThan(2);
    const docs = (await scanTable(stack)).filter(
      (x) => x.pk === `CLAIM#${claimId}` && String(x.sk).startsWith('DOC#'),
    );
    expect(docs).toHaveLength(missing.length);
    figures.s3 = { uploads: missing.length, uploadRetries, s3FaultsInjected: injected };
  });
});

describe('a deadline delivered twice', () => {
  it('escalates once when the scheduler invokes its target twice at the same time', async () => {
    const staff = await apiAs(stack.apiUrl, 'hai.do');
    const c = await getClaim(staff, claims[0]!.claimId);
    const d = (
      c.deadlines as { id?: string; kind: string; dueAt: string; atRiskAt: string; status: string }[]
    )
      .filter((x) => x.status === 'open' && x.kind !== 'no_response_close')
      .at(0);
    expect(d, JSON.stringify(c.deadlines)).toBeDefined();
    const input = {
      claimId: c.claimId,
      ...(d!.id ? { deadlineId: d!.id } : {}),
      kind: d!.kind,
      phase: 'at_risk',
      dueAt: d!.dueAt,
      scheduledTime: d!.atRiskAt,
    };
    const before = (await mails()).length;
    const fired = await Promise.allSettled([
      invokeLocal(functionName('DeadlineFired'), input),
      invokeLocal(functionName('DeadlineFired'), input),
    ]);
    // A third, late delivery finds the deadline already at risk.
    await invokeLocal(functionName('DeadlineFired'), input);
    const escalations = (await mails()).slice(before).filter((m) => m.body.text?.includes(c.claimNumber));
    const recipients = escalations.flatMap((m) => m.destination.to);
    expect(recipients.length).toBeGreaterThan(0);
    expect(new Set(recipients).size).toBe(recipients.length);
    const events = (await scanTable(stack)).filter(
      (x) => x.pk === `CLAIM#${c.claimId}` && x.type === 'DeadlineAtRisk',
    );
    expect(events).toHaveLength(1);
    figures.deadlineDeliveredTwice = {
      deliveries: 3,
      outcomes: fired.map((f) => f.status),
      escalationEmails: recipients.length,
      atRiskEvents: events.length,
    };
  });
});

describe('the stream processor crashing mid-batch', () => {
  let poller: StreamPoller | undefined;
  afterAll(async () => {
    await poller?.stop();
  });

  it('redelivers the batch without doubling what the first half did, and resumes from its checkpoint', async () => {
    // The stack's own event source mapping makes way for one that crashes.
    await stack.streams.stop();
    const checkpointFile = path.join(checkpointDir, 'checkpoint.json');
    let crashes = 0;
    let deliveries = 0;
    const start = () =>
      startStreamPoller({
        endpoint: stack.services.dynamo.endpoint,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
        tableName: LOCAL_NAMES.table,
        batchSize: 10,
        checkpointFile,
        log: () => undefined,
        onBatch: async (event) => {
          deliveries += 1;
          if (crashes < 2 && event.Records.length >= 2) {
            // The function does half its batch, then dies: the whole batch comes again.
            crashes += 1;
            const half = event.Records.slice(0, Math.ceil(event.Records.length / 2));
            await invokeLocal(functionName('ProcessClaimEvents'), { Records: half });
            throw new Error('crashed mid-batch');
          }
          return invokeLocal(functionName('ProcessClaimEvents'), event);
        },
      });
    poller = await start();

    const supervisor = await apiAs(stack.apiUrl, 'hai.do');
    const adjusters = DEMO_USERS.filter((u) => u.roles.includes('adjuster') && u.staff?.active !== false);
    const reassign = async (claimId: string, k: number) => {
      const c = await getClaim(supervisor, claimId);
      const to =
        adjusters.find((a) => a.userId !== c.assignee?.staffId && a.username !== 'hai.do') ?? adjusters[k]!;
      const r = await supervisor.post(`/claims/${claimId}/assignment`, {
        expectedVersion: c.version,
        staffId: to.userId,
        reason: `Điều phối lại hồ sơ ${k}`,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return { claimId, claimNumber: c.claimNumber as string, to: to.email };
    };
    const moved = await Promise.all(claims.slice(1, 7).map((c, k) => reassign(c.claimId, k)));
    await eventually(async () => (crashes >= 1 ? true : undefined), 30_000);
    await poller.idle(60_000);
    await stack.services.sfn.idle({ timeoutMs: 60_000 });
    const assignedMails = (all: LocalEmail[], m: { claimNumber: string; to: string }) =>
      mentioning(all, m.claimNumber).filter(
        (x) => x.destination.to.includes(m.to) && /phân công|được chuyển|assigned/i.test(x.subject),
      );
    let all = await mails();
    for (const m of moved) expect(assignedMails(all, m), m.claimNumber).toHaveLength(1);

    // The processor is down while a claim changes; started again, it resumes after its checkpoint.
    await poller.stop();
    poller = undefined;
    const whileDown = await reassign(claims[7]!.claimId, 7);
    poller = await start();
    await eventually(
      async () => (assignedMails(await mails(), whileDown).length > 0 ? true : undefined),
      60_000,
    );
    await poller.idle(60_000);
    all = await mails();
    expect(assignedMails(all, whileDown)).toHaveLength(1);
    for (const m of moved) expect(assignedMails(all, m), m.claimNumber).toHaveLength(1);
    const reassigned = (await scanTable(stack)).filter(
      (x) => x.type === 'ClaimReassigned' && [...moved, whileDown].some((m) => `CLAIM#${m.claimId}` === x.pk),
    );
    expect(reassigned).toHaveLength(moved.length + 1);
    figures.streamCrash = { crashes, deliveries, reassignments: moved.length + 1 };
    printFigures('faults', figures);
  });
});

describe('logs of the run', () => {
  it('hold no tokens, full account numbers or citizen ids', () => {
    expect(logs.text().length).toBeGreaterThan(0);
    expect(
      findSecrets(logs.text(), { accountNumbers, nationalIds: customers.map((c) => c.nationalId) }),
    ).toEqual([]);
  });
});
