// Tiny shared helpers for the local AWS stand-ins (plain node:http, no framework).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Default request-body limit: generous for JSON/form APIs, small enough to stop a runaway client. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/** The loopback address every stand-in binds to (never 0.0.0.0: these have no authentication). */
export const LOCAL_HOST = '127.0.0.1';

/** An error that maps straight onto an HTTP response; the stand-ins render it in their wire format. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Reads the whole request body, rejecting with 413 once it grows past `limitBytes`. */
export function readBody(req: IncomingMessage, limitBytes = DEFAULT_BODY_LIMIT_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limitBytes) {
      req.resume();
      reject(new HttpError(413, 'RequestEntityTooLarge', `Request body exceeds ${limitBytes} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limitBytes) {
        failed = true;
        reject(new HttpError(413, 'RequestEntityTooLarge', `Request body exceeds ${limitBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (!failed) reject(err);
    });
  });
}

/** Parses a JSON body; an empty body becomes `{}` (the SDK omits bodies for operations without input). */
export async function readJsonBody(req: IncomingMessage, limitBytes?: number): Promise<unknown> {
  const raw = (await readBody(req, limitBytes)).toString('utf8');
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new HttpError(400, 'SerializationException', 'Request body is not valid JSON');
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  contentType = 'application/json',
): void {
  const payload = JSON.stringify(body ?? {});
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

export function sendText(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Creates an HTTP server around an async handler. Anything the handler throws that it did not render
 * itself becomes a 500 (and is logged) so a bug in a stand-in never hangs the SDK client.
 */
export function createJsonServer(handler: RequestHandler, name: string): Server {
  return createServer((req, res) => {
    handler(req, res).catch((err: unknown) => {
      console.error(`[${name}] unhandled error for ${req.method} ${req.url}:`, err);
      if (!res.headersSent) sendJson(res, 500, { message: 'Internal error in local stand-in' });
      else res.end();
    });
  });
}

/** Listens on 127.0.0.1:`port` (0 = random free port) and returns the port actually bound. */
export function listen(server: Server, port: number, host = LOCAL_HOST): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Closes a server, dropping keep-alive connections so `stop()` does not wait for idle sockets. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}

/** Escapes text for HTML and XML bodies. */
export function escapeXml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
