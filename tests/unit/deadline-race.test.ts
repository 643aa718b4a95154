import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Claim } from '../../lambdas/core/claim.ts';
import type { NewEvent } from '../../lambdas/core/events.ts';

/**
 * A deadline schedule firing while the claim changes: the engine reads the claim, decides, and
 * writes conditioned on the claim as it then is. The claim store here is an in-memory table that
 * answers the first read with the claim as it was a moment before (the race); the decisions under
 * test are the engine's own (lambdas/app/deadlines.ts).
 */
const table = new Map<string, Claim>();
const written: NewEvent[] = [];
const signals: unknown[] = [];
let staleRead: Claim | undefined;

vi.mock('../../lambdas/adapters/dynamo/claims-repo.ts', () => ({
  getClaim: async (id: string) => {
    const stale = staleRead;
    staleRead = undefined;
    return structuredClone(stale ?? table.get(id));
  },
}));
vi.mock('../../lambdas/adapters/schedules.ts', () => ({
  createOneTimeSchedule: async () => 'created',
  deleteSchedule: async () => undefined,
}));
vi.mock('../../lambdas/app/claim-store.ts', () => ({
  getClaimWithConfig: async (id: string) => structuredClone(table.get(id)),
  mutateClaim: async (
    id: string,
    _clock: unknown,
    change: (c: Claim) => Promise<unknown> | unknown,
  ): Promise<Claim | undefined> => {
    const r = (await change(structuredClone(table.get(id) as Claim))) as {
      claim: Claim;
      events?: NewEvent[];
      signals?: unknown[];
    } | null;
    if (r) {
      table.set(id, r.claim);
      written.push(...(r.events ?? []));
      signals.push(...(r.signals ?? []));
    }
    return table.get(id);
  },
}));
vi.mock('../../lambdas/app/notifications.ts', () => ({
  escalateDeadline: async () => ({ sent: 1, failed: 0, channels: ['email'] }),
  remindCustomer: async () => ({ sent: 1, failed: 0, channels: ['email'] }),
  remindInspection: async () => ({ sent: 1, failed: 0, channels: ['email'] }),
}));

const { onDeadlineFired, reinstatePaymentDeadline } = await import('../../lambdas/app/deadlines.ts');
const { fixedClock } = await import('../../lambdas/core/time.ts');

const ID = 'c'.repeat(26);
const closure = {
  id: 'noresp-i-x',
  kind: 'no_response_close',
  from: 'info_requested',
  anchorAt: '2026-03-02T02:00:00.000Z',
  dueAt: '2026-04-01T16:59:59.999Z',
  atRiskAt: '2026-03-26T00:00:00.000Z',
  basis: 'Policy wording',
  status: 'at_risk',
  scheduleNames: [],
};
const waiting = {
  claimId: ID,
  status: 'INFO_REQUESTED',
  waitingFor: 'information',
  waitToken: 'token-1',
  infoRequests: [{ requestId: 'r1', status: 'open' }],
  deadlines: [closure],
  requiredDocuments: [],
  receivedDocuments: [],
} as unknown as Claim;
const fire = () =>
  onDeadlineFired(
    {
      claimId: ID,
      deadlineId: closure.id,
      kind: 'no_response_close',
      phase: 'due',
      dueAt: closure.dueAt,
    } as Parameters<typeof onDeadlineFired>[0],
    fixedClock('2026-04-01T17:00:00.000Z'),
  );

beforeEach(() => {
  table.clear();
  written.length = 0;
  signals.length = 0;
});

describe('the no-response closure firing as the customer answers', () => {
  it('closes nothing and records no closure when the answer landed between the read and the write', async () => {
    // The answer is stored; the engine's first read still sees the claim waiting.
    table.set(ID, {
      ...waiting,
      status: 'UNDER_ASSESSMENT',
      waitingFor: undefined,
      waitToken: undefined,
      infoRequests: [{ ...waiting.infoRequests![0]!, status: 'answered' }],
    } as Claim);
    staleRead = waiting;
    const r = await fire();
    expect(r).toEqual({ outcome: 'ignored', reason: 'ANSWERED' });
    expect(signals).toEqual([]);
    expect(written).toEqual([]);
    expect(table.get(ID)?.deadlines?.[0]?.status).toBe('at_risk');
  });

  it('closes a claim still waiting for the answer, in the write that records it', async () => {
    table.set(ID, waiting);
    expect(await fire()).toEqual({ outcome: 'closing' });
    expect(signals).toHaveLength(1);
    expect(written.map((e) => [e.type, (e.data as { reason?: string }).reason])).toEqual([
      ['DeadlineCancelled', 'closed_no_response'],
    ]);
  });
});

describe('the payment deadline after an appeal overturns a rejection', () => {
  const payment = {
    id: 'pay-d-abc',
    kind: 'payment',
    from: 'dossier_complete',
    anchorAt: '2026-03-04T02:00:00.000Z',
    dueAt: '2026-03-19T16:59:59.999Z',
    atRiskAt: '2026-03-16T16:59:59.999Z',
    basis: 'Law on Insurance Business 08/2022/QH15 Art. 31',
    scheduleNames: [],
  };
  const overturned = (status: string) =>
    ({
      claimId: ID,
      productCode: 'MOTOR_OD',
      status: 'APPROVED',
      dossierCompleteAt: '2026-03-04T02:00:00.000Z',
      deadlines: [{ ...payment, status }],
    }) as unknown as Claim;
  const clock = fixedClock('2026-04-10T02:00:00.000Z');

  it('runs again as the rejection found it, due when it always was', async () => {
    table.set(ID, overturned('cancelled'));
    const [again] = await reinstatePaymentDeadline(ID, clock);
    expect(again).toMatchObject({
      id: 'pay-d-abc-a',
      status: 'open',
      dueAt: payment.dueAt,
      basis: payment.basis,
    });
    // Once: a redelivered event plans nothing more.
    expect(await reinstatePaymentDeadline(ID, clock)).toEqual([]);
  });

  it('is left as it is when it was already past due: a breached deadline still runs', async () => {
    table.set(ID, overturned('breached'));
    expect(await reinstatePaymentDeadline(ID, clock)).toEqual([]);
    expect(table.get(ID)?.deadlines).toHaveLength(1);
  });
});
