import {
  AdminAddUserToGroupCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminRemoveUserFromGroupCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CreateScheduleCommand,
  GetScheduleCommand,
  ListScheduleGroupsCommand,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, ses, sfn } from '../../lambdas/adapters/aws-clients.ts';
import { getUserByUsername } from '../../lambdas/adapters/dynamo/users-repo.ts';
import { env, optionalEnv, runInFunctionEnvironment } from '../../lambdas/adapters/env.ts';
import { cognitoIdentity } from '../../lambdas/adapters/identity.ts';
import { ROUTES } from '../../lambdas/routes.ts';
import { functionEnvNames, functionName } from '../../lambdas/shared/functions.ts';
import { TASK_FUNCTIONS } from '../../lambdas/task-functions.ts';
import { functionEnvironment, invokeLocal } from '../../local/lambda-runtime.ts';
import { SECURITY_HEADERS } from '../../lambdas/http/security-headers.ts';
import { DEV_WEB_ORIGINS } from '../../lambdas/routes.ts';
import { startGateway } from '../../local/gateway.ts';
import { createLocalIdp, type LocalIdp, type LocalUser } from '../../local/idp.ts';
import { type DeadLetter, type SchedulerLocal, startSchedulerLocal } from '../../local/services/scheduler.ts';
import { ApiError, createApiClient } from '../../web/shared/api.ts';
import { apiAs, tokenFor, useStack } from '../helpers/stack.ts';

/**
 * The local stack is at least as strict as AWS where a probe found it more permissive: CORS for a
 * fixed origin list, security headers on the gateway's own answers, a coded 400 for a malformed
 * path, API Gateway's exact authorizer refusal, and token groups taken from the user pool.
 * Some cases run a second gateway in this process (same code, own IdP) to see its logs and to hold
 * the signing key.
 */
const stack = useStack();
const webOrigin = new URL(stack.env.WEB_BASE_URL ?? '').origin;

const findUser = async (username: string): Promise<LocalUser | undefined> => {
  const u = await getUserByUsername(username);
  if (!u || u.staff?.active === false) return undefined;
  return { ...u, roles: u.roles };
};

let idp: LocalIdp;
let local: { url: string; stop: () => Promise<void> };
beforeAll(async () => {
  idp = await createLocalIdp('http://127.0.0.1/local-idp');
  local = await startGateway({ port: 0, idp, findUser });
});
afterAll(async () => {
  await local?.stop();
});

const expectSecurityHeaders = (headers: Headers) => {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(headers.get(name), name).toBe(value);
};

describe('CORS', () => {
  it('answers the web apps’ origin and the dev server, and reflects no other origin', async () => {
    for (const origin of [webOrigin, ...DEV_WEB_ORIGINS]) {
      const pre = await fetch(`${stack.apiUrl}/claims`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
      expect(pre.headers.get('access-control-allow-origin')).toBe(origin);
      expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    }
    for (const origin of [
      'https://evil.example',
      'null',
      `${webOrigin}.evil.example`,
      'http://localhost:5174',
    ]) {
      const pre = await fetch(`${stack.apiUrl}/claims`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
      expect(pre.headers.get('access-control-allow-origin'), origin).toBeNull();
      expect(pre.headers.get('access-control-allow-methods'), origin).toBeNull();
      const get = await fetch(`${stack.apiUrl}/health`, { headers: { origin } });
      expect(get.headers.get('access-control-allow-origin'), origin).toBeNull();
    }
  });
});

describe('the gateway’s own answers', () => {
  it('carry the handlers’ security headers: 401, 404, 405, 400, 413', async () => {
    const cases: [string, RequestInit, number][] = [
      ['/claims', {}, 401],
      ['/no/such/route', {}, 404],
      ['/claims/%ZZ', {}, 400],
      ['/local/token', { method: 'POST', body: '{' }, 400],
      ['/claims', { method: 'POST', body: 'x'.repeat(10 * 1024 * 1024 + 1) }, 413],
    ];
    for (const [path, init, status] of cases) {
      const r = await fetch(`${stack.apiUrl}${path}`, init).catch(() => undefined);
      if (!r) continue; // the 413 may close the socket before the body is sent; covered by status below
      expect(r.status, path).toBe(status);
      expectSecurityHeaders(r.headers);
      await r.arrayBuffer();
    }
  });

  it('answers a malformed percent-encoded path with a coded 400, logging no stack trace', async () => {
    const token = await idp.issue((await findUser('an.nguyen'))!);
    const errors = vi.spyOn(console, 'error');
    try {
      for (const path of ['/claims/%ZZ', '/claims/%E0%A4%A', '/claims/abc%']) {
        const r = await fetch(`${local.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
        expect(r.status, path).toBe(400);
        const body = (await r.json()) as { error: { code: string; correlationId: string } };
        expect(body.error.code).toBe('VALIDATION_FAILED');
        expect(body.error.correlationId).toMatch(/^[0-9a-f-]{36}$/);
      }
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
    }
  });

  it('does not treat a doubled slash as a host', async () => {
    const r = await fetch(`${stack.apiUrl}//evil.example/health`);
    expect(r.status).toBe(404);
  });
});

describe('the JWT authorizer', () => {
  it('refuses a missing token as API Gateway does: 401 {"message":"Unauthorized"}', async () => {
    const r = await fetch(`${stack.apiUrl}/claims`);
    expect(r.status).toBe(401);
    expect(await r.json()).toEqual({ message: 'Unauthorized' });
  });

  it('refuses an expired token with the same body and a www-authenticate challenge', async () => {
    const token = await idp.issue((await findUser('an.nguyen'))!, -60);
    const r = await fetch(`${local.url}/claims`, { headers: { authorization: `Bearer ${token}` } });
    expect(r.status).toBe(401);
    expect(await r.json()).toEqual({ message: 'Unauthorized' });
    expect(r.headers.get('www-authenticate')).toBe(
      'Bearer scope="" error="invalid_token" error_description="the token has expired"',
    );
  });

  it('still lets the web apps notice an ended session and ask for sign-in again', async () => {
    const expired = await idp.issue((await findUser('an.nguyen'))!, -60);
    const seen: string[] = [];
    const client = createApiClient({
      baseUrl: local.url,
      getToken: () => expired,
      onUnauthenticated: (code) => seen.push(code),
    });
    const error = await client.get('/claims').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect(seen).toEqual(['TOKEN_EXPIRED']);

    const anonymous = createApiClient({
      baseUrl: local.url,
      getToken: () => null,
      onUnauthenticated: (code) => seen.push(code),
    });
    await anonymous.get('/claims').catch(() => undefined);
    expect(seen).toEqual(['TOKEN_EXPIRED', 'UNAUTHENTICATED']);
  });
});

describe('token groups come from the user pool', () => {
  const cognito = new CognitoIdentityProviderClient({});
  const pool = stack.env.USER_POOL_ID ?? '';

  it('issues the pool’s groups, not the profile’s, and no token for a disabled account', async () => {
    const dung = (await getUserByUsername('dung.pham'))!;
    expect(dung.roles).toEqual(['adjuster']);
    const input = { UserPoolId: pool, Username: dung.userId };
    await cognito.send(new AdminAddUserToGroupCommand({ ...input, GroupName: 'siu' }));
    try {
      const groups = decodeJwt(await tokenFor(stack.apiUrl, 'dung.pham'))['cognito:groups'];
      expect(groups).toEqual(['adjuster', 'siu']);
      // The token says siu; the staff directory does not, and is checked on every request.
      const api = await apiAs(stack.apiUrl, 'dung.pham');
      expect((await api.get('/me')).body.roles).toEqual(['adjuster']);
    } finally {
      await cognito.send(new AdminRemoveUserFromGroupCommand({ ...input, GroupName: 'siu' }));
    }
    expect(decodeJwt(await tokenFor(stack.apiUrl, 'dung.pham'))['cognito:groups']).toEqual(['adjuster']);

    await cognito.send(new AdminDisableUserCommand(input));
    try {
      const r = await fetch(`${stack.apiUrl}/local/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'dung.pham' }),
      });
      expect(r.status).toBe(404);
    } finally {
      await cognito.send(new AdminEnableUserCommand(input));
    }
    expect(await tokenFor(stack.apiUrl, 'dung.pham')).toMatch(/^ey/);
  });
});

describe('the Scheduler stand-in retries as EventBridge Scheduler does', () => {
  const targetArn = 'arn:aws:lambda:ap-southeast-1:000000000000:function:claims-local-DeadlineFired';
  const dlq = 'arn:aws:sqs:ap-southeast-1:000000000000:claims-deadlines-dlq';
  /** Failures still to come per schedule name (a target failing for one schedule only). */
  const failuresLeft: Record<string, number> = {};
  const attempts: string[] = [];
  const sent: DeadLetter[] = [];
  let scheduler: SchedulerLocal;
  let client: SchedulerClient;

  const start = (retryIntervalOverrideMs?: number, dataDir?: string) =>
    startSchedulerLocal({
      port: 0,
      pollIntervalMs: 0,
      groups: ['claims-deadlines'],
      retryIntervalOverrideMs,
      dataDir,
      sendToDeadLetter: async (_queue, letter) => {
        sent.push(letter);
      },
      invokeTarget: async (_arn, input) => {
        const { name, attempt } = input as { name?: string; attempt?: string };
        attempts.push(`${name}#${attempt}`);
        const left = failuresLeft[name ?? ''] ?? 0;
        failuresLeft[name ?? ''] = left - 1;
        if (left > 0) throw new Error('target failed');
      },
    });
  const create = (name: string, extra: Record<string, unknown> = {}) =>
    client.send(
      new CreateScheduleCommand({
        Name: name,
        GroupName: 'claims-deadlines',
        ScheduleExpression: `at(${new Date(scheduler.now().getTime() + 60_000).toISOString().slice(0, 19)})`,
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Target: {
          Arn: targetArn,
          RoleArn: 'arn:aws:iam::000000000000:role/claims-scheduler',
          Input: JSON.stringify({ name, attempt: '<aws.scheduler.attempt-number>' }),
          ...extra,
        },
      }),
    );

  beforeAll(async () => {
    scheduler = await start(0);
    client = new SchedulerClient({ endpoint: scheduler.endpoint });
  });
  afterAll(async () => {
    client?.destroy();
    await scheduler?.stop();
  });

  it('fills in AWS’s default RetryPolicy and refuses one out of range', async () => {
    await create('defaults');
    const got = await client.send(
      new GetScheduleCommand({ Name: 'defaults', GroupName: 'claims-deadlines' }),
    );
    expect(got.Target?.RetryPolicy).toEqual({ MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 });
    await expect(create('too-many', { RetryPolicy: { MaximumRetryAttempts: 186 } })).rejects.toThrow(/185/);
    await expect(create('bad-dlq', { DeadLetterConfig: { Arn: 'arn:aws:sns:x' } })).rejects.toThrow(/SQS/);
  });

  it('retries a failing target until it succeeds, numbering the attempts', async () => {
    attempts.length = 0;
    failuresLeft.flaky = 2;
    await create('flaky', { RetryPolicy: { MaximumRetryAttempts: 5 } });
    const fired = await scheduler.advance(120_000);
    expect(fired.filter((f) => f.name === 'flaky').map((f) => [f.attempt, f.ok])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect(attempts.filter((a) => a.startsWith('flaky#'))).toEqual(['flaky#1', 'flaky#2', 'flaky#3']);
    expect(scheduler.deadLetters()).toEqual([]);
  });

  it('gives up after MaximumRetryAttempts and sends the event to the dead-letter queue', async () => {
    failuresLeft.broken = 1_000;
    await create('broken', { RetryPolicy: { MaximumRetryAttempts: 2 }, DeadLetterConfig: { Arn: dlq } });
    const fired = (await scheduler.advance(120_000)).filter((f) => f.name === 'broken');
    expect(fired.map((f) => f.attempt)).toEqual([1, 2, 3]);
    expect(fired.at(-1)?.gaveUp).toBe('MaximumRetryAttempts');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      queueArn: dlq,
      scheduleName: 'broken',
      attempts: 3,
      error: 'Error: target failed',
    });
    expect(scheduler.pendingRetries()).toBe(0);
  });

  it('by default keeps retrying (185 retries) before giving up', async () => {
    failuresLeft.forever = 1_000;
    sent.length = 0;
    await create('forever', { DeadLetterConfig: { Arn: dlq } });
    const fired = (await scheduler.advance(120_000)).filter((f) => f.name === 'forever');
    expect(fired).toHaveLength(186);
    expect(sent.map((l) => [l.scheduleName, l.attempts, l.reason])).toEqual([
      ['forever', 186, 'MaximumRetryAttempts'],
    ]);
  });

  it('gives up when the event is older than MaximumEventAgeInSeconds, with real backoff on the virtual clock', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'scheduler-'));
    const slow = await start(undefined, dir);
    const slowClient = new SchedulerClient({ endpoint: slow.endpoint });
    try {
      failuresLeft[''] = 1_000; // this schedule has no Input: its target sees no name
      sent.length = 0;
      const at = new Date(slow.now().getTime() + 60_000).toISOString().slice(0, 19);
      await slowClient.send(
        new CreateScheduleCommand({
          Name: 'aged',
          GroupName: 'claims-deadlines',
          ScheduleExpression: `at(${at})`,
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: {
            Arn: targetArn,
            RoleArn: 'arn:aws:iam::000000000000:role/claims-scheduler',
            RetryPolicy: { MaximumEventAgeInSeconds: 60 },
            DeadLetterConfig: { Arn: dlq },
          },
        }),
      );
      const first = await slow.advance(61_000);
      expect(first.map((f) => f.attempt)).toEqual([1]);
      expect(slow.pendingRetries()).toBe(1); // the retry waits 1 s of (virtual) time
      // Backoff 1, 2, 4, 8, 16, 32 s: attempts at +0, +1, +3, +7, +15, +31; the next (+63) is too old.
      const rest = await slow.advance(120_000);
      expect(rest.map((f) => f.attempt)).toEqual([2, 3, 4, 5, 6]);
      expect(rest.at(-1)?.gaveUp).toBe('MaximumEventAgeInSeconds');
      expect(sent.map((l) => l.reason)).toEqual(['MaximumEventAgeInSeconds']);

      // Kept in the data directory: a restarted stand-in still knows the dead letter and the groups.
      await slow.stop();
      const again = await start(0, dir);
      try {
        expect(again.deadLetters().map((l) => l.scheduleName)).toEqual(['aged']);
        const groups = await new SchedulerClient({ endpoint: again.endpoint }).send(
          new ListScheduleGroupsCommand({}),
        );
        expect(groups.ScheduleGroups?.map((g) => g.Name)).toEqual(['claims-deadlines', 'default']);
      } finally {
        await again.stop();
      }
    } finally {
      slowClient.destroy();
      await slow.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('each function may ask only what its role on AWS allows', () => {
  const as = <T>(id: string, fn: () => T): T => {
    const name = functionName(id);
    return runInFunctionEnvironment({ name, variables: functionEnvironment(name) }, fn);
  };
  const put = () =>
    dynamo().send(
      new PutCommand({
        TableName: process.env.TABLE_NAME,
        Item: { pk: 'IAM#probe', sk: 'X', entity: 'Probe' },
      }),
    );

  it('refuses a write by a function whose table access is read-only, as IAM would', async () => {
    // ListMyClaims reads the table: reading works, writing is AccessDenied before it is sent.
    await expect(
      as('ListMyClaims', () =>
        dynamo().send(
          new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: 'IAM#probe', sk: 'X' } }),
        ),
      ),
    ).resolves.toBeDefined();
    await expect(as('ListMyClaims', put)).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('dynamodb:PutItem'),
    });
    // A function with read-write access writes; outside any function (tests, scripts) nothing is guarded.
    await expect(as('AddNote', put)).resolves.toBeDefined();
    await expect(put()).resolves.toBeDefined();
  });

  it('refuses a send or a workflow start the function was not granted', async () => {
    const mail = () =>
      ses().send(
        new SendEmailCommand({
          FromEmailAddress: 'claims@example.vn',
          Destination: { ToAddresses: ['probe@example.vn'] },
          Content: { Simple: { Subject: { Data: 'x' }, Body: { Text: { Data: 'x' } } } },
        }),
      );
    await expect(as('GetMe', mail)).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(
      as('GetMe', () =>
        sfn().send(
          new StartExecutionCommand({
            stateMachineArn: 'arn:aws:states:ap-southeast-1:000000000000:stateMachine:x',
            input: '{}',
          }),
        ),
      ),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('states:StartExecution'),
    });
  });
});

describe('each function sees only the environment CDK gives it', () => {
  const CDK_NAMES = new Set([...ROUTES, ...TASK_FUNCTIONS].flatMap((f) => functionEnvNames(f.access)));
  const as = <T>(id: string, fn: () => T): T => {
    const name = functionName(id);
    return runInFunctionEnvironment({ name, variables: functionEnvironment(name) }, fn);
  };

  it('gives every function exactly the variables its access sets in CDK', () => {
    for (const f of [...ROUTES, ...TASK_FUNCTIONS]) {
      const given = Object.keys(functionEnvironment(functionName(f.id))).filter((n) => CDK_NAMES.has(n));
      const expected = functionEnvNames(f.access).filter((n) => process.env[n] !== undefined);
      expect(given.sort(), f.id).toEqual(expected.sort());
    }
    // Spot checks of what that means: the customer's own reads have no key to the user pool.
    expect(functionEnvironment(functionName('GetMe'))).not.toHaveProperty('USER_POOL_ID');
    expect(functionEnvironment(functionName('GetMe'))).not.toHaveProperty('FIELD_KEY_ID');
    expect(functionEnvironment(functionName('UpdateStaff'))).toHaveProperty('USER_POOL_ID');
  });

  it('fails a function that reads a variable CDK did not give it, though this process has it', async () => {
    expect(process.env.USER_POOL_ID).toBeTruthy();
    const dung = (await getUserByUsername('dung.pham'))!;
    await expect(as('GetMe', () => cognitoIdentity.setEnabled(dung.userId, true))).rejects.toThrow(
      'Missing environment configuration: USER_POOL_ID',
    );
    await expect(
      as('UpdateStaff', () => cognitoIdentity.setEnabled(dung.userId, true)),
    ).resolves.toBeUndefined();
    // Outside any function (scripts, tests) the process environment is read as before.
    expect(env('USER_POOL_ID')).toBe(process.env.USER_POOL_ID);
  });

  it('keeps concurrent invocations apart across awaits', async () => {
    const poolIdSeenBy = (id: string) =>
      as(id, async () => {
        const seen: (string | undefined)[] = [];
        for (let i = 0; i < 5; i++) {
          await new Promise((r) => setTimeout(r, Math.random() * 5));
          seen.push(optionalEnv('USER_POOL_ID', '') || undefined);
        }
        return seen;
      });
    const [staff, me] = await Promise.all([poolIdSeenBy('UpdateStaff'), poolIdSeenBy('GetMe')]);
    expect(staff).toEqual(Array(5).fill(process.env.USER_POOL_ID));
    expect(me).toEqual(Array(5).fill(undefined));
  });

  it('still runs the real handlers with only their own variables', async () => {
    const token = await tokenFor(stack.apiUrl, 'an.nguyen');
    const claims = decodeJwt(token);
    const result = (await invokeLocal(functionName('GetMe'), {
      version: '2.0',
      routeKey: 'GET /me',
      rawPath: '/me',
      headers: {},
      requestContext: {
        requestId: 'local-strictness',
        http: { method: 'GET', path: '/me' },
        authorizer: { jwt: { claims: { ...claims, 'cognito:groups': '[customer]' }, scopes: null } },
      },
    })) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body).username).toBe('an.nguyen');
  });
});
