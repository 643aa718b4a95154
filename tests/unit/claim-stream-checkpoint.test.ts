import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClaimEvent, EventType } from '../../lambdas/core/events.ts';
import type { StoredSignal } from '../../lambdas/core/workflow-signals.ts';

/**
 * The table-stream processor's checkpoint (lambdas/app/claim-events.ts `reactInClaimOrder`) against
 * what Lambda does with `batchItemFailures` on a stream: it resumes the shard from the LOWEST
 * sequence number reported and takes every record before it as done. Whatever fails, no record of
 * a claim may be left unhandled before that point, or it is skipped for good. The reactions are
 * stand-ins that record what ran and fail on demand; what is under test is the order and the
 * reported records.
 */
const ran: string[] = [];
/** Steps (`signal:<token>`, `notify:<type>`, `score:<seq>`) that throw until removed. */
const failing = new Set<string>();
const step = (name: string) => {
  if (failing.has(name)) throw new Error(`ThrottlingException: ${name}`);
  ran.push(name);
};

/** The metrics counted (the EMF adapter). */
const counted: string[] = [];
vi.mock('../../lambdas/adapters/metrics.ts', () => ({
  countMetrics: (names: readonly string[]) => void counted.push(...names),
}));
vi.mock('../../lambdas/app/deadlines.ts', () => {
  const ok = async () => undefined;
  return {
    cancelAllDeadlines: ok,
    cancelDeadlinesExcept: ok,
    escalateBreach: ok,
    reinstatePaymentDeadline: ok,
    scheduleDeadlines: ok,
    scheduleInspectionReminder: ok,
    settleDeadlines: ok,
  };
});
vi.mock('../../lambdas/adapters/dynamo/claims-repo.ts', () => ({ claimRead: (id: string) => id }));
vi.mock('../../lambdas/adapters/dynamo/item-reads.ts', () => ({
  readAll: (x: unknown) => x,
  readNothing: undefined,
}));
vi.mock('../../lambdas/adapters/dynamo/users-repo.ts', () => ({ userRead: () => undefined }));
// A rescored event (DocumentVerified) fails in its reaction, before any notice.
vi.mock('../../lambdas/app/fraud.ts', () => ({
  scoreClaim: async (claimId: string) => step(`score:${claimId}`),
}));
vi.mock('../../lambdas/app/held-notices.ts', () => ({ holdNotice: async () => undefined }));
vi.mock('../../lambdas/app/products.ts', () => ({
  readWithConfig: async (r: { claim: string }) => ({ claim: { claimId: r.claim } }),
}));
vi.mock('../../lambdas/app/notifications.ts', () => ({
  // InfoRequested is told at once; ClaimApproved's notice is put off until the claim's signals
  // are delivered (core/notice-digest.ts: it may fold into the payment notice they bring).
  NOTIFIED_EVENTS: { InfoRequested: 'info_requested', ClaimApproved: 'claim_approved' },
  notifyForEvent: async (claim: { claimId: string }, e: ClaimEvent) =>
    step(`notify:${claim.claimId}:${e.type}`),
}));
vi.mock('../../lambdas/app/workflow-signals.ts', () => ({
  deliverWorkflowSignal: async (s: StoredSignal) =>
    step(`signal:${s.claimId}:${(s.signal as { token: string }).token}`),
}));

const { reactInClaimOrder } = await import('../../lambdas/app/claim-events.ts');
const { fixedClock } = await import('../../lambdas/core/time.ts');
const { STREAM_RECORD_FAILED_METRIC } = await import('../../lambdas/core/claim-metrics.ts');
type QueuedItem = Parameters<typeof reactInClaimOrder>[0][number];

const clock = fixedClock('2026-11-20T03:00:00.000Z');
const event = (sequenceNumber: string, seq: number, type: EventType, claimId = 'C'): QueuedItem => ({
  itemIdentifier: sequenceNumber,
  event: {
    claimId,
    seq,
    type,
    at: '2026-11-20T02:59:59.000Z',
    actor: { kind: 'staff', id: 'u-1' },
    data: {},
  } as unknown as ClaimEvent,
});
const signal = (sequenceNumber: string, revision: number, token: string, claimId = 'C'): QueuedItem => ({
  itemIdentifier: sequenceNumber,
  signal: {
    claimId,
    revision,
    index: 0,
    signal: { kind: 'resume', token, output: {} },
    createdAt: '2026-11-20T02:59:59.000Z',
  } as StoredSignal,
});

/** What Lambda delivers again after the response: every record from the lowest one reported. */
function redelivered(batch: readonly QueuedItem[], reported: readonly string[]): string[] {
  if (reported.length === 0) return [];
  // biome-ignore lint/complexity/useMathMinMax: sequence numbers are BigInts, which Math.min refuses
  const lowest = reported.map(BigInt).reduce((a, b) => (a < b ? a : b));
  return batch.map((i) => i.itemIdentifier).filter((id) => BigInt(id) >= lowest);
}

beforeEach(() => {
  ran.length = 0;
  failing.clear();
  counted.length = 0;
});

/** The failures counted for the alarm (the function succeeds, so Lambda's Errors never shows them). */
const failuresCounted = () => counted.filter((m) => m === STREAM_RECORD_FAILED_METRIC).length;

describe('a failure in a claim stream batch', () => {
  it('does not skip a workflow signal that came before the failed event', async () => {
    // The resume signal, then an information request whose notice cannot be sent (SES throttled).
    const batch = [signal('100', 7, 'T1'), event('101', 12, 'InfoRequested')];
    failing.add('notify:C:InfoRequested');
    const reported = await reactInClaimOrder(batch, clock);

    // The signal is delivered, or at least delivered again: the workflow does not wait forever.
    expect(ran.includes('signal:C:T1') || redelivered(batch, reported).includes('100')).toBe(true);
    // In stream order it was delivered before the event failed; the event is retried.
    expect(ran).toEqual(['signal:C:T1']);
    expect(redelivered(batch, reported)).toEqual(['101']);
    expect(failuresCounted()).toBe(1);
  });

  it('does not drop an approval notice put off behind the signal that failed', async () => {
    const batch = [event('200', 20, 'ClaimApproved'), signal('201', 8, 'T2')];
    failing.add('signal:C:T2');
    const reported = await reactInClaimOrder(batch, clock);

    expect(ran.includes('notify:C:ClaimApproved') || redelivered(batch, reported).includes('200')).toBe(true);
    // The approval came before the failure: it is finished, its notice sent; the signal is retried.
    expect(ran).toEqual(['notify:C:ClaimApproved']);
    expect(redelivered(batch, reported)).toEqual(['201']);
  });

  it('delivers the approval again when its put-off notice fails, though the signal after it went', async () => {
    const batch = [event('200', 20, 'ClaimApproved'), signal('201', 8, 'T2')];
    failing.add('notify:C:ClaimApproved');
    const reported = await reactInClaimOrder(batch, clock);

    expect(ran).toEqual(['signal:C:T2']);
    expect(redelivered(batch, reported)).toEqual(['200', '201']);
    expect(failuresCounted()).toBe(1);

    // The retry: the signal again (the workflow had it: harmless), the notice this time.
    failing.clear();
    expect(await reactInClaimOrder(batch, clock)).toEqual([]);
    expect(ran).toEqual(['signal:C:T2', 'signal:C:T2', 'notify:C:ClaimApproved']);
  });

  it('stops the claim at the failure: nothing after it runs, all of it is delivered again', async () => {
    const batch = [
      event('300', 30, 'DocumentVerified'),
      signal('301', 9, 'T3'),
      event('302', 31, 'InfoRequested'),
    ];
    failing.add('score:C');
    const reported = await reactInClaimOrder(batch, clock);
    expect(ran).toEqual([]);
    expect(redelivered(batch, reported)).toEqual(['300', '301', '302']);
  });

  it('compares sequence numbers as numbers, not text', async () => {
    // '99' < '100' although '100' sorts first as text: the signal is the earlier record.
    const batch = [signal('99', 7, 'T1'), event('100', 12, 'InfoRequested')];
    failing.add('notify:C:InfoRequested');
    const reported = await reactInClaimOrder([...batch].reverse(), clock);
    expect(ran).toEqual(['signal:C:T1']);
    expect(reported).toEqual(['100']);
  });

  it('reports the earliest record not handled when one write reached the stream out of `seq` order', async () => {
    // One transaction's two events, the second (seq 41) first in the stream: events are reacted to
    // in chain order, so seq 40 (record 1000) runs first and fails; seq 41 (record 999) never ran.
    const batch = [event('999', 41, 'InfoRequested'), event('1000', 40, 'DocumentVerified')];
    failing.add('score:C');
    const reported = await reactInClaimOrder(batch, clock);
    expect(ran).toEqual([]);
    expect(redelivered(batch, reported)).toEqual(['999', '1000']);
  });

  it('leaves other claims in the batch to go on', async () => {
    const batch = [
      event('500', 50, 'DocumentVerified', 'C'),
      signal('501', 3, 'D1', 'D'),
      signal('502', 10, 'T5', 'C'),
      event('503', 4, 'InfoRequested', 'D'),
    ];
    failing.add('score:C');
    const reported = await reactInClaimOrder(batch, clock);
    expect(ran).toEqual(['signal:D:D1', 'notify:D:InfoRequested']);
    expect(reported).toEqual(['500']);
    expect(failuresCounted()).toBe(1);
  });

  it('reacts once to a record the batch holds twice, and reports nothing when all went well', async () => {
    const batch = [signal('600', 11, 'T6'), signal('601', 11, 'T6'), event('602', 60, 'ClaimApproved')];
    expect(await reactInClaimOrder(batch, clock)).toEqual([]);
    expect(ran).toEqual(['signal:C:T6', 'notify:C:ClaimApproved']);
    expect(failuresCounted()).toBe(0);
  });
});
