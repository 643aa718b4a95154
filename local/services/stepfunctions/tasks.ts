// Task semantics the library does not give: ASL-named task errors, Lambda function errors as AWS
// raises them, the lambda:invoke integration's input and output, and task-token placeholders.
import { randomUUID } from 'node:crypto';
import { isRecord } from '../http.ts';
import { type JsonValue, TASK_TOKEN_PLACEHOLDER } from './types.ts';

/** A Task failure as the ASL engine sees it: `name` is the ASL error name matched by Retry/Catch. */
export class TaskError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

/** Thrown into tasks of an execution that already ended; never retried or caught. */
export class ExecutionClosedError extends Error {
  constructor() {
    super('Execution is no longer running');
    this.name = 'States.Runtime';
  }
  get isRetryable(): boolean {
    return false;
  }
  get isCatchable(): boolean {
    return false;
  }
}

/** Maps what `invokeLambda` threw to the ASL error AWS would raise for a Lambda function error. */
export function toLambdaTaskError(err: unknown): Error {
  if (err instanceof TaskError || err instanceof ExecutionClosedError) return err;
  const error = err instanceof Error ? err : new Error(String(err));
  const errorType = error.name || 'Error';
  const cause = JSON.stringify({
    errorMessage: error.message,
    errorType,
    trace: (error.stack ?? '').split('\n'),
  });
  return new TaskError(errorType, cause);
}

export function lambdaInvokeInput(input: unknown): {
  functionName: string;
  payload: unknown;
  async: boolean;
} {
  if (!isRecord(input) || typeof input['FunctionName'] !== 'string') {
    throw new TaskError('States.Runtime', 'lambda:invoke needs Parameters.FunctionName');
  }
  return {
    functionName: input['FunctionName'],
    payload: input['Payload'] ?? {},
    async: input['InvocationType'] === 'Event',
  };
}

export function lambdaInvokeOutput(result: unknown): JsonValue {
  const requestId = randomUUID();
  return {
    ExecutedVersion: '$LATEST',
    Payload: (result ?? null) as JsonValue,
    SdkHttpMetadata: { HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

export function replacePlaceholder(value: unknown, token: string): unknown {
  if (typeof value === 'string') return value.replaceAll(TASK_TOKEN_PLACEHOLDER, token);
  if (Array.isArray(value)) return value.map((v) => replacePlaceholder(v, token));
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replacePlaceholder(v, token)]));
  }
  return value;
}
