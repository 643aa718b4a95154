import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  SingleValueWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../lambdas/core/claim-metrics.ts';

export interface OperationsDashboardProps {
  prefix: string;
  api: IHttpApi;
  tableName: string;
  workflow: IStateMachine;
}

/**
 * One CloudWatch dashboard per stage: the business counts the functions emit as EMF
 * (core/claim-metrics.ts; Powertools adds the `service` dimension), and the service health
 * operators look at first — API p99 latency, Lambda errors and throttles, DynamoDB throttles,
 * failed or timed-out workflows. The alarms on the worst of these are in operations-alarms.ts.
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const period = Duration.minutes(5);
    const claims = (metricName: string, label: string) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: 'claims' },
        statistic: 'Sum',
        period,
        label,
      });
    const aws = (
      namespace: string,
      metricName: string,
      dimensionsMap: Record<string, string>,
      statistic = 'Sum',
    ) => new Metric({ namespace, metricName, dimensionsMap, statistic, period });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${props.prefix}-operations`,
      defaultInterval: Duration.days(1),
    });
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Claims filed',
        left: [claims('ClaimsFiled', 'filed'), claims('ClaimsApproved', 'approved')],
        width: 8,
      }),
      new GraphWidget({
        title: 'Straight-through rate (% of approvals)',
        left: [
          new MathExpression({
            expression: '100 * stp / FILL(approved, 0)',
            usingMetrics: {
              stp: claims('StraightThroughApproved', 'straight-through'),
              approved: claims('ClaimsApproved', 'approved'),
            },
            label: 'straight-through %',
            period,
          }),
        ],
        width: 8,
      }),
      new GraphWidget({
        title: 'Deadline breaches and referrals',
        left: [
          claims('DeadlineBreaches', 'deadline breaches'),
          claims('ClaimsReferred', 'referred to a person'),
          claims('SiuReferrals', 'referred to the SIU'),
        ],
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'API latency p99 (ms)',
        left: [aws('AWS/ApiGateway', 'Latency', { ApiId: props.api.apiId }, 'p99')],
        width: 6,
      }),
      new GraphWidget({
        title: 'Lambda errors and throttles (all functions)',
        left: [aws('AWS/Lambda', 'Errors', {}), aws('AWS/Lambda', 'Throttles', {})],
        width: 6,
      }),
      new GraphWidget({
        title: 'DynamoDB throttles',
        left: [
          aws('AWS/DynamoDB', 'ReadThrottleEvents', { TableName: props.tableName }),
          aws('AWS/DynamoDB', 'WriteThrottleEvents', { TableName: props.tableName }),
        ],
        width: 6,
      }),
      new SingleValueWidget({
        title: 'Workflow failures',
        metrics: [
          aws('AWS/States', 'ExecutionsFailed', { StateMachineArn: props.workflow.stateMachineArn }),
          aws('AWS/States', 'ExecutionsTimedOut', { StateMachineArn: props.workflow.stateMachineArn }),
        ],
        width: 6,
      }),
    );
  }
}
