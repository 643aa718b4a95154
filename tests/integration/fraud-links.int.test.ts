import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { getClaim } from '../../lambdas/adapters/dynamo/claims-repo.ts';
import { putPolicy } from '../../lambdas/adapters/dynamo/policies-repo.ts';
import { Policy } from '../../lambdas/core/policy.ts';
import { createAccount } from '../helpers/accounts.ts';
import { fileClaim, hoursAgo } from '../helpers/claims.ts';
import { makeClaimRequest, makePolicy } from '../helpers/factories.ts';
import { type Api, apiAs, eventually, useStack } from '../helpers/stack.ts';

/**
 * Fraud links (issue 12: one item per shared attribute value, all of a claim's values read in one
 * BatchGet): a claim is linked to other customers' claims that share its phone, e-mail, plate, bank
 * account or a document file, never to its own customer's.
 */
const stack = useStack();
let an: Api;
let other: Api;
let otherPolicy: string;

beforeAll(async () => {
  const suffix = randomUUID().slice(0, 8);
  const customerId = `CUS-L${suffix}`;
  const username = `links.${suffix}`;
  await createAccount({
    userId: randomUUID(),
    username,
    displayName: 'Lê Liên Kết',
    email: `${username}@example.vn`,
    phone: '0911000222',
    locale: 'vi',
    roles: ['customer'],
    customerId,
  });
  const policy = Policy.parse(
    makePolicy({
      policyNumber: `MOT-L-${suffix}`,
      customerId,
      effectiveFrom: new Date(Date.now() - 30 * 86_400_000).toISOString(),
      effectiveTo: new Date(Date.now() + 300 * 86_400_000).toISOString(),
    }),
  );
  await putPolicy(policy);
  otherPolicy = policy.policyNumber;
  [an, other] = await Promise.all([apiAs(stack.apiUrl, 'an.nguyen'), apiAs(stack.apiUrl, username)]);
});

const scored = (claimId: string) =>
  eventually(async () => {
    const c = await getClaim(claimId);
    return c?.fraud ? c : undefined;
  }, 20_000);

const phoneLinks = (c: Awaited<ReturnType<typeof scored>>) =>
  (c.fraud?.links.find((l) => l.kind === 'PHONE')?.claims ?? []).map((x) => x.claimId);

describe('fraud links', () => {
  it("links a claim to another customer's claims under a shared phone, not to its own customer's", async () => {
    const phone = `09${String(Date.now()).slice(-8)}`;
    const contact = (email: string) => ({ contact: { phone, email } });
    const base = { email: `links.${randomUUID().slice(0, 6)}@example.vn` };
    const first = await fileClaim(an, { lossAt: hoursAgo(5), ...contact(base.email) });
    const firstScored = await scored(first.claimId);
    expect(phoneLinks(firstScored)).toEqual([]);

    const second = await fileClaim(other, {
      ...makeClaimRequest({ policyNumber: otherPolicy, lossAt: hoursAgo(4) }),
      ...contact(`x.${base.email}`),
    });
    expect(phoneLinks(await scored(second.claimId))).toEqual([first.claimId]);

    // The first customer's next claim under the same phone sees the other customer's, not its own.
    const third = await fileClaim(an, { lossAt: hoursAgo(6), ...contact(`y.${base.email}`) });
    expect(phoneLinks(await scored(third.claimId))).toEqual([second.claimId]);
  });
});
