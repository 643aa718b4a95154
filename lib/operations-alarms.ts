import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ANCHOR_REFUSED_METRIC, AUDIT_ANCHOR_GRACE_MS } from '../lambdas/core/audit-anchor.ts';
import {
  METRICS_NAMESPACE,
  NOTIFICATION_FAILED_METRIC,
  STREAM_RECORD_FAILED_METRIC,
} from '../lambdas/core/claim-metrics.ts';

/** Age of the oldest dead letter that pages: half the dead-letter queue's retention (14 days). */
export const DEAD_LETTER_AGE_ALARM = Duration.days(7);

export interface OperationsAlarmsProps {
  /** Name prefix of the stage (`prod-claims`): alarm names, and the custom metrics' `service`. */
  prefix: string;
  /** Where operators hear about alarms (required on production: lib/config.ts). */
  alarmEmail?: string;
  /** Encrypts the alarm topic; CloudWatch is allowed to use it for this stage's alarms only. */
  topicKey: IKey;
  /**
   * The dead-letter queue of async invocations (on-failure records), EventBridge targets and the
   * table stream (kept 14 days).
   */
  deadLetters: IQueue;
  /** The HTTP API: its 5xx answers. */
  api: IHttpApi;
  workflow: IStateMachine;
  /** One execution per policy file (statemachines/policy-import.asl.json). */
  policyImport: IStateMachine;
  /** The claim deadlines' schedule group (AWS/Scheduler metrics are per group). */
  deadlineSchedules: IScheduleGroup;
  /** Where Scheduler puts a deadline firing it could not deliver (each schedule's DeadLetterConfig). */
  deadlineDeadLetters: IQueue;
  /** The deadline re-planning run of a calendar change (statemachines/deadline-replan.asl.json). */
  deadlineReplan: IStateMachine;
  /** The table-stream processor (claim events and workflow signals: the outbox deliverer). */
  streamProcessor: IFunction;
  /** The audit chains' anchorer (lambdas/app/audit-anchors.ts), on the same stream. */
  auditAnchorer: IFunction;
}

/**
 * What must wake a person: anything in a dead-letter queue (a workflow signal, a deadline firing or
 * a claim event the retries could not deliver: the claim is stranded until someone looks), a
 * deadline firing Scheduler dropped, failed or timed-out workflow executions, a failed policy import
 * or deadline re-planning run, the API answering 5xx, errors and lag in the stream processor. The
 * console's workflow alerts (GET /workflow/alerts) name the claims concerned. Every alarm is named
 * `<prefix>-<id>` (the runbook's rows), which is also what the topic key lets CloudWatch use it for.
 */
export class OperationsAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    this.prefix = props.prefix;
    this.topic = new Topic(this, 'Topic', {
      topicName: `${props.prefix}-operations-alarms`,
      displayName: 'Claims - operations alarms',
      masterKey: props.topicKey,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    this.allowCloudWatchToPublish(props.prefix, props.topicKey);

    // The functions' own counts (EMF): Powertools puts the service name on each, which is this
    // stage's prefix (lib/claims-function.ts POWERTOOLS_SERVICE_NAME). Without it every stage in
    // the account would alarm on every other's (a test stage's refused anchor paging production).
    const custom = (metricName: string) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: props.prefix },
        statistic: 'Sum',
        period: Duration.minutes(5),
      });
    const sfn = (metricName: string, machine: IStateMachine = props.workflow) =>
      new Metric({
        namespace: 'AWS/States',
        metricName,
        dimensionsMap: { StateMachineArn: machine.stateMachineArn },
        statistic: 'Sum',
        period: Duration.minutes(5),
      });

    this.add(
      'DeadLetters',
      props.deadLetters.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      1,
      'Something could not be delivered after its retries (dead-letter queue not empty)',
    );
    // A dead letter nobody replayed: SQS deletes it after the queue's 14-day retention, and with it
    // the only record of the event that failed. At 7 days there is a week left to replay it.
    this.add(
      'DeadLettersAgeing',
      props.deadLetters.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      DEAD_LETTER_AGE_ALARM.toSeconds(),
      'A dead letter has waited 7 days to be replayed; SQS deletes it at 14 (see the runbook)',
    );
    // A firing Scheduler could not deliver after the schedule's retries (lambdas/adapters/
    // schedules.ts DEADLINE_RETRY_POLICY): the claim's deadline never happened.
    this.add(
      'DeadlineDeadLetters',
      props.deadlineDeadLetters.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      1,
      'A claim deadline could not be fired after its retries (deadline dead-letter queue not empty)',
    );
    // Both mean a deadline firing is gone: dropped (no dead-letter queue, or the event too old) or
    // not even dead-lettered (the queue missing or the role refused).
    this.add(
      'DeadlineDropped',
      props.deadlineSchedules.metricDropped({ period: Duration.minutes(5), statistic: 'Sum' }),
      1,
      'EventBridge Scheduler dropped a claim deadline firing (see the runbook)',
    );
    this.add(
      'DeadlineDeadLetterFailed',
      props.deadlineSchedules.metricFailedToBeSentToDLQ(undefined, {
        period: Duration.minutes(5),
        statistic: 'Sum',
      }),
      1,
      'EventBridge Scheduler could not put an undelivered deadline firing in its dead-letter queue',
    );
    // 5xx is what the API answers when something broke (a bug, a permission, a dependency down):
    // a few can be one caller's bad luck, five in five minutes is not.
    this.add(
      'ApiServerErrors',
      props.api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
      5,
      'The claims API answered 5xx at least 5 times in 5 minutes',
    );
    this.add('WorkflowFailed', sfn('ExecutionsFailed'), 1, 'A claim workflow execution failed');
    this.add('WorkflowTimedOut', sfn('ExecutionsTimedOut'), 1, 'A claim workflow execution timed out');
    this.add('WorkflowAborted', sfn('ExecutionsAborted'), 1, 'A claim workflow execution was stopped');
    // Running deadlines of open claims still planned on the old calendar: docs/operations-runbook.md.
    this.add(
      'DeadlineReplanFailed',
      sfn('ExecutionsFailed', props.deadlineReplan),
      1,
      'Re-planning deadlines after a calendar change failed part-way (see the runbook)',
    );
    this.add(
      'PolicyImportFailed',
      sfn('ExecutionsFailed', props.policyImport),
      1,
      'A policy file import failed (its error report says why; see the runbook)',
    );
    this.add(
      'StreamProcessorErrors',
      props.streamProcessor.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      3,
      'The claim-event/outbox stream processor keeps failing (deliveries are being retried)',
    );
    // A record it could not handle is reported back for the stream to retry (batchItemFailures): the
    // function succeeds, so the Errors above never count it. Counted by the processor instead.
    this.add(
      'StreamRecordsFailed',
      custom(STREAM_RECORD_FAILED_METRIC),
      3,
      'Claim events or workflow signals keep failing in the stream processor (being retried; see the runbook)',
    );
    this.add(
      'StreamProcessorLag',
      new Metric({
        namespace: 'AWS/Lambda',
        metricName: 'IteratorAge',
        dimensionsMap: { FunctionName: props.streamProcessor.functionName },
        statistic: 'Maximum',
        period: Duration.minutes(5),
      }),
      5 * 60_000,
      'Claim events and workflow signals are more than 5 minutes behind',
    );
    // A chain that no longer continues its anchor was rewritten in the table (or its anchor was
    // forged or deleted): docs/operations-runbook.md "Audit chain anchors" says what to do.
    this.add(
      'AuditAnchorRefused',
      custom(ANCHOR_REFUSED_METRIC),
      1,
      'An audit chain does not continue its KMS anchor: possible rewrite of the table (see the runbook)',
    );
    // A customer or a member of staff will not hear of a claim event (a rejected address or
    // message; transient failures are retried, not counted): the runbook's
    // `NotificationFailed` row (docs/operations-runbook.md) says how to find them and what to do.
    this.add(
      'NotificationFailed',
      custom(NOTIFICATION_FAILED_METRIC),
      1,
      'A notification could not be delivered to a recipient and will not be retried (see the runbook)',
    );
    // Anchors behind by more than half the verification grace period: checks will soon say UNANCHORED.
    this.add(
      'AuditAnchorLag',
      new Metric({
        namespace: 'AWS/Lambda',
        metricName: 'IteratorAge',
        dimensionsMap: { FunctionName: props.auditAnchorer.functionName },
        statistic: 'Maximum',
        period: Duration.minutes(5),
      }),
      AUDIT_ANCHOR_GRACE_MS / 2,
      'Audit chain anchoring is behind: verification will report recent events UNANCHORED',
    );
  }

  /**
   * CloudWatch publishes an alarm to an encrypted topic only if the key lets it make data keys:
   * without this statement every alarm would fire into nothing. Limited to this account's alarms
   * named for this stage (confused deputy), as is its right to publish to the topic.
   */
  private allowCloudWatchToPublish(prefix: string, key: IKey): void {
    const cloudwatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    const stack = Stack.of(this);
    const conditions = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: {
        'aws:SourceArn': stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: `${prefix}-*`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    };
    const { statementAdded } = key.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudwatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions,
      }),
    );
    if (!statementAdded) {
      throw new Error('OperationsAlarms: the topic key must be one whose policy this app manages.');
    }
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudwatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions,
      }),
    );
  }

  private add(id: string, metric: IMetric, threshold: number, description: string) {
    const alarm = new Alarm(this, id, {
      alarmName: `${this.prefix}-${id}`,
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
