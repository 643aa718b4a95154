import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDate } from '../../lambdas/core/time.ts';
import { fileParked, getClaim, hoursAgo } from '../helpers/claims.ts';
import { type Api, signIn } from '../helpers/stack.ts';
import { suitePolicies } from '../helpers/suite-policies.ts';

/**
 * A sum insured bounds every claim of the policy period together (audit finding: three 100M stays
 * on a 200M inpatient cover paid 300M). Through the real API: claims on one health policy of this
 * suite's own, each assessed by the supervisor; the third pays only what the first two left.
 */
const DAY = 86_400_000;
const policies = suitePolicies('HLT-SIA');
afterAll(() => policies.removeAll());

let an: Api;
let hai: Api;
beforeAll(async () => {
  [an, hai] = await signIn('an.nguyen', 'hai.do');
});

/** An inpatient stay of `patientName`'s `hours` ago on `policyNumber` (filed by an.nguyen), parked for assessment. */
async function stay(policyNumber: string, hours: number, patientName = 'Nguyễn Văn An') {
  const { claimId } = await fileParked(an, hai, {
    policyNumber,
    cause: 'illness',
    lossAt: hoursAgo(hours),
    description: 'Nhập viện điều trị viêm phổi, nằm viện năm ngày.',
    estimatedAmount: { amount: 100_000_000, currency: 'VND' },
    facts: {
      kind: 'health',
      patientName,
      hospital: 'Bệnh viện Bạch Mai',
      diagnosis: 'Viêm phổi',
      admittedOn: businessDate(new Date(Date.now() - hours * 3600_000)),
    },
  });
  return claimId;
}

async function assess(claimId: string, amount: number) {
  const c = await getClaim(hai, claimId);
  const r = await hai.post(`/claims/${claimId}/assessment`, {
    expectedVersion: c.version,
    items: [
      { description: 'Viện phí nội trú', coverCode: 'INPATIENT', assessedAmount: amount, kind: 'medical' },
    ],
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.assessment as {
    payable: { amount: number };
    steps: { code: string; coverCode: string | null; params: Record<string, unknown> }[];
  };
}

const inpatientPolicy = (insuredPersons: string[]) =>
  policies.put({
    productCode: 'HEALTH',
    effectiveFrom: `${businessDate(new Date(Date.now() - 200 * DAY))}T00:00:00+07:00`,
    effectiveTo: `${businessDate(new Date(Date.now() + 200 * DAY))}T23:59:59+07:00`,
    insuredValue: undefined,
    covers: [
      {
        code: 'INPATIENT',
        name: { vi: 'Điều trị nội trú', en: 'Inpatient' },
        causes: ['illness', 'accident'],
        sumInsured: 200_000_000,
        subLimit: 100_000_000,
      },
    ],
    insuredObject: { insuredPersons },
  });

describe('the sum insured across the claims of a policy period', () => {
  it('is each insured person’s on a family policy: what one took does not cut another’s claim', async () => {
    const policyNumber = await inpatientPolicy(['Nguyễn Văn An', 'Trần Thị Bình']);
    const a1 = await stay(policyNumber, 240);
    const a2 = await stay(policyNumber, 150);
    const b = await stay(policyNumber, 60, 'TRAN THI BINH');
    expect((await assess(a1, 100_000_000)).payable.amount).toBe(100_000_000);
    expect((await assess(a2, 100_000_000)).payable.amount).toBe(100_000_000);
    // An's stays took his whole 200M; Bình's is hers, matched by name without marks or case.
    const hers = await assess(b, 100_000_000);
    expect(hers.payable.amount).toBe(100_000_000);
    expect(hers.steps.find((s) => s.code === 'sum_insured_remaining')).toBeUndefined();
    // An's third stay would find his 200M used.
    const a3 = await stay(policyNumber, 30);
    expect((await assess(a3, 100_000_000)).payable.amount).toBe(0);
  });

  it('pays the third claim only what the first two left of the inpatient cover', async () => {
    const policyNumber = await inpatientPolicy(['Nguyễn Văn An']);
    // Losses on different days: not each other's possible duplicates.
    const first = await stay(policyNumber, 240);
    const second = await stay(policyNumber, 150);
    const third = await stay(policyNumber, 60);

    expect((await assess(first, 100_000_000)).payable.amount).toBe(100_000_000);
    const two = await assess(second, 60_000_000);
    expect(two.payable.amount).toBe(60_000_000);
    expect(two.steps.find((s) => s.code === 'sum_insured_remaining')?.params).toMatchObject({
      used: 100_000_000,
      remaining: 100_000_000,
    });

    // 100M assessed, capped by what is left of 200M after 160M: 40M.
    const three = await assess(third, 100_000_000);
    expect(three.payable.amount).toBe(40_000_000);
    expect(three.steps.find((s) => s.code === 'sum_insured_remaining')).toMatchObject({
      coverCode: 'INPATIENT',
      params: { sumInsured: 200_000_000, used: 160_000_000, remaining: 40_000_000 },
    });

    // Assessing the first again counts the others (60M + 40M), not itself: 100M left, 100M paid.
    const again = await assess(first, 100_000_000);
    expect(again.payable.amount).toBe(100_000_000);
    expect(again.steps.find((s) => s.code === 'sum_insured_remaining')?.params).toMatchObject({
      used: 100_000_000,
      remaining: 100_000_000,
    });
  });
});
