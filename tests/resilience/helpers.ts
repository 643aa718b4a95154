import { format } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/services/dynamodb-local.ts';
import { LOCAL_NAMES, type LocalStack } from '../../local/stack.ts';

/**
 * Helpers of the resilience suite (its customers come from tests/helpers/accounts.ts): a capture of
 * everything the stack logs, a scan of what it wrote, latency figures.
 */

/** Every item of the table (read straight from DynamoDB Local, past any fault proxy). */
export async function scanTable(stack: LocalStack): Promise<Record<string, unknown>[]> {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.services.dynamo.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    }),
  );
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await client.send(
      new ScanCommand({ TableName: LOCAL_NAMES.table, ExclusiveStartKey: start, ConsistentRead: true }),
    );
    items.push(...((r.Items ?? []) as Record<string, unknown>[]));
    start = r.LastEvaluatedKey;
  } while (start);
  client.destroy();
  return items;
}

/**
 * Captures what this process writes to stdout and stderr (Powertools' logger, the stand-ins'
 * console output) from now on, still passing it through.
 */
export function captureLogs(): { text(): string; restore(): void } {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((s) => s.write.bind(s));
  streams.forEach((stream, i) => {
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return (originals[i] as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
  });
  // The test runner routes the global console itself (the stand-ins log through it).
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const consoleOriginals = methods.map((m) => console[m]);
  methods.forEach((m, i) => {
    console[m] = (...args: unknown[]) => {
      chunks.push(`${format(...args)}\n`);
      consoleOriginals[i]!(...args);
    };
  });
  return {
    text: () => chunks.join(''),
    restore: () => {
      streams.forEach((stream, i) => {
        stream.write = originals[i] as typeof stream.write;
      });
      methods.forEach((m, i) => {
        console[m] = consoleOriginals[i]!;
      });
    },
  };
}

/** A JSON Web Token: three base64url parts, the header starting `{"` (`eyJ`). */
const JWT = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g;

/**
 * What must never reach a log: tokens, full bank account numbers and citizen ids (CCCD, 12 digits)
 * of the run. Returns the findings (the kind and a few characters around each), empty when clean.
 */
export function findSecrets(
  logText: string,
  known: { accountNumbers: readonly string[]; nationalIds: readonly string[] },
): string[] {
  const findings: string[] = [];
  const around = (i: number, len: number) =>
    logText.slice(Math.max(0, i - 40), i + len + 40).replace(/\s+/g, ' ');
  for (const m of logText.matchAll(JWT)) findings.push(`jwt: …${around(m.index, m[0].length)}…`);
  for (const [kind, values] of [
    ['account number', known.accountNumbers],
    ['national id', known.nationalIds],
  ] as const) {
    for (const v of new Set(values)) {
      const i = logText.indexOf(v);
      if (i >= 0) findings.push(`${kind} ${v.slice(0, 3)}…: …${around(i, v.length)}…`);
    }
  }
  return findings;
}

/** Percentile of a list of numbers (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Runs `tasks` with at most `limit` in flight. */
export async function withConcurrency<T>(limit: number, tasks: readonly (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** Where each resilience file records its figures (printed, and quoted in the report). */
export function printFigures(title: string, figures: Record<string, unknown>): void {
  console.log(`\n[resilience] ${title}\n${JSON.stringify(figures, null, 2)}`);
}

export type { LocalStack };
