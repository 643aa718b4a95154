import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { DEV_WEB_ORIGINS } from '../lambdas/routes.ts';
import { functionName } from '../lambdas/shared/functions.ts';
import {
  CLAIM_STATE_MACHINE,
  DEADLINE_REPLAN_STATE_MACHINE,
  POLICY_IMPORT_STATE_MACHINE,
} from '../lambdas/task-functions.ts';

/** Repository root: entries, the ASL file and `web/dist` are resolved from here, not from the cwd. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export const DEFAULT_REGION = 'ap-southeast-1';

/** Front ends served from `web/dist/<app>/`; each gets a `config.json` and Cognito callback URLs. */
export const WEB_APPS = ['customer', 'console'] as const;
export type WebApp = (typeof WEB_APPS)[number];

/** Departments that receive referrals/alerts; one KMS-encrypted SNS topic each. */
export const DEPARTMENTS = ['claims', 'underwriting', 'legal', 'finance', 'siu'] as const;
export type Department = (typeof DEPARTMENTS)[number];

export const LOCALES = ['vi', 'en'] as const;

export { INBOUND_EMAIL_PREFIX, QUARANTINE_PREFIX, UPLOAD_PREFIX } from '../lambdas/shared/bucket-prefixes.ts';
export {
  ANCHOR_STREAM_FILTER,
  STREAM_FILTER,
  STREAMED_ENTITIES,
} from '../lambdas/shared/table-definition.ts';
/** Finance files (bank batches, confirmation files) in the documents bucket; see lambdas/adapters/exports-store.ts. */
export { EXPORTS_PREFIX } from '../lambdas/shared/exports.ts';

export interface ClaimsConfig {
  stage: string;
  /** Production rejects plain-http (localhost) origins and callback URLs. */
  production: boolean;
  region: string;
  account: string | undefined;
  emailFrom: string;
  /** The address customers write claims to (SES receiving; its domain needs an MX record to SES). */
  claimsInboxAddress: string;
  /**
   * Operators' address for CloudWatch alarms (dead letters, failed workflows). Required on
   * production: an alarm topic nobody is subscribed to pages no one. Optional elsewhere.
   */
  alarmEmail: string | undefined;
  smsSenderId: string;
  /** Cognito hosted UI prefix; default `claims-<stage>-<account id>` (must be unique per region). */
  authDomainPrefix: string | undefined;
  /** Absolute path of the built front ends (`web/dist`). */
  webDistDir: string;
  /** Extra browser origins (dev servers) for API CORS, bucket CORS and Cognito callbacks. */
  extraWebOrigins: string[];
  /** Optional custom domain + ACM certificate (us-east-1) for CloudFront; enables TLS 1.2+ only. */
  webDomainName: string | undefined;
  webCertificateArn: string | undefined;
}

interface ContextReader {
  tryGetContext(key: string): unknown;
}

function str(node: ContextReader, key: string): string | undefined {
  const v = node.tryGetContext(key);
  if (v === undefined || v === null || v === '') return undefined;
  return String(v);
}

/** Context lists come as JSON arrays from cdk.json or as comma-separated strings from `-c key=a,b`. */
function list(node: ContextReader, key: string): string[] | undefined {
  const v = node.tryGetContext(key);
  if (v === undefined || v === null) return undefined;
  const items = Array.isArray(v) ? v.map(String) : String(v).split(',');
  return items.map((s) => s.trim()).filter(Boolean);
}

/** Reads and validates the deployment configuration from CDK context (`-c stage=dev`, cdk.json). */
export function loadConfig(node: ContextReader, env: NodeJS.ProcessEnv = process.env): ClaimsConfig {
  const stage = str(node, 'stage') ?? 'dev';
  if (!/^[a-z][a-z0-9]{0,9}$/.test(stage)) {
    throw new Error(
      `Invalid stage "${stage}": use 1-10 lowercase letters/digits (it prefixes resource names).`,
    );
  }
  const production = stage === 'prod' || str(node, 'production') === 'true';
  const extraWebOrigins = list(node, 'extraWebOrigins') ?? (production ? [] : [...DEV_WEB_ORIGINS]);
  for (const origin of extraWebOrigins) {
    if (!/^https?:\/\/[^/]+$/.test(origin)) {
      throw new Error(
        `extraWebOrigins: "${origin}" must be an origin (scheme://host[:port]) without a path.`,
      );
    }
    if (production && origin.startsWith('http://')) {
      throw new Error(`extraWebOrigins: plain-http origin "${origin}" is not allowed on production.`);
    }
  }
  const alarmEmail = str(node, 'alarmEmail');
  if (production && !alarmEmail) {
    throw new Error(
      'alarmEmail is required on production (-c alarmEmail=ops@your-domain): without it the ' +
        'operations alarms (dead letters, dropped deadlines, failed workflows) reach nobody.',
    );
  }
  const dist = str(node, 'webDistDir') ?? 'web/dist';
  return {
    stage,
    production,
    // Not CDK_DEFAULT_REGION: the CLI falls back to us-east-1, and claim data must stay in the
    // chosen region (data residency) unless a region is asked for explicitly.
    region: str(node, 'region') ?? DEFAULT_REGION,
    account: str(node, 'account') ?? env.CDK_DEFAULT_ACCOUNT,
    emailFrom: str(node, 'emailFrom') ?? 'claims@example.com',
    claimsInboxAddress: str(node, 'claimsInboxAddress') ?? str(node, 'emailFrom') ?? 'claims@example.com',
    alarmEmail,
    smsSenderId: str(node, 'smsSenderId') ?? 'CLAIMS',
    authDomainPrefix: str(node, 'authDomainPrefix'),
    webDistDir: isAbsolute(dist) ? dist : resolve(REPO_ROOT, dist),
    extraWebOrigins,
    webDomainName: str(node, 'webDomainName'),
    webCertificateArn: str(node, 'webCertificateArn'),
  };
}

/** Fails synth early (before any asset work) when the front ends have not been built. */
export function assertWebDistExists(config: ClaimsConfig): void {
  if (!existsSync(config.webDistDir)) {
    throw new Error(
      `Web build output not found at ${config.webDistDir}. Run \`npm run build:web\` first ` +
        '(or pass another directory with `-c webDistDir=<path>`).',
    );
  }
}

export const repoPath = (relative: string): string => join(REPO_ROOT, relative);

/**
 * Physical names of the resources other stacks address by name. They are deterministic (stage +
 * account + region, resolved in the *calling* stack's scope) so that consumers import them by name
 * instead of through cross-stack tokens: that keeps IAM policy ARNs stable, which in turn lets
 * cdk-nag acknowledgements name the exact wildcard they accept.
 */
export function resourceNames(scope: IConstruct, stage: string) {
  const { account, region } = Stack.of(scope);
  const prefix = `${stage}-claims`;
  return {
    prefix,
    table: prefix,
    documentsBucket: `${prefix}-documents-${account}-${region}`,
    policyImportsBucket: `${prefix}-policy-imports-${account}-${region}`,
    policyImportStateMachine: `${stage}-${POLICY_IMPORT_STATE_MACHINE.name}`,
    deadlineReplanStateMachine: `${stage}-${DEADLINE_REPLAN_STATE_MACHINE.name}`,
    accessLogsBucket: `${prefix}-access-logs-${account}-${region}`,
    webBucket: `${prefix}-web-${account}-${region}`,
    stateMachine: `${stage}-${CLAIM_STATE_MACHINE.name}`,
    scheduleGroup: `${prefix}-deadlines`,
    /** The role Scheduler assumes for every deadline schedule (stored in each one at creation). */
    schedulerRole: `${prefix}-scheduler`,
    /** Where Scheduler puts a deadline firing it could not deliver (also stored in each schedule). */
    deadlineDeadLetters: `${prefix}-deadline-dead-letters`,
    function: (id: string) => `${stage}-${functionName(id)}`,
    topic: (department: Department) => `${prefix}-${department}`,
  };
}

export type ResourceNames = ReturnType<typeof resourceNames>;
