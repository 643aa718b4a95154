import { randomUUID } from 'node:crypto';
import { exportSPKI, generateKeyPair, importJWK, type JWK, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getUserByUsername, putUser, type UserProfile } from '../../lambdas/adapters/dynamo/users-repo.ts';
import { startGateway } from '../../local/gateway.ts';
import {
  asLocalUser,
  createLocalIdp,
  LOCAL_AUDIENCE,
  LOCAL_KEY_ID,
  type LocalIdp,
  type LocalUser,
} from '../../local/idp.ts';
import { tokenFor, useStack } from '../helpers/stack.ts';

/**
 * Tokens, as an attacker presents them: every one API Gateway's JWT authorizer refuses gets exactly
 * its answer (401, `{"message":"Unauthorized"}`, a `www-authenticate` challenge, nothing else); a
 * valid token whose holder has since lost the role or the account gets our own coded 403.
 *
 * Forgeries that need no private key run against the shared stack. Those that need a token signed
 * with the right key but wrong claims run against a second gateway in this process whose IdP key
 * this file holds (same gateway and IdP code, same handlers and stand-ins).
 */
const stack = useStack();
const ISSUER = 'http://127.0.0.1/local-idp';
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

let keys: { publicKey: CryptoKey; privateKey: CryptoKey };
let idp: LocalIdp;
let local: { url: string; stop: () => Promise<void> };
let an: LocalUser;
let dung: LocalUser;

beforeAll(async () => {
  keys = await generateKeyPair('RS256', { extractable: true });
  idp = await createLocalIdp(ISSUER, { keyPair: keys });
  local = await startGateway({
    port: 0,
    idp,
    findUser: async (username) => {
      const u = await getUserByUsername(username);
      return u ? asLocalUser(u) : undefined;
    },
  });
  an = asLocalUser((await getUserByUsername('an.nguyen'))!);
  dung = asLocalUser((await getUserByUsername('dung.pham'))!);
});
afterAll(async () => {
  await local?.stop();
});

/** Claims as the local IdP puts them in an ID token for `user`, overridable per case. */
const claimsOf = (user: LocalUser, over: JWTPayload = {}): JWTPayload => ({
  token_use: 'id',
  'cognito:username': user.username,
  'cognito:groups': user.roles,
  email: user.email,
  ...(user.customerId ? { 'custom:customerId': user.customerId } : {}),
  sub: user.userId,
  iss: ISSUER,
  aud: LOCAL_AUDIENCE,
  iat: Math.floor(Date.now() / 1000) - 5,
  exp: Math.floor(Date.now() / 1000) + 600,
  ...over,
});

const signed = (payload: JWTPayload, header: { kid?: string } = {}, key: CryptoKey = keys.privateKey) =>
  new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', kid: LOCAL_KEY_ID, typ: 'JWT', ...header })
    .sign(key);

async function call(base: string, path: string, authorization?: string) {
  const r = await fetch(`${base}${path}`, { headers: authorization ? { authorization } : {} });
  const text = await r.text();
  return { status: r.status, text, challenge: r.headers.get('www-authenticate'), headers: r.headers };
}

/** Exactly API Gateway's refusal: status, body byte for byte, a challenge naming invalid_token. */
function expectAuthorizerRefusal(r: Awaited<ReturnType<typeof call>>, description?: string) {
  expect(r.status).toBe(401);
  expect(r.text).toBe('{"message":"Unauthorized"}');
  expect(r.challenge).toMatch(/^Bearer scope="" error="invalid_token" error_description="[^"]+"$/);
  if (description) expect(r.challenge).toContain(`error_description="${description}"`);
  expect(r.headers.get('x-content-type-options')).toBe('nosniff');
}

describe('refused by the authorizer, with the right key (in-process gateway)', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const cases: [string, () => Promise<string>, string][] = [
    ['expired', () => signed(claimsOf(an, { exp: now() - 1 })), 'the token has expired'],
    [
      'not yet valid (nbf in the future)',
      () => signed(claimsOf(an, { nbf: now() + 300 })),
      'the token is not valid yet',
    ],
    [
      'issued in the future (iat)',
      () => signed(claimsOf(an, { iat: now() + 300 })),
      'the token was issued in the future',
    ],
    [
      'for another audience',
      () => signed(claimsOf(an, { aud: 'another-app-client' })),
      'the token does not have a valid audience',
    ],
    [
      'from another issuer',
      () => signed(claimsOf(an, { iss: 'https://cognito-idp.ap-southeast-1.amazonaws.com/other' })),
      'the token does not have a valid issuer',
    ],
    ['without exp', () => signed(claimsOf(an, { exp: undefined })), ''],
    ['an access token, not an ID token', () => signed(claimsOf(an, { token_use: 'access' })), ''],
    ['with a kid the JWKS does not hold', () => signed(claimsOf(an), { kid: 'local-2' }), ''],
  ];
  for (const [name, make, description] of cases) {
    it(`refuses a token ${name}`, async () => {
      expectAuthorizerRefusal(
        await call(local.url, '/claims', `Bearer ${await make()}`),
        description || undefined,
      );
    });
  }

  it('accepts the same claims when nothing is wrong (the cases above can fail)', async () => {
    const r = await call(local.url, '/claims', `Bearer ${await signed(claimsOf(an))}`);
    expect(r.status).toBe(200);
  });
});

describe('refused by the authorizer, forged without the key (the shared stack)', () => {
  let genuine: string;
  let jwk: JWK;
  beforeAll(async () => {
    genuine = await tokenFor(stack.apiUrl, 'an.nguyen');
    jwk = ((await (await fetch(`${stack.apiUrl}/local/jwks.json`)).json()) as { keys: JWK[] }).keys[0]!;
  });

  it('accepts the genuine token (the forgeries below start from it)', async () => {
    expect((await call(stack.apiUrl, '/claims', `Bearer ${genuine}`)).status).toBe(200);
  });

  it('refuses alg "none", with and without a signature part', async () => {
    const payload = JSON.parse(Buffer.from(genuine.split('.')[1]!, 'base64url').toString('utf8'));
    for (const alg of ['none', 'None', 'NONE']) {
      const head = b64({ alg, typ: 'JWT', kid: LOCAL_KEY_ID });
      for (const token of [`${head}.${b64(payload)}.`, `${head}.${b64(payload)}`]) {
        expectAuthorizerRefusal(await call(stack.apiUrl, '/claims', `Bearer ${token}`));
      }
    }
  });

  it('refuses HS256 signed with the public key (PEM, JWK modulus, JWK JSON)', async () => {
    const payload = JSON.parse(Buffer.from(genuine.split('.')[1]!, 'base64url').toString('utf8'));
    const pem = await exportSPKI((await importJWK(jwk, 'RS256', { extractable: true })) as CryptoKey);
    const secrets = [pem, `${pem}\n`, jwk.n ?? '', JSON.stringify(jwk)].map((s) =>
      new TextEncoder().encode(s),
    );
    for (const secret of secrets) {
      const token = await new SignJWT(payload)
        .setProtectedHeader({ alg: 'HS256', kid: LOCAL_KEY_ID, typ: 'JWT' })
        .sign(secret);
      expectAuthorizerRefusal(await call(stack.apiUrl, '/claims', `Bearer ${token}`));
    }
  });

  it('refuses a tampered payload: more groups, another customer, a later expiry', async () => {
    const [head, body, sig] = genuine.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    for (const change of [
      { 'cognito:groups': ['customer', 'admin'] },
      { 'custom:customerId': 'CUS-0002' },
      { exp: payload.exp + 86_400 },
    ]) {
      const token = `${head}.${b64({ ...payload, ...change })}.${sig}`;
      expectAuthorizerRefusal(await call(stack.apiUrl, '/claims', `Bearer ${token}`));
    }
  });

  it('refuses a token signed by another key, under the known kid or another', async () => {
    const other = await generateKeyPair('RS256');
    const payload = JSON.parse(Buffer.from(genuine.split('.')[1]!, 'base64url').toString('utf8'));
    for (const kid of [LOCAL_KEY_ID, 'local-2', '../../jwks', '']) {
      const token = await signed(payload, { kid }, other.privateKey);
      expectAuthorizerRefusal(await call(stack.apiUrl, '/claims', `Bearer ${token}`));
    }
  });

  it('refuses garbage and another scheme with the same body', async () => {
    for (const auth of ['Bearer not.a.jwt', 'Bearer ', `Basic ${b64('an:pw')}`, 'Bearer a.b.c.d']) {
      const r = await call(stack.apiUrl, '/claims', auth);
      expect(r.status, auth).toBe(401);
      expect(r.text).toBe('{"message":"Unauthorized"}');
    }
    const none = await call(stack.apiUrl, '/claims');
    expect(none.status).toBe(401);
    expect(none.text).toBe('{"message":"Unauthorized"}');
  });
});

describe('valid tokens whose holder has changed since (our own 403)', () => {
  it('refuses a deactivated member of staff on the next request, with the token they hold', async () => {
    const username = `token.test.${randomUUID().slice(0, 8)}`;
    const profile: UserProfile = {
      userId: randomUUID(),
      username,
      displayName: 'Kiểm Thử Token',
      email: `${username}@insurer.example.vn`,
      locale: 'vi',
      roles: ['adjuster'],
      staff: { skills: ['motor'], regions: ['Hà Nội'], authorityLimit: 0, active: true },
    };
    await putUser(profile);
    const token = await idp.issue(asLocalUser(profile));
    expect((await call(local.url, '/queue', `Bearer ${token}`)).status).toBe(200);

    await putUser({ ...profile, staff: { ...profile.staff!, active: false } });
    const r = await call(local.url, '/queue', `Bearer ${token}`);
    expect(r.status).toBe(403);
    expect(JSON.parse(r.text).error.code).toBe('ACCOUNT_INACTIVE');
  });

  it('refuses a role the token names but the staff directory no longer grants', async () => {
    const stale = await idp.issue({ ...dung, roles: ['adjuster', 'supervisor'] });
    const r = await call(local.url, '/admin/products', `Bearer ${stale}`);
    expect(r.status).toBe(403);
    expect(JSON.parse(r.text).error.code).toBe('FORBIDDEN');
    expect((await call(local.url, '/queue', `Bearer ${stale}`)).status).toBe(200);
  });

  it('refuses staff groups on a customer’s token', async () => {
    const r = await call(
      local.url,
      '/claims',
      `Bearer ${await idp.issue({ ...an, roles: ['customer', 'admin'] })}`,
    );
    expect(r.status).toBe(403);
    expect(JSON.parse(r.text).error.code).toBe('ACCOUNT_INACTIVE');
  });
});
