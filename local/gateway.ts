import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { functionName } from '../lambdas/shared/functions.ts';
import { CORS, ROUTES } from '../lambdas/routes.ts';
import type { RouteDef } from '../lambdas/shared/functions.ts';
import { type LocalIdp, type LocalUser, TokenRejectedError } from './idp.ts';
import { invokeLocal } from './lambda-runtime.ts';

/**
 * The API Gateway HTTP API front door for the local stack: CORS as configured in routes.ts, the
 * route table, the JWT authorizer (verifying against the local IdP's JWKS — no bypass), a
 * payload-format-2.0 event to the very handler module CDK deploys, and its response back.
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
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
};

const errorBody = (code: string, message: string) => ({
  error: { code, message, correlationId: randomUUID() },
});

export async function startGateway(opts: {
  port: number;
  host?: string;
  idp: LocalIdp;
  findUser: (username: string) => Promise<LocalUser | undefined>;
}): Promise<{ url: string; stop: () => Promise<void> }> {
  // API Gateway picks the most specific route: `/claims/search` before `/claims/{claimId}`.
  const compiled = ROUTES.map((r) => compile(r as RouteDef)).sort((a, b) => a.names.length - b.names.length);

  const server = http.createServer(async (req, res) => {
    const origin = req.headers.origin;
    const cors: Record<string, string> = origin
      ? {
          'access-control-allow-origin': origin,
          'access-control-expose-headers': CORS.exposeHeaders.join(','),
          vary: 'origin',
        }
      : {};
    try {
      const url = new URL(req.url ?? '/', 'http://local');
      const method = (req.method ?? 'GET').toUpperCase();
      if (method === 'OPTIONS') {
        res.writeHead(204, {
          ...cors,
          'access-control-allow-methods': CORS.allowMethods.join(','),
          'access-control-allow-headers': CORS.allowHeaders.join(','),
          'access-control-max-age': String(CORS.maxAgeSeconds),
        });
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
        const user = await opts.findUser(username);
        if (!user) return json(res, 404, errorBody('USER_NOT_FOUND', `No seeded user ${username}`), cors);
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
        match = {
          c,
          params: Object.fromEntries(c.names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? '')])),
        };
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
        if (!token) return json(res, 401, errorBody('UNAUTHENTICATED', 'Sign in first'), cors);
        try {
          claims = flattenClaims(await opts.idp.verify(token));
        } catch (e) {
          const code = e instanceof TokenRejectedError ? e.code : 'UNAUTHENTICATED';
          return json(res, 401, errorBody(code, 'The token was not accepted'), cors);
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
      if (!res.headersSent) json(res, 500, errorBody('INTERNAL', 'Internal Server Error'), cors);
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
