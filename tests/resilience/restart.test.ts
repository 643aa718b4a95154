import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../local/demo-data.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/services/dynamodb-local.ts';
import { LOCAL_NAMES, type LocalStack, type LocalStackOptions, startLocalStack } from '../../local/stack.ts';
import { apiAs } from '../helpers/api.ts';
import { fileClaim, getClaim, parked, until } from '../helpers/claims.ts';
import { captureLogs, findSecrets, printFigures } from './helpers.ts';
import { TEST_REFERRAL_MIN_FLAGS, TEST_REFERRAL_MIN_SCORE } from '../helpers/global-setup.ts';

/**
 * `npm start` keeps its state across a restart: a stack on a data directory brings a claim to a
 * state waiting for a person (an information request to the customer), is stopped, started again
 * on the same directory, and the customer's answer moves the claim on — through the Step Functions
 * execution and task token that were waiting before the restart.
 *
 * The ports stay the same across the restart because the handlers' SDK clients live for the
 * process (as on a warm Lambda), exactly as `npm start` keeps its ports.
 */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });

const logs = captureLogs();
let dataDir: string;
let options: LocalStackOptions;
let stack: LocalStack | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'claims-restart-'));
  const [apiPort, dynamodb, s3, ses, sns, sfn, scheduler, cognito, kms] = await Promise.all(
    Array.from({ length: 9 }, freePort),
  );
  options = {
    apiPort,
    webPort: 0,
    ports: { dynamodb, s3, ses, sns, sfn, scheduler, cognito, kms },
    retryIntervalOverrideMs: 0,
    referralMinFlags: TEST_REFERRAL_MIN_FLAGS,
    referralMinScore: TEST_REFERRAL_MIN_SCORE,
    dataDir,
  };
});

afterAll(async () => {
  logs.restore();
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const userIdOf = (username: string) => DEMO_USERS.find((u) => u.username === username)!.userId;

describe('restart on a data directory', () => {
  it('continues a claim waiting for a person after the stack is stopped and started again', async () => {
    stack = await startLocalStack(options);
    expect(stack.seeded).toBe(true);
    const an = await apiAs(stack.apiUrl, 'an.nguyen');
    const hai = await apiAs(stack.apiUrl, 'hai.do');
    const { claimId } = await fileClaim(an, { estimatedAmount: { amount: 30_000_000, currency: 'VND' } });
    let c = await until(hai, claimId, parked(), 30_000);
    if (c.assignee?.staffId !== userIdOf('hai.do')) {
      const r = await hai.post(`/claims/${claimId}/assignment`, {
        expectedVersion: c.version,
        staffId: userIdOf('hai.do'),
        reason: 'Giữ hồ sơ để thử khởi động lại',
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      c = await getClaim(hai, claimId);
    }
    const ask = await hai.post(`/claims/${claimId}/info-requests`, {
      expectedVersion: c.version,
      message: 'Vui lòng gửi ảnh toàn cảnh hiện trường.',
      documents: [],
    });
    expect(ask.status, JSON.stringify(ask.body)).toBe(201);
    const requestId = ask.body.infoRequest.requestId as string;
    await until(hai, claimId, parked('information'), 30_000);
    await stack.streams.idle();
    await stack.services.sfn.idle();
    // The claim's deadlines are one-time schedules; they must be there after the restart too.
    const schedulesBefore = stack.services.scheduler.schedules().map((x) => x.name);
    expect(schedulesBefore.length).toBeGreaterThan(0);
    const before = stack.services.sfn.pendingTasks();
    const waiting = before.find((t) => t.stateName === 'AwaitInformation');
    expect(waiting).toBeDefined();

    // A file in S3, to find again after the restart.
    const s3 = new S3Client({
      endpoint: stack.services.s3.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      forcePathStyle: true,
    });
    await s3.send(
      new PutObjectCommand({
        Bucket: LOCAL_NAMES.documentsBucket,
        Key: `claims/${claimId}/restart-check.txt`,
        Body: 'kept across restarts',
      }),
    );

    const stopping = Date.now();
    await stack.stop();
    stack = undefined;
    stack = await startLocalStack(options);
    const restartSeconds = (Date.now() - stopping) / 1000;

    // Seeded once: the demo data is not written again over the kept table.
    expect(stack.seeded).toBe(false);
    // The deadline schedules are back, with nothing lost.
    expect(stack.services.scheduler.schedules().map((x) => x.name)).toEqual(
      expect.arrayContaining(schedulesBefore),
    );
    // The execution is back, waiting on the very token the claim holds.
    const after = stack.services.sfn.pendingTasks();
    expect(after.map((t) => t.taskToken)).toContain(waiting!.taskToken);
    const kept = await s3.send(
      new GetObjectCommand({
        Bucket: LOCAL_NAMES.documentsBucket,
        Key: `claims/${claimId}/restart-check.txt`,
      }),
    );
    expect(await kept.Body?.transformToString()).toBe('kept across restarts');
    s3.destroy();

    // The person acts; the claim goes on to its next state.
    const an2 = await apiAs(stack.apiUrl, 'an.nguyen');
    const hai2 = await apiAs(stack.apiUrl, 'hai.do');
    const answer = await an2.post(`/claims/${claimId}/info-requests/${requestId}/response`, {
      message: 'Tôi đã gửi ảnh hiện trường.',
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const resumed = await until(
      hai2,
      claimId,
      (x) => x.waitingFor === 'assessment' && x.status === 'UNDER_ASSESSMENT',
      30_000,
    );
    expect(resumed.timeline.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['InfoRequested', 'InfoProvided']),
    );
    const execution = stack.services.sfn
      .executions()
      .find((e) => e.status === 'RUNNING' && JSON.parse(e.input).claimId === claimId);
    expect(execution).toBeDefined();
    printFigures('restart', { restartSeconds: Number(restartSeconds.toFixed(1)), dataDir: 'tmp (deleted)' });
  });

  it('logged no tokens, account numbers or citizen ids', () => {
    expect(logs.text().length).toBeGreaterThan(0);
    expect(findSecrets(logs.text(), { accountNumbers: ['0011004455667'], nationalIds: [] })).toEqual([]);
  });
});
