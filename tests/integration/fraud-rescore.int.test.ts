import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventsOfClaim, getClaim as readClaim } from '../../lambdas/adapters/dynamo/claims-repo.ts';
import { scoreClaim } from '../../lambdas/app/fraud.ts';
import { businessDate, systemClock } from '../../lambdas/core/time.ts';
import { DEMO_USERS } from '../../local/demo-data.ts';
import { fileClaim, getClaim, hoursAgo, parked, until } from '../helpers/claims.ts';
import { csvFile, dropPolicyFile, motorRow } from '../helpers/policy-files.ts';
import { type Api, apiAs, eventually, useStack } from '../helpers/stack.ts';

/**
 * The fraud features read what the policy system and the customer change (policy endorsements
 * imported through the policy import, the payout-account history), and the indicators are scored
 * again when a fact changes: from the claim-event stream, quietly when nothing changed.
 */
const stack = useStack();
const DAY = 86_400_000;
const run = randomUUID().slice(0, 6).toUpperCase();
const userIdOf = (username: string) => DEMO_USERS.find((u) => u.username === username)!.userId;
const scoredEvents = async (claimId: string) =>
  (await eventsOfClaim(claimId)).filter((e) => e.type === 'IndicatorsScored');

let admin: Api;
let an: Api;
let hai: Api;
let dung: Api;
beforeAll(async () => {
  [admin, an, hai, dung] = await Promise.all([
    apiAs(stack.apiUrl, 'admin'),
    apiAs(stack.apiUrl, 'an.nguyen'),
    apiAs(stack.apiUrl, 'hai.do'),
    apiAs(stack.apiUrl, 'dung.pham'),
  ]);
});

async function imported(name: string, body: string) {
  const { importId } = await dropPolicyFile(name, body);
  const r = await eventually(async () => {
    const x = await admin.get(`/admin/policy-imports/${importId}`);
    return x.status === 200 && x.body.import.status !== 'running' ? x.body : undefined;
  }, 20_000);
  expect(r.import.counts.rejected, JSON.stringify(r)).toBe(0);
}

describe('features from the policy’s version history', () => {
  it('sees an endorsement imported through the policy import on the next scored claim', async () => {
    const policyNumber = `FRV-${run}`;
    const row = (o: Parameters<typeof motorRow>[2] = {}) =>
      motorRow(policyNumber, 'CUS-0001', {
        vehicle_plate: '30A-123.45',
        effective_from: businessDate(new Date(Date.now() - 300 * DAY)),
        effective_to: businessDate(new Date(Date.now() + 60 * DAY)),
        address: '1 Láng Hạ, Hà Nội',
        ...o,
      });
    await imported(`frv1-${run}.csv`, csvFile([row()]));
    const first = await fileClaim(an, { policyNumber, lossAt: hoursAgo(3) });
    const before = await until(hai, first.claimId, (c) => c.fraud !== undefined, 15_000);
    expect(before.fraud.features.SumInsuredChange_Claim).toBeNull();
    expect(before.fraud.features.AddressChange_Claim).toBeNull();

    // The policy system sends the endorsement of ten days ago: more cover, another address.
    const endorsedOn = businessDate(new Date(Date.now() - 10 * DAY));
    await imported(
      `frv2-${run}.csv`,
      csvFile([
        row({
          version: 2,
          change_type: 'endorsement',
          change_effective_at: endorsedOn,
          sum_insured: 900_000_000,
          address: '77 Kim Mã, Hà Nội',
        }),
      ]),
    );
    const second = await fileClaim(an, { policyNumber, lossAt: hoursAgo(3) });
    const after = await until(hai, second.claimId, (c) => c.fraud !== undefined, 15_000);
    const lossDay = Date.parse(`${businessDate(new Date(Date.now() - 3 * 3600_000))}T00:00:00Z`);
    const days = Math.round((lossDay - Date.parse(`${endorsedOn}T00:00:00Z`)) / DAY);
    expect(after.fraud.features.SumInsuredChange_Claim).toBe(days);
    expect(after.fraud.features.AddressChange_Claim).toBe(days);
  }, 60_000);

  it('scores a claim on the version in force at its loss, not on an endorsement recorded after it', async () => {
    const policyNumber = `FRL-${run}`;
    const row = (o: Parameters<typeof motorRow>[2] = {}) =>
      motorRow(policyNumber, 'CUS-0001', {
        vehicle_plate: '30A-678.90',
        effective_from: businessDate(new Date(Date.now() - 300 * DAY)),
        effective_to: businessDate(new Date(Date.now() + 60 * DAY)),
        sum_insured: 400_000_000,
        ...o,
      });
    await imported(`frl1-${run}.csv`, csvFile([row()]));
    // Loss 30 hours ago: before today's business midnight, when the endorsement takes effect.
    const { claimId } = await fileClaim(an, {
      policyNumber,
      lossAt: hoursAgo(30),
      estimatedAmount: { amount: 40_000_000, currency: 'VND' },
    });
    const before = await until(hai, claimId, (c) => c.fraud !== undefined, 15_000);
    expect(before.fraud.features.Amount_To_SumInsured).toBe(0.1);

    // The policy system raises the sum insured from today: after the loss.
    await imported(
      `frl2-${run}.csv`,
      csvFile([
        row({
          version: 2,
          change_type: 'endorsement',
          change_effective_at: businessDate(new Date()),
          sum_insured: 4_000_000_000,
        }),
      ]),
    );
    await scoreClaim(claimId, systemClock, 'documents');
    const after = await readClaim(claimId);
    expect(after?.policyVersion).toBe(1);
    expect(after?.fraud?.features.Amount_To_SumInsured).toBe(0.1);
  }, 60_000);
});

describe('scoring again when the facts change', () => {
  it('rescores from the event stream when the customer asks for another payout account', async () => {
    const { claimId } = await fileClaim(an, { lossAt: hoursAgo(5) });
    const first = await until(hai, claimId, (c) => c.fraud !== undefined, 15_000);
    expect(first.fraud.features.BankAccountChange_Claim).toBe('No');
    const scoredBefore = (await scoredEvents(claimId)).length;

    const r = await an.post(`/claims/${claimId}/payout-account`, {
      bankName: 'Techcombank',
      accountNumber: '19034567891234',
      accountHolder: 'NGUYEN VAN AN',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    const rescored = await until(
      hai,
      claimId,
      (c) => c.fraud?.trigger === 'payout_account' && c.fraud.features.BankAccountChange_Claim === 'Yes',
      15_000,
    );
    expect(rescored.fraud.scoredAt > first.fraud.scoredAt).toBe(true);
    expect((await scoredEvents(claimId)).length).toBe(scoredBefore + 1);

    // The stream delivers the same event again: nothing changed, nothing is written.
    // (The workflow and deadlines may still write the claim meanwhile: the score is what must not move.)
    const stored = await readClaim(claimId);
    await scoreClaim(claimId, systemClock, 'payout_account');
    await scoreClaim(claimId, systemClock, 'payout_account');
    expect((await readClaim(claimId))?.fraud).toEqual(stored?.fraud);
    expect((await scoredEvents(claimId)).length).toBe(scoredBefore + 1);
  }, 60_000);

  it('rescores when the customer answers an information request (a supplement)', async () => {
    const { claimId } = await fileClaim(an, { lossAt: hoursAgo(6) });
    let c = await until(hai, claimId, (x) => x.fraud !== undefined && parked()(x), 15_000);
    expect(c.fraud.features.NumberOfSuppliments).toBe(0);
    const assign = await hai.post(`/claims/${claimId}/assignment`, {
      expectedVersion: c.version,
      staffId: userIdOf('dung.pham'),
      reason: 'Đúng địa bàn Hà Nội',
    });
    expect(assign.status, JSON.stringify(assign.body)).toBe(200);
    c = await getClaim(dung, claimId);
    const ask = await dung.post(`/claims/${claimId}/info-requests`, {
      expectedVersion: c.version,
      message: 'Vui lòng mô tả thêm vị trí va chạm.',
    });
    expect(ask.status, JSON.stringify(ask.body)).toBe(201);
    await until(an, claimId, (x) => x.status === 'INFO_REQUESTED');
    await until(hai, claimId, parked('information'));
    const answer = await an.post(
      `/claims/${claimId}/info-requests/${ask.body.infoRequest.requestId}/response`,
      { message: 'Va chạm ở cản trước bên trái.' },
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const rescored = await until(
      hai,
      claimId,
      (x) => x.fraud?.trigger === 'information' && x.fraud.features.NumberOfSuppliments === 1,
      15_000,
    );
    expect(rescored.timeline.filter((e: { type: string }) => e.type === 'IndicatorsScored').length).toBe(2);
  }, 60_000);
});
