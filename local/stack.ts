import './polyfills.mjs';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { getUserByUsername } from '../lambdas/adapters/dynamo/users-repo.ts';
import { functionName, LOCAL_ACCOUNT, LOCAL_REGION, localFunctionArn } from '../lambdas/shared/functions.ts';
import { ROLES } from '../lambdas/shared/roles.ts';
import { localCreateTableInput } from '../lambdas/shared/table-definition.ts';
import { CLAIM_STATE_MACHINE } from '../lambdas/task-functions.ts';
import { EXPORTS_PREFIX } from '../lambdas/shared/exports.ts';
import { DEMO_USERS } from './demo-data.ts';
import { startGateway } from './gateway.ts';
import { createLocalIdp } from './idp.ts';
import { invokeLocal } from './lambda-runtime.ts';
import { seedDemoData } from './seed.ts';
import { createTable, LOCAL_CREDENTIALS, startDynamoDbLocal } from './services/dynamodb-local.ts';
import { startCognitoLocal } from './services/cognito.ts';
import { startKmsLocal } from './services/kms.ts';
import { startS3Local } from './services/s3.ts';
import { startSchedulerLocal } from './services/scheduler.ts';
import { startSesLocal } from './services/ses.ts';
import { startSnsLocal } from './services/sns.ts';
import { startStepFunctionsLocal } from './services/stepfunctions.ts';
import { loadStateMachineDefinition } from './state-machine.ts';
import { startStreamPoller } from './stream-poller.ts';
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
    Record<'dynamodb' | 's3' | 'ses' | 'sns' | 'sfn' | 'scheduler' | 'cognito' | 'kms', number>
  >;
  /** Seed demo users and policies (default true). */
  seed?: boolean;
  /** Use a throw-away S3 folder (default true; `npm start` keeps .local/s3). */
  freshS3?: boolean;
  /** Retry pauses of the state machine in ms (tests use 0). */
  retryIntervalOverrideMs?: number;
  /** Silence handler logs (tests). */
  quiet?: boolean;
}

export const LOCAL_NAMES = {
  table: 'claims-local',
  documentsBucket: 'claims-documents-local',
  emailFrom: 'boithuong@baohiem.local',
  userPoolId: `${LOCAL_REGION}_local`,
  scheduleGroup: 'claims-deadlines',
  fieldKeyAlias: 'alias/claims-fields',
  fingerprintKeyAlias: 'alias/claims-fingerprints',
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
    const [dynamo, s3, ses, sns] = await Promise.all([
      startDynamoDbLocal({ port: ports.dynamodb ?? 0 }),
      startS3Local({
        port: ports.s3 ?? 0,
        buckets: [LOCAL_NAMES.documentsBucket],
        freshDirectory: opts.freshS3 ?? true,
      }),
      startSesLocal({ port: ports.ses ?? 0 }),
      startSnsLocal({ port: ports.sns ?? 0, topics: [...DEPARTMENT_TOPICS] }),
    ]);
    stops.push(dynamo.stop, s3.stop, ses.stop, sns.stop);
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
      aliases: [LOCAL_NAMES.fieldKeyAlias, LOCAL_NAMES.fingerprintKeyAlias],
    });
    stops.push(kms.stop);

    const stateMachineArn = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${CLAIM_STATE_MACHINE.name}`;
    const sfn = await startStepFunctionsLocal({
      port: ports.sfn ?? 0,
      stateMachines: [{ name: CLAIM_STATE_MACHINE.name, definition: await loadStateMachineDefinition() }],
      invokeLambda: (arn, payload) => invokeLocal(arn, payload),
      retryIntervalOverrideMs: opts.retryIntervalOverrideMs,
    });
    stops.push(sfn.stop);
    const scheduler = await startSchedulerLocal({
      port: ports.scheduler ?? 0,
      groups: [LOCAL_NAMES.scheduleGroup],
      invokeTarget: (arn, input) => invokeLocal(arn, input),
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
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_SESV2: ses.endpoint,
      AWS_ENDPOINT_URL_SES: ses.endpoint,
      AWS_ENDPOINT_URL_SNS: sns.endpoint,
      AWS_ENDPOINT_URL_SFN: sfn.endpoint,
      AWS_ENDPOINT_URL_SCHEDULER: scheduler.endpoint,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint,
      AWS_ENDPOINT_URL_KMS: kms.endpoint,
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
      TABLE_NAME: LOCAL_NAMES.table,
      DOCUMENTS_BUCKET: LOCAL_NAMES.documentsBucket,
      // Finance files: the `exports/` prefix of the same bucket, as on AWS (lib/claims-function.ts).
      EXPORTS_BUCKET: LOCAL_NAMES.documentsBucket,
      CLAIM_STATE_MACHINE_ARN: stateMachineArn,
      USER_POOL_ID: LOCAL_NAMES.userPoolId,
      FIELD_KEY_ID: kms.keyArn(LOCAL_NAMES.fieldKeyAlias),
      FINGERPRINT_KEY_ID: kms.keyArn(LOCAL_NAMES.fingerprintKeyAlias),
      // Admin changes to products and the calendar take effect at once locally (30 s on AWS).
      CONFIG_CACHE_SECONDS: '0',
      // The demo customers file many claims with the same test contact, account and files: every
      // claim would carry the repeat, cluster and shared-attribute flags (see lambdas/app/fraud.ts).
      FRAUD_REFERRAL_MIN_FLAGS: '6',
      EMAIL_FROM: LOCAL_NAMES.emailFrom,
      WEB_BASE_URL: `${web.url}/customer/`,
      SMS_SENDER_ID: 'BAOHIEM',
      DEPARTMENT_TOPIC_ARNS: JSON.stringify(
        Object.fromEntries(DEPARTMENT_TOPICS.map((d) => [d, sns.topicArn(d)])),
      ),
      SCHEDULER_GROUP: LOCAL_NAMES.scheduleGroup,
      SCHEDULER_ROLE_ARN: `arn:aws:iam::${LOCAL_ACCOUNT}:role/claims-scheduler`,
      DEADLINE_TARGET_ARN: localFunctionArn('DeadlineFired'),
      STAGE: 'local',
      // Paging cursors are signed with this fixed development key locally (a per-stage secret on AWS).
      CURSOR_SIGNING_KEY: 'local-dev-cursor-signing-key-not-a-secret-0001',
      POWERTOOLS_SERVICE_NAME: 'claims',
      POWERTOOLS_LOG_LEVEL: opts.quiet ? 'CRITICAL' : 'INFO',
    };
    Object.assign(process.env, env);

    await createTable(
      new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
      localCreateTableInput(LOCAL_NAMES.table),
    );
    if (opts.seed ?? true) await seedDemoData();

    // Table stream → Lambda, as the event source mapping does on AWS (same filter, batch failures).
    const streams = await startStreamPoller({
      endpoint: dynamo.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      tableName: LOCAL_NAMES.table,
      onBatch: (event) => invokeLocal(functionName('ProcessClaimEvents'), event),
    });
    stops.push(streams.stop);

    // S3 → Lambda, as the EventBridge rule (uploads under `claims/`) does on AWS: finance files
    // under `exports/` are not uploads to verify.
    s3.onObjectCreated((event) =>
      !event.Records.some((r) => r.s3.object.key.startsWith(EXPORTS_PREFIX))
        ? invokeLocal(functionName('VerifyUpload'), event).then(() => undefined)
        : undefined,
    );

    const idp = await createLocalIdp('http://127.0.0.1/local-idp');
    const gateway = await startGateway({
      port: opts.apiPort ?? 3000,
      idp,
      // Our profile is the source of truth for roles locally; a deactivated account cannot sign in.
      findUser: async (username) => {
        const u = await getUserByUsername(username);
        if (!u || u.staff?.active === false) return undefined;
        return {
          userId: u.userId,
          username: u.username,
          email: u.email,
          roles: u.roles,
          customerId: u.customerId,
          locale: u.locale,
        };
      },
    });
    stops.push(gateway.stop);
    apiUrlRef.value = gateway.url;

    return {
      apiUrl: gateway.url,
      webUrl: `${web.url}/customer/`,
      consoleUrl: `${web.url}/console/`,
      mailUrl: ses.endpoint,
      inboxUrl: sns.endpoint,
      schedulerUrl: scheduler.endpoint,
      env,
      idp,
      identityUrl: cognito.endpoint,
      streams,
      services: { dynamo, s3, ses, sns, sfn, scheduler, cognito, kms },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

export type LocalStack = Awaited<ReturnType<typeof startLocalStack>>;
