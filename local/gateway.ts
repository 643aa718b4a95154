import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SECURITY_HEADERS } from '../lambdas/http/security-headers.ts';
import { allowedWebOrigins, CORS, DEV_WEB_ORIGINS, ROUTES } from '../lambdas/routes.ts';
import type { RouteDef } from '../lambdas/shared/functions.ts';
import { functionName } from '../lambdas/shared/functions.ts';
import { type LocalIdp, type LocalUser, TokenRejectedError } from './idp.ts';
import { invokeLocal } from './lambda-runtime.ts';
import { cognitoAccount, type CognitoAccountLookup } from './services/cognito.ts';

/**
 * The API Gateway HTTP API front door for the local stack: CORS for the fixed origin list CDK
 * configures, the route table, the JWT authorizer (verifying against the local IdP's JWKS — no
 * bypass, and refusing exactly as API Gateway does: 401 `{"message":"Unauthorized"}` with a
 * `www-authenticate` header), a payload-format-2.0 event to the very handler module CDK deploys,
 * and its response back. What the gateway answers itself carries the handlers' security headers.
 * Local-only extras live under /local: the token endpoint for seeded users and the JWKS.
 */
const MAX_PAYLOAD = 10 * 1024 * 1024; // API Gateway's own limit

interface CompiledRoute {
  route: RouteDef;
  regex: RegExp;
  names: string[];
}

function compile(route: RouteDef): CompiledRoute {
  const names: string[] = [];
  const pattern = route.path.replace(/\{(\w+)\}/g, (_, n: string) => {
    names.push(n);
    return '([^/]+)';
  });
  return { route, regex: new RegExp(`^${pattern}$`), names };
}

/** API Gateway passes JWT claims as strings; arrays become "[a b]". Mimic it so handlers see AWS's shape. */
function flattenClaims(payload: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload)) {
    out[k] = Array.isArray(v) ? `[${v.join(' ')}]` : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}

const json = (
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers });
  res.end(JSON.stringify(body));
};

const errorBody = (code: string, message: string, correlationId = randomUUID()) => ({
  error: { code, message, correlationId },
});

/** What API Gateway's JWT authorizer answers for a missing or refused token: no code, no detail. */
export const UNAUTHORIZED_BODY = { message: 'Unauthorized' } as const;

/** The `www-authenticate` challenge API Gateway sends with a refused token. */
export const bearerChallenge = (description: string) =>
  `Bearer scope="" error="invalid_token" error_description="${description}"`;

/** A path segment as API Gateway hands it to the integration, or undefined for bad %-encoding. */
function decodeSegment(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

function defaultWebOrigins(): string[] {
  // The local stack sets WEB_BASE_URL (its web server) before the gateway starts.
  const web = process.env.WEB_BASE_URL;
  let origin: string | undefined;
  try {
    origin = web ? new URL(web).origin : undefined;
  } catch {
    origin = undefined;
  }
  return origin ? allowedWebOrigins(origin, DEV_WEB_ORIGINS) : [...DEV_WEB_ORIGINS];
}

export async function startGateway(opts: {
  port: number;
  host?: string;
  idp: LocalIdp;
  findUser: (username: string) => Promise<LocalUser | undefined>;
  /**
   * Origins CORS answers, as CDK's `corsPreflight.allowOrigins` (lib/stateful-stack.ts webOrigins).
   * Default: the local web server's origin (from WEB_BASE_URL) and {@link DEV_WEB_ORIGINS}.
   */
  webOrigins?: readonly string[];
  /**
   * Where a token's groups come from and whether the account may sign in, as Cognito decides when it
   * issues an ID token. Default: the user pool stand-in at AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER
   * (pool USER_POOL_ID); without one, the roles `findUser` returns.
   */
  identity?: CognitoAccountLookup;
}): Promise<{ url: string; stop: () => Promise<void> }> {
  const origins = new Set(opts.webOrigins ?? defaultWebOrigins());
  const identity =
    opts.identity ??
    (process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER && process.env.USER_POOL_ID
      ? cognitoAccount(process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, process.env.USER_POOL_ID)
      : undefined);
  // API Gateway picks the most specific route: `/claims/search` before `/claims/{claimId}`.
  const compiled = ROUTES.map((r) => compile(r as RouteDef)).sort((a, b) => a.names.length - b.names.length);

  const server = http.createServer(async (req, res) => {
    const origin = req.headers.origin;
    const allowed = typeof origin === 'string' && origins.has(origin);
    // Only a listed origin is answered; any other gets no CORS headers, so the browser refuses.
    const cors: Record<string, string> = allowed
      ? {
          'access-control-allow-origin': origin,
          'access-control-expose-headers': CORS.exposeHeaders.join(','),
          vary: 'origin',
        }
      : { vary: 'origin' };
    try {
      // Prefixed, not resolved against a base: `//host/claims` must stay a path, not become a host.
      let url: URL;
      try {
        url = new URL(`http://local${req.url?.startsWith('/') ? req.url : `/${req.url ?? ''}`}`);
      } catch {
        return json(res, 400, errorBody('VALIDATION_FAILED', 'The request path is not valid'), cors);
      }
      const method = (req.method ?? 'GET').toUpperCase();
      if (method === 'OPTIONS') {
        res.writeHead(
          204,
          allowed
            ? {
                ...cors,
                'access-control-allow-methods': CORS.allowMethods.join(','),
                'access-control-allow-headers': CORS.allowHeaders.join(','),
                'access-control-max-age': String(CORS.maxAgeSeconds),
              }
            : cors,
        );
        res.end();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const c of req) {
        size += (c as Buffer).length;
        if (size > MAX_PAYLOAD) {
          json(res, 413, errorBody('BODY_TOO_LARGE', 'Request payload too large'), cors);
          req.destroy();
          return;
        }
        chunks.push(c as Buffer);
      }
      const raw = Buffer.concat(chunks);

      if (url.pathname === '/local/jwks.json' && method === 'GET') return json(res, 200, opts.idp.jwks, cors);
      if (url.pathname === '/local/token' && method === 'POST') {
        let username: unknown;
        try {
          username = JSON.parse(raw.toString('utf8') || '{}').username;
        } catch {
          return json(res, 400, errorBody('MALFORMED_JSON', 'The body is not valid JSON'), cors);
        }
        if (typeof username !== 'string' || !username) {
          return json(res, 400, errorBody('VALIDATION_FAILED', 'username is required'), cors);
        }
        const found = await opts.findUser(username);
        if (!found) return json(res, 404, errorBody('USER_NOT_FOUND', `No seeded user ${username}`), cors);
        // As Cognito: a disabled account gets no token, and the token's groups are the pool's.
        const account = identity ? await identity(found.userId) : { enabled: true, groups: found.roles };
        if (!account?.enabled) {
          return json(res, 404, errorBody('USER_NOT_FOUND', `No active account ${username}`), cors);
        }
        const user = { ...found, roles: account.groups };
        return json(
          res,
          200,
          { token: await opts.idp.issue(user), user: { username: user.username, roles: user.roles } },
          cors,
        );
      }

      let match: { c: CompiledRoute; params: Record<string, string> } | undefined;
      let pathMatched = false;
      for (const c of compiled) {
        const m = c.regex.exec(url.pathname);
        if (!m) continue;
        pathMatched = true;
        if (c.route.method !== method) continue;
        const values = c.names.map((_, i) => decodeSegment(m[i + 1] ?? ''));
        if (values.some((v) => v === undefined)) {
          return json(
            res,
            400,
            {
              error: {
                ...errorBody('VALIDATION_FAILED', 'The request path is not valid').error,
                fields: [{ path: 'path', code: 'invalid_format', message: 'malformed percent-encoding' }],
              },
            },
            cors,
          );
        }
        match = { c, params: Object.fromEntries(c.names.map((n, i) => [n, values[i] as string])) };
        break;
      }
      if (!match) {
        return json(
          res,
          pathMatched ? 405 : 404,
          errorBody('ROUTE_NOT_FOUND', `No route ${method} ${url.pathname}`),
          cors,
        );
      }
      const { route } = match.c;

      let claims: Record<string, string> | undefined;
      if (route.auth === 'jwt') {
        const auth = req.headers.authorization ?? '';
        const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1];
        if (!token) return json(res, 401, UNAUTHORIZED_BODY, cors);
        try {
          claims = flattenClaims(await opts.idp.verify(token));
        } catch (e) {
          const description = e instanceof TokenRejectedError ? e.description : 'the token is not valid';
          return json(res, 401, UNAUTHORIZED_BODY, {
            ...cors,
            'www-authenticate': bearerChallenge(description),
          });
        }
      }

      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
      const contentType = headers['content-type'] ?? '';
      const isText = raw.length === 0 || /json|text|x-www-form-urlencoded/i.test(contentType);
      const requestId = randomUUID();
      const now = new Date();
      const event = {
        version: '2.0',
        routeKey: `${route.method} ${route.path}`,
        rawPath: url.pathname,
        rawQueryString: url.search.replace(/^\?/, ''),
        headers,
        queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
        pathParameters: Object.keys(match.params).length ? match.params : undefined,
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          domainName: headers.host ?? 'localhost',
          domainPrefix: 'local',
          http: {
            method,
            path: url.pathname,
            protocol: 'HTTP/1.1',
            sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
            userAgent: headers['user-agent'] ?? '',
          },
          requestId,
          routeKey: `${route.method} ${route.path}`,
          stage: '$default',
          time: now.toUTCString(),
          timeEpoch: now.getTime(),
          ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
        },
        body: raw.length ? (isText ? raw.toString('utf8') : raw.toString('base64')) : undefined,
        isBase64Encoded: raw.length > 0 && !isText,
      };
      const result = (await invokeLocal(functionName(route.id), event)) as {
        statusCode?: number;
        headers?: Record<string, string>;
        body?: string;
        isBase64Encoded?: boolean;
      } | null;
      const status = result?.statusCode ?? 200;
      res.writeHead(status, { ...(result?.headers ?? {}), ...cors });
      res.end(
        result?.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') : undefined,
      );
    } catch (e) {
      // A handler that throws past its own error mapper is what API Gateway reports as 500.
      console.error('[gateway] handler crashed', e);
      if (!res.headersSent) json(res, 500, { message: 'Internal Server Error' }, cors);
      else res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(opts.port, opts.host ?? '127.0.0.1', resolve));
  const addr = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${addr.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
