// SES stand-in: aws-ses-v2-local 2.10.2 in-process. Speaks SES v2 (`/v2/email/outbound-emails`) and
// v1 Query (`Action=SendEmail`), keeps sent mail in memory, web UI at `/`.
//
// Its store is a module-level singleton: two instances in one process share the same mailbox.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as sesLocalModule from 'aws-ses-v2-local';
import { closeServer, LOCAL_HOST } from './http.ts';

type StartSesServer = (config?: { host?: string; port?: number }) => Promise<Server>;
// CJS module with `exports.default`: under ESM interop the function may sit on `.default` once or twice.
const moduleExports = sesLocalModule as unknown as {
  default?: StartSesServer | { default?: StartSesServer };
};
const startSesServer = resolveStart(moduleExports);

function resolveStart(mod: unknown): StartSesServer {
  let current: unknown = mod;
  for (let i = 0; i < 3; i++) {
    if (typeof current === 'function') return current as StartSesServer;
    current = (current as { default?: unknown } | undefined)?.default;
  }
  throw new Error('aws-ses-v2-local: could not find its server function export');
}

/** One stored message, as `GET /store` returns it. */
export interface LocalEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  attachments: Array<{ content: string; contentType: string; filename?: string; size: number }>;
  headers?: Array<{ name: string; value: string }>;
  /** Epoch seconds. */
  at: number;
}

export interface SesLocalOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
}

export interface SesLocal {
  /** e.g. `http://127.0.0.1:8005`; set it as `AWS_ENDPOINT_URL_SESV2` (and `AWS_ENDPOINT_URL_SES`). */
  endpoint: string;
  port: number;
  /** Sent messages, oldest first; `sinceEpochSeconds` filters on `at >= since`. */
  listMessages(sinceEpochSeconds?: number): Promise<LocalEmail[]>;
  /** Empties the mailbox (and stored templates). */
  clear(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSesLocal(options: SesLocalOptions = {}): Promise<SesLocal> {
  const server = await startSesServer({ host: LOCAL_HOST, port: options.port ?? 0 });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://${LOCAL_HOST}:${port}`;
  return {
    endpoint,
    port,
    async listMessages(sinceEpochSeconds) {
      const query = sinceEpochSeconds === undefined ? '' : `?since=${Math.floor(sinceEpochSeconds)}`;
      const res = await fetch(`${endpoint}/store${query}`);
      if (!res.ok) throw new Error(`ses-local GET /store failed: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { emails: LocalEmail[] };
      return body.emails;
    },
    async clear() {
      const res = await fetch(`${endpoint}/clear-store`, { method: 'POST' });
      if (!res.ok) throw new Error(`ses-local POST /clear-store failed: ${res.status}`);
    },
    stop: () => closeServer(server),
  };
}
