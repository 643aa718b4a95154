import { describe, expect, it } from 'vitest';
import { kindsMetBy, MET_BY } from '../../lambdas/app/deadlines.ts';
import { documentsAllIn, escalationAudience, flaggedDeadline } from '../../lambdas/core/deadlines.ts';
import { EVENT_TYPES } from '../../lambdas/core/events.ts';

const claimDocs = (required: string[], received: string[]) => ({
  requiredDocuments: required,
  receivedDocuments: received,
});

describe('documentsAllIn: the documents reminder is met only when nothing required is missing', () => {
  const incomplete = claimDocs(['claim_letter', 'damage_photos'], ['claim_letter']);
  const complete = claimDocs(['claim_letter'], ['claim_letter']);

  it('a completed dossier says so by itself', () => {
    expect(documentsAllIn({ type: 'DossierCompleted' }, incomplete)).toBe(true);
  });

  it('an answer says what was still missing when it was given, whatever the claim says now', () => {
    const answer = (missing: string[]) => ({ type: 'InfoProvided', data: { missingDocuments: missing } });
    expect(documentsAllIn(answer(['damage_photos', 'repair_invoice', 'police_report']), complete)).toBe(
      false,
    );
    expect(documentsAllIn(answer([]), incomplete)).toBe(true);
  });

  it('a verified document says whether it was the last one', () => {
    expect(documentsAllIn({ type: 'DocumentVerified', data: { dossierComplete: false } }, complete)).toBe(
      false,
    );
    expect(documentsAllIn({ type: 'DocumentVerified', data: { dossierComplete: true } }, incomplete)).toBe(
      true,
    );
  });

  it('an event from before these facts were recorded falls back to the claim as it is', () => {
    expect(documentsAllIn({ type: 'InfoProvided', data: { requestId: 'r' } }, incomplete)).toBe(false);
    expect(documentsAllIn({ type: 'InfoProvided', data: { requestId: 'r' } }, complete)).toBe(true);
  });
});

describe('what meets which deadline', () => {
  it('AdvancePaymentApproved is a claim event and meets the advance payment deadline only', () => {
    expect(EVENT_TYPES).toContain('AdvancePaymentApproved');
    expect([...kindsMetBy(['AdvancePaymentApproved'])]).toEqual(['advance_payment']);
  });

  it('the no-response closure is met only by an answer', () => {
    expect(MET_BY.no_response_close).toEqual(['InfoProvided']);
  });
});

describe('flaggedDeadline: the flag and the deadline it belongs to', () => {
  const now = new Date('2026-12-02T10:00:00Z');
  const d = (kind: string, status: string, dueAt: string, atRiskAt = '2026-12-10T00:00:00Z') => ({
    id: `${kind}-1`,
    kind,
    status: status as 'open',
    dueAt,
    atRiskAt,
  });

  it('a breached deadline is flagged even when another one is due sooner', () => {
    const out = flaggedDeadline(
      [
        d('advance_payment', 'open', '2026-12-04T16:59:59.999Z'),
        d('assessment', 'breached', '2026-12-01T09:00:00Z'),
      ],
      now,
    );
    expect(out).toEqual({
      flag: 'breached',
      deadline: { id: 'assessment-1', kind: 'assessment', dueAt: '2026-12-01T09:00:00Z', status: 'breached' },
    });
  });

  it('an insurer deadline running past its due instant is breached before the schedule says so', () => {
    const out = flaggedDeadline(
      [d('payment', 'open', '2026-12-01T16:59:59.999Z'), d('assessment', 'at_risk', '2026-12-03T00:00:00Z')],
      now,
    );
    expect(out.flag).toBe('breached');
    expect(out.deadline?.kind).toBe('payment');
  });

  it('at risk by status or by time; among equals the earliest due', () => {
    const out = flaggedDeadline(
      [
        d('payment', 'open', '2026-12-09T00:00:00Z', '2026-12-02T09:00:00Z'),
        d('assessment', 'at_risk', '2026-12-05T00:00:00Z'),
      ],
      now,
    );
    expect(out).toMatchObject({ flag: 'at_risk', deadline: { kind: 'assessment' } });
  });

  it('running customer reminders and the no-response closure never raise the flag; done ones never count', () => {
    const out = flaggedDeadline(
      [
        d('documents_reminder', 'open', '2026-11-30T16:59:59.999Z'),
        d('no_response_close', 'at_risk', '2026-12-01T16:59:59.999Z'),
        d('acknowledgement', 'met', '2026-11-29T00:00:00Z'),
        d('payment', 'cancelled', '2026-11-29T00:00:00Z'),
        d('no_response_close', 'closed', '2026-11-28T00:00:00Z'),
        d('advance_payment', 'open', '2026-12-04T16:59:59.999Z'),
      ],
      now,
    );
    expect(out).toMatchObject({ flag: 'ok', deadline: { kind: 'advance_payment' } });
    expect(flaggedDeadline([d('documents_reminder', 'open', '2026-11-30T00:00:00Z')], now)).toEqual({
      flag: 'none',
    });
  });

  it('a reminder the engine recorded as breached (nobody could act) still raises it', () => {
    expect(flaggedDeadline([d('no_response_close', 'breached', '2026-11-30T00:00:00Z')], now).flag).toBe(
      'breached',
    );
  });
});

describe('escalationAudience: the adjuster first, then the supervisors', () => {
  const assigned = { assignee: { staffId: 'u-dung' } };

  it('at risk: only the assigned adjuster', () => {
    expect(escalationAudience(assigned, 'at_risk')).toEqual({
      assignee: 'u-dung',
      supervisors: false,
      claimsTopic: false,
      departments: [],
    });
  });

  it('missed: the adjuster, every supervisor and the claims topic', () => {
    expect(escalationAudience(assigned, 'breached')).toEqual({
      assignee: 'u-dung',
      supervisors: true,
      claimsTopic: true,
      departments: [],
    });
  });

  it('at risk with nobody assigned (a team queue): the supervisors', () => {
    expect(escalationAudience({ assignedQueue: 'supervisors' }, 'at_risk')).toEqual({
      supervisors: true,
      claimsTopic: false,
      departments: [],
    });
  });

  it('while the claim waits for a supervisor or for departments, they hear at risk too', () => {
    expect(escalationAudience({ ...assigned, waitingFor: 'supervisor' }, 'at_risk').supervisors).toBe(true);
    const joint = {
      ...assigned,
      waitingFor: 'department',
      approvals: [
        {
          status: 'open',
          departments: ['claims', 'underwriting', 'finance'],
          votes: [{ department: 'claims' }],
        },
      ],
    };
    expect(escalationAudience(joint, 'at_risk')).toEqual({
      assignee: 'u-dung',
      supervisors: false,
      claimsTopic: false,
      departments: ['underwriting', 'finance'],
    });
  });
});
