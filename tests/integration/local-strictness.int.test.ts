import {
  AdminAddUserToGroupCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminRemoveUserFromGroupCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getUserByUsername } from '../../lambdas/adapters/dynamo/users-repo.ts';
import { SECURITY_HEADERS } from '../../lambdas/http/security-headers.ts';
import { DEV_WEB_ORIGINS } from '../../lambdas/routes.ts';
import { startGateway } from '../../local/gateway.ts';
import { createLocalIdp, type LocalIdp, type LocalUser } from '../../local/idp.ts';
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
