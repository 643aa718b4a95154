import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE } from '../core/claim-metrics.ts';
import { optionalEnv } from './env.ts';

/**
 * CloudWatch metrics as Embedded Metric Format log lines (Powertools Metrics): on AWS, CloudWatch
 * Logs turns them into metrics with no API call; locally they are JSON lines in the log. Each
 * count is published at once (a single-metric line), so no handler has to flush at its end.
 */
const metrics = /* @__PURE__ */ new Metrics({
  namespace: METRICS_NAMESPACE,
  serviceName: optionalEnv('POWERTOOLS_SERVICE_NAME', 'claims'),
});

/** Adds 1 to each named count (one EMF line each). */
export function countMetrics(names: readonly string[]): void {
  for (const name of names) metrics.singleMetric().addMetric(name, MetricUnit.Count, 1);
}
