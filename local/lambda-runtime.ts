import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { guardRequests } from '../lambdas/adapters/aws-clients.ts';
import { runInFunctionEnvironment } from '../lambdas/adapters/env.ts';
import { accessDenied, deniedAction } from './iam-guard.ts';
import { type Access, functionEnvNames, functionName } from '../lambdas/shared/functions.ts';
import { ROUTES } from '../lambdas/routes.ts';
import { TASK_FUNCTIONS } from '../lambdas/task-functions.ts';

/**
 * Runs the same handler modules CDK deploys, in this process: a function is found by the name
 * its ARN carries (`functionName(id)` from the shared definitions), its module is imported once,
 * and every call gets a JSON round-tripped event and a Lambda-shaped context, as on AWS.
 *
 * Each function sees only its own environment, as on AWS: the import (its cold start) and every
 * invocation run inside `runInFunctionEnvironment` with {@link functionEnvironment} — the variables
 * CDK sets for that function's `access` (functionEnvNames, the list `grantAccess` is checked
 * against), plus what the Lambda runtime and the local plumbing provide to every function.
 */
type Handler = (event: unknown, context: Context) => Promise<unknown>;

const ROOT = path.resolve(import.meta.dirname, '..');
const ENTRIES = new Map<string, { id: string; entry: string; access: Access }>(
  [...ROUTES, ...TASK_FUNCTIONS].map((f) => [
    functionName(f.id),
    { id: f.id, entry: f.entry, access: f.access as Access },
  ]),
);

// Each request a function makes is checked against what its role on AWS would allow (IAM itself
// is not emulated by the stand-ins): a read-only function that writes fails here as it would there.
guardRequests((request) => {
  const name = request.functionName;
  const f = name === undefined ? undefined : ENTRIES.get(name);
  if (!f || name === undefined) return;
  const action = deniedAction(f.access, request, { policyImports: process.env.POLICY_IMPORTS_BUCKET });
  if (action) throw accessDenied(name, action);
});

/**
 * What every function gets besides its CDK variables: the Lambda runtime's own (region,
 * credentials, time zone) and the local plumbing — the SDK endpoint overrides, the checksum mode
 * s3rver needs, the log level, and the config cache the local stack turns off.
 */
const RUNTIME_VARIABLES = new Set([
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'TZ',
  'AWS_REQUEST_CHECKSUM_CALCULATION',
  'AWS_RESPONSE_CHECKSUM_VALIDATION',
  'POWERTOOLS_LOG_LEVEL',
  'CONFIG_CACHE_SECONDS',
]);
const isRuntimeVariable = (name: string) =>
  RUNTIME_VARIABLES.has(name) || name.startsWith('AWS_ENDPOINT_URL_');

/** The environment a function runs with locally: exactly what it would have on AWS. */
export function functionEnvironment(nameOrArn: string): Record<string, string> {
  const { id, access } = entryOf(nameOrArn);
  const variables: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && isRuntimeVariable(name)) variables[name] = value;
  }
  for (const name of functionEnvNames(access)) {
    const value = process.env[name];
    if (value !== undefined) variables[name] = value;
  }
  variables.AWS_LAMBDA_FUNCTION_NAME = functionName(id);
  return variables;
}
const loaded = new Map<string, Promise<Handler>>();

export function entryOf(nameOrArn: string): { id: string; entry: string; access: Access } {
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

/**
 * Told of each invocation: the function's name and its duration in ms once it ends (the request
 * benchmark, tests/bench/requests.ts, counts invocations and GB-seconds per function).
 */
export const invocationListeners = new Set<(functionName: string, durationMs: number) => void>();

/** Invokes a function by name or ARN with a JSON copy of the event, returning a JSON copy of the result. */
export async function invokeLocal(nameOrArn: string, event: unknown): Promise<unknown> {
  const { id, entry } = entryOf(nameOrArn);
  const name = functionName(id);
  const started = performance.now();
  const result = await runInFunctionEnvironment({ name, variables: functionEnvironment(name) }, async () => {
    const handler = await load(entry);
    return handler(JSON.parse(JSON.stringify(event ?? null)), lambdaContext(name));
  }).finally(() => {
    for (const listener of invocationListeners) listener(name, performance.now() - started);
  });
  return result === undefined ? null : JSON.parse(JSON.stringify(result));
}
