import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLambdaInputs } from '../../lib/lambda-inputs.ts';
import { type BundleFigure, bundleOne, FLOOR_ENTRY } from '../bench/bundles.ts';
import { userIdFor } from '../../local/demo-data.ts';
import { useStack } from '../helpers/stack.ts';

/**
 * A Lambda bundle takes its AWS credentials from the environment Lambda sets, and from nowhere else
 * (lib/bundling.ts aliases the SDK's default chain to lambdas/runtime/lambda-credentials.ts). The
 * bench's floor handler (one GetItem) and a real function are bundled as CDK bundles them and run in
 * a fresh Node process against the local stack.
 */
const run = promisify(execFile);
let dir: string;
let floor: BundleFigure;

/** Imports `bundle` in a fresh process with `env` and calls its handler; prints the outcome as JSON. */
async function invoke(bundle: string, event: unknown, env: Record<string, string>) {
  const script = [
    `const m = await import(${JSON.stringify(`file://${bundle}`)});`,
    'try {',
    `  const r = await m.handler(${JSON.stringify(event)}, {});`,
    '  console.log(JSON.stringify({ ok: true, status: r.$metadata?.httpStatusCode ?? r.statusCode, body: r.body }));',
    '} catch (e) {',
    '  console.log(JSON.stringify({ ok: false, name: e?.name, message: String(e?.message) }));',
    '}',
  ].join('\n');
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH ?? '', NODE_NO_WARNINGS: '1', ...env },
    cwd: dir,
    timeout: 30_000,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
    ok: boolean;
    status?: number;
    body?: string;
    name?: string;
    message?: string;
  };
}

beforeAll(async () => {
  writeLambdaInputs();
  dir = await mkdtemp(path.join(tmpdir(), 'claims-lambda-credentials-'));
  floor = await bundleOne(dir, 'floor', FLOOR_ENTRY);
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('AWS credentials in a Lambda bundle', () => {
  it('leaves the SDK’s wider chain (SSO, config files, STS, metadata endpoints) out of the bundle', async () => {
    const code = await readFile(floor.outfile, 'utf8');
    expect(code).not.toMatch(/credential-provider-(sso|ini|process|web-identity)|AssumeRoleWithWebIdentity/);
    expect(code).toContain('Unable to find environment variable credentials');
  });

  it('looks nowhere else when they are missing: a profile or config file is not read', async () => {
    const { env } = useStack();
    const {
      AWS_ACCESS_KEY_ID: _key,
      AWS_SECRET_ACCESS_KEY: _secret,
      AWS_SESSION_TOKEN: _token,
      ...rest
    } = env;
    const home = await mkdtemp(path.join(dir, 'home-'));
    // A profile the full chain would use; the bundle must not.
    const credentialsFile = path.join(home, 'credentials');
    await writeFile(
      credentialsFile,
      '[claims]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = secret\n',
    );
    const outcome = await invoke(
      floor.outfile,
      { id: 'no-such-item' },
      { ...rest, HOME: home, AWS_PROFILE: 'claims', AWS_SHARED_CREDENTIALS_FILE: credentialsFile },
    );
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toBe('Unable to find environment variable credentials.');
  });

  it('signs with the credentials Lambda puts in the environment: a bundled GetMe reads the caller’s profile', async () => {
    const { env } = useStack();
    const getMe = await bundleOne(dir, 'GetMe', 'lambdas/handlers/http/get-me.ts');
    const claims = {
      sub: userIdFor('an.nguyen'),
      'cognito:username': 'an.nguyen',
      'cognito:groups': '[customer]',
    };
    const event = {
      version: '2.0',
      routeKey: 'GET /me',
      rawPath: '/me',
      headers: {},
      requestContext: {
        http: { method: 'GET', path: '/me' },
        requestId: 'lambda-credentials-test',
        authorizer: { jwt: { claims } },
      },
    };
    const outcome = await invoke(getMe.outfile, event, env);
    expect(outcome.status).toBe(200);
    // The name comes from the profile item in DynamoDB, not from the token.
    expect(JSON.parse(outcome.body ?? '{}')).toMatchObject({
      displayName: 'Nguyễn Văn An',
      phone: '0912345678',
    });
  });
});
