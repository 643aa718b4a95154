import { describe, expect, it } from 'vitest';
import { atExpression, SCHEDULE_NAME } from '../../lambdas/adapters/schedules.ts';
import {
  type DeadlineKind,
  type DeadlineOrigin,
  deadlineId,
  kindsMetBy,
  MET_BY,
  nextDeadlineOf,
  phasesOf,
  scheduleName,
  trackedDeadlines,
} from '../../lambdas/app/deadlines.ts';
import type { ClaimDeadline } from '../../lambdas/core/claim.ts';
import { OWN_EVENTS } from '../../lambdas/app/claim-events.ts';
import { DEFAULT_PRODUCTS } from '../../lambdas/core/products.ts';

const KINDS = Object.keys(MET_BY) as DeadlineKind[];
const ORIGINS: DeadlineOrigin[] = [
  'submitted',
  'dossier_complete',
  'info_requested',
  'inspection',
  'rejected',
  'appealed',
];
const CLAIM_ID = 'f'.repeat(26); // claim ids are 26 hex characters (submit-claim.ts)

describe('which events meet which deadlines', () => {
  it.each([
    ['AcknowledgementSent', ['acknowledgement', 'guidance']],
    ['AssessmentRecorded', ['assessment']],
    ['InspectionScheduled', ['assessment']],
    ['ClaimPaid', ['advance_payment', 'payment']],
    ['DossierCompleted', ['documents_reminder']],
    ['InfoProvided', ['documents_reminder', 'no_response_close']],
    ['ClaimSubmitted', []],
    // The appeal is decided when core/appeal.ts settles it; a request for approval decides nothing.
    ['AppealDecided', ['appeal_decision']],
    ['ClaimRejected', []],
    ['ApprovalRequested', []],
    ['ApprovalSentBack', []],
    ['DeadlineBreached', []],
  ] as const)('%s meets %j', (type, kinds) => {
    expect([...kindsMetBy([type])].sort()).toEqual([...kinds].sort());
  });

  it('covers every kind a product can configure, and nothing meets an inspection reminder', () => {
    const configured = new Set(DEFAULT_PRODUCTS.flatMap((p) => p.deadlines.map((d) => d.kind)));
    for (const kind of configured) expect(MET_BY[kind].length, kind).toBeGreaterThan(0);
    expect(MET_BY.inspection_reminder).toEqual([]);
  });

  it('is never met by an event the engine writes itself (that would loop)', () => {
    for (const kind of KINDS)
      for (const t of MET_BY[kind]) expect(OWN_EVENTS.has(t), `${kind} ← ${t}`).toBe(false);
  });
});

describe('schedule names', () => {
  const anchor = new Date('2026-11-25T09:01:16.755Z');

  it('fit Scheduler (≤ 64 of [0-9a-zA-Z-_.]) for every kind, origin and phase, up to year 2059', () => {
    const late = new Date('2059-01-01T00:00:00Z');
    for (const kind of KINDS)
      for (const from of ORIGINS)
        for (const phase of ['at_risk', 'due'] as const) {
          const name = scheduleName(CLAIM_ID, deadlineId(kind, from, late), phase);
          expect(name).toMatch(SCHEDULE_NAME);
          expect(name.length).toBeLessThanOrEqual(64);
          // Moved by calendar changes (`….<n>`), reinstated after an appeal (`-a`).
          const moved = scheduleName(CLAIM_ID, `${deadlineId(kind, from, late)}-a`, phase, 999);
          expect(moved).toMatch(SCHEDULE_NAME);
          expect(moved.length).toBeLessThanOrEqual(64);
        }
  });

  it('say which claim, deadline and phase they are for', () => {
    const id = deadlineId('documents_reminder', 'info_requested', anchor);
    expect(id).toBe(`docs-i-${anchor.getTime().toString(36)}`);
    expect(scheduleName(CLAIM_ID, id, 'at_risk')).toBe(`c-${CLAIM_ID}-${id}-risk`);
    expect(scheduleName(CLAIM_ID, id, 'due')).toBe(`c-${CLAIM_ID}-${id}-due`);
  });

  it('are the same for a redelivered event and different for another anchor of the same kind', () => {
    expect(deadlineId('payment', 'dossier_complete', anchor)).toBe(
      deadlineId('payment', 'dossier_complete', new Date(anchor)),
    );
    expect(deadlineId('documents_reminder', 'submitted', anchor)).not.toBe(
      deadlineId('documents_reminder', 'info_requested', anchor),
    );
    expect(deadlineId('no_response_close', 'info_requested', anchor)).not.toBe(
      deadlineId('no_response_close', 'info_requested', new Date(anchor.getTime() + 1)),
    );
  });

  it('refuses a claim id that would break the limit', () => {
    expect(() => scheduleName('x'.repeat(60), 'ack-s-1', 'due')).toThrow(/not allowed/);
  });
});

describe('schedule expressions', () => {
  it('are whole seconds in UTC, rounded up so a due phase never fires before the deadline', () => {
    expect(atExpression(new Date('2026-12-10T16:59:59.999Z'))).toBe('at(2026-12-10T17:00:00)');
    expect(atExpression(new Date('2026-12-10T03:00:00.000Z'))).toBe('at(2026-12-10T03:00:00)');
    expect(atExpression(new Date('2026-12-10T03:00:00.001Z'))).toBe('at(2026-12-10T03:00:01)');
  });
});

describe('phases', () => {
  it('warn before insurer deadlines; reminders only fire when due', () => {
    expect(phasesOf('payment')).toEqual(['at_risk', 'due']);
    expect(phasesOf('no_response_close')).toEqual(['at_risk', 'due']);
    expect(phasesOf('documents_reminder')).toEqual(['due']);
    expect(phasesOf('inspection_reminder')).toEqual(['due']);
  });
});

describe('the next deadline (work-queue order)', () => {
  const d = (kind: string, dueAt: string, status: ClaimDeadline['status'] = 'open'): ClaimDeadline => ({
    kind,
    dueAt,
    atRiskAt: dueAt,
    basis: 'test',
    status,
    scheduleNames: [],
  });

  it('is the earliest open or at-risk insurer deadline', () => {
    expect(
      nextDeadlineOf([
        d('payment', '2026-12-10T16:59:59.999Z'),
        d('assessment', '2026-11-26T09:00:00.000Z', 'at_risk'),
        d('acknowledgement', '2026-11-25T09:00:00.000Z', 'met'),
      ]),
    ).toEqual({ kind: 'assessment', dueAt: '2026-11-26T09:00:00.000Z' });
  });

  it('ignores customer reminders and the automatic closure, and closed deadlines', () => {
    expect(
      nextDeadlineOf([
        d('documents_reminder', '2026-11-20T00:00:00.000Z'),
        d('no_response_close', '2026-11-21T00:00:00.000Z'),
        d('inspection_reminder', '2026-11-22T00:00:00.000Z'),
        d('payment', '2026-11-23T00:00:00.000Z', 'breached'),
        d('advance_payment', '2026-11-24T00:00:00.000Z', 'cancelled'),
      ]),
    ).toBeUndefined();
  });
});

describe('stored deadlines', () => {
  it('keep their identity, and older records without one get a stable one', () => {
    const legacy: ClaimDeadline = {
      kind: 'payment',
      dueAt: '2026-12-10T16:59:59.999Z',
      atRiskAt: '2026-12-07T16:59:59.999Z',
      basis: 'Art. 31',
      status: 'open',
      scheduleNames: [],
    };
    const [a] = trackedDeadlines({ deadlines: [legacy] });
    const [b] = trackedDeadlines({ deadlines: [legacy] });
    expect(a?.id).toBeTruthy();
    expect(a?.id).toBe(b?.id);
    expect(trackedDeadlines({})).toEqual([]);
  });
});
