import { describe, expect, it } from 'vitest';
import { createLocalIdp } from '../../local/idp.ts';
import { principalFromClaims } from '../../lambdas/http/principal.ts';

const user = {
  userId: 'u-1',
  username: 'an.nguyen',
  email: 'an@example.vn',
  roles: ['customer'],
  customerId: 'CUS-0001',
  locale: 'vi' as const,
};

describe('the local identity provider', () => {
  it('issues Cognito-shaped ID tokens it can verify', async () => {
    const idp = await createLocalIdp('http://127.0.0.1/local-idp');
    const claims = await idp.verify(await idp.issue(user));
    expect(claims).toMatchObject({
      sub: 'u-1',
      token_use: 'id',
      'cognito:groups': ['customer'],
      'custom:customerId': 'CUS-0001',
    });
    expect(principalFromClaims(claims)).toEqual({
      userId: 'u-1',
      username: 'an.nguyen',
      roles: ['customer'],
      customerId: 'CUS-0001',
      email: 'an@example.vn',
      locale: 'vi',
      // When the token was issued: a staff session older than its account's cut-off ends.
      issuedAt: claims.iat,
    });
  });

  it('says TOKEN_EXPIRED for an expired token', async () => {
    const idp = await createLocalIdp('http://127.0.0.1/local-idp');
    await expect(idp.verify(await idp.issue(user, -60))).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
  });

  it('rejects tokens from another instance (another key)', async () => {
    const a = await createLocalIdp('http://127.0.0.1/local-idp');
    const b = await createLocalIdp('http://127.0.0.1/local-idp');
    await expect(a.verify(await b.issue(user))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('reads API Gateway’s flattened group claim the same as an array', () => {
    expect(principalFromClaims({ sub: 's', 'cognito:groups': '[adjuster supervisor]' }).roles).toEqual([
      'adjuster',
      'supervisor',
    ]);
    expect(principalFromClaims({ sub: 's', 'cognito:groups': '[root adjuster]' }).roles).toEqual([
      'adjuster',
    ]);
  });
});
