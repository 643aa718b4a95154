import { describe, expect, it } from 'vitest';
import type { ClaimEvent, EventType } from '../../lambdas/core/events.ts';
import { coveringEvent, foldedInto, heldBySchedule, mayFold } from '../../lambdas/core/notice-digest.ts';

const T0 = Date.parse('2026-12-03T02:00:00.000Z');
let seq = 0;
const ev = (type: EventType, afterMs: number): ClaimEvent =>
  ({
    claimId: 'c1',
    seq: ++seq,
    type,
    at: new Date(T0 + afterMs).toISOString(),
    actor: { kind: 'system' },
    data: {},
  }) as unknown as ClaimEvent;

describe('events that happen together are one message', () => {
  it('folds a completed file and its straight-through approval into the payment notice', () => {
    const done = ev('DossierCompleted', 0);
    const approved = ev('ClaimApproved', 4_000);
    const queued = ev('PaymentQueued', 4_600);
    const events = [done, approved, queued];
    expect(coveringEvent(done, events)?.seq).toBe(queued.seq);
    expect(coveringEvent(approved, events)?.seq).toBe(queued.seq);
    expect(foldedInto(queued, events).map((e) => e.type)).toEqual(['DossierCompleted', 'ClaimApproved']);
  });

  it('stops the chain where a step came too late: the approval then carries the completed file', () => {
    const done = ev('DossierCompleted', 0);
    const approved = ev('ClaimApproved', 5_000);
    const queued = ev('PaymentQueued', 9_000); // 4 s after the approval: told on its own
    const events = [done, approved, queued];
    expect(coveringEvent(done, events)?.seq).toBe(approved.seq);
    expect(coveringEvent(approved, events)).toBeUndefined();
    expect(foldedInto(approved, events).map((e) => e.type)).toEqual(['DossierCompleted']);
    expect(foldedInto(queued, events)).toEqual([]);
  });

  it('tells a completed file on its own when a person decides later, or the decision is partial', () => {
    const done = ev('DossierCompleted', 0);
    expect(coveringEvent(done, [done, ev('ClaimApproved', 25_000)])).toBeUndefined();
    expect(coveringEvent(done, [done, ev('ClaimPartiallyApproved', 2_000)])).toBeUndefined();
    expect(coveringEvent(done, [done, ev('ClaimRejected', 2_000)])).toBeUndefined();
    // An event before it never covers it.
    const early = ev('PaymentQueued', -1_000);
    const later = ev('DossierCompleted', 0);
    expect(coveringEvent(later, [early, later])).toBeUndefined();
  });

  it('holds the completed-file notice by a schedule; the approval waits in the stream', () => {
    expect(heldBySchedule('DossierCompleted')).toBe(true);
    expect(heldBySchedule('ClaimApproved')).toBe(false);
    expect(mayFold('ClaimApproved')).toBe(true);
    expect(mayFold('PaymentQueued')).toBe(false);
  });
});
