import { ArnFormat, Duration, RemovalPolicy, Stack, type StackProps, TimeZone } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Billing, StreamViewType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  HttpMethods,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { ReceiptRuleSet, TlsPolicy } from 'aws-cdk-lib/aws-ses';
import { S3 as S3Action } from 'aws-cdk-lib/aws-ses-actions';
import { ManagedPolicy, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { allowedWebOrigins } from '../lambdas/routes.ts';
import type { TaskFunctionDef } from '../lambdas/shared/functions.ts';
import { ROLES } from '../lambdas/shared/roles.ts';
import { TASK_FUNCTIONS } from '../lambdas/task-functions.ts';
import { STORED_PREFIX } from '../lambdas/shared/bucket-prefixes.ts';
import { TABLE_INDEXES, TABLE_KEYS, TTL_ATTRIBUTE } from '../lambdas/shared/table-definition.ts';
import {
  type ClaimsConfig,
  INBOUND_EMAIL_PREFIX,
  QUARANTINE_PREFIX,
  EXPORTS_PREFIX,
  type ResourceNames,
  resourceNames,
  UPLOAD_PREFIX,
  WEB_APPS,
} from './config.ts';
import { acknowledge } from './nag.ts';

/**
 * How long the documents bucket keeps bank files (`exports/`), verified claim documents (`stored/`)
 * and raw e-mails (`inbound/`), from each object's creation: accounting documents are kept 10 years
 * from the end of the accounting year (Law on Accounting 88/2015/QH13 Art. 41), and a claim's file
 * is the evidence behind its payment for as long. The two years beyond cover the rest of the year
 * the file was made in and a claim settled the year after. Counsel confirms it per product
 * (docs/operations-runbook.md, *Retention*).
 */
const RECORDS_KEPT = Duration.days(12 * 365 + 3);
/** A file among those deleted or overwritten stays restorable this long (its noncurrent version). */
const RECORDS_RESTORABLE = Duration.days(90);

/**
 * AWS Backup's recovery points of the table and the documents bucket, beyond point-in-time recovery's
 * 35 days: daily ones for as long as PITR reaches (restorable after the table itself is gone), monthly
 * ones for a year, yearly ones for the accounting period (10 years, Law on Accounting 88/2015 Art. 41),
 * in cold storage after 90 days where the resource type allows it (AWS Backup ignores the transition
 * elsewhere: S3, and DynamoDB without the account's advanced DynamoDB backup). Run at 02:00 business time.
 */
export const BACKUP_RULES = [
  { name: 'daily', schedule: { hour: '2', minute: '0' }, keep: Duration.days(35) },
  { name: 'monthly', schedule: { day: '1', hour: '2', minute: '0' }, keep: Duration.days(365) },
  {
    name: 'yearly',
    schedule: { month: '1', day: '1', hour: '2', minute: '0' },
    keep: Duration.days(10 * 365 + 3),
    coldAfter: Duration.days(90),
  },
] as const;

/** What AWS Backup's own role needs to back up and restore DynamoDB tables and S3 buckets. */
const BACKUP_SERVICE_POLICIES = [
  'service-role/AWSBackupServiceRolePolicyForBackup',
  'service-role/AWSBackupServiceRolePolicyForRestores',
  'AWSBackupServiceRolePolicyForS3Backup',
  'AWSBackupServiceRolePolicyForS3Restore',
] as const;

export interface StatefulStackProps extends StackProps {
  config: ClaimsConfig;
  /** `https://<web domain>` from the web hosting stack (Cognito callbacks, documents CORS). */
  webUrl: string;
}

const string = (name: string) => ({ name, type: AttributeType.STRING });

/**
 * Everything that holds data or identity and must outlive redeployments: the single table, the
 * documents bucket, their customer-managed keys and the Cognito user pool. All retained.
 */
export class StatefulStack extends Stack {
  readonly names: ResourceNames;
  readonly tableKey: Key;
  readonly table: TableV2;
  readonly documentsKey: Key;
  /** Field-level encryption of personal data in the table (payout account numbers). */
  readonly fieldKey: Key;
  readonly fingerprintKey: Key;
  /** Anchors of the audit chains (KMS HMAC; lambdas/core/audit-anchor.ts). */
  readonly auditKey: Key;
  readonly documentsBucket: Bucket;
  readonly accessLogsBucket: Bucket;
  /** Policy files from the policy administration system (personal data: holders, contacts). */
  readonly policyImportsKey: Key;
  readonly policyImportsBucket: Bucket;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  readonly userPoolDomain: UserPoolDomain;
  /** `https://<prefix>.auth.<region>.amazoncognito.com` */
  readonly hostedUiBaseUrl: string;
  /** Pending claim deadlines live here as one-off schedules: state, so retained with the data. */
  readonly scheduleGroup: ScheduleGroup;
  /** The role EventBridge Scheduler assumes to fire a deadline (fixed name, retained). */
  readonly schedulerRole: Role;
  /** Deadline firings Scheduler could not deliver after its retries (fixed name, retained). */
  readonly deadlineDeadLetters: Queue;
  /** Browser origins allowed to call the API and upload to the documents bucket. */
  readonly webOrigins: string[];
  /** The key paging cursors are signed with (HMAC-SHA256), generated once per stage. */
  readonly cursorSigningKey: Secret;
  /** Claims by email: SES receiving for the claims address (activate it once per account and region). */
  readonly inboundRuleSet: ReceiptRuleSet;
  /** AWS Backup: the vault (own key, retained) and the plan over the table and the documents bucket. */
  readonly backupVault: BackupVault;
  readonly backupPlan: BackupPlan;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.names = resourceNames(this, config.stage);
    this.webOrigins = allowedWebOrigins(props.webUrl, config.extraWebOrigins);

    // --- Single table -------------------------------------------------------------------------
    this.tableKey = new Key(this, 'TableKey', {
      alias: `alias/${this.names.prefix}-table`,
      description: 'Claims single table (DynamoDB) encryption key',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table = new TableV2(this, 'ClaimsTable', {
      tableName: this.names.table,
      partitionKey: string(TABLE_KEYS.partitionKey),
      sortKey: string(TABLE_KEYS.sortKey),
      globalSecondaryIndexes: TABLE_INDEXES.map((i) => ({
        indexName: i.indexName,
        partitionKey: string(i.partitionKey),
        sortKey: string(i.sortKey),
      })),
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.customerManagedKey(this.tableKey),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 35 },
      timeToLiveAttribute: TTL_ATTRIBUTE,
      // For the audit trail / analytics exports that will consume the change stream.
      dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // --- Field-level encryption ----------------------------------------------------------------
    // Table encryption protects the disks; this key protects bank account numbers from everyone who
    // may read the table (staff screens, exports, the stream): only functions granted
    // `access.fieldKey` can open them, each decrypt lands in CloudTrail, and disabling the key
    // crypto-shreds every sealed value (Decree 13/2023/ND-CP).
    this.fieldKey = new Key(this, 'FieldKey', {
      alias: `alias/${this.names.prefix}-fields`,
      description: 'Field-level envelope encryption of personal data (payout account numbers)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // An HMAC key: keyed fingerprints of account numbers, so segregation of duties can match a
    // claim's payout account with staff accounts without opening either (kms:GenerateMac only).
    this.fingerprintKey = new Key(this, 'FingerprintKey', {
      alias: `alias/${this.names.prefix}-fingerprints`,
      description: 'Keyed fingerprints (HMAC-SHA-256) of bank account numbers for duty-separation checks',
      keySpec: KeySpec.HMAC_256,
      keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // An HMAC key of its own for the audit chains' anchors: a MAC of each chain's head that only
    // the anchoring function can make (kms:GenerateMac) and the audit routes can check
    // (kms:VerifyMac), so someone able to rewrite the table cannot re-anchor what they rewrote.
    // Never rotated or deleted while anchors made with it are to be checked (HMAC keys do not
    // rotate automatically; a new key would need every chain re-anchored): retained.
    this.auditKey = new Key(this, 'AuditAnchorKey', {
      alias: `alias/${this.names.prefix}-audit-anchors`,
      description: 'Anchors (HMAC-SHA-256) of the claim and admin audit hash chains',
      keySpec: KeySpec.HMAC_256,
      keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // --- Documents ----------------------------------------------------------------------------
    // Server access logs: S3 log delivery cannot write to SSE-KMS buckets, hence SSE-S3 here.
    this.accessLogsBucket = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(400) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.accessLogsBucket,
      'AwsSolutions-S1',
      'This is the server-access-log destination itself; logging it would recurse.',
    );

    // Claim documents are personal and sensitive personal data (ID cards, medical and bank records)
    // under Decree 13/2023/ND-CP: a customer-managed key gives a key policy independent of the
    // bucket policy, a CloudTrail record of every decrypt and the option to crypto-shred. The S3
    // bucket key keeps KMS request costs negligible.
    this.documentsKey = new Key(this, 'DocumentsKey', {
      alias: `alias/${this.names.prefix}-documents`,
      description: 'Claim documents bucket encryption key',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.documentsBucket = new Bucket(this, 'Documents', {
      bucketName: this.names.documentsBucket,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.documentsKey,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'documents/',
      // Browsers upload with presigned POST (and PUT) and download with presigned GET.
      cors: [
        {
          allowedMethods: [HttpMethods.POST, HttpMethods.PUT, HttpMethods.GET, HttpMethods.HEAD],
          allowedOrigins: this.webOrigins,
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        {
          id: 'expire-quarantine',
          prefix: QUARANTINE_PREFIX,
          expiration: Duration.days(180),
          noncurrentVersionExpiration: Duration.days(30),
        },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
        // The landing zone of presigned uploads: what was verified is copied to `stored/` and served
        // from there; the landed copy is never served and goes after a week. The bucket is
        // versioned, so expiring leaves the bytes as a noncurrent version (and a ticket posted again
        // makes the earlier upload one): those go a day later, or every upload would be kept for good.
        {
          id: 'expire-landing-zone',
          prefix: UPLOAD_PREFIX,
          expiration: Duration.days(7),
          noncurrentVersionExpiration: Duration.days(1),
        },
        // Bank files are accounting records (kept 10 years, Law on Accounting 88/2015 Art. 41) but
        // read rarely once the batch is reconciled.
        {
          id: 'exports-infrequent-access',
          prefix: EXPORTS_PREFIX,
          transitions: [{ storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) }],
        },
        // Kept for the accounting period, then deleted (docs/operations-runbook.md, *Retention*): bank
        // files, verified claim documents and raw e-mails are the evidence behind each payment.
        ...[EXPORTS_PREFIX, STORED_PREFIX, INBOUND_EMAIL_PREFIX].map((prefix) => ({
          id: `keep-records-${prefix.replace('/', '')}`,
          prefix,
          expiration: RECORDS_KEPT,
          noncurrentVersionExpiration: RECORDS_RESTORABLE,
        })),
        // What those expiries leave behind once the last old version is gone.
        { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Uploads are verified by a Lambda in the stateless stack via EventBridge ("Object Created"):
    // no S3 -> Lambda notification means no reference back into the stateless stack (no cycle) and
    // no notifications custom resource. Set natively on the L1 instead of `eventBridgeEnabled`,
    // which CDK implements with a custom-resource Lambda.
    (this.documentsBucket.node.defaultChild as CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };

    // --- Policy imports -----------------------------------------------------------------------
    // The policy administration system drops files under `incoming/`; EventBridge ("Object
    // Created", natively enabled as above) starts the policy-import state machine in the stateless
    // stack. Files hold policyholders' personal data: own key, versioned, kept 90 days.
    this.policyImportsKey = new Key(this, 'PolicyImportsKey', {
      alias: `alias/${this.names.prefix}-policy-imports`,
      description: 'Policy import files bucket encryption key',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.policyImportsBucket = new Bucket(this, 'PolicyImports', {
      bucketName: this.names.policyImportsBucket,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.policyImportsKey,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'policy-imports/',
      lifecycleRules: [
        {
          id: 'expire-imported-files',
          expiration: Duration.days(90),
          noncurrentVersionExpiration: Duration.days(30),
        },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    (this.policyImportsBucket.node.defaultChild as CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };
    // --- Claims by email --------------------------------------------------------------------------
    // SES receives mail for the claims address, scans it (spam/virus verdicts, SPF/DKIM/DMARC) and
    // stores the raw message under `inbound/` of the documents bucket, encrypted with the documents
    // key like every other personal document; its "Object Created" event reaches the parser
    // (stateless stack, `email-received`). Raw messages are kept as claim files are (RECORDS_KEPT):
    // each is the evidence of what was sent, which its intake record no longer keeps once handled.
    // SES allows one active rule set per account and region, so activating this one is a
    // deliberate step: `aws ses set-active-receipt-rule-set --rule-set-name <name>` (README).
    this.inboundRuleSet = new ReceiptRuleSet(this, 'InboundEmail', {
      receiptRuleSetName: `${this.names.prefix}-inbound`,
      rules: [
        {
          receiptRuleName: `${this.names.prefix}-claims-inbox`,
          recipients: [config.claimsInboxAddress],
          scanEnabled: true,
          tlsPolicy: TlsPolicy.OPTIONAL,
          actions: [new S3Action({ bucket: this.documentsBucket, objectKeyPrefix: INBOUND_EMAIL_PREFIX })],
        },
      ],
    });
    // SES writes as itself into a bucket encrypted with a customer-managed key: it needs data keys,
    // for this account's receipt rules only.
    this.documentsKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Encrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );

    // --- Deadlines ----------------------------------------------------------------------------
    // Handlers create one schedule per claim deadline at runtime; deleting the group would silently
    // drop every pending deadline, so it is retained like the table. The target Lambda lives in the
    // stateless stack.
    this.scheduleGroup = new ScheduleGroup(this, 'DeadlineSchedules', {
      scheduleGroupName: this.names.scheduleGroup,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const delivery = this.deadlineDelivery();
    this.schedulerRole = delivery.role;
    this.deadlineDeadLetters = delivery.deadLetters;

    // --- Backups beyond point-in-time recovery ---------------------------------------------------
    const backups = this.backups();
    this.backupVault = backups.vault;
    this.backupPlan = backups.plan;

    // --- Paging cursor signing key ---------------------------------------------------------------
    // Generated per stage and kept across redeploys of the stateless stack, so cursors in flight stay
    // valid. CloudFormation resolves it into the environment of the functions that page
    // (grantAccess `cursors`). A leaked key lets someone forge a resume position for a query they
    // may already run, nothing more: every page is still authorised on its own.
    this.cursorSigningKey = new Secret(this, 'CursorSigningKey', {
      description: 'HMAC-SHA256 key for paging cursors (lambdas/core/cursor.ts)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.cursorSigningKey,
      'AwsSolutions-SMG4',
      'Rotating the cursor key only invalidates the page links users hold (they restart from the ' +
        'first page); rotate it by redeploying with a new secret value when needed.',
    );

    // --- Identity -----------------------------------------------------------------------------
    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: `${this.names.prefix}-users`,
      // Customers are created by the insurer (from the policy administration system); no self sign-up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: {
        customerId: new StringAttribute({ mutable: true, minLen: 1, maxLen: 64 }),
        locale: new StringAttribute({ mutable: true, minLen: 2, maxLen: 10 }),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Plus: compromised-credential detection and adaptive (risk-based) authentication.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.userPool,
      'AwsSolutions-COG2',
      'MFA is optional (TOTP) because customers are often one-time claimants; the Plus plan threat ' +
        'protection challenges risky sign-ins. Staff MFA is enforced by policy at onboarding.',
    );

    // Precedence: the later a role appears in ROLES the more privileged it is (admin last).
    ROLES.forEach((role, i) => {
      this.userPool.addGroup(`Group-${role}`, {
        groupName: role,
        description: `Role ${role}`,
        precedence: (ROLES.length - i) * 10,
      });
    });

    this.userPoolDomain = this.userPool.addDomain('HostedUi', {
      cognitoDomain: { domainPrefix: config.authDomainPrefix ?? `claims-${config.stage}-${this.account}` },
    });
    this.hostedUiBaseUrl = this.userPoolDomain.baseUrl();

    const appUrls = this.webOrigins.flatMap((origin) => WEB_APPS.map((app) => `${origin}/${app}/`));
    const contextUrls = (key: string) => {
      const v = this.node.tryGetContext(key);
      if (v === undefined) return undefined;
      return (Array.isArray(v) ? v.map(String) : String(v).split(',')).map((s) => s.trim()).filter(Boolean);
    };
    this.userPoolClient = new UserPoolClient(this, 'WebClient', {
      userPool: this.userPool,
      userPoolClientName: `${this.names.prefix}-web`,
      generateSecret: false, // public SPA client: authorization code + PKCE
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: contextUrls('callbackUrls') ?? appUrls,
        logoutUrls: contextUrls('logoutUrls') ?? appUrls,
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true, phoneNumber: true })
        .withCustomAttributes('customerId', 'locale'),
      // customerId ties a login to a policyholder: only admins may change it, never the user.
      writeAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, fullname: true, phoneNumber: true })
        .withCustomAttributes('locale'),
    });
  }

  /**
   * AWS Backup over the table and the documents bucket (BACKUP_RULES). The vault has a key of its
   * own, so a recovery point does not depend on the table's or the documents' key staying usable
   * (DynamoDB recovery points use it once the account has advanced DynamoDB backup; before that
   * they stay under the table key), and no one, operators included, may delete a recovery point or
   * shorten its life: they go when their rule says. Vault and key are retained with the data they
   * hold. The bucket needs nothing more than it has (AWS Backup requires versioning). Restores:
   * docs/operations-runbook.md section 3.
   */
  private backups(): { vault: BackupVault; plan: BackupPlan } {
    const key = new Key(this, 'BackupVaultKey', {
      alias: `alias/${this.names.prefix}-backups`,
      description: 'AWS Backup vault of the claims table and documents',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const vault = new BackupVault(this, 'BackupVault', {
      backupVaultName: `${this.names.prefix}-backups`,
      encryptionKey: key,
      blockRecoveryPointDeletion: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const plan = new BackupPlan(this, 'BackupPlan', {
      backupPlanName: `${this.names.prefix}-backups`,
      backupVault: vault,
      backupPlanRules: BACKUP_RULES.map(
        (rule) =>
          new BackupPlanRule({
            ruleName: rule.name,
            scheduleExpression: Schedule.cron(rule.schedule),
            scheduleExpressionTimezone: TimeZone.ASIA_HO_CHI_MINH,
            startWindow: Duration.hours(1),
            completionWindow: Duration.hours(8),
            deleteAfter: rule.keep,
            ...('coldAfter' in rule ? { moveToColdStorageAfter: rule.coldAfter } : {}),
          }),
      ),
    });
    // Assumed by AWS Backup alone, for the jobs of this plan and the restores an operator starts.
    const role = new Role(this, 'BackupRole', {
      roleName: `${this.names.prefix}-backup`,
      description: 'Assumed by AWS Backup to back up and restore the claims table and documents',
      assumedBy: new ServicePrincipal('backup.amazonaws.com'),
      managedPolicies: BACKUP_SERVICE_POLICIES.map((name) => ManagedPolicy.fromAwsManagedPolicyName(name)),
    });
    for (const name of BACKUP_SERVICE_POLICIES) {
      acknowledge(
        role,
        `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`,
        'AWS Backup service-role policy: AWS keeps it in step with the backup and restore APIs of ' +
          'DynamoDB and S3 (advanced backup, KMS grants, EventBridge rules); only backup.amazonaws.com ' +
          'may assume this role.',
      );
    }
    plan.addSelection('TableAndDocuments', {
      backupSelectionName: `${this.names.prefix}-table-and-documents`,
      resources: [
        BackupResource.fromArn(this.table.tableArn),
        BackupResource.fromArn(this.documentsBucket.bucketArn),
      ],
      role,
      disableDefaultBackupPolicy: true,
    });
    return { vault, plan };
  }

  /**
   * What Scheduler needs to fire a deadline: the role it assumes and the queue a firing it could
   * not deliver goes to. Each schedule stores both ARNs when it is created (lambdas/adapters/
   * schedules.ts), months before it fires, so they are state like the group: here, under fixed
   * names, retained. In the stateless stack a replaced role or queue (a redeploy after a destroy, a
   * construct renamed in a refactor) would leave every pending deadline naming one that no longer
   * exists, and its firing would be dropped. The role may invoke the deadline function by its
   * name-based ARN (resourceNames), which is what lets it live here without a reference back into
   * the stateless stack.
   */
  private deadlineDelivery(): { role: Role; deadLetters: Queue } {
    const deadLetters = new Queue(this, 'DeadlineDeadLetters', {
      queueName: this.names.deadlineDeadLetters,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      deadLetters,
      'AwsSolutions-SQS3',
      'This queue is itself a dead-letter queue: that of the deadline schedules (Scheduler DeadLetterConfig).',
    );
    const targets = (TASK_FUNCTIONS as readonly TaskFunctionDef[])
      .filter((t) => t.trigger === 'deadline-schedules')
      .map((t) =>
        this.formatArn({
          service: 'lambda',
          resource: 'function',
          resourceName: this.names.function(t.id),
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      );
    const role = new Role(this, 'SchedulerRole', {
      roleName: this.names.schedulerRole,
      description: 'Assumed by EventBridge Scheduler to fire the claim deadlines',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: { 'aws:SourceArn': this.scheduleGroup.scheduleGroupArn },
        },
      }),
      inlinePolicies: {
        deadlines: new PolicyDocument({
          statements: [
            // The unqualified function only, as grantInvokeLatestVersion would grant it.
            ...(targets.length > 0
              ? [new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: targets })]
              : []),
            new PolicyStatement({
              actions: ['sqs:SendMessage'],
              resources: [deadLetters.queueArn],
            }),
          ],
        }),
      },
    });
    role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    return { role, deadLetters };
  }
}
