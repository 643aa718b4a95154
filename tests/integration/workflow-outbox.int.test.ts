import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getClaim as readStoredClaim, signalsOfClaim } from '../../lambdas/adapters/dynamo/claims-repo.ts';
import { deliverWorkflowSignal } from '../../lambdas/app/workflow-signals.ts';
import { systemClock } from '../../lambdas/core/time.ts';
import { DEMO_USERS } from '../../local/demo-data.ts';
import { fileClaim, getClaim, hoursAgo, parked, until } from '../helpers/claims.ts';
import { type Api, apiAs, eventually, useStack } from '../helpers/stack.ts';

/**
 * Nothing strands a claim: the workflow start and every resume are saved with the claim change
 * (an outbox item) and delivered from the table stream. Faults are injected for real into the
 * Step Functions stand-in, so the SDK's own retries run and fail before the stream retries.
 */
const stack = useStack();
const userIdOf = (username: string) => DEMO_USERS.find((u) => u.username === username)!.userId;

async function injectFault(operation: string, count: number) {
  const r = await fetch(`${stack.env.AWS_ENDPOINT_URL_SFN}/local/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ operation, count }),
  });
  expect(r.status).toBe(200);
}

let an: Api;
let hai: Api;
let dung: Api;
beforeAll(async () => {
  an = await apiAs(stack.apiUrl, 'an.nguyen');
  hai = await apiAs(stack.apiUrl, 'hai.do');
  dung = await apiAs(stack.apiUrl, 'dung.pham');
});
afterEach(async () => {
  await injectFault('StartExecution', 0);
  await injectFault('SendTaskSuccess', 0);
});

describe('workflow outbox', () => {
  it('starts the workflow after StartExecution failed past the SDK retries', async () => {
    // 4 failures: the first delivery's 3 SDK attempts all fail, the stream's redelivery succeeds.
    await injectFault('StartExecution', 4);
    const { claimId } = await fileClaim(an, { cause: 'flood', lossAt: hoursAgo(30) });
    const stored = await readStoredClaim(claimId);
    expect(stored?.status).toBe('SUBMITTED');

    const claim = await until(an, claimId, (c) => c.status !== 'SUBMITTED', 20_000);
    expect(['AWAITING_DOCUMENTS', 'UNDER_ASSESSMENT', 'REFERRED']).toContain(claim.status);
    const [start] = await signalsOfClaim(claimId);
    expect(start?.signal).toEqual({ kind: 'start' });
    expect(start?.deliveredAt).toBeDefined();
    // The failed attempt is on record for the operator.
    expect((start as { lastError?: string }).lastError).toBeUndefined();
    expect((start as { attempts?: number }).attempts).toBeGreaterThanOrEqual(1);
  });

  it('resumes the workflow after SendTaskSuccess failed, once, and a redelivery changes nothing', async () => {
    const { claimId } = await fileClaim(an, { cause: 'fire', lossAt: hoursAgo(40) });
    const parkedClaim = await until(hai, claimId, parked('assessment'), 15_000);
    const assigned = await hai.post(`/claims/${claimId}/assignment`, {
      expectedVersion: parkedClaim.version,
      staffId: userIdOf('dung.pham'),
      reason: 'Đúng địa bàn',
    });
    expect(assigned.status).toBe(200);

    await injectFault('SendTaskSuccess', 4);
    const c = await getClaim(dung, claimId);
    const asked = await dung.post(`/claims/${claimId}/info-requests`, {
      expectedVersion: c.version,
      message: 'Xin gửi thêm ảnh hiện trường và biên bản của công an.',
      documents: ['damage_photos'],
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);

    // The request was saved even though the workflow could not be told at once…
    expect((await readStoredClaim(claimId))?.status).toBe('INFO_REQUESTED');
    // …and the stream's retry resumes it: the workflow parks again, now waiting for the answer.
    await until(dung, claimId, parked('information'), 20_000);
    const signals = await signalsOfClaim(claimId);
    const resume = signals.find((s) => s.signal.kind === 'resume');
    expect(resume?.deliveredAt).toBeDefined();
    // The injected fault did fire: the first delivery failed on record, a later one got through.
    expect((resume as { attempts?: number }).attempts).toBeGreaterThanOrEqual(1);
    expect((resume as { lastError?: string }).lastError).toBeUndefined();

    // Delivering the same signal again (a stream redelivery) is harmless: the token is spent.
    await deliverWorkflowSignal(resume!, systemClock);
    const after = await readStoredClaim(claimId);
    expect(after?.status).toBe('INFO_REQUESTED');
    expect(after?.waitingFor).toBe('information');
  });

  it('alerts on a signal the stream gave up on, and a supervisor redelivers it', async () => {
    // Step Functions keeps failing: every delivery attempt fails, the stream drops the record (on
    // AWS it goes to the dead-letter queue) and the claim stays SUBMITTED with its start pending.
    await injectFault('StartExecution', 1_000);
    const { claimId, claimNumber } = await fileClaim(an, { cause: 'theft', lossAt: hoursAgo(50) });
    const alert = await eventually(async () => {
      const [start] = await signalsOfClaim(claimId);
      if (!start || ((start as { attempts?: number }).attempts ?? 0) < 5) return undefined;
      const r = await hai.get('/workflow/alerts?olderThanSeconds=0');
      expect(r.status).toBe(200);
      return (r.body.alerts as { claimId: string }[]).find((a) => a.claimId === claimId);
    }, 30_000);
    expect(alert).toMatchObject({ claimNumber, status: 'SUBMITTED', signal: 'start' });
    expect((alert as { lastError?: string }).lastError).toBeTruthy();
    // Customers and adjusters do not see the operator's list.
    expect((await an.get('/workflow/alerts')).status).toBe(403);
    expect((await dung.get('/workflow/alerts')).status).toBe(403);
    expect((await hai.get('/workflow/alerts?olderThanSeconds=-1')).status).toBe(400);

    // The cause is fixed; the supervisor hands the signal back and the claim moves on.
    await injectFault('StartExecution', 0);
    const r = await hai.post(`/claims/${claimId}/workflow/redeliver`, {});
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.redelivered).toBe(1);
    await until(an, claimId, (c) => c.status !== 'SUBMITTED', 20_000);
    const after = await hai.get('/workflow/alerts?olderThanSeconds=0');
    expect((after.body.alerts as { claimId: string }[]).some((a) => a.claimId === claimId)).toBe(false);
    // Nothing left to redeliver; the redelivery is on the claim's record.
    expect((await hai.post(`/claims/${claimId}/workflow/redeliver`, {})).status).toBe(409);
    const staffView = await getClaim(hai, claimId);
    expect(staffView.timeline.map((e: { type: string }) => e.type)).toContain('WorkflowSignalsRedelivered');
  });
});
