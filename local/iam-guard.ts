import {
  DOCUMENT_PREFIXES,
  type DocumentPrefix,
  OBJECT_ACTION_IAM,
  type ObjectAction,
} from '../lambdas/shared/bucket-prefixes.ts';
import { EXPORTS_PREFIX } from '../lambdas/shared/exports.ts';
import type { Access } from '../lambdas/shared/functions.ts';

/**
 * What a function's IAM role on AWS lets it ask of each service, from the same `access` CDK grants
 * from (lib/claims-function.ts `grantAccess`): the local stand-ins check no permissions, so the
 * local runtime asks this before each request a function makes (aws-clients.ts `guardRequests`),
 * presigned ones included (a link is signed with the role and answered by S3 with its rights).
 * Without it a function declared read-only that writes passes every local test and fails with
 * AccessDenied on AWS. S3 is checked by key prefix and action as IAM checks it: a function that
 * reads `exports/` with a grant on `stored/` only, or deletes an object version, is refused here
 * too. Coarse where IAM is finer (KMS keys and contexts are not modelled, nor the services left
 * out below): it refuses only what the role certainly lacks.
 */

/** One request as the guard sees it: the SDK command's name and its input (bucket, key, …). */
export interface GuardedCall {
  service: string;
  command: string;
  input?: unknown;
}

/** The buckets the guard tells apart (every other bucket is treated as the documents bucket). */
export interface GuardedBuckets {
  policyImports?: string;
}

const DYNAMO_READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const DYNAMO_WRITES = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);
const SCHEDULER = new Set(['CreateSchedule', 'DeleteSchedule', 'GetSchedule', 'UpdateSchedule']);
const TASK_RESPONSES = new Set(['SendTaskSuccess', 'SendTaskFailure', 'SendTaskHeartbeat']);

/** The IAM action a request needs that `access` does not grant, or undefined when it is granted (or not modelled). */
export function deniedAction(
  access: Access,
  { service, command, input }: GuardedCall,
  buckets: GuardedBuckets = {},
): string | undefined {
  if (service === 'S3') return deniedS3Action(access, command, (input ?? {}) as S3Input, buckets);
  const wf = access.workflow;
  let allowed: boolean | undefined;
  switch (service) {
    case 'DynamoDB':
      if (DYNAMO_READS.has(command)) allowed = Boolean(access.table);
      else if (DYNAMO_WRITES.has(command)) allowed = access.table === 'readwrite';
      break;
    case 'SES':
      if (command === 'SendEmail') allowed = Boolean(access.email);
      break;
    case 'SNS':
      if (command === 'Publish') allowed = Boolean(access.sms || access.topics);
      break;
    case 'StepFunctions':
      if (command === 'StartExecution')
        allowed = wf === 'start' || wf === 'start-and-callback' || access.deadlineReplan === 'start';
      else if (TASK_RESPONSES.has(command)) allowed = wf === 'callback' || wf === 'start-and-callback';
      break;
    case 'Scheduler':
      if (SCHEDULER.has(command)) allowed = Boolean(access.schedules);
      break;
  }
  if (allowed !== false) return undefined;
  const prefix = {
    DynamoDB: 'dynamodb',
    SES: 'ses',
    SNS: 'sns',
    StepFunctions: 'states',
    Scheduler: 'scheduler',
  }[service];
  return `${prefix}:${command}`;
}

interface S3Input {
  Bucket?: string;
  Key?: string;
  VersionId?: string;
  /** `bucket/key` (URL-encoded), optionally `?versionId=…`. */
  CopySource?: string;
}

/** The IAM action each object request needs, on its key (a versioned request needs the version action). */
const S3_OBJECT_COMMANDS: Record<string, { action: string; versioned?: string }> = {
  GetObject: { action: 's3:GetObject', versioned: 's3:GetObjectVersion' },
  HeadObject: { action: 's3:GetObject', versioned: 's3:GetObjectVersion' },
  PutObject: { action: 's3:PutObject' },
  CopyObject: { action: 's3:PutObject' },
  CreateMultipartUpload: { action: 's3:PutObject' },
  UploadPart: { action: 's3:PutObject' },
  CompleteMultipartUpload: { action: 's3:PutObject' },
  AbortMultipartUpload: { action: 's3:AbortMultipartUpload' },
  DeleteObject: { action: 's3:DeleteObject', versioned: 's3:DeleteObjectVersion' },
};

/** The object actions `access` grants on this key of the documents bucket (by the prefix it is under). */
function grantedOn(access: Access, key: string): readonly ObjectAction[] {
  if (key.startsWith(EXPORTS_PREFIX)) return access.exports ?? [];
  const prefix = DOCUMENT_PREFIXES.find((p) => key.startsWith(p));
  return prefix ? (access.documents?.[prefix as DocumentPrefix] ?? []) : [];
}

function deniedS3Action(
  access: Access,
  command: string,
  input: S3Input,
  buckets: GuardedBuckets,
): string | undefined {
  const inImports = (bucket: string) =>
    buckets.policyImports !== undefined && bucket === buckets.policyImports;
  const bucket = input.Bucket ?? '';
  if (command === 'ListObjectsV2' || command === 'ListObjects') {
    const may = inImports(bucket) ? Boolean(access.policyImports) : Boolean(access.documents?.list);
    return may ? undefined : `s3:ListBucket on resource: "arn:aws:s3:::${bucket}"`;
  }
  const needed = S3_OBJECT_COMMANDS[command];
  if (!needed || input.Key === undefined) return undefined;
  // What each object needs: the request's own, and for a copy s3:GetObject on its source too.
  const checks = [
    {
      action: input.VersionId && needed.versioned ? needed.versioned : needed.action,
      bucket,
      key: input.Key,
    },
  ];
  if (command === 'CopyObject' && input.CopySource) {
    const [path = '', query = ''] = input.CopySource.replace(/^\//, '').split('?');
    const [source = '', ...key] = path.split('/');
    const versioned = new URLSearchParams(query).has('versionId');
    checks.push({
      action: versioned ? 's3:GetObjectVersion' : 's3:GetObject',
      bucket: source,
      key: decodeURIComponent(key.join('/')),
    });
  }
  for (const c of checks) {
    const allowed = inImports(c.bucket)
      ? Boolean(access.policyImports) && c.action === 's3:GetObject'
      : grantedOn(access, c.key).some((a) => OBJECT_ACTION_IAM[a].includes(c.action));
    if (!allowed) return `${c.action} on resource: "arn:aws:s3:::${c.bucket}/${c.key}"`;
  }
  return undefined;
}

/** The error AWS answers a request the role does not allow with (client fault, not retried). */
export function accessDenied(functionName: string, action: string): Error {
  return Object.assign(
    new Error(
      `User: arn:aws:sts::000000000000:assumed-role/${functionName}/${functionName} is not authorized to perform: ${action} (local IAM guard: the function's access in routes.ts / task-functions.ts does not grant it)`,
    ),
    { name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 } },
  );
}
