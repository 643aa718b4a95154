import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORS, ROUTES } from '../../lambdas/routes.ts';
import type { Access, RouteDef, TaskFunctionDef } from '../../lambdas/shared/functions.ts';
import { ROLES } from '../../lambdas/shared/roles.ts';
import { OBJECT_ACTION_IAM, type ObjectAction } from '../../lambdas/shared/bucket-prefixes.ts';
import { EXPORTS_PREFIX } from '../../lambdas/shared/exports.ts';
import {
  CLAIM_METRICS,
  METRICS_NAMESPACE,
  NOTIFICATION_FAILED_METRIC,
  STREAM_RECORD_FAILED_METRIC,
} from '../../lambdas/core/claim-metrics.ts';
import { ANCHOR_REFUSED_METRIC } from '../../lambdas/core/audit-anchor.ts';
import {
  QUIET_EVENT_TYPES,
  TABLE_INDEXES,
  TABLE_KEYS,
  TTL_ATTRIBUTE,
} from '../../lambdas/shared/table-definition.ts';
import {
  CLAIM_STATE_MACHINE,
  DEADLINE_REPLAN_STATE_MACHINE,
  POLICY_IMPORT_PREFIX,
  POLICY_IMPORT_STATE_MACHINE,
  TASK_FUNCTIONS,
} from '../../lambdas/task-functions.ts';
import { type ClaimsStacks, createClaimsApp } from '../../lib/claims-app.ts';
import { ClaimsFunction, ENV, grantAccess } from '../../lib/claims-function.ts';
import {
  INBOUND_EMAIL_PREFIX,
  loadConfig,
  REPO_ROOT,
  STREAMED_ENTITIES,
  UPLOAD_PREFIX,
  WEB_APPS,
} from '../../lib/config.ts';
import { HASHED_WEB_ASSETS, IMMUTABLE_CACHE_CONTROL } from '../../web/hosting.ts';

/**
 * Synthesizes the real app (same context as cdk.json, same nag plugin as bin/app.ts) with Lambda
 * bundling skipped (`aws:cdk:bundling-stacks: []`) and a throw-away web/dist.
 */
const CDK_JSON = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};
const STAGE = 'test';
/** Building + synthesizing ~40 functions takes 2-4 s; the default 10 s hook timeout is tight on a busy CI box. */
const SYNTH_TIMEOUT_MS = 60_000;
const TASKS = TASK_FUNCTIONS as readonly TaskFunctionDef[];
const CLAIM_TASKS = TASKS.filter((t) => (t.stateMachine ?? 'claim-lifecycle') === 'claim-lifecycle');
const FUNCTIONS: readonly { id: string; access: Access; def: RouteDef | TaskFunctionDef }[] = [
  ...(ROUTES as readonly RouteDef[]).map((r) => ({ id: r.id, access: r.access, def: r })),
  ...(TASK_FUNCTIONS as readonly TaskFunctionDef[]).map((t) => ({ id: t.id, access: t.access, def: t })),
];

/** Cloud assemblies of this run, removed at the end (CDK would leave /tmp/cdk.outXXXX behind). */
const OUT_ROOT = mkdtempSync(join(tmpdir(), 'claims-infra-test-'));
afterAll(() => rmSync(OUT_ROOT, { recursive: true, force: true }));

function buildApp(webDistDir: string): { app: App } & ClaimsStacks {
  const app = new App({
    outdir: mkdtempSync(join(OUT_ROOT, 'cdk.out-')),
    context: { ...CDK_JSON.context, stage: STAGE, 'aws:cdk:bundling-stacks': [], webDistDir },
  });
  // An empty env: CDK_DEFAULT_ACCOUNT from the developer's shell must not change the templates.
  const stacks = createClaimsApp(app, loadConfig(app.node, {}));
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, ...stacks };
}

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
}
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

function resourcesOf(t: Template, type: string): [string, Resource][] {
  return Object.entries(t.findResources(type)) as [string, Resource][];
}

/** The one resource of a list; fails the test if there are none or several. */
function single<T>(list: T[], what: string): T {
  if (list.length !== 1) throw new Error(`expected exactly one ${what}, found ${list.length}`);
  return list[0] as T;
}

/** The Lambda with this physical name, its logical id and the Allow statements of its role. */
function lambda(t: Template, functionName: string) {
  const found = resourcesOf(t, 'AWS::Lambda::Function').find(
    ([, r]) => r.Properties.FunctionName === functionName,
  );
  if (!found) throw new Error(`no Lambda named ${functionName}`);
  const [logicalId, fn] = found;
  const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const role = t.toJSON().Resources[roleId] as Resource;
  const statements = [...inlinePolicies(role), ...policiesAttachedTo(t, roleId).map(([, p]) => p)]
    .flatMap((p) => (p.PolicyDocument as { Statement: Statement[] }).Statement)
    .filter((s) => s.Effect === 'Allow');
  const actions = new Set(statements.flatMap((s) => asArray(s.Action)));
  const env = ((fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)
    ?.Variables ?? {}) as Record<string, unknown>;
  return { logicalId, fn, roleId, role, statements, actions, env };
}

type PolicyProps = { PolicyName?: string; PolicyDocument: unknown };
/** The role's own inline policies (AWS::IAM::Role `Policies`). */
const inlinePolicies = (role: Resource): PolicyProps[] => (role.Properties.Policies ?? []) as PolicyProps[];
/** The AWS::IAM::Policy resources attached to this role, with their properties. */
function policiesAttachedTo(t: Template, roleId: string): [string, PolicyProps][] {
  return resourcesOf(t, 'AWS::IAM::Policy')
    .filter(([, p]) =>
      (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId })),
    )
    .map(([id, p]) => [id, p.Properties as unknown as PolicyProps]);
}

/** Each state machine ARN (as JSON) an Allow statement of these lets the role start an execution of. */
function startableBy(statements: Statement[]): string[] {
  return statements
    .filter((st) => asArray(st.Action).includes('states:StartExecution'))
    .flatMap((st) => asArray(st.Resource))
    .map((r) => JSON.stringify(r));
}

/** Logical id of the Lambda an ARN expression points at (`Fn::GetAtt` or `Fn::Join` around it). */
function functionOfArn(arn: unknown): string | undefined {
  return JSON.stringify(arn).match(/"Fn::GetAtt":\["([A-Za-z0-9]+)","Arn"\]/)?.[1];
}

/** Every Allow statement of every role in the template: inline role policies and AWS::IAM::Policy. */
function allStatements(t: Template): Statement[] {
  return [
    ...resourcesOf(t, 'AWS::IAM::Role').flatMap(([, r]) => inlinePolicies(r)),
    ...resourcesOf(t, 'AWS::IAM::Policy').map(([, p]) => p.Properties as unknown as PolicyProps),
  ]
    .flatMap((p) => (p.PolicyDocument as { Statement: Statement[] }).Statement)
    .filter((s) => s.Effect === 'Allow');
}

/** What a resource names in the documents bucket: '' for the bucket, 'stored/*' for objects; undefined elsewhere. */
const inDocumentsBucket = (resource: unknown): string | undefined =>
  JSON.stringify(resource).match(/-claims-documents-.*-ap-southeast-1\/?([^"]*)"\]\]\}$/)?.[1];

/** The S3 actions these statements grant in the documents bucket, by what they are on. */
function documentsGrants(statements: Statement[]): Record<string, string[]> {
  const grants: Record<string, Set<string>> = {};
  for (const st of statements) {
    const actions = asArray(st.Action).filter((a) => a.startsWith('s3:'));
    for (const r of actions.length > 0 ? asArray(st.Resource) : []) {
      const on = inDocumentsBucket(r);
      if (on === undefined) continue;
      const granted = grants[on] ?? new Set<string>();
      for (const a of actions) granted.add(a);
      grants[on] = granted;
    }
  }
  return Object.fromEntries(Object.entries(grants).map(([on, a]) => [on, [...a].sort()]));
}

/** The same, from a function's declared access (lambdas/shared/bucket-prefixes.ts OBJECT_ACTION_IAM). */
function declaredGrants(access: Access): Record<string, string[]> {
  const { list, ...byPrefix } = access.documents ?? {};
  const prefixes: Record<string, readonly ObjectAction[] | undefined> = {
    ...byPrefix,
    ...(access.exports ? { [EXPORTS_PREFIX]: access.exports } : {}),
  };
  const grants: Record<string, string[]> = {};
  for (const [prefix, actions] of Object.entries(prefixes))
    if (actions?.length)
      grants[`${prefix}*`] = [...new Set(actions.flatMap((a) => OBJECT_ACTION_IAM[a]))].sort();
  if (list) grants[''] = ['s3:ListBucket'];
  return grants;
}

describe('claims app (synthesized)', () => {
  let webDist: string;
  let stacks: { app: App } & ClaimsStacks;
  let assembly: CloudAssembly;
  let web: Template;
  let stateful: Template;
  let stateless: Template;
  /** The stateless stack's nested stack of API routes, integrations and invoke permissions. */
  let apiRoutes: Template;
  const fnName = (id: string) => stacks.stateless.names.function(id);

  beforeAll(() => {
    webDist = mkdtempSync(join(tmpdir(), 'claims-web-dist-'));
    mkdirSync(join(webDist, 'customer'));
    writeFileSync(join(webDist, 'customer', 'index.html'), '<!doctype html><title>test</title>');
    stacks = buildApp(webDist);
    // Throws (UnscopedValidationError with the report) if cdk-nag finds anything unacknowledged.
    assembly = stacks.app.synth();
    const template = (name: string) => Template.fromJSON(assembly.getStackByName(name).template);
    web = template(stacks.web.stackName);
    stateful = template(stacks.stateful.stackName);
    stateless = template(stacks.stateless.stackName);
    apiRoutes = Template.fromStack(stacks.stateless.apiRoutes);
  }, SYNTH_TIMEOUT_MS);

  afterAll(() => {
    rmSync(webDist, { recursive: true, force: true });
  });

  describe('cdk-nag (AwsSolutions)', () => {
    it('reports no unacknowledged errors or warnings on the synthesized tree', () => {
      const report = new AwsSolutionsChecks(stacks.app).validateScope(stacks.app);
      const findings = report.violations.map(
        (v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
      );
      expect(findings).toEqual([]);
    });

    it('acknowledges every finding with a reason on a specific construct, never on a stack or the app', () => {
      const stackPaths = new Set(
        [stacks.app, stacks.web, stacks.stateful, stacks.stateless].map((s) => s.node.path),
      );
      for (const c of stacks.app.node.findAll()) {
        for (const m of c.node.metadata) {
          if (m.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
          expect(stackPaths.has(c.node.path), `acknowledged on ${c.node.path || 'the app'}`).toBe(false);
          for (const reason of Object.values(m.data as Record<string, string>))
            expect(reason.length).toBeGreaterThan(20);
        }
      }
    });
  });

  describe('stateful: table', () => {
    it('is a retained on-demand table with CMK encryption, PITR, TTL, stream and deletion protection', () => {
      stateful.hasResource('AWS::DynamoDB::GlobalTable', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          TableName: `${STAGE}-claims`,
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [
            { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
            { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
          ],
          SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
          StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
          TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
          Replicas: [
            Match.objectLike({
              DeletionProtectionEnabled: true,
              PointInTimeRecoverySpecification: Match.objectLike({ PointInTimeRecoveryEnabled: true }),
              SSESpecification: {
                KMSMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TableKey'), 'Arn'] },
              },
            }),
          ],
        }),
      });
    });

    it('has exactly the GSIs of TABLE_INDEXES', () => {
      const [, table] = single(
        resourcesOf(stateful, 'AWS::DynamoDB::GlobalTable'),
        'AWS::DynamoDB::GlobalTable',
      );
      expect(table.Properties.GlobalSecondaryIndexes).toEqual(
        TABLE_INDEXES.map((i) => ({
          IndexName: i.indexName,
          KeySchema: [
            { AttributeName: i.partitionKey, KeyType: 'HASH' },
            { AttributeName: i.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      );
    });

    it('rotates every customer-managed encryption key', () => {
      for (const t of [stateful, stateless]) {
        for (const [, key] of resourcesOf(t, 'AWS::KMS::Key')) {
          // KMS rotates only symmetric encryption keys; an HMAC key's fingerprints must stay stable.
          if (key.Properties.KeySpec === 'HMAC_256') continue;
          expect(key.Properties.EnableKeyRotation).toBe(true);
        }
      }
    });

    it('keeps an HMAC key for account fingerprints, usable only for MACs', () => {
      const hmac = resourcesOf(stateful, 'AWS::KMS::Key').filter(
        ([id, k]) => k.Properties.KeySpec === 'HMAC_256' && id.startsWith('FingerprintKey'),
      );
      expect(hmac).toHaveLength(1);
      expect(hmac[0]?.[1].Properties.KeyUsage).toBe('GENERATE_VERIFY_MAC');
    });

    it('keeps a separate, retained HMAC key for the audit chains’ anchors', () => {
      const hmac = resourcesOf(stateful, 'AWS::KMS::Key').filter(
        ([, k]) => k.Properties.KeySpec === 'HMAC_256',
      );
      // One key per purpose: fingerprints and audit anchors never share one.
      expect(hmac.map(([id]) => id.replace(/[A-F0-9]{8}$/, '')).sort()).toEqual([
        'AuditAnchorKey',
        'FingerprintKey',
      ]);
      const [, key] = single(
        hmac.filter(([id]) => id.startsWith('AuditAnchorKey')),
        'audit anchor key',
      );
      expect(key.Properties.KeyUsage).toBe('GENERATE_VERIFY_MAC');
      expect(key.DeletionPolicy).toBe('Retain');
      stateful.hasResourceProperties('AWS::KMS::Alias', { AliasName: `alias/${STAGE}-claims-audit-anchors` });
    });

    it('keeps a retained, rotated key for field-level encryption of personal data', () => {
      const [, key] = single(
        resourcesOf(stateful, 'AWS::KMS::Key').filter(([id]) => id.startsWith('FieldKey')),
        'field key',
      );
      expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(key.DeletionPolicy).toBe('Retain');
      stateful.hasResourceProperties('AWS::KMS::Alias', { AliasName: `alias/${STAGE}-claims-fields` });
    });
  });

  describe('stateful: backups beyond point-in-time recovery', () => {
    it('keep recovery points in a retained vault under a key of its own, deletable by no one', () => {
      const [, vault] = single(resourcesOf(stateful, 'AWS::Backup::BackupVault'), 'backup vault');
      expect(vault.DeletionPolicy).toBe('Retain');
      expect(vault.Properties.BackupVaultName).toBe(`${STAGE}-claims-backups`);
      const keyId = (vault.Properties.EncryptionKeyArn as { 'Fn::GetAtt': [string, string] })[
        'Fn::GetAtt'
      ][0];
      const key = stateful.toJSON().Resources[keyId] as Resource;
      expect(key.Type).toBe('AWS::KMS::Key');
      expect(key.DeletionPolicy).toBe('Retain');
      expect(key.Properties.EnableKeyRotation).toBe(true);
      const denied = (vault.Properties.AccessPolicy as { Statement: Statement[] }).Statement.filter(
        (st) => st.Effect === 'Deny',
      );
      expect(denied.flatMap((st) => asArray(st.Action))).toContain('backup:DeleteRecoveryPoint');
    });

    it('back up daily (35 days), monthly (1 year) and yearly (10 years, cold after 90 days)', () => {
      const [vaultId] = single(resourcesOf(stateful, 'AWS::Backup::BackupVault'), 'backup vault');
      const [, plan] = single(resourcesOf(stateful, 'AWS::Backup::BackupPlan'), 'backup plan');
      const rules = (plan.Properties.BackupPlan as { BackupPlanRule: Record<string, unknown>[] })
        .BackupPlanRule;
      const byName = Object.fromEntries(rules.map((r) => [r.RuleName, r]));
      const inVault = { 'Fn::GetAtt': [vaultId, 'BackupVaultName'] };
      expect(byName.daily).toMatchObject({
        TargetBackupVault: inVault,
        ScheduleExpression: 'cron(0 2 * * ? *)',
        ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
        Lifecycle: { DeleteAfterDays: 35 },
      });
      expect(byName.monthly).toMatchObject({
        TargetBackupVault: inVault,
        ScheduleExpression: 'cron(0 2 1 * ? *)',
        Lifecycle: { DeleteAfterDays: 365 },
      });
      expect(byName.yearly).toMatchObject({
        TargetBackupVault: inVault,
        ScheduleExpression: 'cron(0 2 1 1 ? *)',
        Lifecycle: { MoveToColdStorageAfterDays: 90 },
      });
      const yearly = byName.yearly?.Lifecycle as { DeleteAfterDays: number };
      expect(yearly.DeleteAfterDays).toBeGreaterThanOrEqual(10 * 365);
      expect(rules).toHaveLength(3);
    });

    it('select the table and the documents bucket by ARN, with a role only AWS Backup assumes', () => {
      const [tableId] = single(resourcesOf(stateful, 'AWS::DynamoDB::GlobalTable'), 'table');
      const [bucketId] = single(
        resourcesOf(stateful, 'AWS::S3::Bucket').filter(([, b]) =>
          JSON.stringify(b.Properties.BucketName ?? '').includes('-claims-documents-'),
        ),
        'documents bucket',
      );
      const [planId] = single(resourcesOf(stateful, 'AWS::Backup::BackupPlan'), 'backup plan');
      const [, selection] = single(resourcesOf(stateful, 'AWS::Backup::BackupSelection'), 'backup selection');
      expect(selection.Properties.BackupPlanId).toEqual({ 'Fn::GetAtt': [planId, 'BackupPlanId'] });
      const chosen = selection.Properties.BackupSelection as { Resources: unknown[]; IamRoleArn: unknown };
      expect(chosen.Resources).toEqual([
        { 'Fn::GetAtt': [tableId, 'Arn'] },
        { 'Fn::GetAtt': [bucketId, 'Arn'] },
      ]);
      const roleId = (chosen.IamRoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const role = stateful.toJSON().Resources[roleId] as Resource;
      expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toBe(
        JSON.stringify({
          Statement: [
            { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' } },
          ],
          Version: '2012-10-17',
        }),
      );
    });
  });

  describe('buckets', () => {
    it('block public access, are encrypted and deny non-TLS requests - in every stack', () => {
      for (const t of [web, stateful]) {
        const buckets = resourcesOf(t, 'AWS::S3::Bucket');
        expect(buckets.length).toBeGreaterThan(0);
        for (const [id, b] of buckets) {
          expect(b.Properties.PublicAccessBlockConfiguration, id).toEqual({
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          });
          expect(b.Properties.BucketEncryption, id).toBeDefined();
          const [, policy] = single(
            resourcesOf(t, 'AWS::S3::BucketPolicy').filter(
              ([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: id }),
            ),
            `bucket policy of ${id}`,
          );
          const statements = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
          expect(
            statements.some(
              (s) =>
                s.Effect === 'Deny' && JSON.stringify(s.Condition).includes('"aws:SecureTransport":"false"'),
            ),
            `${id} enforces TLS`,
          ).toBe(true);
        }
      }
      expect(resourcesOf(stateless, 'AWS::S3::Bucket')).toEqual([]);
    });

    it('documents: KMS CMK, versioned, access-logged, EventBridge on, presigned-POST CORS, quarantine lifecycle', () => {
      stateful.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          BucketName: {
            'Fn::Join': ['', [`${STAGE}-claims-documents-`, { Ref: 'AWS::AccountId' }, '-ap-southeast-1']],
          },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              {
                BucketKeyEnabled: true,
                ServerSideEncryptionByDefault: {
                  SSEAlgorithm: 'aws:kms',
                  KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DocumentsKey'), 'Arn'] },
                },
              },
            ],
          },
          VersioningConfiguration: { Status: 'Enabled' },
          LoggingConfiguration: Match.objectLike({
            DestinationBucketName: { Ref: Match.stringLikeRegexp('^AccessLogs') },
          }),
          NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
          CorsConfiguration: {
            CorsRules: [Match.objectLike({ AllowedMethods: Match.arrayWith(['POST', 'PUT', 'GET']) })],
          },
          LifecycleConfiguration: {
            Rules: Match.arrayWith([
              Match.objectLike({ Prefix: 'quarantine/', ExpirationInDays: 180 }),
              // Versioned: the landed uploads' old versions expire too, not only the current one.
              Match.objectLike({
                Id: 'expire-landing-zone',
                Prefix: 'claims/',
                ExpirationInDays: 7,
                NoncurrentVersionExpiration: { NoncurrentDays: 1 },
              }),
            ]),
          },
        }),
      });
    });

    it('documents: bank files, verified documents and raw e-mails expire after the accounting period, old versions too', () => {
      const [, bucket] = single(
        resourcesOf(stateful, 'AWS::S3::Bucket').filter(([id]) => id.startsWith('Documents')),
        'documents bucket',
      );
      const rules = (bucket.Properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
      const expiring = (prefix: string) =>
        rules.filter((r) => r.Prefix === prefix && r.ExpirationInDays !== undefined);
      // 10 years from the end of the accounting year (Law on Accounting Art. 41), and a margin; an
      // old version (a file deleted or overwritten) stays restorable for 90 days, no longer.
      for (const prefix of ['exports/', 'stored/', 'inbound/'])
        expect(expiring(prefix), prefix).toEqual([
          expect.objectContaining({
            Status: 'Enabled',
            ExpirationInDays: 12 * 365 + 3,
            NoncurrentVersionExpiration: { NoncurrentDays: 90 },
          }),
        ]);
      // Nothing the app writes is kept for ever: every prefix it writes under expires.
      const expires = rules.filter((r) => r.ExpirationInDays !== undefined).map((r) => r.Prefix);
      expect(expires.sort()).toEqual(['claims/', 'exports/', 'inbound/', 'quarantine/', 'stored/']);
      expect(rules).toContainEqual(expect.objectContaining({ ExpiredObjectDeleteMarker: true }));
    });
  });

  describe('identity', () => {
    it('has a user pool without self sign-up, email sign-in, custom attributes and the Plus plan', () => {
      stateful.hasResourceProperties('AWS::Cognito::UserPool', {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        UsernameAttributes: ['email'],
        MfaConfiguration: 'OPTIONAL',
        UserPoolTier: 'PLUS',
        Schema: Match.arrayWith([
          Match.objectLike({ Name: 'customerId', Mutable: true }),
          Match.objectLike({ Name: 'locale', Mutable: true }),
        ]),
      });
    });

    it('has one group per role', () => {
      const groups = resourcesOf(stateful, 'AWS::Cognito::UserPoolGroup').map(
        ([, g]) => g.Properties.GroupName,
      );
      expect(groups.sort()).toEqual([...ROLES].sort());
    });

    it('has a public PKCE web client that cannot rewrite its own customerId', () => {
      stateful.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email', 'profile'],
        CallbackURLs: Match.arrayWith(
          WEB_APPS.map((app) => ({ 'Fn::Join': ['', ['https://', Match.anyValue(), `/${app}/`]] })),
        ),
      });
      const [, client] = single(
        resourcesOf(stateful, 'AWS::Cognito::UserPoolClient'),
        'AWS::Cognito::UserPoolClient',
      );
      expect(client.Properties.ReadAttributes).toContain('custom:customerId');
      expect(client.Properties.WriteAttributes).not.toContain('custom:customerId');
    });
  });

  describe('HTTP API', () => {
    it("keeps every stack under CloudFormation's 500-resource limit with room to grow", () => {
      for (const [name, t] of [
        ['stateful', stateful],
        ['stateless', stateless],
        ['api routes', apiRoutes],
        ['web', web],
      ] as const) {
        const count = Object.keys(t.toJSON().Resources ?? {}).length;
        // The stateless stack holds ~3 resources per function (Function, Role, LogGroup): ~345 at
        // 93 functions, so this leaves room for ~15 more before anyone has to split it.
        expect(count, `${name}: ${count} resources`).toBeLessThan(name === 'stateless' ? 400 : 450);
      }
      expect(resourcesOf(stateless, 'AWS::ApiGatewayV2::Route')).toHaveLength(0);
    });

    it('has one route per ROUTES entry, JWT-authorized unless public', () => {
      const routes = resourcesOf(apiRoutes, 'AWS::ApiGatewayV2::Route');
      expect(routes).toHaveLength(ROUTES.length);
      for (const route of ROUTES as readonly RouteDef[]) {
        const found = routes.find(([, r]) => r.Properties.RouteKey === `${route.method} ${route.path}`);
        expect(found, `${route.method} ${route.path}`).toBeDefined();
        const props = found?.[1].Properties ?? {};
        if (route.auth === 'jwt') {
          expect(props.AuthorizationType, route.id).toBe('JWT');
          // The authorizer lives with the API in the parent stack; the nested stack gets its id.
          expect(JSON.stringify(props.AuthorizerId), route.id).toMatch(/CognitoJwt/);
        } else {
          expect(props.AuthorizationType, route.id).toBe('NONE');
          expect(props.AuthorizerId, route.id).toBeUndefined();
        }
      }
    });

    it('validates Cognito tokens for the web client', () => {
      stateless.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        JwtConfiguration: {
          Issuer: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('^https://cognito-idp\\.')])] },
          Audience: [Match.anyValue()],
        },
      });
    });

    it('logs who called which path, so the reads of one user or one claim can be listed after a leak', () => {
      const stage = Object.values(stateless.findResources('AWS::ApiGatewayV2::Stage'))[0] as {
        Properties: { AccessLogSettings: { Format: string } };
      };
      const format = JSON.parse(stage.Properties.AccessLogSettings.Format) as Record<string, string>;
      expect(format).toMatchObject({
        path: '$context.path',
        userId: '$context.authorizer.claims.sub',
        routeKey: '$context.routeKey',
        requestId: '$context.requestId',
      });
    });

    it('applies CORS from routes.ts, logs access and throttles the default stage', () => {
      stateless.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        ProtocolType: 'HTTP',
        CorsConfiguration: Match.objectLike({
          AllowHeaders: [...CORS.allowHeaders],
          ExposeHeaders: [...CORS.exposeHeaders],
          MaxAge: CORS.maxAgeSeconds,
          AllowOrigins: Match.arrayWith(['http://localhost:5173']),
        }),
      });
      stateless.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
        DefaultRouteSettings: {
          ThrottlingBurstLimit: Match.anyValue(),
          ThrottlingRateLimit: Match.anyValue(),
        },
      });
    });
  });

  describe('Lambda functions', () => {
    it('exist for every route and task function with the shared defaults', () => {
      for (const { id, def } of FUNCTIONS) {
        const { fn, env } = lambda(stateless, fnName(id));
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          MemorySize: 512,
          Timeout: 'timeoutSeconds' in def && def.timeoutSeconds ? def.timeoutSeconds : 10,
          LoggingConfig: expect.objectContaining({ LogFormat: 'JSON' }),
        });
        expect(env).toMatchObject({
          [ENV.stage]: STAGE,
          // The stage's own service: its metrics' `service` dimension (alarms, dashboard).
          POWERTOOLS_SERVICE_NAME: `${STAGE}-claims`,
          AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
        });
        // Source maps at run time only for the event consumers (the measured decision in lib/bundling.ts).
        const consumer = def.entry.startsWith('lambdas/handlers/events/');
        expect(env.NODE_OPTIONS, id).toBe(consumer ? '--enable-source-maps' : undefined);
      }
      expect(
        resourcesOf(stateless, 'AWS::Lambda::Function').map(([, f]) => f.Properties.FunctionName),
      ).toEqual(expect.arrayContaining(FUNCTIONS.map((f) => fnName(f.id))));
    });

    it('log to their own log group with one-month retention', () => {
      for (const { id } of FUNCTIONS) {
        stateless.hasResourceProperties('AWS::Logs::LogGroup', {
          LogGroupName: `/aws/lambda/${fnName(id)}`,
          RetentionInDays: 30,
        });
      }
    });

    it('get exactly the environment variables their access declares', () => {
      for (const { id, access } of FUNCTIONS) {
        const keys = Object.keys(lambda(stateless, fnName(id)).env);
        const has = (k: string) => keys.includes(k);
        expect(has(ENV.table), `${id} ${ENV.table}`).toBe(Boolean(access.table));
        expect(has(ENV.documentsBucket), `${id} ${ENV.documentsBucket}`).toBe(Boolean(access.documents));
        expect(has(ENV.stateMachineArn), `${id} ${ENV.stateMachineArn}`).toBe(Boolean(access.workflow));
        expect(has(ENV.deadlineReplanStateMachineArn), `${id} deadline replan`).toBe(
          Boolean(access.deadlineReplan),
        );
        expect(has(ENV.emailFrom) && has(ENV.webBaseUrl), `${id} email`).toBe(Boolean(access.email));
        expect(has(ENV.smsSenderId), `${id} sms`).toBe(Boolean(access.sms));
        expect(has(ENV.departmentTopicArns), `${id} topics`).toBe(Boolean(access.topics));
        expect(has(ENV.schedulerGroup) && has(ENV.schedulerRoleArn), `${id} schedules`).toBe(
          Boolean(access.schedules),
        );
        expect(has(ENV.deadlineTargetArn), `${id} deadline target`).toBe(
          Boolean(access.schedules) && TASKS.some((t) => t.trigger === 'deadline-schedules'),
        );
        expect(has(ENV.userPoolId), `${id} identity`).toBe(Boolean(access.identity));
        expect(has(ENV.fieldKeyId), `${id} field key`).toBe(Boolean(access.fieldKey));
        expect(lambda(stateless, fnName(id)).env.POWERTOOLS_LOGGER_LOG_EVENT, `${id} logs no events`).toBe(
          'false',
        );
      }
    });

    it('are least-privilege: table writes, S3, Step Functions only where declared', () => {
      for (const { id, access } of FUNCTIONS) {
        const { actions, statements } = lambda(stateless, fnName(id));
        const list = [...actions];
        // Field-key statements are the ones bound to the field-encryption context.
        const fieldKeyActions = statements
          .filter((st) => JSON.stringify(st.Condition ?? {}).includes('kms:EncryptionContext:purpose'))
          .flatMap((st) => asArray(st.Action));
        expect(fieldKeyActions, `${id} field key`).toEqual(
          access.fieldKey === 'encrypt'
            ? ['kms:GenerateDataKey']
            : access.fieldKey === 'decrypt'
              ? ['kms:Decrypt']
              : [],
        );
        // Account fingerprints (segregation of duties) match without opening anything.
        const fp: boolean | undefined = (access as { fingerprint?: boolean }).fingerprint;
        // Audit anchors: only their writer makes MACs; verifiers may only check them.
        const anchor = (access as { auditAnchor?: 'write' | 'verify' }).auditAnchor;
        expect(actions.has('kms:GenerateMac'), `${id} fingerprint or anchor`).toBe(
          Boolean(fp) || anchor === 'write',
        );
        expect(actions.has('kms:VerifyMac'), `${id} audit anchor`).toBe(Boolean(anchor));
        expect(actions.has('dynamodb:Query'), `${id} reads the table`).toBe(Boolean(access.table));
        expect(actions.has('dynamodb:PutItem'), `${id} writes the table`).toBe(access.table === 'readwrite');
        expect(
          list.some((a) => a.startsWith('s3:')),
          `${id} s3`,
        ).toBe(
          Boolean(
            access.documents ||
              ('exports' in access && access.exports) ||
              ('policyImports' in access && access.policyImports),
          ),
        );
        // The documents bucket: exactly the declared actions on the declared prefixes, nothing more.
        expect(documentsGrants(statements), `${id} documents bucket`).toEqual(declaredGrants(access));
        const wf: string | undefined = access.workflow;
        const replan: string | undefined = (access as Access).deadlineReplan;
        expect(actions.has('states:StartExecution'), `${id} start`).toBe(
          wf === 'start' || wf === 'start-and-callback' || replan === 'start',
        );
        expect(actions.has('states:SendTaskSuccess'), `${id} callback`).toBe(
          wf === 'callback' || wf === 'start-and-callback',
        );
        expect(
          list.some((a) => a.startsWith('ses:')),
          `${id} ses`,
        ).toBe(Boolean(access.email));
        expect(actions.has('sns:Publish'), `${id} sns`).toBe(Boolean(access.sms || access.topics));
        expect(
          list.some((a) => a.startsWith('scheduler:')),
          `${id} scheduler`,
        ).toBe(Boolean(access.schedules));
        expect(
          list.some((a) => a.startsWith('cognito-idp:')),
          `${id} cognito`,
        ).toBe(Boolean(access.identity));
        expect(list.filter((a) => a.includes('*') && !a.startsWith('kms:') && !a.startsWith('s3:'))).toEqual(
          [],
        );
      }
    });

    it('gives the template functions the web app address their link rule needs, and no mail rights', () => {
      for (const id of ['ListTemplates', 'UpdateTemplate', 'PreviewTemplate']) {
        const f = lambda(stateless, fnName(id));
        expect(f.env[ENV.webBaseUrl], id).toBeTruthy();
        expect(f.env[ENV.emailFrom], id).toBeUndefined();
        expect(f.actions, id).not.toContain('ses:SendEmail');
      }
    });

    it("carry their grants in the role's own inline policy, with no AWS::IAM::Policy beside it", () => {
      for (const { id } of FUNCTIONS) {
        const { fn, roleId, role } = lambda(stateless, fnName(id));
        expect(policiesAttachedTo(stateless, roleId), id).toEqual([]);
        expect(
          inlinePolicies(role).map((p) => p.PolicyName),
          id,
        ).toEqual(['grants']);
        // The function waits for the role, which now carries the permissions; no DefaultPolicy.
        for (const dep of asArray((fn as { DependsOn?: string | string[] }).DependsOn ?? [])) {
          expect(stateless.toJSON().Resources[dep].Type, `${id} depends on ${dep}`).not.toBe(
            'AWS::IAM::Policy',
          );
        }
      }
      // What the access grants is in it: a table reader may read and not write.
      const reader = lambda(stateless, fnName('ListMyClaims'));
      expect(reader.actions).toContain('dynamodb:GetItem');
      expect(reader.actions).not.toContain('dynamodb:PutItem');
      // And so is what other constructs grant later: the stream event source (added after
      // grantAccess) and the dead-letter queue of an asynchronously invoked function.
      const stream = TASKS.find((t) => t.trigger === 'claim-event-stream');
      expect(lambda(stateless, fnName(stream?.id ?? '')).actions).toContain('dynamodb:GetRecords');
      const upload = TASKS.find((t) => t.trigger === 'documents-uploaded');
      expect(lambda(stateless, fnName(upload?.id ?? '')).actions).toContain('sqs:SendMessage');
    });

    it('reach the documents bucket by prefix only: no object version, no delete on the whole bucket', () => {
      const statements = allStatements(stateless);
      expect(statements.flatMap((s) => asArray(s.Action))).not.toContain('s3:DeleteObjectVersion');
      for (const st of statements) {
        const on = asArray(st.Resource)
          .map(inDocumentsBucket)
          .filter((r) => r !== undefined);
        if (on.length === 0) continue;
        const s3Actions = asArray(st.Action).filter((a) => a.startsWith('s3:'));
        // Named actions only (s3:DeleteObject* would include s3:DeleteObjectVersion) ...
        expect(
          s3Actions.filter((a) => a.includes('*')),
          JSON.stringify(st),
        ).toEqual([]);
        // ... and never on every object of the bucket.
        if (s3Actions.length > 0) expect(on, JSON.stringify(st)).not.toContain('*');
      }
    });

    it('let RequestUpload only put into claims/ and GetDocument only read stored/', () => {
      const upload = lambda(stateless, fnName('RequestUpload'));
      expect([...upload.actions].filter((a) => a.startsWith('s3:Get'))).toEqual([]);
      expect(documentsGrants(upload.statements)).toEqual({
        'claims/*': ['s3:AbortMultipartUpload', 's3:PutObject'],
      });
      const get = lambda(stateless, fnName('GetDocument'));
      expect(documentsGrants(get.statements)).toEqual({ 'stored/*': ['s3:GetObject'] });
      // The documents key: only through S3 (kms:ViaService), data keys only for a writer.
      const kmsOf = (f: typeof get) =>
        f.statements.filter((st) => JSON.stringify(st.Condition ?? {}).includes('kms:ViaService'));
      expect(kmsOf(get).map((st) => asArray(st.Action))).toEqual([['kms:Decrypt']]);
      expect(kmsOf(upload).map((st) => asArray(st.Action))).toEqual([['kms:Decrypt', 'kms:GenerateDataKey']]);
    });

    it('ListMyClaims reads but cannot write; only the outbox deliverer talks to the workflow', () => {
      const list = lambda(stateless, fnName('ListMyClaims'));
      expect(list.actions).toContain('dynamodb:Query');
      for (const write of [
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:BatchWriteItem',
      ]) {
        expect(list.actions).not.toContain(write);
      }
      // Submitting records a start signal with the claim; the stream processor delivers it.
      const submit = lambda(stateless, fnName('SubmitClaim'));
      expect(submit.actions).not.toContain('states:StartExecution');
      expect(submit.env[ENV.stateMachineArn]).toBeUndefined();
      const deliverer = lambda(stateless, fnName('ProcessClaimEvents'));
      const starts = startableBy(deliverer.statements);
      expect(starts).toContain(JSON.stringify(deliverer.env[ENV.stateMachineArn]));
      expect(
        starts.find((r) => r.includes(`:stateMachine:${STAGE}-${CLAIM_STATE_MACHINE.name}`)),
      ).toBeDefined();
      expect(deliverer.actions).toContain('states:SendTaskSuccess');
    });

    it('lets the stream processor start the deadline re-planning run, and no other function', () => {
      const machine = `:stateMachine:${STAGE}-${DEADLINE_REPLAN_STATE_MACHINE.name}`;
      const deliverer = lambda(stateless, fnName('ProcessClaimEvents'));
      // Exactly the two state machines: the claim lifecycle (outbox signals) and the re-planning run.
      const starts = startableBy(deliverer.statements);
      expect(starts).toHaveLength(2);
      expect(starts).toContain(JSON.stringify(deliverer.env[ENV.deadlineReplanStateMachineArn]));
      expect(starts.filter((r) => r.includes(machine))).toHaveLength(1);
      // Only started: no other action of Step Functions names it (stop, callbacks, describe).
      const onIt = deliverer.statements.filter((st) => JSON.stringify(st.Resource).includes(machine));
      expect(onIt.flatMap((st) => asArray(st.Action))).toEqual(['states:StartExecution']);
      for (const { id } of FUNCTIONS) {
        if (id === 'ProcessClaimEvents') continue;
        const { statements } = lambda(stateless, fnName(id));
        expect(JSON.stringify(statements).includes(machine), id).toBe(false);
      }
    });
  });

  describe('operations alarms', () => {
    it('alarm on dead letters, failed workflows and a stalled outbox deliverer, to an encrypted topic', () => {
      const alarms = resourcesOf(stateless, 'AWS::CloudWatch::Alarm').map(([, r]) => r.Properties ?? {});
      const metrics = alarms.map((p) => `${p.Namespace}/${p.MetricName}`);
      for (const m of [
        'AWS/SQS/ApproximateNumberOfMessagesVisible',
        'AWS/States/ExecutionsFailed',
        'AWS/States/ExecutionsTimedOut',
        'AWS/Lambda/Errors',
        'AWS/Lambda/IteratorAge',
        `${METRICS_NAMESPACE}/${ANCHOR_REFUSED_METRIC}`,
        // Notifications that failed for good (retryable ones are retried, not counted).
        `${METRICS_NAMESPACE}/${NOTIFICATION_FAILED_METRIC}`,
      ]) {
        expect(metrics).toContain(m);
      }
      // Both stream readers' lag: the outbox deliverer and the audit anchorer.
      expect(metrics.filter((m) => m === 'AWS/Lambda/IteratorAge')).toHaveLength(2);
      // Records the stream processor reports back failed: retried, so never among its Errors.
      expect(alarms.filter((p) => p.MetricName === STREAM_RECORD_FAILED_METRIC)).toEqual([
        expect.objectContaining({
          Namespace: METRICS_NAMESPACE,
          Dimensions: [{ Name: 'service', Value: `${STAGE}-claims` }],
          Statistic: 'Sum',
          Threshold: 3,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        }),
      ]);
      // A failed deadline re-planning run, on its own state machine.
      const [replanId] = single(
        resourcesOf(stateless, 'AWS::StepFunctions::StateMachine').filter(
          ([, r]) => r.Properties.StateMachineName === `${STAGE}-${DEADLINE_REPLAN_STATE_MACHINE.name}`,
        ),
        'deadline replan state machine',
      );
      const replanFailed = alarms.filter(
        (p) =>
          p.MetricName === 'ExecutionsFailed' &&
          JSON.stringify(p.Dimensions) ===
            JSON.stringify([{ Name: 'StateMachineArn', Value: { Ref: replanId } }]),
      );
      expect(replanFailed).toHaveLength(1);
      expect(replanFailed[0]).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
      for (const p of alarms) expect(p.AlarmActions).toHaveLength(1);
      // Every alarm on the functions' own counts reads this stage's only: stages may share an
      // account, and a test stage's refused anchor must not page production.
      const custom = alarms.filter((p) => p.Namespace === METRICS_NAMESPACE);
      expect(custom.length).toBeGreaterThanOrEqual(3);
      for (const p of custom)
        expect(p.Dimensions, String(p.MetricName)).toEqual([{ Name: 'service', Value: `${STAGE}-claims` }]);
      const topics = resourcesOf(stateless, 'AWS::SNS::Topic').filter(([, r]) =>
        String(r.Properties?.TopicName).endsWith('-operations-alarms'),
      );
      expect(topics).toHaveLength(1);
      expect(topics[0]?.[1].Properties?.KmsMasterKeyId).toBeDefined();
    });

    it("lets CloudWatch use the topic's key and publish to it, for this stage's alarms only", () => {
      const [topicId, topic] = single(
        resourcesOf(stateless, 'AWS::SNS::Topic').filter(([, r]) =>
          String(r.Properties.TopicName).endsWith('-operations-alarms'),
        ),
        'alarm topic',
      );
      const keyId = (topic.Properties.KmsMasterKeyId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const key = stateless.toJSON().Resources[keyId] as Resource;
      type Granted = Statement & { Principal?: unknown };
      const byCloudWatch = (list: Granted[]) =>
        single(
          list.filter((st) => JSON.stringify(st.Principal) === '{"Service":"cloudwatch.amazonaws.com"}'),
          'statement for CloudWatch',
        );
      // Without data keys CloudWatch cannot publish to an encrypted topic: every alarm would be lost.
      const keyGrant = byCloudWatch((key.Properties.KeyPolicy as { Statement: Granted[] }).Statement);
      expect(keyGrant.Effect).toBe('Allow');
      expect(asArray(keyGrant.Action).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
      const onlyOurAlarms = {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: {
          'aws:SourceArn': {
            'Fn::Join': [
              '',
              [
                `arn:aws:cloudwatch:${stacks.stateless.region}:`,
                { Ref: 'AWS::AccountId' },
                `:alarm:${STAGE}-claims-*`,
              ],
            ],
          },
        },
      };
      expect(keyGrant.Condition).toEqual(onlyOurAlarms);
      const [, topicPolicy] = single(
        resourcesOf(stateless, 'AWS::SNS::TopicPolicy').filter(
          ([, p]) => JSON.stringify(p.Properties.Topics) === JSON.stringify([{ Ref: topicId }]),
        ),
        'alarm topic policy',
      );
      const publish = byCloudWatch(
        (topicPolicy.Properties.PolicyDocument as { Statement: Granted[] }).Statement,
      );
      expect(publish).toMatchObject({ Effect: 'Allow', Action: 'sns:Publish', Condition: onlyOurAlarms });
      // Which holds only if every alarm is named under that pattern.
      const alarms = resourcesOf(stateless, 'AWS::CloudWatch::Alarm').map(([, r]) => r.Properties);
      for (const p of alarms) expect(String(p.AlarmName)).toMatch(new RegExp(`^${STAGE}-claims-[A-Za-z]+$`));
    });

    it('alarm on a deadline firing Scheduler could not deliver, a dead letter left a week, API 5xx and a failed policy import', () => {
      const alarms = resourcesOf(stateless, 'AWS::CloudWatch::Alarm').map(([, r]) => r.Properties);
      const alarm = (name: string) =>
        single(
          alarms.filter((p) => p.AlarmName === `${STAGE}-claims-${name}`),
          `alarm ${name}`,
        );
      const paging = { ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1 };
      const group = [{ Name: 'ScheduleGroup', Value: `${STAGE}-claims-deadlines` }];
      expect(alarm('DeadlineDropped')).toMatchObject({
        ...paging,
        Namespace: 'AWS/Scheduler',
        MetricName: 'InvocationDroppedCount',
        Dimensions: group,
        Statistic: 'Sum',
        Threshold: 1,
      });
      expect(alarm('DeadlineDeadLetterFailed')).toMatchObject({
        ...paging,
        Namespace: 'AWS/Scheduler',
        MetricName: 'InvocationsFailedToBeSentToDeadLetterCount',
        Dimensions: group,
        Threshold: 1,
      });
      // Dead letters are kept 14 days: one waiting 7 pages, while there is a week left to replay it.
      const [queueId] = single(
        resourcesOf(stateless, 'AWS::SQS::Queue').filter(([id]) => id.startsWith('AsyncFailures')),
        'dead-letter queue',
      );
      expect(alarm('DeadLettersAgeing')).toMatchObject({
        ...paging,
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        Statistic: 'Maximum',
        Threshold: 7 * 24 * 3600,
      });
      expect(
        single(
          resourcesOf(stateless, 'AWS::SQS::Queue').filter(([id]) => id === queueId),
          'queue',
        )[1].Properties.MessageRetentionPeriod,
      ).toBe(14 * 24 * 3600);
      expect(alarm('DeadlineDeadLetters')).toMatchObject({
        ...paging,
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: `${STAGE}-claims-deadline-dead-letters` }],
        Threshold: 1,
      });
      const [apiId] = single(resourcesOf(stateless, 'AWS::ApiGatewayV2::Api'), 'HTTP API');
      expect(alarm('ApiServerErrors')).toMatchObject({
        ...paging,
        Namespace: 'AWS/ApiGateway',
        MetricName: '5xx',
        Dimensions: [{ Name: 'ApiId', Value: { Ref: apiId } }],
        Statistic: 'Sum',
        Threshold: 5,
      });
      const [importId] = single(
        resourcesOf(stateless, 'AWS::StepFunctions::StateMachine').filter(
          ([, r]) => r.Properties.StateMachineName === `${STAGE}-${POLICY_IMPORT_STATE_MACHINE.name}`,
        ),
        'policy import state machine',
      );
      expect(alarm('PolicyImportFailed')).toMatchObject({
        ...paging,
        Namespace: 'AWS/States',
        MetricName: 'ExecutionsFailed',
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: importId } }],
        Threshold: 1,
      });
    });
  });

  describe('operations dashboard and tracing', () => {
    it('has one dashboard with the business counts (EMF) and the service health', () => {
      const dashboards = resourcesOf(stateless, 'AWS::CloudWatch::Dashboard');
      expect(dashboards).toHaveLength(1);
      const body = JSON.stringify(dashboards[0]?.[1].Properties?.DashboardBody);
      for (const text of [
        'Claims filed',
        'Straight-through rate',
        'API latency p99',
        'Lambda errors and throttles',
        'DynamoDB throttles',
        'Workflow failures',
        'Deadline breaches',
      ]) {
        expect(body, text).toContain(text);
      }
      for (const metric of [
        ...CLAIM_METRICS,
        'Latency',
        'Throttles',
        'WriteThrottleEvents',
        'ExecutionsFailed',
      ]) {
        expect(body, metric).toContain(metric);
      }
      expect(body).toContain(METRICS_NAMESPACE);
      expect(body).toContain('p99');
    });

    it("reads this stage's metrics only: no widget draws an account-wide metric", () => {
      const [, dashboard] = single(resourcesOf(stateless, 'AWS::CloudWatch::Dashboard'), 'dashboard');
      // The body is an Fn::Join of JSON text and references (function names, API id, ARNs).
      const parts = (dashboard.Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] })[
        'Fn::Join'
      ][1];
      const refs: unknown[] = [];
      const text = parts.map((p) => (typeof p === 'string' ? p : `@ref${refs.push(p) - 1}@`)).join('');
      type Row = (string | Record<string, unknown>)[];
      const body = JSON.parse(text) as { widgets: { properties: { title: string; metrics?: Row[] } }[] };
      const graphed: {
        title: string;
        namespace: string;
        name: string;
        dimensions: Record<string, unknown>;
      }[] = [];
      for (const { properties } of body.widgets) {
        for (const row of properties.metrics ?? []) {
          const fields = row.filter((f): f is string => typeof f === 'string');
          if (fields.length === 0) continue; // a math expression over the rows that carry its inputs
          const [namespace = '', name = '', ...dims] = fields;
          const dimensions: Record<string, unknown> = {};
          for (let i = 0; i + 1 < dims.length; i += 2) {
            const ref = /^@ref(\d+)@$/.exec(dims[i + 1] ?? '');
            dimensions[dims[i] ?? ''] = ref ? refs[Number(ref[1])] : dims[i + 1];
          }
          graphed.push({ title: properties.title, namespace, name, dimensions });
        }
      }
      expect(graphed.length).toBeGreaterThan(0);
      for (const m of graphed)
        expect(Object.keys(m.dimensions), `${m.title}: ${m.namespace}/${m.name}`).not.toHaveLength(0);
      // The business counts: this stage's service.
      for (const m of graphed.filter((g) => g.namespace === METRICS_NAMESPACE))
        expect(m.dimensions, m.name).toEqual({ service: `${STAGE}-claims` });
      // Lambda errors and throttles: each of this stage's functions, by name, and nothing else.
      const ours = resourcesOf(stateless, 'AWS::Lambda::Function')
        .filter(([, f]) => String(f.Properties.FunctionName).startsWith(`${STAGE}-claims-`))
        .map(([id]) => JSON.stringify({ Ref: id }))
        .sort();
      expect(ours.length).toBe(FUNCTIONS.length);
      for (const name of ['Errors', 'Throttles']) {
        const lambdaRows = graphed.filter((g) => g.namespace === 'AWS/Lambda' && g.name === name);
        expect(lambdaRows.map((g) => Object.keys(g.dimensions))).toEqual(
          lambdaRows.map(() => ['FunctionName']),
        );
        expect(lambdaRows.map((g) => JSON.stringify(g.dimensions.FunctionName)).sort(), name).toEqual(ours);
      }
    });

    it('traces every function and both state machines with X-Ray', () => {
      for (const [, fn] of resourcesOf(stateless, 'AWS::Lambda::Function')) {
        if (!String(fn.Properties?.FunctionName ?? '').includes('claims')) continue;
        expect(fn.Properties?.TracingConfig, String(fn.Properties?.FunctionName)).toEqual({ Mode: 'Active' });
      }
      const machines = resourcesOf(stateless, 'AWS::StepFunctions::StateMachine');
      expect(machines.length).toBeGreaterThanOrEqual(2);
      for (const [, m] of machines) expect(m.Properties?.TracingConfiguration).toEqual({ Enabled: true });
    });
  });

  describe('claim workflow', () => {
    const asl = readFileSync(join(REPO_ROOT, CLAIM_STATE_MACHINE.file), 'utf8');

    it('substitutes every ASL placeholder with the matching task function ARN', () => {
      const [, sm] = single(
        resourcesOf(stateless, 'AWS::StepFunctions::StateMachine').filter(
          ([, r]) => r.Properties.StateMachineName === `${STAGE}-${CLAIM_STATE_MACHINE.name}`,
        ),
        'AWS::StepFunctions::StateMachine',
      );
      const subs = sm.Properties.DefinitionSubstitutions as Record<
        string,
        { 'Fn::GetAtt': [string, string] }
      >;
      const placeholders = [...asl.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]);
      expect(Object.keys(subs).sort()).toEqual([...new Set(placeholders)].sort());

      let resolved = asl;
      for (const task of CLAIM_TASKS) {
        if (!task.aslSubstitution) continue;
        const { logicalId } = lambda(stateless, fnName(task.id));
        expect(subs[task.aslSubstitution], task.id).toEqual({ 'Fn::GetAtt': [logicalId, 'Arn'] });
        resolved = resolved.replaceAll(
          `\${${task.aslSubstitution}}`,
          `arn:aws:lambda:::function:${fnName(task.id)}`,
        );
      }
      // Every Task state now names a function ARN; no `${Name}` placeholder is left anywhere
      // (the top-level Comment mentions "${...}" in prose, which is not a placeholder).
      const definition = JSON.parse(resolved) as { States: Record<string, unknown> };
      const leftovers: string[] = [];
      const walk = (v: unknown, path: string): void => {
        if (typeof v === 'string' && /\$\{\w+\}/.test(v)) leftovers.push(`${path}: ${v}`);
        else if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, `${path}.${k}`);
      };
      walk(definition.States, 'States');
      expect(leftovers).toEqual([]);
      expect(resolved).toMatch(/arn:aws:lambda:::function:/);
    });

    it('is a STANDARD, traced state machine logging ALL, allowed to invoke exactly its task functions', () => {
      stateless.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineName: `${STAGE}-${CLAIM_STATE_MACHINE.name}`,
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
      });
      const [, sm] = single(
        resourcesOf(stateless, 'AWS::StepFunctions::StateMachine').filter(
          ([, r]) => r.Properties.StateMachineName === `${STAGE}-${CLAIM_STATE_MACHINE.name}`,
        ),
        'AWS::StepFunctions::StateMachine',
      );
      const roleId = (sm.Properties.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const invoked = resourcesOf(stateless, 'AWS::IAM::Policy')
        .filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
        .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
        .filter((s) => asArray(s.Action).includes('lambda:InvokeFunction'))
        .flatMap((s) => asArray(s.Resource));
      // grantInvokeLatestVersion: the unqualified ARN and :$LATEST, never a `:*` wildcard.
      const expected = CLAIM_TASKS.filter((t) => t.aslSubstitution).map(
        (t) => lambda(stateless, fnName(t.id)).logicalId,
      );
      expect(new Set(invoked.map(functionOfArn))).toEqual(new Set(expected));
      expect(JSON.stringify(invoked)).not.toContain(':*');
    });
  });

  describe('policy import workflow', () => {
    it('keeps policy files in their own KMS-encrypted, versioned bucket that tells EventBridge', () => {
      stateful.hasResourceProperties('AWS::S3::Bucket', {
        LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'policy-imports/' }),
        VersioningConfiguration: { Status: 'Enabled' },
        NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            Match.objectLike({
              ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }),
            }),
          ],
        },
      });
    });

    it('starts one execution per file under incoming/ with its bucket, key and ETag', () => {
      const [machineId] = single(
        resourcesOf(stateless, 'AWS::StepFunctions::StateMachine').filter(
          ([, r]) => r.Properties.StateMachineName === `${STAGE}-${POLICY_IMPORT_STATE_MACHINE.name}`,
        ),
        'policy import state machine',
      );
      stateless.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.s3'],
          'detail-type': ['Object Created'],
          detail: {
            bucket: { name: [Match.anyValue()] },
            object: { key: [{ prefix: POLICY_IMPORT_PREFIX }] },
          },
        },
        Targets: [
          Match.objectLike({
            Arn: { Ref: machineId },
            InputTransformer: Match.objectLike({
              InputPathsMap: {
                'detail-bucket-name': '$.detail.bucket.name',
                'detail-object-key': '$.detail.object.key',
                'detail-object-etag': '$.detail.object.etag',
              },
            }),
          }),
        ],
      });
    });

    it('gives the import step 15 minutes, read access to the bucket and its name', () => {
      const { fn } = lambda(stateless, fnName('ImportPolicies'));
      expect(fn.Properties.Timeout).toBe(900);
      const vars = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(JSON.stringify(vars[ENV.policyImportsBucket])).toMatch(/policy-imports/);
    });
  });

  describe('deadline re-planning workflow', () => {
    const machineOf = () =>
      single(
        resourcesOf(stateless, 'AWS::StepFunctions::StateMachine').filter(
          ([, r]) => r.Properties.StateMachineName === `${STAGE}-${DEADLINE_REPLAN_STATE_MACHINE.name}`,
        ),
        'deadline replan state machine',
      );

    it('is a STANDARD, traced state machine logging ALL, its step the ReplanDeadlines function', () => {
      const [, sm] = machineOf();
      expect(sm.Properties).toMatchObject({
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: expect.objectContaining({ Level: 'ALL' }),
      });
      const { logicalId } = lambda(stateless, fnName('ReplanDeadlines'));
      expect(sm.Properties.DefinitionSubstitutions).toEqual({
        ReplanDeadlinesFunctionArn: { 'Fn::GetAtt': [logicalId, 'Arn'] },
      });
      const roleId = (sm.Properties.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const invoked = resourcesOf(stateless, 'AWS::IAM::Policy')
        .filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
        .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
        .filter((s) => asArray(s.Action).includes('lambda:InvokeFunction'))
        .flatMap((s) => asArray(s.Resource));
      expect(new Set(invoked.map(functionOfArn))).toEqual(new Set([logicalId]));
    });

    it('gives a page the time its state allows, and table and schedule access only', () => {
      const { fn, actions } = lambda(stateless, fnName('ReplanDeadlines'));
      const asl = JSON.parse(readFileSync(join(REPO_ROOT, DEADLINE_REPLAN_STATE_MACHINE.file), 'utf8')) as {
        States: { ReplanPage: { TimeoutSeconds: number } };
      };
      expect(asl.States.ReplanPage.TimeoutSeconds).toBeGreaterThan(fn.Properties.Timeout as number);
      expect(actions).toContain('dynamodb:PutItem');
      expect(actions).toContain('scheduler:CreateSchedule');
      expect([...actions].filter((a) => /^(states|ses|sns|s3):/.test(a))).toEqual([]);
    });
  });

  describe('event triggers', () => {
    const dlq = { 'Fn::GetAtt': [Match.stringLikeRegexp('^AsyncFailures'), 'Arn'] };

    it('routes S3 "Object Created" under claims/ to each documents-uploaded task, with a DLQ', () => {
      const rules = resourcesOf(stateless, 'AWS::Events::Rule').filter(([, r]) =>
        JSON.stringify(r.Properties.EventPattern).includes(`"prefix":"${UPLOAD_PREFIX}"`),
      );
      const uploadTasks = TASKS.filter((t) => t.trigger === 'documents-uploaded');
      expect(rules).toHaveLength(uploadTasks.length);
      for (const task of uploadTasks) {
        const { logicalId } = lambda(stateless, fnName(task.id));
        stateless.hasResourceProperties('AWS::Events::Rule', {
          EventPattern: {
            source: ['aws.s3'],
            'detail-type': ['Object Created'],
            detail: { bucket: { name: [Match.anyValue()] }, object: { key: [{ prefix: UPLOAD_PREFIX }] } },
          },
          Targets: [
            Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId, 'Arn'] }, DeadLetterConfig: { Arn: dlq } }),
          ],
        });
      }
    });

    it('sends what an asynchronously invoked function fails on to the dead-letter queue as a record naming it', () => {
      // Lambda's on-failure record carries the function's ARN and the request; a function-level DLQ
      // would carry the event alone, and the shared queue could not say whose it was.
      const asyncFunctions = [
        ...TASKS.filter((t) =>
          ['documents-uploaded', 'deadline-schedules', 'email-received'].includes(String(t.trigger)),
        ).map((t) => t.id),
        'RecordWorkflowFailure',
      ];
      expect(asyncFunctions).toEqual(
        expect.arrayContaining(['VerifyUpload', 'DeadlineFired', 'ReceiveEmail', 'RecordWorkflowFailure']),
      );
      const configs = resourcesOf(stateless, 'AWS::Lambda::EventInvokeConfig').map(([, r]) => r.Properties);
      for (const id of asyncFunctions) {
        const { logicalId, fn } = lambda(stateless, fnName(id));
        const config = single(
          configs.filter((c) => JSON.stringify(c.FunctionName) === JSON.stringify({ Ref: logicalId })),
          `${id} async invoke config`,
        );
        expect(config, id).toMatchObject({
          Qualifier: '$LATEST',
          MaximumRetryAttempts: 2,
          DestinationConfig: {
            OnFailure: { Destination: { 'Fn::GetAtt': [expect.stringMatching(/^AsyncFailures/), 'Arn'] } },
          },
        });
        expect(fn.Properties.DeadLetterConfig, id).toBeUndefined();
      }
      // The queue's URL for `npm run replay-dead-letters` (DEAD_LETTERS_QUEUE_URL).
      stateless.hasOutput('DeadLettersQueueUrl', {
        Value: { Ref: Match.stringLikeRegexp('^AsyncFailures') },
      });
    });

    it('receives mail for the claims address into inbound/ and routes it to each email-received task', () => {
      stateful.hasResourceProperties('AWS::SES::ReceiptRule', {
        Rule: Match.objectLike({
          Enabled: true,
          ScanEnabled: true,
          Recipients: [Match.stringLikeRegexp('@')],
          Actions: [{ S3Action: Match.objectLike({ ObjectKeyPrefix: INBOUND_EMAIL_PREFIX }) }],
        }),
      });
      const emailTasks = TASKS.filter((t) => t.trigger === 'email-received');
      expect(emailTasks.length).toBeGreaterThan(0);
      for (const task of emailTasks) {
        const { logicalId } = lambda(stateless, fnName(task.id));
        stateless.hasResourceProperties('AWS::Events::Rule', {
          EventPattern: Match.objectLike({
            detail: {
              bucket: { name: [Match.anyValue()] },
              object: { key: [{ prefix: INBOUND_EMAIL_PREFIX }] },
            },
          }),
          Targets: [
            Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId, 'Arn'] }, DeadLetterConfig: { Arn: dlq } }),
          ],
        });
        // Lambda's retries of a failed attempt, explicit: one inside the takeover time, one taking over.
        stateless.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
          FunctionName: { Ref: logicalId },
          MaximumRetryAttempts: 2,
          MaximumEventAgeInSeconds: 3600,
        });
      }
    });

    it('feeds every new audit chain event to the anchoring task, the only maker of anchors', () => {
      const [task] = TASKS.filter((t) => t.trigger === 'audit-anchor-stream');
      if (!task) throw new Error('no audit-anchor-stream task');
      const { logicalId, actions, env } = lambda(stateless, fnName(task.id));
      stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: logicalId },
        StartingPosition: 'TRIM_HORIZON',
        ParallelizationFactor: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: dlq } },
        FilterCriteria: {
          Filters: [
            {
              Pattern: JSON.stringify({
                eventName: ['INSERT'],
                dynamodb: { NewImage: { entity: { S: ['ClaimEvent', 'AdminEvent'] } } },
              }),
            },
          ],
        },
      });
      expect(actions).toContain('kms:GenerateMac');
      // The audit key's GenerateMac is granted to this function alone.
      const auditKeyArn = JSON.stringify(env[ENV.auditKeyId]);
      const makers = FUNCTIONS.filter(({ id }) =>
        lambda(stateless, fnName(id)).statements.some(
          (st) =>
            asArray(st.Action).includes('kms:GenerateMac') && JSON.stringify(st.Resource) === auditKeyArn,
        ),
      ).map(({ id }) => id);
      expect(makers).toEqual([task.id]);
    });

    it('feeds INSERTed claim events from the table stream to each claim-event-stream task', () => {
      const streamTasks = TASKS.filter((t) => t.trigger === 'claim-event-stream');
      const anchorTasks = TASKS.filter((t) => t.trigger === 'audit-anchor-stream');
      expect(resourcesOf(stateless, 'AWS::Lambda::EventSourceMapping')).toHaveLength(
        streamTasks.length + anchorTasks.length,
      );
      for (const task of streamTasks) {
        const { logicalId, actions } = lambda(stateless, fnName(task.id));
        stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
          FunctionName: { Ref: logicalId },
          EventSourceArn: Match.anyValue(),
          StartingPosition: 'TRIM_HORIZON',
          ParallelizationFactor: 1,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          DestinationConfig: { OnFailure: { Destination: dlq } },
          FilterCriteria: {
            // Claim events except the deadline bookkeeping the processor writes itself; workflow signals;
            // administration events.
            Filters: [
              {
                Pattern: JSON.stringify({
                  eventName: ['INSERT'],
                  dynamodb: {
                    NewImage: {
                      [STREAMED_ENTITIES.attribute]: { S: ['ClaimEvent'] },
                      type: { S: [{ 'anything-but': [...QUIET_EVENT_TYPES] }] },
                    },
                  },
                }),
              },
              {
                Pattern: JSON.stringify({
                  eventName: ['INSERT'],
                  dynamodb: { NewImage: { [STREAMED_ENTITIES.attribute]: { S: ['WorkflowSignal'] } } },
                }),
              },
              // The administration chain's events: a calendar change re-plans running deadlines.
              {
                Pattern: JSON.stringify({
                  eventName: ['INSERT'],
                  dynamodb: { NewImage: { [STREAMED_ENTITIES.attribute]: { S: ['AdminEvent'] } } },
                }),
              },
            ],
          },
        });
        expect(actions).toContain('dynamodb:GetRecords');
      }
    });

    it('keeps the role Scheduler assumes and its dead-letter queue as state: stateful, named, retained', () => {
      const schedulerRoles = (t: Template) =>
        resourcesOf(t, 'AWS::IAM::Role').filter(([, r]) =>
          JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com'),
        );
      // Every pending schedule names the role and the queue it was created with: a stateless
      // redeploy must not replace either.
      expect(schedulerRoles(stateless)).toEqual([]);
      const [roleId, role] = single(schedulerRoles(stateful), 'Scheduler role');
      expect(role.Properties.RoleName).toBe(`${STAGE}-claims-scheduler`);
      expect(role.DeletionPolicy).toBe('Retain');
      const [groupId] = single(resourcesOf(stateful, 'AWS::Scheduler::ScheduleGroup'), 'schedule group');
      expect(resourcesOf(stateful, 'AWS::Scheduler::ScheduleGroup')[0]?.[1].Properties.Name).toBe(
        `${STAGE}-claims-deadlines`,
      );
      // Assumed only by Scheduler on behalf of the deadline group, in this account.
      expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain(
        JSON.stringify({ 'aws:SourceArn': { 'Fn::GetAtt': [groupId, 'Arn'] } }),
      );
      const [queueId, queue] = single(
        resourcesOf(stateful, 'AWS::SQS::Queue').filter(
          ([, q]) => q.Properties.QueueName === `${STAGE}-claims-deadline-dead-letters`,
        ),
        'deadline dead-letter queue',
      );
      expect(queue.DeletionPolicy).toBe('Retain');
      // Its inline policy and any policy attached to it.
      const statements = [
        ...((role.Properties.Policies ?? []) as { PolicyDocument: unknown }[]),
        ...resourcesOf(stateful, 'AWS::IAM::Policy')
          .filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(JSON.stringify({ Ref: roleId })))
          .map(([, p]) => p.Properties as { PolicyDocument: unknown }),
      ].flatMap((p) => (p.PolicyDocument as { Statement: Statement[] }).Statement);
      // It may invoke the deadline-schedules tasks (by name: no reference back into the stateless
      // stack) and put what it could not deliver in its queue: nothing else.
      const invoke = single(
        statements.filter((st) => asArray(st.Action).includes('lambda:InvokeFunction')),
        'invoke statement',
      );
      const targets = TASKS.filter((t) => t.trigger === 'deadline-schedules').map((t) => fnName(t.id));
      expect(asArray(invoke.Resource)).toHaveLength(targets.length);
      for (const name of targets) expect(JSON.stringify(invoke.Resource)).toContain(`:function:${name}"`);
      expect(JSON.stringify(invoke.Resource)).not.toContain(':*');
      const send = single(
        statements.filter((st) => asArray(st.Action).includes('sqs:SendMessage')),
        'dead-letter statement',
      );
      expect(send.Resource).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
      expect(statements.flatMap((st) => asArray(st.Action)).sort()).toEqual([
        'lambda:InvokeFunction',
        'sqs:SendMessage',
      ]);
      // Every function that creates schedules is told that role and that queue, by name.
      const creators = FUNCTIONS.filter((f) => f.access.schedules);
      expect(creators.length).toBeGreaterThan(0);
      for (const { id } of creators) {
        const { env } = lambda(stateless, fnName(id));
        expect(JSON.stringify(env[ENV.schedulerRoleArn]), id).toContain(`:role/${STAGE}-claims-scheduler"`);
        expect(JSON.stringify(env[ENV.schedulerDeadLetterArn]), id).toMatch(
          new RegExp(`:sqs:.*:${STAGE}-claims-deadline-dead-letters"`),
        );
      }
    });

    it('runs the compensating step for a claim execution that timed out or was stopped (no Catch sees it)', () => {
      const [machineId] = single(
        resourcesOf(stateless, 'AWS::StepFunctions::StateMachine').filter(
          ([, r]) => r.Properties.StateMachineName === `${STAGE}-${CLAIM_STATE_MACHINE.name}`,
        ),
        'claim state machine',
      );
      const { logicalId } = lambda(stateless, fnName('RecordWorkflowFailure'));
      const [ruleId] = single(
        resourcesOf(stateless, 'AWS::Events::Rule').filter(([, r]) =>
          JSON.stringify(r.Properties.EventPattern).includes('Step Functions Execution Status Change'),
        ),
        'execution status rule',
      );
      stateless.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.states'],
          'detail-type': ['Step Functions Execution Status Change'],
          // FAILED is not here: a failed state already ran the compensating step through its Catch.
          detail: { stateMachineArn: [{ Ref: machineId }], status: ['TIMED_OUT', 'ABORTED'] },
        },
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [logicalId, 'Arn'] },
            DeadLetterConfig: { Arn: dlq },
            RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 6 * 3600 },
          }),
        ],
      });
      stateless.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [logicalId, 'Arn'] },
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
      });
      // Invoked asynchronously: what fails after Lambda's own retries is dead-lettered too (the
      // on-failure destination: 'sends what an asynchronously invoked function fails on …').
    });

    it('has one KMS-encrypted SNS topic per department', () => {
      const topics = resourcesOf(stateless, 'AWS::SNS::Topic').filter(
        ([, t]) => !String(t.Properties.TopicName).endsWith('-operations-alarms'),
      );
      expect(topics).toHaveLength(5);
      for (const [, topic] of topics) expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    });
  });

  describe('web', () => {
    it('serves a private bucket through CloudFront with OAC, SPA routing and security headers', () => {
      web.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultRootObject: 'index.html',
          Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue() })],
          DefaultCacheBehavior: Match.objectLike({
            ViewerProtocolPolicy: 'redirect-to-https',
            ResponseHeadersPolicyId: Match.anyValue(),
            FunctionAssociations: [Match.objectLike({ EventType: 'viewer-request' })],
          }),
          CustomErrorResponses: Match.arrayWith([Match.objectLike({ ErrorCode: 404, ResponseCode: 200 })]),
          Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
        }),
      });
      web.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
        ResponseHeadersPolicyConfig: Match.objectLike({
          SecurityHeadersConfig: Match.objectLike({
            StrictTransportSecurity: Match.objectLike({ IncludeSubdomains: true }),
            ContentSecurityPolicy: Match.objectLike({
              ContentSecurityPolicy: Match.stringLikeRegexp(
                // The PDF preview is a frame from the documents bucket; plugin objects stay refused.
                "frame-src https://\\*\\.s3\\.ap-southeast-1\\.amazonaws\\.com .*frame-ancestors 'none'.*object-src 'none'",
              ),
            }),
          }),
        }),
      });
    });

    it('deploys web/dist plus a config.json per app with the API and Cognito settings', () => {
      stateless.resourceCountIs('Custom::CDKBucketDeployment', 2);
      // Hashed bundles kept a year by browsers; everything else (pages, config.json) revalidated.
      stateless.hasResourceProperties('Custom::CDKBucketDeployment', {
        Include: [HASHED_WEB_ASSETS],
        Exclude: ['*'],
        SystemMetadata: { 'cache-control': IMMUTABLE_CACHE_CONTROL },
      });
      stateless.hasResourceProperties('Custom::CDKBucketDeployment', {
        Exclude: [HASHED_WEB_ASSETS],
        SystemMetadata: { 'cache-control': 'public, max-age=0, s-maxage=31536000, must-revalidate' },
      });
      const configs = readdirSync(assembly.directory)
        .filter((d) => d.startsWith('asset.'))
        .flatMap((d) =>
          WEB_APPS.map((app) => join(assembly.directory, d, app, 'config.json')).filter((f) => {
            try {
              readFileSync(f);
              return true;
            } catch {
              return false;
            }
          }),
        );
      expect(configs).toHaveLength(WEB_APPS.length);
      for (const file of configs) {
        const config = JSON.parse(readFileSync(file, 'utf8'));
        expect(config).toEqual({
          apiUrl: expect.stringMatching(/^https:\/\/.+\.execute-api\.ap-southeast-1\./),
          auth: {
            mode: 'cognito',
            domain: expect.stringMatching(/^https:\/\/.+\.auth\.ap-southeast-1\.amazoncognito\.com$/),
            clientId: expect.any(String),
            region: 'ap-southeast-1',
            redirectUri: expect.stringMatching(/^https:\/\/.+\/(customer|console)\/$/),
          },
          locales: ['vi', 'en'],
        });
      }
    });

    it('outputs what a client needs', () => {
      for (const name of ['ApiUrl', 'WebUrl', 'UserPoolId', 'ClientId', 'HostedUiDomain']) {
        stateless.hasOutput(name, {});
      }
    });
  });
});

describe('grantAccess (every kind of access)', () => {
  it('grants and sets the env contract for email, sms and schedules, with nag still clean', () => {
    const dist = mkdtempSync(join(tmpdir(), 'claims-web-dist-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html>');
    try {
      const { app, stateless } = buildApp(dist);
      const everything: Required<Access> = {
        table: 'read',
        documents: { 'stored/': ['get'], list: true },
        workflow: 'callback',
        email: true,
        sms: true,
        topics: true,
        schedules: true,
        identity: true,
        fieldKey: 'decrypt',
        cursors: true,
        fingerprint: true,
        auditAnchor: 'verify',
        exports: ['put'],
        policyImports: 'read',
        siteLinks: true,
        deadlineReplan: 'start',
      };
      const probe = new ClaimsFunction(stateless, 'AccessProbe', {
        stage: STAGE,
        functionName: `${STAGE}-claims-access-probe`,
        entry: (ROUTES[0] as RouteDef).entry,
      });
      grantAccess(probe, everything, stateless.accessResources);
      const t = Template.fromJSON(app.synth().getStackByName(stateless.stackName).template);
      const { env, actions, statements } = lambda(t, `${STAGE}-claims-access-probe`);

      expect(Object.keys(env)).toEqual(
        expect.arrayContaining([
          ENV.table,
          ENV.documentsBucket,
          ENV.exportsBucket,
          ENV.stateMachineArn,
          ENV.deadlineReplanStateMachineArn,
          ENV.emailFrom,
          ENV.webBaseUrl,
          ENV.smsSenderId,
          ENV.departmentTopicArns,
          ENV.schedulerGroup,
          ENV.schedulerRoleArn,
          ENV.userPoolId,
          ENV.fieldKeyId,
          ENV.fingerprintKeyId,
          ENV.auditKeyId,
          ENV.cursorSigningKey,
        ]),
      );
      expect(ENV.deadlineTargetArn in env).toBe(TASKS.some((t) => t.trigger === 'deadline-schedules'));
      expect(env[ENV.emailFrom]).toBe('claims@example.com');
      for (const a of [
        'sns:Publish',
        'scheduler:CreateSchedule',
        'scheduler:DeleteSchedule',
        'iam:PassRole',
        'cognito-idp:AdminAddUserToGroup',
      ]) {
        expect(actions).toContain(a);
      }
      expect(actions).toContain('states:SendTaskSuccess');
      // `callback` on the claim workflow starts nothing; `deadlineReplan` starts the re-planning run.
      expect(startableBy(statements)).toEqual([JSON.stringify(env[ENV.deadlineReplanStateMachineArn])]);
      expect(actions).not.toContain('cognito-idp:AdminDeleteUser');
      const passRole = statements.find((s) => asArray(s.Action).includes('iam:PassRole'));
      expect(passRole?.Condition).toEqual({
        StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
      });
      const ses = statements.find((s) => asArray(s.Action).includes('ses:SendEmail'));
      expect(ses?.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'claims@example.com' } });

      const report = new AwsSolutionsChecks(app).validateScope(app);
      expect(report.violations.map((v) => v.ruleName)).toEqual([]);
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });
});

const contextOf = (values: Record<string, unknown>) => ({ tryGetContext: (key: string) => values[key] });

describe('configuration guards', () => {
  it('fails synth with a clear message when web/dist has not been built', () => {
    expect(() => buildApp(join(tmpdir(), 'claims-web-dist-does-not-exist'))).toThrow(/npm run build:web/);
  });

  it('refuses an access kind it has no grant for', () => {
    const dist = mkdtempSync(join(tmpdir(), 'claims-web-dist-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html>');
    try {
      const { stateless } = buildApp(dist);
      const probe = new ClaimsFunction(stateless, 'UnknownAccess', {
        stage: STAGE,
        functionName: `${STAGE}-claims-unknown`,
        entry: (ROUTES[0] as RouteDef).entry,
      });
      expect(() => grantAccess(probe, { queue: true } as Access, stateless.accessResources)).toThrow(
        /no grant for access queue/,
      );
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });

  it('rejects plain-http origins on production', () => {
    const context = contextOf({ stage: 'prod', extraWebOrigins: 'http://localhost:5173' });
    expect(() => loadConfig(context, {})).toThrow(/not allowed on production/);
  });

  it('refuses a production stage without an alarm address (its alarms would page nobody)', () => {
    expect(() => loadConfig(contextOf({ stage: 'prod' }), {})).toThrow(
      /alarmEmail is required on production/,
    );
    expect(() => loadConfig(contextOf({ stage: 'uat', production: 'true' }), {})).toThrow(/alarmEmail/);
    expect(loadConfig(contextOf({ stage: 'prod', alarmEmail: 'ops@example.vn' }), {}).alarmEmail).toBe(
      'ops@example.vn',
    );
    expect(loadConfig(contextOf({ stage: 'dev' }), {}).alarmEmail).toBeUndefined();
  });

  it('defaults to ap-southeast-1 whatever region the CLI environment suggests', () => {
    expect(loadConfig(contextOf({}), { CDK_DEFAULT_REGION: 'us-east-1' }).region).toBe('ap-southeast-1');
  });
});
