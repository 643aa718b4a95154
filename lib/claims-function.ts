import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, type IRole, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { FIELD_PURPOSES } from '../lambdas/core/payout-account.ts';
import { OBJECT_ACTION_IAM, type ObjectAction } from '../lambdas/shared/bucket-prefixes.ts';
import { type Access, BASE_FUNCTION_ENV, functionEnvNames } from '../lambdas/shared/functions.ts';
import { enableSourceMaps, LAMBDA_BUNDLE, lambdaEsbuildArgs } from './bundling.ts';
import { type Department, EXPORTS_PREFIX, REPO_ROOT, repoPath, resourceNames } from './config.ts';
import { InlinePolicyRole } from './inline-policy-role.ts';
import { writeLambdaInputs } from './lambda-inputs.ts';
import { acknowledge, grantWithAcknowledgedWildcards } from './nag.ts';

/** One place to move every function to a newer runtime (see the AwsSolutions-L1 acknowledgement). */
export const CLAIMS_RUNTIME = Runtime.NODEJS_22_X;

/**
 * The environment contract between CDK and the handlers (lambdas/adapters read these names).
 * `grantAccess` is the only code that sets them.
 */
export const ENV = {
  stage: 'STAGE',
  table: 'TABLE_NAME',
  documentsBucket: 'DOCUMENTS_BUCKET',
  exportsBucket: 'EXPORTS_BUCKET',
  policyImportsBucket: 'POLICY_IMPORTS_BUCKET',
  stateMachineArn: 'CLAIM_STATE_MACHINE_ARN',
  deadlineReplanStateMachineArn: 'DEADLINE_REPLAN_STATE_MACHINE_ARN',
  emailFrom: 'EMAIL_FROM',
  webBaseUrl: 'WEB_BASE_URL',
  claimsInboxAddress: 'CLAIMS_INBOX_ADDRESS',
  smsSenderId: 'SMS_SENDER_ID',
  departmentTopicArns: 'DEPARTMENT_TOPIC_ARNS',
  schedulerGroup: 'SCHEDULER_GROUP',
  schedulerRoleArn: 'SCHEDULER_ROLE_ARN',
  schedulerDeadLetterArn: 'SCHEDULER_DEAD_LETTER_ARN',
  deadlineTargetArn: 'DEADLINE_TARGET_ARN',
  userPoolId: 'USER_POOL_ID',
  fieldKeyId: 'FIELD_KEY_ID',
  fingerprintKeyId: 'FINGERPRINT_KEY_ID',
  auditKeyId: 'AUDIT_KEY_ID',
  cursorSigningKey: 'CURSOR_SIGNING_KEY',
} as const;

export interface ClaimsFunctionProps {
  stage: string;
  /** Physical function name (stage-prefixed, see resourceNames().function). */
  functionName: string;
  /** Handler module relative to the repo root, exporting `handler`. */
  entry: string;
  description?: string;
  timeout?: Duration;
  memorySize?: number;
  /** For asynchronously invoked functions (EventBridge, Scheduler): where failed events end up. */
  deadLetterQueue?: IQueue;
}

/**
 * Every Lambda of the system: one construct carrying all defaults (Node 22 on arm64, ESM bundle with
 * source maps built by the local esbuild, X-Ray, JSON logs into an explicit log group with retention,
 * a least-privilege role without AWS managed policies). Access is added with {@link grantAccess}.
 */
export class ClaimsFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: InlinePolicyRole;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ClaimsFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Own role instead of the default one, which carries the AWSLambdaBasicExecutionRole managed
    // policy (logs:* on every log group): this one may only write to its own log group. Its grants
    // are its own inline policy, not a separate AWS::IAM::Policy (lib/inline-policy-role.ts).
    this.role = new InlinePolicyRole(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.functionName}`,
    });
    this.logGroup.grantWrite(this.role);

    // What the bundles import in build-time form (lib/lambda-inputs.ts), written once per synth.
    writeLambdaInputs();
    this.fn = new NodejsFunction(this, 'Function', {
      functionName: props.functionName,
      description: props.description,
      entry: repoPath(props.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: repoPath('package-lock.json'),
      runtime: CLAIMS_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      deadLetterQueue: props.deadLetterQueue,
      awsSdkConnectionReuse: false, // set explicitly below; CDK only sets it for SDK v2 runtimes
      environment: {
        [ENV.stage]: props.stage,
        // The `service` dimension of every custom metric (lambdas/adapters/metrics.ts) and the
        // logs' `service`: the stage's name prefix, so the alarms and the dashboard of one stage
        // read only its own metrics when stages share an account (lib/operations-alarms.ts).
        POWERTOOLS_SERVICE_NAME: resourceNames(this, props.stage).prefix,
        // Never log invocation events: request bodies carry personal data (bank account numbers).
        POWERTOOLS_LOGGER_LOG_EVENT: 'false',
        // Per function, from the measurement in lib/bundling.ts.
        ...(enableSourceMaps(props.entry) ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
      },
      bundling: {
        format: OutputFormat.ESM,
        mainFields: [...LAMBDA_BUNDLE.mainFields],
        banner: LAMBDA_BUNDLE.banner,
        target: LAMBDA_BUNDLE.target,
        minify: LAMBDA_BUNDLE.minify,
        sourceMap: LAMBDA_BUNDLE.sourceMap,
        sourcesContent: false,
        esbuildArgs: lambdaEsbuildArgs(),
        // Pin the SDK version we test with instead of the one the runtime happens to ship.
        bundleAwsSDK: true,
        forceDockerBundling: false,
      },
    });

    acknowledge(
      this.fn,
      'AwsSolutions-L1',
      `Deliberately pinned to ${CLAIMS_RUNTIME.name} (Active LTS, the line CI and Powertools are verified ` +
        'on); upgrade all functions at once via CLAIMS_RUNTIME.',
    );
    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray active tracing: xray:PutTraceSegments/PutTelemetryRecords support no resource-level permissions.',
    );
  }

  addEnvironment(key: string, value: string): void {
    this.fn.addEnvironment(key, value);
  }
}

/** What `grantAccess` can bind a function to. */
export interface AccessResources {
  /** The single table, imported by name in the consuming stack (with its KMS key). */
  table: ITableV2;
  /** The documents bucket, imported by name in the consuming stack (with its KMS key). */
  documents: IBucket;
  /** Policy files from the policy administration system (with their KMS key). */
  policyImports: IBucket;
  /** The claim workflow, referenced by name so functions used inside it cause no cycle. */
  workflow: IStateMachine;
  /** The deadline re-planning state machine (a calendar change), referenced by name like the workflow. */
  deadlineReplan: IStateMachine;
  email: { from: string; webBaseUrl: string; inbox: string };
  sms: { senderId: string };
  topics: Record<Department, ITopic>;
  schedules: { groupName: string; role: IRole; deadLetterArn: string; deadlineTargetArn?: string };
  identity: IUserPool;
  /** Field-level encryption key (personal data sealed in the table). */
  fieldKey: IKey;
  /** HMAC key for keyed fingerprints of account numbers. */
  fingerprintKey: IKey;
  /** HMAC key for the audit chains' anchors. */
  auditKey: IKey;
  /** The per-stage paging cursor signing key (Secrets Manager). */
  cursorSigningKey: ISecret;
}

/**
 * Cognito administration for staff management (create, update attributes, group membership,
 * disable). Deliberately without AdminDeleteUser / AdminSetUserPassword.
 */
const IDENTITY_ACTIONS = [
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminUpdateUserAttributes',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminRemoveUserFromGroup',
  'cognito-idp:AdminListGroupsForUser',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminEnableUser',
  'cognito-idp:AdminUserGlobalSignOut',
  'cognito-idp:ListUsers',
  'cognito-idp:ListUsersInGroup',
];

const KNOWN_ACCESS = new Set<keyof Access>([
  'table',
  'documents',
  'workflow',
  'deadlineReplan',
  'email',
  'sms',
  'topics',
  'schedules',
  'identity',
  'fieldKey',
  'fingerprint',
  'auditAnchor',
  'cursors',
  'exports',
  'policyImports',
  'siteLinks',
]);

/**
 * Object access by key prefix: for each prefix, exactly the IAM actions of its {@link ObjectAction}s
 * on `<bucket>/<prefix>*` (never the whole bucket, never an object version), and the bucket key's
 * data-key actions only as S3 uses them on the function's behalf (kms:ViaService): kms:Decrypt to
 * read (and to complete a multipart upload), kms:GenerateDataKey to write.
 */
function grantObjects(
  target: ClaimsFunction,
  bucket: IBucket,
  byPrefix: { readonly [prefix: string]: readonly ObjectAction[] | undefined },
): void {
  const { role } = target;
  const granted = Object.entries(byPrefix).filter((e): e is [string, readonly ObjectAction[]] =>
    Boolean(e[1]?.length),
  );
  grantWithAcknowledgedWildcards(
    role,
    'Object keys are generated per claim, batch or message at runtime, so each grant is on one ' +
      "prefix's objects (<bucket>/<prefix>*), with the object actions that function needs there.",
    () => {
      for (const [prefix, actions] of granted) {
        role.addToPrincipalPolicy(
          new PolicyStatement({
            actions: [...new Set(actions.flatMap((a) => OBJECT_ACTION_IAM[a]))],
            resources: [bucket.arnForObjects(`${prefix}*`)],
          }),
        );
      }
    },
  );
  const actions = granted.flatMap(([, a]) => a);
  const key = bucket.encryptionKey;
  if (!key || actions.length === 0) return;
  role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: actions.includes('put') ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'],
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(target).region}.amazonaws.com` } },
    }),
  );
}

/**
 * `bindTable`-style: for each kind of access a function declares in routes.ts / task-functions.ts,
 * grant the least privilege AND set the environment variable the handler reads - in one place.
 * An access kind this function does not know fails synth rather than deploying a function that
 * lacks the permission.
 */
export function grantAccess(target: ClaimsFunction, access: Access, resources: AccessResources): void {
  const unknown = Object.keys(access).filter((k) => !KNOWN_ACCESS.has(k as keyof Access));
  if (unknown.length > 0) {
    throw new Error(
      `${target.node.path}: no grant for access ${unknown.join(', ')} (lib/claims-function.ts)`,
    );
  }
  const { fn, role } = target;
  const stack = Stack.of(target);
  const set = new Set<string>(BASE_FUNCTION_ENV);
  const setEnv = (name: string, value: string) => {
    target.addEnvironment(name, value);
    set.add(name);
  };

  if (access.table) {
    setEnv(ENV.table, resources.table.tableName);
    grantWithAcknowledgedWildcards(
      role,
      'Single-table design: queries use the GSIs (table/<name>/index/*) and the customer-managed ' +
        "key's data-key actions (kms:GenerateDataKey*/ReEncrypt*) come from CDK's grant.",
      () =>
        access.table === 'readwrite'
          ? resources.table.grantReadWriteData(fn)
          : resources.table.grantReadData(fn),
    );
  }

  if (access.documents) {
    setEnv(ENV.documentsBucket, resources.documents.bucketName);
    const { list, ...byPrefix } = access.documents;
    grantObjects(target, resources.documents, byPrefix);
    if (list) {
      role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['s3:ListBucket'], resources: [resources.documents.bucketArn] }),
      );
    }
  }

  if (access.exports) {
    // Finance files live under `exports/` of the documents bucket (their own variable, this prefix only).
    setEnv(ENV.exportsBucket, resources.documents.bucketName);
    grantObjects(target, resources.documents, { [EXPORTS_PREFIX]: access.exports });
  }

  if (access.policyImports) {
    setEnv(ENV.policyImportsBucket, resources.policyImports.bucketName);
    grantWithAcknowledgedWildcards(
      role,
      'Policy files arrive under keys the policy administration system chooses, so object read is on ' +
        "<bucket>/*; the action wildcards (s3:GetObject*, s3:List*, kms:Decrypt) are CDK's bucket grant.",
      () => resources.policyImports.grantRead(fn),
    );
  }

  if (access.workflow) {
    setEnv(ENV.stateMachineArn, resources.workflow.stateMachineArn);
    if (access.workflow !== 'callback') resources.workflow.grantStartExecution(fn);
    if (access.workflow !== 'start') resources.workflow.grantTaskResponse(fn);
  }

  if (access.deadlineReplan) {
    // Start only (no StopExecution, no task callbacks), on this one state machine.
    setEnv(ENV.deadlineReplanStateMachineArn, resources.deadlineReplan.stateMachineArn);
    resources.deadlineReplan.grantStartExecution(fn);
  }

  if (access.siteLinks) setEnv(ENV.webBaseUrl, resources.email.webBaseUrl);

  if (access.email) {
    setEnv(ENV.emailFrom, resources.email.from);
    setEnv(ENV.webBaseUrl, resources.email.webBaseUrl);
    setEnv(ENV.claimsInboxAddress, resources.email.inbox);
    grantWithAcknowledgedWildcards(
      role,
      'SES authorises SendEmail against the sending identity and, in the sandbox, the recipient ' +
        'identities too; the ses:FromAddress condition pins the sender to EMAIL_FROM.',
      () =>
        role.addToPrincipalPolicy(
          new PolicyStatement({
            effect: Effect.ALLOW,
            actions: ['ses:SendEmail', 'ses:SendRawEmail'],
            resources: [stack.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' })],
            conditions: { StringEquals: { 'ses:FromAddress': resources.email.from } },
          }),
        ),
    );
  }

  if (access.sms) {
    setEnv(ENV.smsSenderId, resources.sms.senderId);
    // Direct SMS (Publish with PhoneNumber) has no resource ARN: SNS requires Resource "*".
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
    acknowledge(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      'sns:Publish to a phone number (SMS) has no resource ARN, SNS requires Resource "*"; X-Ray ' +
        'tracing needs "*" too.',
    );
  }

  if (access.topics) {
    setEnv(
      ENV.departmentTopicArns,
      stack.toJsonString(
        Object.fromEntries(Object.entries(resources.topics).map(([d, t]) => [d, t.topicArn])),
      ),
    );
    grantWithAcknowledgedWildcards(
      role,
      'Department topics are encrypted with a customer-managed key: publishing needs kms:GenerateDataKey*.',
      () => {
        for (const topic of Object.values(resources.topics)) topic.grantPublish(fn);
      },
    );
  }

  if (access.schedules) {
    const { groupName, role: schedulerRole, deadLetterArn, deadlineTargetArn } = resources.schedules;
    setEnv(ENV.schedulerGroup, groupName);
    setEnv(ENV.schedulerRoleArn, schedulerRole.roleArn);
    setEnv(ENV.schedulerDeadLetterArn, deadLetterArn);
    if (deadlineTargetArn) setEnv(ENV.deadlineTargetArn, deadlineTargetArn);
    grantWithAcknowledgedWildcards(
      role,
      'One schedule per claim deadline, named at runtime: access is limited to schedules in the ' +
        'claims deadline group (schedule/<group>/*).',
      () =>
        role.addToPrincipalPolicy(
          new PolicyStatement({
            actions: [
              'scheduler:CreateSchedule',
              'scheduler:DeleteSchedule',
              'scheduler:GetSchedule',
              'scheduler:UpdateSchedule',
            ],
            resources: [
              stack.formatArn({
                service: 'scheduler',
                resource: 'schedule',
                resourceName: `${groupName}/*`,
                arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
              }),
            ],
          }),
        ),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
  }

  if (access.identity) {
    setEnv(ENV.userPoolId, resources.identity.userPoolId);
    resources.identity.grant(fn, ...IDENTITY_ACTIONS);
  }

  if (access.fingerprint) {
    setEnv(ENV.fingerprintKeyId, resources.fingerprintKey.keyArn);
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['kms:GenerateMac'], resources: [resources.fingerprintKey.keyArn] }),
    );
  }
  if (access.auditAnchor) {
    setEnv(ENV.auditKeyId, resources.auditKey.keyArn);
    // Only the anchoring function makes anchors; it also checks the anchor it extends. Verifiers
    // can only check, so a reader of the audit trail cannot vouch for a chain it rewrote.
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: access.auditAnchor === 'write' ? ['kms:GenerateMac', 'kms:VerifyMac'] : ['kms:VerifyMac'],
        resources: [resources.auditKey.keyArn],
      }),
    );
  }
  if (access.fieldKey) {
    setEnv(ENV.fieldKeyId, resources.fieldKey.keyArn);
    // Sealing needs only new data keys, opening only Decrypt; the encryption-context condition keeps
    // the grant to field encryption of this app (lambdas/adapters/field-crypto.ts).
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: access.fieldKey === 'encrypt' ? ['kms:GenerateDataKey'] : ['kms:Decrypt'],
        resources: [resources.fieldKey.keyArn],
        conditions: {
          StringEquals: {
            'kms:EncryptionContext:app': 'claims',
            'kms:EncryptionContext:purpose': [...FIELD_PURPOSES],
          },
        },
      }),
    );
  }
  if (access.cursors) {
    // A dynamic reference resolved by CloudFormation at deploy time: the value is never in the
    // template, and the handler needs no Secrets Manager call on a cold start.
    setEnv(ENV.cursorSigningKey, resources.cursorSigningKey.secretValue.unsafeUnwrap());
  }
  // The local runtime gives each function exactly functionEnvNames(access): keep both in step.
  // (DEADLINE_TARGET_ARN only exists once the deadline function does.)
  const expected = functionEnvNames(access).filter(
    (n) => n !== 'DEADLINE_TARGET_ARN' || resources.schedules.deadlineTargetArn,
  );
  const differ = [...new Set([...expected, ...set])].filter((n) => set.has(n) !== expected.includes(n));
  if (differ.length > 0) {
    throw new Error(
      `${target.node.path}: environment differs from functionEnvNames (lambdas/shared/functions.ts): ${differ.join(', ')}`,
    );
  }
}
