import type { Access } from '../lambdas/shared/functions.ts';

/**
 * What a function's IAM role on AWS lets it ask of each service, from the same `access` CDK grants
 * from (lib/claims-function.ts `grantAccess`): the local stand-ins check no permissions, so the
 * local runtime asks this before each request a function makes (aws-clients.ts `guardRequests`).
 * Without it a function declared read-only that writes passes every local test and fails with
 * AccessDenied on AWS. Coarse where IAM is finer (S3 prefixes, KMS keys and contexts are not
 * modelled, nor the services left out below): it refuses only what the role certainly lacks.
 */

const DYNAMO_READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const DYNAMO_WRITES = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);
const S3_READS = new Set(['GetObject', 'HeadObject', 'ListObjectsV2']);
const S3_WRITES = new Set(['PutObject', 'CopyObject', 'DeleteObject']);
const SCHEDULER = new Set(['CreateSchedule', 'DeleteSchedule', 'GetSchedule', 'UpdateSchedule']);
const TASK_RESPONSES = new Set(['SendTaskSuccess', 'SendTaskFailure', 'SendTaskHeartbeat']);

/** The IAM action a request needs that `access` does not grant, or undefined when it is granted (or not modelled). */
export function deniedAction(access: Access, service: string, command: string): string | undefined {
  const wf = access.workflow;
  let allowed: boolean | undefined;
  switch (service) {
    case 'DynamoDB':
      if (DYNAMO_READS.has(command)) allowed = Boolean(access.table);
      else if (DYNAMO_WRITES.has(command)) allowed = access.table === 'readwrite';
      break;
    case 'S3':
      if (S3_READS.has(command))
        allowed = Boolean(access.documents || access.exports || access.policyImports);
      else if (S3_WRITES.has(command))
        allowed = access.documents === 'readwrite' || access.exports === 'readwrite';
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
    S3: 's3',
    SES: 'ses',
    SNS: 'sns',
    StepFunctions: 'states',
    Scheduler: 'scheduler',
  }[service];
  return `${prefix}:${command === 'CopyObject' ? 'PutObject' : command}`;
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
