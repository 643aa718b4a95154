import './polyfills.mjs';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getUserByUsername } from '../lambdas/adapters/dynamo/users-repo.ts';
import { functionName, LOCAL_ACCOUNT, LOCAL_REGION, localFunctionArn } from '../lambdas/shared/functions.ts';
import { ROLES } from '../lambdas/shared/roles.ts';
import {
  localCreateTableInput,
  localTimeToLiveInput,
  TABLE_KEYS,
} from '../lambdas/shared/table-definition.ts';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { importIdOf } from '../lambdas/core/policy-import.ts';
import {
  CLAIM_STATE_MACHINE,
  DEADLINE_REPLAN_STATE_MACHINE,
  POLICY_IMPORT_PREFIX,
  POLICY_IMPORT_STATE_MACHINE,
} from '../lambdas/task-functions.ts';
import { INBOUND_EMAIL_PREFIX, UPLOAD_PREFIX } from '../lambdas/shared/bucket-prefixes.ts';
import { DEMO_USERS } from './demo-data.ts';
import { allowedWebOrigins, DEV_WEB_ORIGINS } from '../lambdas/routes.ts';
import { startGateway } from './gateway.ts';
import { asLocalUser, createLocalIdp } from './idp.ts';
import { invokeLocal } from './lambda-runtime.ts';
import { seedDemoData } from './seed.ts';
import { createTable, LOCAL_CREDENTIALS, startDynamoDbLocal } from './services/dynamodb-local.ts';
import { startCognitoLocal } from './services/cognito.ts';
import { startFaultProxy } from './services/fault-proxy.ts';
import { startKmsLocal } from './services/kms.ts';
import { startS3Local } from './services/s3.ts';
import { startSchedulerLocal } from './services/scheduler.ts';
import { startSesLocal } from './services/ses.ts';
import { startSmtpLocal } from './services/smtp.ts';
import { startSnsLocal } from './services/sns.ts';
import { enableTimeToLive, startTtlSweeper } from './services/ttl-sweeper.ts';
import { startStepFunctionsLocal } from './services/stepfunctions.ts';
import { loadStateMachineDefinition } from './state-machine.ts';
import { isAnchoredInsert, startStreamPoller } from './stream-poller.ts';
import { startWebServer } from './web-server.ts';

/**
 * The whole system on one machine: AWS stand-ins that speak the real wire protocols, and the very
 * handler modules CDK deploys, configured only by environment variables.
 */
export interface LocalStackOptions {
  /** API front door (default 3000; 0 = any free port). */
  apiPort?: number;
  /** Static web apps (default 5173; 0 = any free port). */
  webPort?: number;
  /** Ports of the stand-ins (default 0 = any free port). */
  ports?: Partial<
    Record<'dynamodb' | 's3' | 'ses' | 'sns' | 'sfn' | 'scheduler' | 'cognito' | 'kms' | 'smtp', number>
  >;
  /** Seed demo users and policies (default true). */
  seed?: boolean;
  /** Use a throw-away S3 folder (default true; `npm start` keeps .local/s3). */
  freshS3?: boolean;
  /** Retry pauses of the state machine in ms (tests use 0). */
  retryIntervalOverrideMs?: number;
  /** Silence handler logs (tests). */
  quiet?: boolean;
  /**
   * Keep state here across restarts (`npm start` uses `.local/data`): DynamoDB Local's files, the
   * S3 objects, the Step Functions executions and task tokens, the stream checkpoint. Without it
   * everything lives in memory or a throw-away folder (tests). Demo data is seeded only into a new
   * table, so a restart keeps what was changed.
   */
  dataDir?: string;
  /**
   * Put a fault-injection proxy (local/services/fault-proxy.ts) in front of DynamoDB Local, s3rver
   * and the SES stand-in; handlers talk to the proxies, tests inject throttling and 5xx through
   * `faults.<service>` or `POST <endpoint>/local/faults`.
   */
  faultInjection?: boolean;
  /**
   * Raise the fraud red-flag referral bar (lambdas/config/fraud-rules.json says 3, as on AWS). Only
   * the test stacks do: their few test customers file hundreds of claims with the same contact,
   * account and files, so every claim would carry the repeat, cluster and shared-attribute flags
   * and the suites about other things would all end in the SIU queue. `npm start` keeps the rule.
   */
  referralMinFlags?: number;
  /**
   * Raise the fraud score's referral bar above the model's threshold (test stacks only: the score of
   * a test claim moves with the hour the suite runs; lambdas/app/fraud.ts `fraudModel`).
   */
  referralMinScore?: number;
  /** Pause between sweeps of expired TTL items (default 10 s; local/services/ttl-sweeper.ts). */
  ttlSweepIntervalMs?: number;
}

export const LOCAL_NAMES = {
  table: 'claims-local',
  documentsBucket: 'claims-documents-local',
  policyImportsBucket: 'claims-policy-imports-local',
  emailFrom: 'boithuong@baohiem.local',
  userPoolId: `${LOCAL_REGION}_local`,
  scheduleGroup: 'claims-deadlines',
  /** The role deadline schedules name (no local IAM: only stored in each schedule, as on AWS). */
  schedulerRole: 'claims-scheduler',
  /** Where undeliverable deadline firings go; no local SQS: the Scheduler stand-in records them. */
  deadlineDeadLetters: 'claims-deadline-dead-letters',
  fieldKeyAlias: 'alias/claims-fields',
  fingerprintKeyAlias: 'alias/claims-fingerprints',
  auditKeyAlias: 'alias/claims-audit-anchors',
} as const;

/** One SNS topic per department, as CDK creates them (lib/config.ts DEPARTMENTS). */
const DEPARTMENT_TOPICS = ['claims', 'underwriting', 'legal', 'finance', 'siu'] as const;

const ROOT = path.resolve(import.meta.dirname, '..');

export async function startLocalStack(opts: LocalStackOptions = {}) {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e) => console.error('[local] stop failed', e));
    stops.length = 0;
  };
  try {
    const ports = opts.ports ?? {};
    const dataDir = opts.dataDir ? path.resolve(opts.dataDir) : undefined;
    const [dynamo, s3, ses, sns] = await Promise.all([
      startDynamoDbLocal({
        port: ports.dynamodb ?? 0,
        ...(dataDir ? { dbPath: path.join(dataDir, 'dynamodb') } : {}),
      }),
      startS3Local({
        port: ports.s3 ?? 0,
        buckets: [LOCAL_NAMES.documentsBucket, LOCAL_NAMES.policyImportsBucket],
        ...(dataDir
          ? { directory: path.join(dataDir, 's3'), freshDirectory: false }
          : { freshDirectory: opts.freshS3 ?? true }),
      }),
      startSesLocal({ port: ports.ses ?? 0 }),
      startSnsLocal({ port: ports.sns ?? 0, topics: [...DEPARTMENT_TOPICS] }),
    ]);
    stops.push(dynamo.stop, s3.stop, ses.stop, sns.stop);
    // What the handlers talk to: the stand-ins themselves, or fault proxies in front of them.
    const faults = opts.faultInjection
      ? {
          dynamodb: await startFaultProxy({ service: 'dynamodb', target: dynamo.endpoint }),
          s3: await startFaultProxy({ service: 's3', target: s3.endpoint }),
          ses: await startFaultProxy({ service: 'ses', target: ses.endpoint }),
        }
      : undefined;
    if (faults) stops.push(faults.dynamodb.stop, faults.s3.stop, faults.ses.stop);
    const endpoints = {
      dynamodb: faults?.dynamodb.endpoint ?? dynamo.endpoint,
      s3: faults?.s3.endpoint ?? s3.endpoint,
      ses: faults?.ses.endpoint ?? ses.endpoint,
    };
    // The user pool's admin API (staff accounts); demo users exist there with the same sub as in the table.
    const cognito = await startCognitoLocal({
      port: ports.cognito ?? 0,
      userPoolId: LOCAL_NAMES.userPoolId,
      groups: ROLES,
      users:
        (opts.seed ?? true)
          ? DEMO_USERS.map((u) => ({ username: u.email, sub: u.userId, email: u.email, groups: u.roles }))
          : [],
    });
    stops.push(cognito.stop);
    // Field-level encryption of personal data (payout account numbers), as the KMS key does on AWS.
    const kms = await startKmsLocal({
      port: ports.kms ?? 0,
      aliases: [LOCAL_NAMES.fieldKeyAlias, LOCAL_NAMES.fingerprintKeyAlias, LOCAL_NAMES.auditKeyAlias],
    });
    stops.push(kms.stop);

    const stateMachineArn = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${CLAIM_STATE_MACHINE.name}`;
    const policyImportArn = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${POLICY_IMPORT_STATE_MACHINE.name}`;
    const deadlineReplanArn = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${DEADLINE_REPLAN_STATE_MACHINE.name}`;
    const sfn = await startStepFunctionsLocal({
      port: ports.sfn ?? 0,
      stateMachines: [
        { name: CLAIM_STATE_MACHINE.name, definition: await loadStateMachineDefinition() },
        {
          name: POLICY_IMPORT_STATE_MACHINE.name,
          definition: await loadStateMachineDefinition(POLICY_IMPORT_STATE_MACHINE.file),
        },
        {
          name: DEADLINE_REPLAN_STATE_MACHINE.name,
          definition: await loadStateMachineDefinition(DEADLINE_REPLAN_STATE_MACHINE.file),
        },
      ],
      invokeLambda: (arn, payload) => invokeLocal(arn, payload),
      retryIntervalOverrideMs: opts.retryIntervalOverrideMs,
      ...(dataDir ? { stateFile: path.join(dataDir, 'stepfunctions.json') } : {}),
    });
    stops.push(sfn.stop);
    const scheduler = await startSchedulerLocal({
      port: ports.scheduler ?? 0,
      groups: [LOCAL_NAMES.scheduleGroup],
      invokeTarget: (arn, input) => invokeLocal(arn, input),
      // Retries at test speed when the state machine's are; schedules survive a restart with the data.
      ...(opts.retryIntervalOverrideMs !== undefined
        ? { retryIntervalOverrideMs: opts.retryIntervalOverrideMs }
        : {}),
      ...(dataDir ? { dataDir } : {}),
    });
    stops.push(scheduler.stop);

    const apiUrlRef = { value: '' };
    const webPort = opts.webPort ?? 5173;
    const web = await startWebServer({
      port: webPort,
      distDir: path.join(ROOT, 'web', 'dist'),
      configFor: (app) => ({ app, apiUrl: apiUrlRef.value, auth: { mode: 'local' }, locales: ['vi', 'en'] }),
    });
    stops.push(web.stop);

    // The environment every handler reads: exactly the variables CDK sets on AWS, plus the SDK's
    // own endpoint overrides.
    const env: Record<string, string> = {
      AWS_REGION: LOCAL_REGION,
      AWS_DEFAULT_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
      AWS_ENDPOINT_URL_S3: endpoints.s3,
      AWS_ENDPOINT_URL_SESV2: endpoints.ses,
      AWS_ENDPOINT_URL_SES: endpoints.ses,
      AWS_ENDPOINT_URL_SNS: sns.endpoint,
      AWS_ENDPOINT_URL_SFN: sfn.endpoint,
      AWS_ENDPOINT_URL_SCHEDULER: scheduler.endpoint,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint,
      AWS_ENDPOINT_URL_KMS: kms.endpoint,
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
      TABLE_NAME: LOCAL_NAMES.table,
      DOCUMENTS_BUCKET: LOCAL_NAMES.documentsBucket,
      POLICY_IMPORTS_BUCKET: LOCAL_NAMES.policyImportsBucket,
      // Finance files: the `exports/` prefix of the same bucket, as on AWS (lib/claims-function.ts).
      EXPORTS_BUCKET: LOCAL_NAMES.documentsBucket,
      CLAIM_STATE_MACHINE_ARN: stateMachineArn,
      DEADLINE_REPLAN_STATE_MACHINE_ARN: deadlineReplanArn,
      USER_POOL_ID: LOCAL_NAMES.userPoolId,
      FIELD_KEY_ID: kms.keyArn(LOCAL_NAMES.fieldKeyAlias),
      FINGERPRINT_KEY_ID: kms.keyArn(LOCAL_NAMES.fingerprintKeyAlias),
      AUDIT_KEY_ID: kms.keyArn(LOCAL_NAMES.auditKeyAlias),
      // Admin changes to products and the calendar take effect at once locally (30 s on AWS).
      CONFIG_CACHE_SECONDS: '0',
      ...(opts.referralMinFlags ? { FRAUD_REFERRAL_MIN_FLAGS: String(opts.referralMinFlags) } : {}),
      ...(opts.referralMinScore ? { FRAUD_REFERRAL_MIN_SCORE: String(opts.referralMinScore) } : {}),
      EMAIL_FROM: LOCAL_NAMES.emailFrom,
      CLAIMS_INBOX_ADDRESS: LOCAL_NAMES.emailFrom,
      WEB_BASE_URL: `${web.url}/customer/`,
      SMS_SENDER_ID: 'BAOHIEM',
      DEPARTMENT_TOPIC_ARNS: JSON.stringify(
        Object.fromEntries(DEPARTMENT_TOPICS.map((d) => [d, sns.topicArn(d)])),
      ),
      SCHEDULER_GROUP: LOCAL_NAMES.scheduleGroup,
      SCHEDULER_ROLE_ARN: `arn:aws:iam::${LOCAL_ACCOUNT}:role/${LOCAL_NAMES.schedulerRole}`,
      SCHEDULER_DEAD_LETTER_ARN: `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${LOCAL_NAMES.deadlineDeadLetters}`,
      DEADLINE_TARGET_ARN: localFunctionArn('DeadlineFired'),
      STAGE: 'local',
      // Paging cursors are signed with this fixed development key locally (a per-stage secret on AWS).
      CURSOR_SIGNING_KEY: 'local-dev-cursor-signing-key-not-a-secret-0001',
      POWERTOOLS_SERVICE_NAME: 'claims',
      POWERTOOLS_LOG_LEVEL: opts.quiet ? 'CRITICAL' : 'INFO',
    };
    Object.assign(process.env, env);

    const admin = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    stops.push(async () => admin.destroy());
    const tableCreated = await createTable(admin, localCreateTableInput(LOCAL_NAMES.table));
    // TTL as CDK configures it; DynamoDB Local never deletes expired items, so a sweeper does.
    const ttlAttribute = await enableTimeToLive(admin, localTimeToLiveInput(LOCAL_NAMES.table));
    const ttlSweeper = startTtlSweeper({
      client: admin,
      tableName: LOCAL_NAMES.table,
      attribute: ttlAttribute,
      keyAttributes: [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey],
      intervalMs: opts.ttlSweepIntervalMs,
    });
    stops.push(ttlSweeper.stop);
    // Seeded once, into a new table: a restarted `npm start` keeps what was changed since.
    const seeded = (opts.seed ?? true) && tableCreated;
    if (seeded) await seedDemoData();

    // Table stream → Lambda, as the event source mapping does on AWS (same filter, batch failures).
    const streams = await startStreamPoller({
      endpoint: dynamo.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      tableName: LOCAL_NAMES.table,
      onBatch: (event) => invokeLocal(functionName('ProcessClaimEvents'), event),
      // The event source mapping's batch (lib/stateless-stack.ts): 100 records per call would
      // outlast the function's timeout under load and be retried whole.
      batchSize: 10,
      // A kept database resumes the stream where the last run stopped, so nothing written while
      // the stack was down (or delivered only in part) is skipped.
      ...(dataDir ? { checkpointFile: path.join(dataDir, 'stream-checkpoint.json') } : {}),
    });
    stops.push(streams.stop);
    // The second event-source mapping: every new audit chain event, to the anchoring function
    // (lib/stateless-stack.ts addAuditAnchorStreamTrigger). From the stream's start on a new table,
    // as TRIM_HORIZON on AWS, so the demo data seeded above is anchored too.
    const anchorStream = await startStreamPoller({
      endpoint: dynamo.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      tableName: LOCAL_NAMES.table,
      filter: isAnchoredInsert,
      onBatch: (event) => invokeLocal(functionName('AnchorAuditChains'), event),
      batchSize: 100,
      startAt: tableCreated ? 'TRIM_HORIZON' : 'LATEST',
      ...(dataDir ? { checkpointFile: path.join(dataDir, 'anchor-stream-checkpoint.json') } : {}),
    });
    stops.push(anchorStream.stop);

    // S3 → Lambda, as the EventBridge rule does on AWS: only uploads landing under `claims/`. The
    // verified copy (`stored/claims/…`), a quarantined one, finance files and mail are not uploads.
    s3.onObjectCreated((event) =>
      event.Records.every(
        (r) => r.s3.bucket.name === LOCAL_NAMES.documentsBucket && r.s3.object.key.startsWith(UPLOAD_PREFIX),
      )
        ? invokeLocal(functionName('VerifyUpload'), event).then(() => undefined)
        : undefined,
    );
    // A policy file under `incoming/` of the import bucket starts the policy-import state machine,
    // as the EventBridge rule does on AWS (same input: bucket, key, ETag).
    const sfnClient = new SFNClient({
      endpoint: sfn.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    stops.push(async () => sfnClient.destroy());
    s3.onObjectCreated(async (event) => {
      for (const r of event.Records) {
        const key = decodeURIComponent(r.s3.object.key.replace(/\+/g, ' '));
        if (r.s3.bucket.name !== LOCAL_NAMES.policyImportsBucket || !key.startsWith(POLICY_IMPORT_PREFIX))
          continue;
        const etag = r.s3.object.eTag ?? '';
        await sfnClient.send(
          new StartExecutionCommand({
            stateMachineArn: policyImportArn,
            name: importIdOf(r.s3.bucket.name, key, etag),
            input: JSON.stringify({ bucket: r.s3.bucket.name, key, etag }),
          }),
        );
      }
    });

    // Claims by email: SMTP in, raw message to `inbound/` (SES's S3 action), and its ObjectCreated
    // event to the parser, as the EventBridge rule does on AWS.
    const inbound = new S3Client({
      endpoint: s3.endpoint,
      forcePathStyle: true,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    const smtp = await startSmtpLocal({
      port: ports.smtp ?? 0,
      recipients: [LOCAL_NAMES.emailFrom],
      store: (key, raw) =>
        inbound
          .send(new PutObjectCommand({ Bucket: LOCAL_NAMES.documentsBucket, Key: key, Body: raw }))
          .then(() => undefined),
    });
    stops.push(smtp.stop);
    env.LOCAL_SMTP_PORT = String(smtp.port);
    process.env.LOCAL_SMTP_PORT = env.LOCAL_SMTP_PORT;
    s3.onObjectCreated((event) =>
      event.Records.some((r) => r.s3.object.key.startsWith(INBOUND_EMAIL_PREFIX))
        ? invokeLocal(functionName('ReceiveEmail'), event).then(() => undefined)
        : undefined,
    );

    const idp = await createLocalIdp('http://127.0.0.1/local-idp');
    const gateway = await startGateway({
      port: opts.apiPort ?? 3000,
      idp,
      // The one origin list CDK's CORS configuration also uses.
      webOrigins: allowedWebOrigins(new URL(web.url).origin, DEV_WEB_ORIGINS),
      // Our profile is the source of truth for roles locally; a deactivated account cannot sign in.
      findUser: async (username) => {
        const u = await getUserByUsername(username);
        return u && u.staff?.active !== false ? asLocalUser(u) : undefined;
      },
    });
    stops.push(gateway.stop);
    apiUrlRef.value = gateway.url;

    return {
      apiUrl: gateway.url,
      webUrl: `${web.url}/customer/`,
      consoleUrl: `${web.url}/console/`,
      mailUrl: ses.endpoint,
      /** Where `npm run mail` and tests send mail to the claims address (SES receiving stand-in). */
      smtpUrl: smtp.url,
      inboxUrl: sns.endpoint,
      schedulerUrl: scheduler.endpoint,
      env,
      idp,
      identityUrl: cognito.endpoint,
      streams,
      /** The audit anchoring stream (local/stream-poller.ts, ANCHOR_STREAM_FILTER). */
      anchorStream,
      /** The TTL sweeper (what DynamoDB's TTL does on AWS); `sweep()` runs one now. */
      ttlSweeper,
      services: { dynamo, s3, ses, sns, sfn, scheduler, cognito, kms },
      /** Fault proxies (only with `faultInjection`). */
      faults,
      /** Whether demo data was written on this start (a new table). */
      seeded,
      dataDir,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

export type LocalStack = Awaited<ReturnType<typeof startLocalStack>>;
