// Fault injection in front of a stand-in (DynamoDB Local, s3rver, the SES stand-in): a transparent
// HTTP proxy that, on demand, answers the next calls of an operation with the error the real
// service sends when it throttles or fails — so the AWS SDK's own retry (and, past its budget, the
// caller's recovery) runs exactly as it would against AWS.
//
// Control API, the same shape as the Step Functions stand-in's (local/services/stepfunctions.ts):
//   POST /local/faults {"operation":"PutItem","count":3,"fault":"throttle","every":1}
//     the next `count` matching calls (every `every`-th one; operation "*" = any) fail with
//     `fault` = "throttle" (DynamoDB ProvisionedThroughputExceededException 400, S3 SlowDown 503,
//     SES TooManyRequestsException 429) or "server-error" (500 InternalServerError/InternalError).
//   GET  /local/faults  → { rules, injected: {operation: n}, forwarded: {operation: n} }
//   DELETE /local/faults → clears the rules (the counters stay).
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, request as httpRequest, type ServerResponse } from 'node:http';
import {
  closeServer,
  createJsonServer,
  HttpError,
  isRecord,
  LOCAL_HOST,
  listen,
  readJsonBody,
  sendJson,
  sendText,
} from './http.ts';

export type FaultService = 'dynamodb' | 's3' | 'ses';
export type FaultKind = 'throttle' | 'server-error';

export interface FaultRule {
  /** Operation name as AWS spells it (`PutItem`, `TransactWriteItems`, `PutObject`, `SendEmail`), or `*`. */
  operation: string;
  /** How many calls fail. */
  count: number;
  fault: FaultKind;
  /** Fail every n-th matching call (default 1 = each one), so a load sees a fault rate, not a wall. */
  every?: number;
}

export interface FaultProxyOptions {
  service: FaultService;
  /** The stand-in's endpoint, e.g. `http://127.0.0.1:8000`. */
  target: string;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
}

export interface FaultProxy {
  /** Point the SDK here (`AWS_ENDPOINT_URL_<SERVICE>`). */
  endpoint: string;
  port: number;
  inject(rule: FaultRule): void;
  clear(): void;
  /** Faults answered and calls forwarded, per operation. */
  stats(): { injected: Record<string, number>; forwarded: Record<string, number> };
  stop(): Promise<void>;
}

interface ActiveRule extends Required<FaultRule> {
  seen: number;
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const rules: ActiveRule[] = [];
  const injected: Record<string, number> = {};
  const forwarded: Record<string, number> = {};

  const addRule = (body: unknown): FaultRule => {
    const rule = isRecord(body) ? body : {};
    const { operation, count, fault } = rule;
    const every = rule['every'] ?? 1;
    if (
      typeof operation !== 'string' ||
      operation === '' ||
      !Number.isInteger(count) ||
      (count as number) < 0 ||
      (fault !== 'throttle' && fault !== 'server-error') ||
      !Number.isInteger(every) ||
      (every as number) < 1
    ) {
      throw new HttpError(
        400,
        'ValidationException',
        'Expected {"operation": string, "count": integer, "fault": "throttle"|"server-error", "every"?: integer}',
      );
    }
    const active: ActiveRule = {
      operation,
      count: count as number,
      fault,
      every: every as number,
      seen: 0,
    };
    rules.push(active);
    return { operation, count: active.count, fault, every: active.every };
  };

  /** The fault this call gets, if a rule still has some left for its operation. */
  const takeFault = (operation: string): FaultKind | undefined => {
    for (const rule of rules) {
      if (rule.count <= 0 || (rule.operation !== '*' && rule.operation !== operation)) continue;
      rule.seen += 1;
      if (rule.seen % rule.every !== 0) return undefined;
      rule.count -= 1;
      return rule.fault;
    }
    return undefined;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    if (url === '/local/faults' || url.startsWith('/local/faults?')) {
      try {
        if (req.method === 'POST') sendJson(res, 200, addRule(await readJsonBody(req, 4096)));
        else if (req.method === 'DELETE') {
          rules.length = 0;
          sendJson(res, 200, {});
        } else sendJson(res, 200, { rules: rules.filter((r) => r.count > 0), injected, forwarded });
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        sendJson(res, err.status, { __type: err.code, message: err.message });
      }
      return;
    }
    const operation = operationOf(options.service, req);
    const fault = takeFault(operation);
    if (fault) {
      injected[operation] = (injected[operation] ?? 0) + 1;
      // Read the request to its end first: answering early would break the client's keep-alive socket.
      req.resume();
      await new Promise<void>((r) => {
        req.once('end', r);
        req.once('error', () => r());
      });
      sendFault(options.service, fault, res);
      return;
    }
    forwarded[operation] = (forwarded[operation] ?? 0) + 1;
    await forward(req, res, target);
  };

  const server = createJsonServer(handle, `fault-proxy:${options.service}`);
  const port = await listen(server, options.port ?? 0);
  return {
    endpoint: `http://${LOCAL_HOST}:${port}`,
    port,
    inject: (rule) => void addRule(rule),
    clear: () => {
      rules.length = 0;
    },
    stats: () => ({ injected: { ...injected }, forwarded: { ...forwarded } }),
    stop: () => closeServer(server),
  };
}

/** Sends `rule` to a fault proxy's control API (tests, or curl against `npm start`). */
export async function injectFault(endpoint: string, rule: FaultRule): Promise<void> {
  const r = await fetch(`${endpoint}/local/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rule),
  });
  if (!r.ok) throw new Error(`injecting a fault at ${endpoint}: ${r.status} ${await r.text()}`);
}

/** The AWS operation name of a call, as far as fault rules need it. */
export function operationOf(service: FaultService, req: IncomingMessage): string {
  const method = req.method ?? 'GET';
  if (service === 'dynamodb') return String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? 'Unknown';
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const query = (req.url ?? '').includes('?') ? (req.url ?? '').split('?')[1]! : '';
  if (service === 'ses') {
    if (method === 'POST' && path === '/v2/email/outbound-emails') return 'SendEmail';
    return `${method} ${path}`;
  }
  // S3, path style: /bucket[/key]
  const hasKey = path.split('/').filter(Boolean).length > 1;
  if (!hasKey) {
    if (method === 'POST' && !query) return 'PostObject';
    if (method === 'GET') return query.includes('list-type=2') ? 'ListObjectsV2' : 'ListObjects';
    return `${method}Bucket`;
  }
  if (method === 'PUT') return req.headers['x-amz-copy-source'] ? 'CopyObject' : 'PutObject';
  if (method === 'GET') return 'GetObject';
  if (method === 'HEAD') return 'HeadObject';
  if (method === 'DELETE') return 'DeleteObject';
  return `${method}Object`;
}

/** The error response the real service sends, in its own protocol. */
function sendFault(service: FaultService, fault: FaultKind, res: ServerResponse): void {
  const requestId = randomUUID();
  const message = 'Injected fault (local/faults)';
  if (service === 'dynamodb') {
    const type = fault === 'throttle' ? 'ProvisionedThroughputExceededException' : 'InternalServerError';
    sendJson(
      res,
      fault === 'throttle' ? 400 : 500,
      { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message },
      { 'x-amzn-requestid': requestId },
      'application/x-amz-json-1.0',
    );
    return;
  }
  if (service === 'ses') {
    const type = fault === 'throttle' ? 'TooManyRequestsException' : 'InternalFailure';
    sendJson(
      res,
      fault === 'throttle' ? 429 : 500,
      { message },
      {
        'x-amzn-errortype': type,
        'x-amzn-requestid': requestId,
      },
    );
    return;
  }
  const [status, code] = fault === 'throttle' ? [503, 'SlowDown'] : [500, 'InternalError'];
  sendText(
    res,
    status,
    'application/xml',
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`,
    { 'x-amz-request-id': requestId },
  );
}

function forward(req: IncomingMessage, res: ServerResponse, target: URL): Promise<void> {
  return new Promise<void>((resolve) => {
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.rawHeaders);
        up.pipe(res);
        up.once('end', resolve);
        up.once('error', () => {
          res.destroy();
          resolve();
        });
      },
    );
    upstream.once('error', () => {
      if (!res.headersSent) sendJson(res, 502, { message: 'Stand-in unreachable' });
      else res.destroy();
      resolve();
    });
    req.pipe(upstream);
  });
}
