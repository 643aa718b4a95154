import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_APPEAL_WINDOW } from '../../lambdas/core/appeal.ts';
import {
  assignTo,
  fileParked,
  hoursAgo,
  rejectClaim,
  until,
  uploadMissingDocuments,
} from '../helpers/claims.ts';
import { ownAttributes } from '../helpers/factories.ts';
import { type Api, eventually, sentEmails, signIn } from '../helpers/stack.ts';

/**
 * The rejection letter names the last day to appeal (issue 10): the day the appeal route itself
 * would refuse after, written the Vietnamese way ("ngày 15/01/2027").
 */
/** This file's own contact, plate and payout account (see ownAttributes). */
const attributes = (n: number) => ownAttributes(303, 'tu.choi', n);

/** `dd/mm/yyyy` of the Vietnamese calendar day `days` after the instant `iso`. */
function vietnamDayAfter(iso: string, days: number): string {
  const local = new Date(Date.parse(iso) + 7 * 3_600_000);
  local.setUTCDate(local.getUTCDate() + days);
  const dd = String(local.getUTCDate()).padStart(2, '0');
  const mm = String(local.getUTCMonth() + 1).padStart(2, '0');
  return `${dd}/${mm}/${local.getUTCFullYear()}`;
}

let an: Api;
let hai: Api;
let dung: Api;
beforeAll(async () => {
  [an, hai, dung] = await signIn('an.nguyen', 'hai.do', 'dung.pham');
});

describe('the rejection letter', () => {
  it('states the last day to appeal, the day the appeal window of the configuration ends', async () => {
    const { claimId, claimNumber } = await fileParked(an, hai, {
      ...attributes(1),
      cause: 'collision',
      lossAt: hoursAgo(1_630),
      estimatedAmount: { amount: 36_400_000, currency: 'VND' },
    });
    await uploadMissingDocuments(an, claimId, 47);
    const assigned = await assignTo(hai, claimId, 'dung.pham');
    expect(assigned.status).toBe(200);
    const r = await rejectClaim(dung, claimId);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const rejected = await until(an, claimId, (x) => x.status === 'REJECTED');

    // The demo products keep the default window: 30 calendar days from the rejection.
    expect(DEFAULT_APPEAL_WINDOW).toMatchObject({ amount: 30, unit: 'calendar_days' });
    const lastDay = vietnamDayAfter(rejected.decision.decidedAt, 30);
    // The claim page offers the same day the letter names.
    expect(vietnamDayAfter(rejected.appealableUntil, 0)).toBe(lastDay);

    const letter = await eventually(async () =>
      (await sentEmails()).find(
        (m) =>
          // The customer's address: the one on the claim, or their registered one.
          m.destination.to.some((to) => to === 'tu.choi.1@example.vn' || to === 'an.nguyen@example.vn') &&
          m.subject.includes(claimNumber) &&
          /từ chối/i.test(m.subject),
      ),
    );
    expect(letter.body?.text).toContain(`Hạn gửi khiếu nại: đến hết ngày ${lastDay}.`);
    // Addressed by name, as every other letter is (it once began "Kính gửi Quý khách").
    expect(letter.body?.text).toContain('\n\nKính gửi anh/chị Nguyễn Văn An,\n\n');
    expect(letter.body?.html?.replaceAll('&#x2F;', '/')).toContain('<p>Kính gửi anh/chị Nguyễn Văn An,</p>');
    // The HTML part escapes the slashes as mustache does (&#x2F;).
    expect(letter.body?.html?.replaceAll('&#x2F;', '/')).toContain(`đến hết ngày ${lastDay}`);
  });
});
