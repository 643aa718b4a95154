import {
  exportJWK,
  generateKeyPair,
  type JWK,
  jwtVerify,
  SignJWT,
  createLocalJWKSet,
  errors as joseErrors,
} from 'jose';

/**
 * A development identity provider for the local stack only: it signs ID tokens shaped like
 * Cognito's (`cognito:groups`, `cognito:username`, `custom:customerId`, `token_use: id`) with a
 * key made at start-up, and verifies them against its JWKS exactly as API Gateway's JWT
 * authorizer verifies Cognito's. There is no bypass: an unsigned, forged or expired token fails.
 */
export interface LocalUser {
  userId: string;
  username: string;
  email: string;
  roles: string[];
  customerId?: string;
  locale: 'vi' | 'en';
}

export const LOCAL_AUDIENCE = 'local-web-client';

export interface LocalIdp {
  issuer: string;
  jwks: { keys: JWK[] };
  issue(user: LocalUser, ttlSeconds?: number): Promise<string>;
  verify(token: string): Promise<Record<string, unknown>>;
}

export class TokenRejectedError extends Error {
  constructor(
    readonly code: 'UNAUTHENTICATED' | 'TOKEN_EXPIRED',
    message: string,
  ) {
    super(message);
  }
}

export async function createLocalIdp(issuer: string): Promise<LocalIdp> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'local-1', alg: 'RS256', use: 'sig' };
  const jwks = { keys: [jwk] };
  const keySet = createLocalJWKSet(jwks);
  return {
    issuer,
    jwks,
    async issue(user, ttlSeconds = 3600) {
      return new SignJWT({
        token_use: 'id',
        'cognito:username': user.username,
        'cognito:groups': user.roles,
        email: user.email,
        ...(user.customerId ? { 'custom:customerId': user.customerId } : {}),
        'custom:locale': user.locale,
      })
        .setProtectedHeader({ alg: 'RS256', kid: 'local-1', typ: 'JWT' })
        .setSubject(user.userId)
        .setIssuer(issuer)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
        .sign(privateKey);
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, keySet, {
          issuer,
          audience: LOCAL_AUDIENCE,
          algorithms: ['RS256'],
        });
        if (payload.token_use !== 'id') throw new TokenRejectedError('UNAUTHENTICATED', 'Not an ID token');
        return payload as Record<string, unknown>;
      } catch (e) {
        if (e instanceof TokenRejectedError) throw e;
        if (e instanceof joseErrors.JWTExpired)
          throw new TokenRejectedError('TOKEN_EXPIRED', 'The token has expired');
        throw new TokenRejectedError('UNAUTHENTICATED', 'The token is not valid');
      }
    },
  };
}
