import type { ClaimEvent } from './events.ts';

/**
 * The business metrics the operations dashboard shows, decided from claim events alone (pure):
 * claims filed, approvals (with those decided straight-through, whose ratio is the straight-through
 * rate), deadline breaches, and referrals to a person or to the SIU. Counted where events are
 * reacted to (app/claim-events.ts), so each is counted once per event whatever wrote it.
 */
export const CLAIM_METRICS = [
  'ClaimsFiled',
  'ClaimsApproved',
  'StraightThroughApproved',
  'DeadlineBreaches',
  'ClaimsReferred',
  'SiuReferrals',
] as const;
export type ClaimMetric = (typeof CLAIM_METRICS)[number];

/** The metric namespace in CloudWatch (EMF), shared by the emitter and the dashboard. */
export const METRICS_NAMESPACE = 'Claims';

/**
 * Operational, not decided from an event: a notification that failed for good for one recipient
 * (a rejected address or message, after the retries a transient failure gets), counted where it is
 * sent (app/notifications.ts) and alarmed (lib/operations-alarms.ts, docs/operations-runbook.md).
 */
export const NOTIFICATION_FAILED_METRIC = 'NotificationFailed';

/**
 * Operational too: a table-stream record the processor could not handle (a claim event's reaction,
 * a workflow signal, a notice), reported back for the stream to retry. The function itself
 * succeeds, so its Errors metric never shows these; counted in app/claim-events.ts and the
 * processor's handler, alarmed (lib/operations-alarms.ts, docs/operations-runbook.md).
 */
export const STREAM_RECORD_FAILED_METRIC = 'StreamRecordFailed';

/** The metrics one claim event counts towards (usually none). */
export function metricsOfEvent(event: Pick<ClaimEvent, 'type' | 'data'>): ClaimMetric[] {
  switch (event.type) {
    case 'ClaimSubmitted':
      return ['ClaimsFiled'];
    case 'ClaimApproved':
    case 'ClaimPartiallyApproved':
      return event.data?.straightThrough === true
        ? ['ClaimsApproved', 'StraightThroughApproved']
        : ['ClaimsApproved'];
    case 'DeadlineBreached':
      return ['DeadlineBreaches'];
    case 'ClaimReferred':
      return ['ClaimsReferred'];
    case 'ClaimReferredToSiu':
      return ['SiuReferrals'];
    default:
      return [];
  }
}
