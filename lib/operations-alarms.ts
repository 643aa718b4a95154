import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ANCHOR_REFUSED_METRIC, AUDIT_ANCHOR_GRACE_MS } from '../lambdas/core/audit-anchor.ts';
import {
  METRICS_NAMESPACE,
  NOTIFICATION_FAILED_METRIC,
  STREAM_RECORD_FAILED_METRIC,
} from '../lambdas/core/claim-metrics.ts';

export interface OperationsAlarmsProps {
  /** Name prefix of the stage (`claims-prod`). */
  prefix: string;
  /** Where operators hear about alarms (optional: the topic can be subscribed later). */
  alarmEmail?: string;
  topicKey: IKey;
  /** The dead-letter queue of async invocations, scheduler targets and the table stream. */
  deadLetters: IQueue;
  workflow: IStateMachine;
  /** The deadline re-planning run of a calendar change (statemachines/deadline-replan.asl.json). */
  deadlineReplan: IStateMachine;
  /** The table-stream processor (claim events and workflow signals: the outbox deliverer). */
  streamProcessor: IFunction;
  /** The audit chains' anchorer (lambdas/app/audit-anchors.ts), on the same stream. */
  auditAnchorer: IFunction;
}

/**
 * What must wake a person: anything in the dead-letter queue (a workflow signal, a deadline or a
 * claim event the retries could not deliver: the claim is stranded until someone looks), failed or
 * timed-out workflow executions, a failed deadline re-planning run, errors and lag in the stream
 * processor. The console's workflow alerts (GET /workflow/alerts) name the claims concerned.
 */
export class OperationsAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      topicName: `${props.prefix}-operations-alarms`,
      displayName: 'Claims - operations alarms',
      masterKey: props.topicKey,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

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
      'StreamProcessorErrors',
      props.streamProcessor.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      3,
      'The claim-event/outbox stream processor keeps failing (deliveries are being retried)',
    );
    // A record it could not handle is reported back for the stream to retry (batchItemFailures): the
    // function succeeds, so the Errors above never count it. Counted by the processor instead.
    this.add(
      'StreamRecordsFailed',
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: STREAM_RECORD_FAILED_METRIC,
        dimensionsMap: { service: 'claims' },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
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
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: ANCHOR_REFUSED_METRIC,
        dimensionsMap: { service: 'claims' },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      1,
      'An audit chain does not continue its KMS anchor: possible rewrite of the table (see the runbook)',
    );
    // A customer or a member of staff will not hear of a claim event (a rejected address or
    // message; transient failures are retried, not counted): the runbook's
    // `NotificationFailed` row (docs/operations-runbook.md) says how to find them and what to do.
    this.add(
      'NotificationFailed',
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: NOTIFICATION_FAILED_METRIC,
        dimensionsMap: { service: 'claims' },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
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

  private add(id: string, metric: IMetric, threshold: number, description: string) {
    const alarm = new Alarm(this, id, {
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
