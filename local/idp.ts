import {
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  type JWK,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
} from 'jose';

/**
 * A development identity provider for the local stack only: it signs ID tokens shaped like
 * Cognito's (`cognito:groups`, `cognito:username`, `custom:customerId`, `token_use: id`) with a
 * key made at start-up, and verifies them against its JWKS as API Gateway's JWT authorizer
 * verifies Cognito's: RS256 only, the key named by `kid`, issuer, audience, and `exp` after /
 * `nbf` and `iat` before the current time. There is no bypass: an unsigned, forged or expired
 * token fails.
 */
export interface LocalUser {
  userId: string;
  username: string;
  email: string;
  roles: string[];
  customerId?: string;
  locale: 'vi' | 'en';
}

/**
 * The token subject a stored profile signs in as: the fields the local IdP puts in a token (the
 * gateway's `findUser`, the tests' own front doors).
 */
export const asLocalUser = (u: {
  userId: string;
  username: string;
  email: string;
  roles: string[];
  customerId?: string;
  locale: 'vi' | 'en';
}): LocalUser => ({
  userId: u.userId,
  username: u.username,
  email: u.email,
  roles: u.roles,
  customerId: u.customerId,
  locale: u.locale,
});

export const LOCAL_AUDIENCE = 'local-web-client';
export const LOCAL_KEY_ID = 'local-1';

export interface LocalIdp {
  issuer: string;
  jwks: { keys: JWK[] };
  issue(user: LocalUser, ttlSeconds?: number): Promise<string>;
  verify(token: string): Promise<Record<string, unknown>>;
}

/**
 * Why a token was refused. `description` is what API Gateway puts in the `www-authenticate`
 * header's `error_description`; the response body is always `{"message":"Unauthorized"}`.
 */
export class TokenRejectedError extends Error {
  constructor(
    readonly code: 'UNAUTHENTICATED' | 'TOKEN_EXPIRED',
    readonly description: string,
  ) {
    super(description);
  }
}

export interface LocalIdpOptions {
  /** The signing key pair (tests that forge tokens bring their own); a fresh RS256 pair otherwise. */
  keyPair?: { publicKey: CryptoKey; privateKey: CryptoKey };
}

function rejection(e: unknown): TokenRejectedError {
  if (e instanceof TokenRejectedError) return e;
  if (e instanceof joseErrors.JWTExpired)
    return new TokenRejectedError('TOKEN_EXPIRED', 'the token has expired');
  if (e instanceof joseErrors.JWTClaimValidationFailed) {
    const reason: Record<string, string> = {
      aud: 'the token does not have a valid audience',
      iss: 'the token does not have a valid issuer',
      nbf: 'the token is not valid yet',
      iat: 'the token was issued in the future',
    };
    return new TokenRejectedError('UNAUTHENTICATED', reason[e.claim] ?? 'the token is not valid');
  }
  if (e instanceof joseErrors.JWKSNoMatchingKey) {
    return new TokenRejectedError('UNAUTHENTICATED', 'the token has an unknown signing key');
  }
  if (e instanceof joseErrors.JOSEAlgNotAllowed) {
    return new TokenRejectedError('UNAUTHENTICATED', 'the token has an unsupported signing algorithm');
  }
  if (e instanceof joseErrors.JWSSignatureVerificationFailed) {
    return new TokenRejectedError('UNAUTHENTICATED', 'the token signature is not valid');
  }
  return new TokenRejectedError('UNAUTHENTICATED', 'the token is not valid');
}

export async function createLocalIdp(issuer: string, options: LocalIdpOptions = {}): Promise<LocalIdp> {
  const { publicKey, privateKey } = options.keyPair ?? (await generateKeyPair('RS256'));
  const jwk = { ...(await exportJWK(publicKey)), kid: LOCAL_KEY_ID, alg: 'RS256', use: 'sig' };
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
        .setProtectedHeader({ alg: 'RS256', kid: LOCAL_KEY_ID, typ: 'JWT' })
        .setSubject(user.userId)
        .setIssuer(issuer)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
        .sign(privateKey);
    },
    async verify(token) {
      try {
        // A `kid` the JWKS does not hold is refused, never tried against "the" key.
        const { kid } = decodeProtectedHeader(token);
        if (kid !== LOCAL_KEY_ID)
          throw new TokenRejectedError('UNAUTHENTICATED', 'the token has an unknown signing key');
        const { payload } = await jwtVerify(token, keySet, {
          issuer,
          audience: LOCAL_AUDIENCE,
          algorithms: ['RS256'],
          requiredClaims: ['exp', 'iat', 'sub'],
        });
        // API Gateway requires `iat` before the current time; jose only checks it is a number.
        if (typeof payload.iat !== 'number' || payload.iat > Math.floor(Date.now() / 1000)) {
          throw new TokenRejectedError('UNAUTHENTICATED', 'the token was issued in the future');
        }
        if (payload.token_use !== 'id')
          throw new TokenRejectedError('UNAUTHENTICATED', 'the token is not an ID token');
        return payload as Record<string, unknown>;
      } catch (e) {
        throw rejection(e);
      }
    },
  };
}
