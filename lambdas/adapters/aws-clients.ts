import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MiddlewareStack, SerializeMiddleware } from '@smithy/types';
import { currentFunctionName, optionalEnv } from './env.ts';

/**
 * SDK clients, created once per execution environment. Endpoints come from the SDK's own
 * `AWS_ENDPOINT_URL_<SERVICE>` variables, so there is no local-mode branch here.
 * Each getter is marked pure so a bundle keeps only the clients its function calls (esbuild drops
 * an unused `lazy(...)` and, with it, that SDK package).
 */
const lazy = <T>(make: () => T): (() => T) => {
  let v: T | undefined;
  return () => {
    v ??= make();
    return v;
  };
};

/** One AWS request a function made, as the request meter sees it. */
export interface MeteredRequest {
  service: string;
  command: string;
  /** The Lambda function that made it (locally: the function running; on AWS: this one). */
  functionName: string;
  /**
   * DynamoDB data requests only: the capacity units consumed (`ReturnConsumedCapacity: TOTAL`):
   * read units for Get/Query/Scan/BatchGet/TransactGet, write units for the others.
   */
  capacityUnits?: number;
  /** Milliseconds from serialising the request to its parsed response (signing and the round trip). */
  ms: number;
}
let meter: ((r: MeteredRequest) => void) | undefined;
/** Lets the benchmark (tests/bench/requests.ts) count every request; nothing listens otherwise. */
export function meterRequests(listener: ((r: MeteredRequest) => void) | undefined): void {
  meter = listener;
}

/** What a function is about to ask of a service (the request guard's view). */
export interface GuardedRequest {
  service: string;
  /** The SDK command's name without `Command` (`PutItem`, `SendEmail`). */
  command: string;
  /** The function running (undefined outside one: a test or a script calling the code directly). */
  functionName: string | undefined;
  /** The command's input (bucket and key of an S3 request: IAM grants S3 by key prefix). */
  input: unknown;
}
let guard: ((r: GuardedRequest) => void) | undefined;
/**
 * Lets the local stack refuse, before it is sent, a request the function's IAM role on AWS would
 * not allow (local/lambda-runtime.ts): the local stand-ins check no permissions, so without it a
 * function declared read-only that writes passes every local test and fails with AccessDenied on
 * AWS. Nothing guards on AWS, where IAM does.
 */
export function guardRequests(check: ((r: GuardedRequest) => void) | undefined): void {
  guard = check;
}

/**
 * A presigned request this function signs without sending (a browser's upload POST): S3 answers it
 * later with the rights of the role that signed it, so the guard is asked now, as for a request
 * sent. (A presigned GET passes the clients' middleware and is asked there.)
 */
export function guardPresigned(service: string, command: string, input: object): void {
  guard?.({ service, command, functionName: currentFunctionName(), input });
}

type Capacity = { CapacityUnits?: number };
const DYNAMO_DATA_COMMANDS = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
  'TransactGetItemsCommand',
  'TransactWriteItemsCommand',
]);

/**
 * One middleware on every client: DynamoDB data requests ask for `ReturnConsumedCapacity: TOTAL`
 * (always: DynamoDB returns it at no charge and it adds a few dozen bytes to a response, so there is
 * no flag to forget in the benchmark or to leave on in production), and each request is reported to
 * the meter when one listens (only the benchmark does; otherwise this is one undefined check).
 */
function metered<C extends { middlewareStack: unknown }>(service: string, client: C): C {
  const middleware: SerializeMiddleware<object, object> = (next, context) => async (args) => {
    const command = context.commandName ?? 'unknown';
    guard?.({
      service,
      command: command.replace(/Command$/, ''),
      functionName: currentFunctionName(),
      input: args.input,
    });
    const isData = service === 'DynamoDB' && DYNAMO_DATA_COMMANDS.has(command);
    if (isData) (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity ??= 'TOTAL';
    const started = meter ? performance.now() : 0;
    const result = await next(args);
    if (meter) {
      const consumed = (result.output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity;
      const list = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
      const units = list.reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
      meter({
        service,
        command: command.replace(/Command$/, ''),
        functionName: currentFunctionName() ?? optionalEnv('AWS_LAMBDA_FUNCTION_NAME', 'local'),
        ...(isData ? { capacityUnits: units } : {}),
        ms: performance.now() - started,
      });
    }
    return result;
  };
  // Every SDK v3 client has this stack; its input/output types differ per service, the meter reads neither.
  (client.middlewareStack as MiddlewareStack<object, object>).add(middleware, {
    step: 'serialize',
    priority: 'high',
    name: 'claimsRequestMeter',
  });
  return client;
}

/**
 * The one DynamoDB client of an execution environment: the document client below wraps it, and
 * Powertools idempotency (http/idempotency.ts) is given it, so its records are metered like every
 * other request and share the same connections.
 */
export const dynamoClient = /* @__PURE__ */ lazy(() => metered('DynamoDB', new DynamoDBClient({})));
export const dynamo = /* @__PURE__ */ lazy(() =>
  DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  }),
);
// Presigned POST against path-style endpoints works both on AWS and on s3rver; checksums are only
// computed when required because the SDK's default checksums break s3rver's streamed uploads.
export const s3 = /* @__PURE__ */ lazy(() =>
  metered(
    'S3',
    new S3Client({
      forcePathStyle: Boolean(optionalEnv('AWS_ENDPOINT_URL_S3', '')),
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
  ),
);
/**
 * SES and SNS answer a send in well under a second, but the SDK waits for ever by default. Each
 * attempt is cut at 2.5 s (the SDK makes three: at most ~8 s in all), well within the shortest
 * timeout of a function that sends (10 s), so a hung call fails as a TimeoutError, which gives the
 * notice back (app/notifications.ts `sendOnce`) and is retried, instead of the function being
 * killed mid-send with the notice left `sending`. Options, not a handler instance: the client builds
 * its own NodeHttpHandler from them, so no module is added to a bundle.
 */
const SEND_TIMEOUTS = { connectionTimeout: 1_000, requestTimeout: 2_500, throwOnRequestTimeout: true };
export const ses = /* @__PURE__ */ lazy(() =>
  metered('SES', new SESv2Client({ requestHandler: SEND_TIMEOUTS })),
);
export const sns = /* @__PURE__ */ lazy(() =>
  metered('SNS', new SNSClient({ requestHandler: SEND_TIMEOUTS })),
);
export const sfn = /* @__PURE__ */ lazy(() => metered('StepFunctions', new SFNClient({})));
export const scheduler = /* @__PURE__ */ lazy(() => metered('Scheduler', new SchedulerClient({})));
export const kms = /* @__PURE__ */ lazy(() => metered('KMS', new KMSClient({})));
