import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { functionName } from '../lambdas/shared/functions.ts';
import { ROUTES } from '../lambdas/routes.ts';
import { TASK_FUNCTIONS } from '../lambdas/task-functions.ts';

/**
 * Runs the same handler modules CDK deploys, in this process: a function is found by the name
 * its ARN carries (`functionName(id)` from the shared definitions), its module is imported once,
 * and every call gets a JSON round-tripped event and a Lambda-shaped context, as on AWS.
 */
type Handler = (event: unknown, context: Context) => Promise<unknown>;

const ROOT = path.resolve(import.meta.dirname, '..');
const ENTRIES = new Map<string, { id: string; entry: string }>(
  [...ROUTES, ...TASK_FUNCTIONS].map((f) => [functionName(f.id), { id: f.id, entry: f.entry }]),
);
const loaded = new Map<string, Promise<Handler>>();

export function entryOf(nameOrArn: string): { id: string; entry: string } {
  const name = nameOrArn.includes(':function:')
    ? (nameOrArn.split(':function:')[1] ?? '').split(':')[0]!
    : nameOrArn;
  const found = ENTRIES.get(name);
  if (!found) throw new Error(`No local function named ${name}`);
  return found;
}

async function load(entry: string): Promise<Handler> {
  let p = loaded.get(entry);
  if (!p) {
    p = import(pathToFileURL(path.join(ROOT, entry)).href).then((m: { handler?: Handler }) => {
      if (typeof m.handler !== 'function') throw new Error(`${entry} exports no handler`);
      return m.handler;
    });
    loaded.set(entry, p);
  }
  return p;
}

export function lambdaContext(name: string, timeoutMs = 30_000): Context {
  const started = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:ap-southeast-1:000000000000:function:${name}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Invokes a function by name or ARN with a JSON copy of the event, returning a JSON copy of the result. */
export async function invokeLocal(nameOrArn: string, event: unknown): Promise<unknown> {
  const { id, entry } = entryOf(nameOrArn);
  const handler = await load(entry);
  const result = await handler(JSON.parse(JSON.stringify(event ?? null)), lambdaContext(functionName(id)));
  return result === undefined ? null : JSON.parse(JSON.stringify(result));
}
