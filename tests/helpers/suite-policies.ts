import { randomUUID } from 'node:crypto';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../../lambdas/adapters/aws-clients.ts';
import { keys } from '../../lambdas/adapters/dynamo/keys.ts';
import { putPolicy } from '../../lambdas/adapters/dynamo/policies-repo.ts';
import { tableName } from '../../lambdas/adapters/dynamo/table.ts';
import type { Policy } from '../../lambdas/core/policy.ts';
import { DEFAULT_PRODUCTS, productByCode } from '../../lambdas/core/products.ts';
import { businessDate } from '../../lambdas/core/time.ts';
import type { Api } from './api.ts';
import { fileClaim, hoursAgo, until } from './claims.ts';
import { makePolicy } from './factories.ts';

const DAY = 86_400_000;

/** The causes the shipped own-damage product covers (the demo policy MOT-2026-0001 covers them all). */
const OWN_DAMAGE_CAUSES = productByCode(DEFAULT_PRODUCTS, 'MOTOR_OD')?.coveredCauses ?? [];

/**
 * Policies a suite writes into the table for itself, numbered `<prefix>-<random>` so no other suite
 * shares them; `removeAll` (the suite's afterAll) deletes them again. Needs the stack's environment
 * (useStack / signIn).
 */
export function suitePolicies(prefix: string) {
  const made: string[] = [];
  const put = async (overrides: Partial<Policy> = {}): Promise<string> => {
    const policyNumber = `${prefix}-${randomUUID().slice(0, 8)}`;
    made.push(policyNumber);
    await putPolicy(makePolicy({ ...overrides, policyNumber }));
    return policyNumber;
  };
  return {
    put,
    /**
     * An.nguyen's MOTOR_OD policy running from `startDays` ago to `endDays` ahead, covering every
     * own-damage cause the demo policy covers (storm, glass, explosion… as well as collision).
     */
    running: (startDays: number, endDays: number) => {
      const od = makePolicy().covers[0]!;
      return put({
        effectiveFrom: `${businessDate(new Date(Date.now() - startDays * DAY))}T00:00:00+07:00`,
        effectiveTo: `${businessDate(new Date(Date.now() + endDays * DAY))}T23:59:59+07:00`,
        covers: [{ ...od, causes: [...OWN_DAMAGE_CAUSES] }],
      });
    },
    removeAll: () =>
      Promise.all(
        made.map((n) => dynamo().send(new DeleteCommand({ TableName: tableName(), Key: keys.policy(n) }))),
      ),
  };
}

/**
 * Noon (Vietnam) of the 16th day of a policy started `startDays` ago (day 15 counted from its
 * start): past the 15-day waiting period, inside the "soon after inception" window, whatever the
 * hour the test runs (a loss "2 hours ago" falls on the previous Vietnamese day just after midnight).
 */
export function dayFifteenOf(startDays: number): string {
  const start = Date.parse(`${businessDate(new Date(Date.now() - startDays * DAY))}T00:00:00+07:00`);
  return new Date(start + 15 * DAY + 5 * 3600_000).toISOString();
}

/**
 * The red flags a referral needs beside the claim under test: two earlier claims of an.nguyen's
 * around the same time (repeat and cluster), and another customer (binh.tran) with the same
 * contact, account and plate (shared attributes), waited for until it is scored.
 */
export async function seedRedFlags(
  policies: ReturnType<typeof suitePolicies>,
  people: { an: Api; binh: Api; hai: Api },
) {
  for (const h of [30, 40])
    await fileClaim(people.an, { policyNumber: await policies.running(200, 200), lossAt: hoursAgo(h) });
  const other = await policies.put({ customerId: 'CUS-0002', holderName: 'Trần Thị Bình' });
  const { claimId } = await fileClaim(people.binh, { policyNumber: other, lossAt: hoursAgo(50) });
  await until(people.hai, claimId, (x) => x.fraud !== undefined, 15_000);
}
