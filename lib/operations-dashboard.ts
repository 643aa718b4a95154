import { Duration, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  ConcreteWidget,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  SingleValueWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../lambdas/core/claim-metrics.ts';
import { ClaimsFunction } from './claims-function.ts';

/** CloudWatch draws at most this many metrics in one graph widget (expressions' inputs included). */
const MAX_METRICS_PER_WIDGET = 500;

export interface OperationsDashboardProps {
  /** Name prefix of the stage (`prod-claims`): the dashboard's name and the custom metrics' `service`. */
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
 * Every metric is this stage's own (a dimension naming its service, API, table, workflow or
 * functions): stages may share an account, and an account-wide line would mix them.
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
        dimensionsMap: { service: props.prefix },
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
      new StageFunctionsWidget(Stack.of(this), "Lambda errors and throttles (this stage's functions)", 6, 6),
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

/**
 * A graph of Lambda errors and throttles summed over this stage's functions (every ClaimsFunction in
 * the stack, each by its FunctionName), not the account-wide figure AWS/Lambda gives without a
 * dimension. Drawn when the dashboard is rendered at synthesis, so a function added after the
 * dashboard (the stack lets functions be added later) is counted too.
 */
class StageFunctionsWidget extends ConcreteWidget {
  constructor(
    private readonly stack: Stack,
    private readonly title: string,
    width: number,
    height: number,
  ) {
    super(width, height);
  }

  override toJson(): unknown[] {
    const functions = this.stack.node
      .findAll()
      .filter((c): c is ClaimsFunction => c instanceof ClaimsFunction);
    // Both lines read one metric per function.
    if (2 * functions.length > MAX_METRICS_PER_WIDGET) {
      throw new Error(
        `OperationsDashboard: ${functions.length} functions exceed CloudWatch's ${MAX_METRICS_PER_WIDGET} metrics per widget`,
      );
    }
    const sum = (metricName: string, label: string) => {
      const id = metricName.charAt(0).toLowerCase();
      const usingMetrics = Object.fromEntries(
        functions.map((f, i) => [
          `${id}${i}`,
          new Metric({
            namespace: 'AWS/Lambda',
            metricName,
            dimensionsMap: { FunctionName: f.fn.functionName },
            statistic: 'Sum',
            period: Duration.minutes(5),
          }),
        ]),
      );
      return new MathExpression({
        expression: `SUM([${Object.keys(usingMetrics).join(',')}])`,
        usingMetrics,
        label,
        period: Duration.minutes(5),
      });
    };
    const graph = new GraphWidget({
      title: this.title,
      left: [sum('Errors', 'errors'), sum('Throttles', 'throttles')],
      width: this.width,
      height: this.height,
    });
    graph.position(this.x ?? 0, this.y ?? 0);
    return graph.toJson();
  }
}
