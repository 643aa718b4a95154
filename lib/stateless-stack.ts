import { existsSync, readFileSync } from 'node:fs';
import {
  ArnFormat,
  CfnOutput,
  Duration,
  NestedStack,
  RemovalPolicy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventField, Match, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type IRole, Role } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { STOPPED_EXECUTION_STATUSES } from '../lambdas/core/workflow-failures.ts';
import { CORS, ROUTES } from '../lambdas/routes.ts';
import type { RouteDef, TaskFunctionDef } from '../lambdas/shared/functions.ts';
import {
  CLAIM_STATE_MACHINE,
  DEADLINE_REPLAN_STATE_MACHINE,
  POLICY_IMPORT_PREFIX,
  POLICY_IMPORT_STATE_MACHINE,
  TASK_FUNCTIONS,
} from '../lambdas/task-functions.ts';
import { type AccessResources, ClaimsFunction, grantAccess } from './claims-function.ts';
import {
  ANCHOR_STREAM_FILTER,
  assertWebDistExists,
  STREAM_FILTER,
  type ClaimsConfig,
  DEPARTMENTS,
  type Department,
  LOCALES,
  type ResourceNames,
  repoPath,
  resourceNames,
  UPLOAD_PREFIX,
  INBOUND_EMAIL_PREFIX,
  WEB_APPS,
  type WebApp,
} from './config.ts';
import { HASHED_WEB_ASSETS, IMMUTABLE_CACHE_CONTROL } from '../web/hosting.ts';
import { acknowledge, acknowledgeManagedRoleWildcards } from './nag.ts';
import { OperationsAlarms } from './operations-alarms.ts';
import { OperationsDashboard } from './operations-dashboard.ts';
import type { StatefulStack } from './stateful-stack.ts';
import type { WebHostingStack } from './web-hosting-stack.ts';

export interface StatelessStackProps extends StackProps {
  config: ClaimsConfig;
  stateful: StatefulStack;
  web: WebHostingStack;
}

/** Shape of `<app>/config.json` read by the front ends at start-up. */
export interface WebAppConfig {
  apiUrl: string;
  auth: { mode: 'cognito'; domain: string; clientId: string; region: string; redirectUri: string };
  locales: readonly string[];
}

/** The compensating task, also run for claim executions that end without their Catch. */
const WORKFLOW_STOPPED_RECORDER = 'RecordWorkflowFailure';

/** Default-stage throttling for the whole API (per account limits still apply on top). */
const API_THROTTLE = { rateLimit: 50, burstLimit: 100 };

/**
 * Compute and wiring, safe to destroy and redeploy: one Lambda per route and task function (looped
 * from routes.ts / task-functions.ts), the HTTP API with the Cognito JWT authorizer, the claim
 * workflow, event wiring, department topics and the deployment of the built front ends.
 */
export class StatelessStack extends Stack {
  readonly names: ResourceNames;
  readonly api: HttpApi;
  /** Base URL of the API without a trailing slash. */
  readonly apiUrl: string;
  readonly routeFunctions = new Map<string, ClaimsFunction>();
  /**
   * The API's routes, their Lambda integrations and invoke permissions (three resources per route):
   * in a nested stack, so the functions and everything else stay well under CloudFormation's
   * 500-resource limit per stack as routes are added.
   */
  readonly apiRoutes: NestedStack;
  readonly taskFunctions = new Map<string, ClaimsFunction>();
  readonly stateMachine: StateMachine;
  /** One execution per policy file: loops over ImportPolicies until the file is read. */
  readonly policyImport: StateMachine;
  /** One execution per holiday calendar change: loops over ReplanDeadlines until every open claim is read. */
  readonly deadlineReplan: StateMachine;
  readonly departmentTopics: Record<Department, Topic>;
  /** The role Scheduler assumes (stateful stack, imported by its fixed name). */
  readonly schedulerRole: IRole;
  /** Dead letters of the asynchronous triggers (uploads, deadlines) and the claim-event stream. */
  readonly asyncFailures: Queue;
  /** Everything `grantAccess` binds to, for functions added later. */
  readonly accessResources: AccessResources;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, stateful, web } = props;
    assertWebDistExists(config);
    assertEntriesExist([
      ...(ROUTES as readonly RouteDef[]),
      ...(TASK_FUNCTIONS as readonly TaskFunctionDef[]),
    ]);
    const names = resourceNames(this, config.stage);
    this.names = names;
    // Stateful resources are imported by their deterministic names (see resourceNames), so add the
    // deployment order explicitly.
    this.addStackDependency(stateful);

    // --- Department topics (referrals to underwriting, legal, finance, SIU) -------------------
    const topicsKey = new Key(this, 'TopicsKey', {
      alias: `alias/${names.prefix}-topics`,
      description: 'Department notification topics',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.departmentTopics = Object.fromEntries(
      DEPARTMENTS.map((d) => [
        d,
        new Topic(this, `Topic-${d}`, {
          topicName: names.topic(d),
          displayName: `Claims - ${d}`,
          masterKey: topicsKey,
          enforceSSL: true,
        }),
      ]),
    ) as Record<Department, Topic>;

    // --- Deadlines: the group, the role Scheduler assumes and its dead-letter queue are state ----
    // (stateful stack: each schedule stores the role's and the queue's ARNs); imported by name.
    this.schedulerRole = Role.fromRoleName(this, 'SchedulerRole', names.schedulerRole, { mutable: false });
    const deadlineDeadLetters = Queue.fromQueueAttributes(this, 'DeadlineDeadLetters', {
      queueName: names.deadlineDeadLetters,
      queueArn: this.formatArn({ service: 'sqs', resource: names.deadlineDeadLetters }),
    });
    const tasks = TASK_FUNCTIONS as readonly TaskFunctionDef[];
    const deadlineTask = tasks.find((t) => t.trigger === 'deadline-schedules');

    this.asyncFailures = new Queue(this, 'AsyncFailures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.asyncFailures,
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue (Lambda async on-failure destination, EventBridge ' +
        'target DLQ and the table-stream on-failure destination).',
    );

    this.accessResources = {
      table: TableV2.fromTableAttributes(this, 'Table', {
        tableName: names.table,
        encryptionKey: stateful.tableKey,
        grantIndexPermissions: true,
      }),
      documents: Bucket.fromBucketAttributes(this, 'DocumentsBucket', {
        bucketName: names.documentsBucket,
        encryptionKey: stateful.documentsKey,
      }),
      policyImports: Bucket.fromBucketAttributes(this, 'PolicyImportsBucket', {
        bucketName: names.policyImportsBucket,
        encryptionKey: stateful.policyImportsKey,
      }),
      workflow: StateMachine.fromStateMachineName(this, 'ClaimWorkflowRef', names.stateMachine),
      deadlineReplan: StateMachine.fromStateMachineName(
        this,
        'DeadlineReplanRef',
        names.deadlineReplanStateMachine,
      ),
      email: { from: config.emailFrom, webBaseUrl: web.webUrl, inbox: config.claimsInboxAddress },
      sms: { senderId: config.smsSenderId },
      topics: this.departmentTopics,
      schedules: {
        groupName: names.scheduleGroup,
        role: this.schedulerRole,
        deadLetterArn: deadlineDeadLetters.queueArn,
        // Built from the name, not the function, so the target may itself manage schedules.
        deadlineTargetArn: deadlineTask
          ? this.formatArn({
              service: 'lambda',
              resource: 'function',
              resourceName: names.function(deadlineTask.id),
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            })
          : undefined,
      },
      identity: stateful.userPool,
      fieldKey: stateful.fieldKey,
      fingerprintKey: stateful.fingerprintKey,
      auditKey: stateful.auditKey,
      cursorSigningKey: stateful.cursorSigningKey,
    };

    // --- HTTP API -----------------------------------------------------------------------------
    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `${names.prefix}-api`,
      description: 'Claims HTTP API',
      createDefaultStage: false, // created below with access logs and throttling
      corsPreflight: {
        allowOrigins: stateful.webOrigins,
        allowHeaders: [...CORS.allowHeaders],
        allowMethods: CORS.allowMethods.map((m) => CorsHttpMethod[m]),
        exposeHeaders: [...CORS.exposeHeaders],
        maxAge: Duration.seconds(CORS.maxAgeSeconds),
        allowCredentials: false, // bearer tokens, no cookies
      },
    });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            // The path as called (which claim) and who called it (the JWT's sub; "-" on public
            // routes): after a leak, the reads of one user or of one claim (docs/operations-runbook.md).
            path: '$context.path',
            userId: '$context.authorizer.claims.sub',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            userAgent: '$context.identity.userAgent',
          }),
        ),
      },
    });
    this.apiUrl = `https://${this.api.apiId}.execute-api.${this.region}.${this.urlSuffix}`;

    const jwt: IHttpRouteAuthorizer = new HttpJwtAuthorizer(
      'CognitoJwt',
      `https://cognito-idp.${this.region}.${this.urlSuffix}/${stateful.userPool.userPoolId}`,
      { authorizerName: 'cognito', jwtAudience: [stateful.userPoolClient.userPoolClientId] },
    );

    this.apiRoutes = new NestedStack(this, 'ApiRoutes', {
      description: 'Claims HTTP API: routes, Lambda integrations and invoke permissions',
    });
    for (const route of ROUTES as readonly RouteDef[]) {
      const fn = new ClaimsFunction(this, route.id, {
        stage: config.stage,
        functionName: names.function(route.id),
        entry: route.entry,
        description: `${route.method} ${route.path} - ${route.summary}`,
      });
      grantAccess(fn, route.access, this.accessResources);
      this.routeFunctions.set(route.id, fn);

      const httpRoute = new HttpRoute(this.apiRoutes, `${route.id}Route`, {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: new HttpLambdaIntegration(`${route.id}Integration`, fn.fn),
        ...(route.auth === 'jwt' ? { authorizer: jwt } : {}),
      });
      if (route.auth === 'public') {
        acknowledge(
          httpRoute,
          'AwsSolutions-APIG4',
          `Public by design (${route.summary}); returns no claim data.`,
        );
      }
    }

    // --- Task functions and the claim workflow ---------------------------------------------------
    for (const task of tasks) {
      // An on-failure destination only where the function is invoked asynchronously (EventBridge,
      // Scheduler): unlike a Lambda DLQ (the event alone), its record names the function and holds
      // the request, so `npm run replay-dead-letters` can invoke the right function again.
      const invokedAsync =
        task.trigger === 'documents-uploaded' ||
        task.trigger === 'deadline-schedules' ||
        task.trigger === 'email-received' ||
        task.id === WORKFLOW_STOPPED_RECORDER;
      const fn = new ClaimsFunction(this, task.id, {
        stage: config.stage,
        functionName: names.function(task.id),
        entry: task.entry,
        description: task.trigger ? `Triggered by ${task.trigger}` : 'Claim workflow task',
        timeout: task.timeoutSeconds ? Duration.seconds(task.timeoutSeconds) : undefined,
      });
      if (invokedAsync)
        fn.fn.configureAsyncInvoke({
          onFailure: new SqsDestination(this.asyncFailures),
          // Lambda's own retries of a failed attempt, explicit. For ReceiveEmail: the first lands
          // inside the takeover time and fails again, the second takes the message over
          // (MAX_EMAIL_ATTEMPTS, lambdas/app/email-intake.ts); then the dead-letter queue, and the
          // staff queue shows the message as stuck. An hour bounds how long an e-mail waits for
          // them; the others keep Lambda's default of 6 hours.
          retryAttempts: 2,
          maxEventAge: task.trigger === 'email-received' ? Duration.hours(1) : Duration.hours(6),
        });
      grantAccess(fn, task.access, this.accessResources);
      this.taskFunctions.set(task.id, fn);
    }

    // The ASL passes claim ids only; personal data stays in the table.
    this.stateMachine = this.aslStateMachine(
      'ClaimLifecycle',
      CLAIM_STATE_MACHINE.file,
      names.stateMachine,
      tasks.filter((t) => (t.stateMachine ?? 'claim-lifecycle') === 'claim-lifecycle'),
    );

    this.addWorkflowStoppedTrigger();

    this.policyImport = this.addPolicyImportWorkflow(
      tasks.filter((t) => t.stateMachine === 'policy-import'),
      names,
    );
    this.deadlineReplan = this.addDeadlineReplanWorkflow(
      tasks.filter((t) => t.stateMachine === 'deadline-replan'),
      names,
    );

    // --- Event triggers of task functions (task-functions.ts `trigger`) -----------------------
    for (const task of tasks) {
      const fn = this.taskFunctions.get(task.id);
      if (!fn || !task.trigger) continue;
      switch (task.trigger) {
        case 'documents-uploaded':
          this.addUploadTrigger(task.id, fn, names);
          break;
        case 'claim-event-stream':
          this.addClaimEventStreamTrigger(fn, stateful, names);
          break;
        case 'deadline-schedules':
          // Schedules are created at runtime (SCHEDULER_ROLE_ARN, DEADLINE_TARGET_ARN); the role
          // Scheduler assumes may invoke this function by its name (stateful stack).
          break;
        case 'email-received':
          this.addEmailReceivedTrigger(task.id, fn, names);
          break;
        case 'audit-anchor-stream':
          this.addAuditAnchorStreamTrigger(fn, stateful, names);
          break;
        default: {
          const unknown: never = task.trigger;
          throw new Error(`${task.id}: no wiring for trigger ${String(unknown)}`);
        }
      }
    }

    // --- Alarms: dead letters, failed workflows, a stalled outbox deliverer ---------------------
    const streamProcessor = tasks.find((t) => t.trigger === 'claim-event-stream');
    const processor = streamProcessor && this.taskFunctions.get(streamProcessor.id);
    if (!processor) throw new Error('No claim-event-stream task function to watch');
    const anchorTask = tasks.find((t) => t.trigger === 'audit-anchor-stream');
    const anchorer = anchorTask && this.taskFunctions.get(anchorTask.id);
    if (!anchorer) throw new Error('No audit-anchor-stream task function to watch');
    new OperationsAlarms(this, 'Alarms', {
      prefix: names.prefix,
      alarmEmail: config.alarmEmail,
      topicKey: topicsKey,
      deadLetters: this.asyncFailures,
      api: this.api,
      workflow: this.stateMachine,
      policyImport: this.policyImport,
      deadlineReplan: this.deadlineReplan,
      deadlineSchedules: ScheduleGroup.fromScheduleGroupName(this, 'DeadlineSchedules', names.scheduleGroup),
      deadlineDeadLetters,
      streamProcessor: processor.fn,
      auditAnchorer: anchorer.fn,
    });
    new OperationsDashboard(this, 'Dashboard', {
      prefix: names.prefix,
      api: this.api,
      tableName: names.table,
      workflow: this.stateMachine,
    });

    // --- Front ends: web/dist + generated config.json per app ---------------------------------
    const webConfig = (app: WebApp): WebAppConfig => ({
      apiUrl: this.apiUrl,
      auth: {
        mode: 'cognito',
        domain: stateful.hostedUiBaseUrl,
        clientId: stateful.userPoolClient.userPoolClientId,
        region: this.region,
        redirectUri: `${web.webUrl}/${app}/`,
      },
      locales: LOCALES,
    });
    const webBucket = Bucket.fromBucketName(this, 'WebBucket', names.webBucket);
    // Content-hashed bundles (`<app>/assets/*`) never change under their name: browsers keep them
    // for a year. Each deployment prunes only its own files (excluded paths are never pruned).
    const assets = new BucketDeployment(this, 'WebAssets', {
      destinationBucket: webBucket,
      sources: [Source.asset(config.webDistDir)],
      exclude: ['*'],
      include: [HASHED_WEB_ASSETS],
      cacheControl: [CacheControl.fromString(IMMUTABLE_CACHE_CONTROL)],
      memoryLimit: 256,
      prune: true,
    });
    const deployment = new BucketDeployment(this, 'WebContent', {
      destinationBucket: webBucket,
      sources: [
        Source.asset(config.webDistDir),
        ...WEB_APPS.map((app) => Source.jsonData(`${app}/config.json`, webConfig(app))),
      ],
      exclude: [HASHED_WEB_ASSETS],
      // Browsers revalidate every other file (cheap 304s, never a stale config.json or index.html);
      // CloudFront keeps them until the invalidation this deployment issues.
      cacheControl: [CacheControl.fromString('public, max-age=0, s-maxage=31536000, must-revalidate')],
      distribution: web.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 256,
      prune: true,
    });
    deployment.node.addDependency(assets); // new bundles are in place before the pages naming them
    this.acknowledgeBucketDeploymentProvider(deployment);

    // --- Outputs ------------------------------------------------------------------------------
    new CfnOutput(this, 'ApiUrl', { value: this.apiUrl });
    new CfnOutput(this, 'WebUrl', { value: web.webUrl });
    new CfnOutput(this, 'UserPoolId', { value: stateful.userPool.userPoolId });
    new CfnOutput(this, 'ClientId', { value: stateful.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'HostedUiDomain', { value: stateful.hostedUiBaseUrl });
    new CfnOutput(this, 'StateMachineArn', { value: this.stateMachine.stateMachineArn });
    // What `npm run replay-dead-letters` reads (DEAD_LETTERS_QUEUE_URL): docs/operations-runbook.md.
    new CfnOutput(this, 'DeadLettersQueueUrl', { value: this.asyncFailures.queueUrl });
    new CfnOutput(this, 'DepartmentTopicArns', {
      value: this.toJsonString(
        Object.fromEntries(Object.entries(this.departmentTopics).map(([d, t]) => [d, t.topicArn])),
      ),
    });
  }

  private substitutionsFor(tasks: readonly TaskFunctionDef[]): Record<string, string> {
    return Object.fromEntries(
      tasks.flatMap((t) => {
        const fn = this.taskFunctions.get(t.id);
        return t.aslSubstitution && fn ? [[t.aslSubstitution, fn.fn.functionArn]] : [];
      }),
    );
  }

  /**
   * A standard state machine from its ASL file (the one definition the local stack runs too), with
   * every task placeholder substituted (synth fails otherwise), all its execution data logged to its
   * own log group (the ASLs carry ids, cursors and counts, never personal data), X-Ray tracing, and
   * the right to invoke exactly the task functions its ASL names: the definition comes from a file,
   * so CDK cannot infer them. `id` names the construct and, with `Logs`, its log group.
   */
  private aslStateMachine(
    id: string,
    aslFile: string,
    stateMachineName: string,
    tasks: readonly TaskFunctionDef[],
  ): StateMachine {
    const file = repoPath(aslFile);
    const substitutions = this.substitutionsFor(tasks);
    assertAllPlaceholdersSubstituted(readFileSync(file, 'utf8'), substitutions, file);
    const logs = new LogGroup(this, `${id}Logs`, {
      // The /aws/vendedlogs/ prefix keeps the CloudWatch Logs resource policy small.
      logGroupName: `/aws/vendedlogs/states/${stateMachineName}`,
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const machine = new StateMachine(this, id, {
      stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromFile(file),
      definitionSubstitutions: substitutions,
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    for (const t of tasks) {
      if (t.aslSubstitution) this.taskFunctions.get(t.id)?.fn.grantInvokeLatestVersion(machine);
    }
    acknowledge(
      machine.role,
      'AwsSolutions-IAM5[Resource::*]',
      'Step Functions log delivery (logs:CreateLogDelivery, ...) and X-Ray support no resource-level permissions.',
    );
    return machine;
  }

  /**
   * A claim execution that timed out (Step Functions' one-year limit) or was stopped by hand ends
   * without passing its Catch, so the compensating step never runs and nobody would see the claim
   * stranded: EventBridge's status change event runs it instead (core/workflow-failures.ts
   * STOPPED_EXECUTION_STATUSES; FAILED already went through the Catch). Retried for 6 h, then
   * dead-lettered, like the other EventBridge triggers.
   */
  private addWorkflowStoppedTrigger(): void {
    const recorder = this.taskFunctions.get(WORKFLOW_STOPPED_RECORDER);
    if (!recorder) throw new Error(`No ${WORKFLOW_STOPPED_RECORDER} task function for stopped executions`);
    new Rule(this, 'ClaimWorkflowStopped', {
      description: `A claim workflow execution ${STOPPED_EXECUTION_STATUSES.join(' or ')} -> ${WORKFLOW_STOPPED_RECORDER}`,
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          stateMachineArn: [this.stateMachine.stateMachineArn],
          status: [...STOPPED_EXECUTION_STATUSES],
        },
      },
      targets: [
        new LambdaFunction(recorder.fn, {
          deadLetterQueue: this.asyncFailures,
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
  }

  /**
   * The policy-import state machine and its trigger: a file under `incoming/` of the import bucket
   * ("Object Created" via EventBridge) starts one execution with the file's bucket, key and ETag.
   * A loop of checkpointed Lambda chunks rather than one Lambda, so a file may take longer than
   * 15 minutes; retried chunks resume from the stored checkpoint.
   */
  private addPolicyImportWorkflow(tasks: readonly TaskFunctionDef[], names: ResourceNames): StateMachine {
    // The input is a bucket, key and ETag; policy data stays in the file and the table.
    const machine = this.aslStateMachine(
      'PolicyImport',
      POLICY_IMPORT_STATE_MACHINE.file,
      names.policyImportStateMachine,
      tasks,
    );
    new Rule(this, 'PolicyFilesArrived', {
      description: `Object Created under ${POLICY_IMPORT_PREFIX} in the policy imports bucket -> policy import`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [names.policyImportsBucket] },
          object: { key: Match.prefix(POLICY_IMPORT_PREFIX) },
        },
      },
      targets: [
        new SfnStateMachine(machine, {
          input: RuleTargetInput.fromObject({
            bucket: EventField.fromPath('$.detail.bucket.name'),
            key: EventField.fromPath('$.detail.object.key'),
            etag: EventField.fromPath('$.detail.object.etag'),
          }),
          deadLetterQueue: this.asyncFailures,
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
    return machine;
  }

  /**
   * The deadline re-planning state machine: started by the claim-event stream processor for each
   * `CalendarChanged` audit event (access `deadlineReplan`), it loops over ReplanDeadlines a bounded
   * page of open claims at a time, so re-planning thousands of claims neither outlasts a Lambda
   * nor holds up the stream. Its failures alarm (OperationsAlarms `DeadlineReplanFailed`).
   */
  private addDeadlineReplanWorkflow(tasks: readonly TaskFunctionDef[], names: ResourceNames): StateMachine {
    // The state is a calendar version, a cursor (a work-queue sort key) and counts: no personal data.
    return this.aslStateMachine(
      'DeadlineReplan',
      DEADLINE_REPLAN_STATE_MACHINE.file,
      names.deadlineReplanStateMachine,
      tasks,
    );
  }

  /**
   * S3 "Object Created" events for `claims/` keys of the documents bucket, delivered by EventBridge
   * (the bucket has EventBridge notifications on), retried for 6 h, then dead-lettered.
   */
  private addUploadTrigger(id: string, fn: ClaimsFunction, names: ResourceNames): void {
    new Rule(this, `${id}Uploads`, {
      description: `Object Created under ${UPLOAD_PREFIX} in the documents bucket -> ${id}`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [names.documentsBucket] },
          object: { key: Match.prefix(UPLOAD_PREFIX) },
        },
      },
      targets: [
        new LambdaFunction(fn.fn, {
          deadLetterQueue: this.asyncFailures,
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
  }

  /**
   * Claims by email: SES's receipt rule (stateful stack) stores each message under `inbound/` of the
   * documents bucket; its "Object Created" event reaches the parser like an upload reaches the
   * verifier, retried for 6 h, then dead-lettered (the raw message stays in the bucket either way).
   */
  private addEmailReceivedTrigger(id: string, fn: ClaimsFunction, names: ResourceNames): void {
    new Rule(this, `${id}Inbound`, {
      description: `Object Created under ${INBOUND_EMAIL_PREFIX} in the documents bucket -> ${id}`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [names.documentsBucket] },
          object: { key: Match.prefix(INBOUND_EMAIL_PREFIX) },
        },
      },
      targets: [
        new LambdaFunction(fn.fn, {
          deadLetterQueue: this.asyncFailures,
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
  }

  /**
   * New claim events, workflow signals and administration events from the table stream (INSERTs passing STREAM_FILTER only). In order per
   * shard (parallelization 1) so a claim's events are seen in sequence; failed records are
   * bisected, retried and then sent to the DLQ. TRIM_HORIZON so a re-created mapping misses
   * nothing: at-least-once, the handler must be idempotent.
   */
  private addClaimEventStreamTrigger(
    fn: ClaimsFunction,
    stateful: StatefulStack,
    names: ResourceNames,
  ): void {
    const streamArn = stateful.table.tableStreamArn;
    if (!streamArn) throw new Error('The claims table has no stream (StatefulStack must set dynamoStream).');
    const table = TableV2.fromTableAttributes(this, `${fn.node.id}TableStream`, {
      tableName: names.table,
      tableStreamArn: streamArn,
      encryptionKey: stateful.tableKey,
    });
    fn.fn.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        parallelizationFactor: 1,
        bisectBatchOnError: true,
        retryAttempts: 5,
        maxRecordAge: Duration.hours(24),
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.asyncFailures),
        // One pattern per streamed entity (patterns are ORed), from the shared STREAM_FILTER; the
        // local stream poller applies the same definition.
        filters: STREAM_FILTER.passes.map((p) =>
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: {
              NewImage: {
                [STREAM_FILTER.entityAttribute]: { S: FilterRule.isEqual(p.entity) },
                ...(p.exceptTypes.length > 0
                  ? { [STREAM_FILTER.typeAttribute]: { S: [{ 'anything-but': [...p.exceptTypes] }] } }
                  : {}),
              },
            },
          }),
        ),
      }),
    );
    acknowledge(
      fn.role,
      'AwsSolutions-IAM5[Resource::*]',
      'dynamodb:ListStreams (stream discovery for the event source mapping) has no resource-level ' +
        'permissions; X-Ray needs "*" too.',
    );
  }

  /**
   * Every new audit chain event from the table stream (ANCHOR_STREAM_FILTER), for the anchoring
   * function: a second event-source mapping on the stream (DynamoDB Streams serves two readers per
   * shard without throttling; this is the second). In order per shard so a chain's events come in
   * sequence; a 5 s batching window lets one MAC cover a transaction's events and what follows at
   * once (core/audit-anchor.ts AUDIT_ANCHOR_GRACE_MS allows for it and for the retries).
   */
  private addAuditAnchorStreamTrigger(
    fn: ClaimsFunction,
    stateful: StatefulStack,
    names: ResourceNames,
  ): void {
    const streamArn = stateful.table.tableStreamArn;
    if (!streamArn) throw new Error('The claims table has no stream (StatefulStack must set dynamoStream).');
    const table = TableV2.fromTableAttributes(this, `${fn.node.id}TableStream`, {
      tableName: names.table,
      tableStreamArn: streamArn,
      encryptionKey: stateful.tableKey,
    });
    fn.fn.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(5),
        parallelizationFactor: 1,
        bisectBatchOnError: true,
        retryAttempts: 5,
        maxRecordAge: Duration.hours(24),
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.asyncFailures),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: {
              NewImage: {
                [ANCHOR_STREAM_FILTER.entityAttribute]: {
                  S: FilterRule.or(...ANCHOR_STREAM_FILTER.entities),
                },
              },
            },
          }),
        ],
      }),
    );
    acknowledge(
      fn.role,
      'AwsSolutions-IAM5[Resource::*]',
      'dynamodb:ListStreams (stream discovery for the event source mapping) has no resource-level ' +
        'permissions; X-Ray needs "*" too.',
    );
  }

  /** The BucketDeployment provider is a CDK-managed singleton Lambda (Python) at stack level. */
  private acknowledgeBucketDeploymentProvider(deployment: BucketDeployment): void {
    const role = deployment.handlerRole;
    if (role instanceof Role) {
      acknowledgeManagedRoleWildcards(
        role,
        'CDK BucketDeployment provider: copies the asset zip from the CDK assets bucket into the web ' +
          'bucket (object wildcards, prune deletes) and invalidates CloudFront (no resource-level ' +
          'permissions).',
      );
    }
    acknowledge(
      role,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'CDK-managed BucketDeployment provider role; only runs during deployments.',
    );
    const provider = this.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (provider) {
      acknowledge(
        provider,
        'AwsSolutions-L1',
        'The BucketDeployment provider runtime (Python) is chosen by aws-cdk-lib and updated with it.',
      );
    }
  }
}

/** One error naming every missing handler module, instead of NodejsFunction's first one. */
function assertEntriesExist(defs: readonly { id: string; entry: string }[]): void {
  const missing = defs.filter((d) => !existsSync(repoPath(d.entry)));
  if (missing.length > 0) {
    throw new Error(
      `Handler entries not found (lambdas/routes.ts, lambdas/task-functions.ts): ${missing
        .map((d) => `${d.id} -> ${d.entry}`)
        .join(', ')}`,
    );
  }
}

/** Every `${Name}` in the ASL must be substituted, or the workflow would fail at deploy/run time. */
function assertAllPlaceholdersSubstituted(
  asl: string,
  substitutions: Record<string, string>,
  file: string,
): void {
  const placeholders = new Set([...asl.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] as string));
  const missing = [...placeholders].filter((p) => !(p in substitutions));
  if (missing.length > 0) {
    throw new Error(
      `${file} uses \${${missing.join('}, ${')}} but no task function declares that aslSubstitution.`,
    );
  }
}
