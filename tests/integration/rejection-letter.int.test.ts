import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../local/demo-data.ts';
import { DEFAULT_APPEAL_WINDOW } from '../../lambdas/core/appeal.ts';
import { fileClaim, getClaim, hoursAgo, parked, until, uploadMissingDocuments } from '../helpers/claims.ts';
import { type Api, apiAs, eventually, useStack } from '../helpers/stack.ts';

/**
 * The rejection letter names the last day to appeal (issue 10): the day the appeal route itself
 * would refuse after, written the Vietnamese way ("ngày 15/01/2027").
 */
const stack = useStack();
const userIdOf = (username: string) => DEMO_USERS.find((u) => u.username === username)!.userId;

/**
 * A contact, plate and payout account of this file's own: its claims stay out of the fraud-link
 * partitions the other suites' claims share (the link read takes 20 claims per attribute, so a
 * crowd of an.nguyen's claims there would hide the other customer fraud-referral looks for).
 */
const ownAttributes = (n: number) => ({
  contact: { phone: `09770303${String(n).padStart(2, '0')}`, email: `tu.choi.${n}@example.vn` },
  facts: {
    kind: 'motor' as const,
    vehiclePlate: `29B-303.${String(n).padStart(2, '0')}`,
    policeAttended: false,
  },
  payoutAccount: {
    bankName: 'Vietcombank',
    accountNumber: `00113030${String(n).padStart(4, '0')}`,
    accountHolder: 'NGUYEN VAN AN',
  },
});

interface Email {
  subject: string;
  destination: { to: string[] };
  body?: { text?: string; html?: string };
}
const emails = async (): Promise<Email[]> =>
  ((await (await fetch(`${stack.mailUrl}/store`)).json()) as { emails: Email[] }).emails;

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
  [an, hai, dung] = await Promise.all([
    apiAs(stack.apiUrl, 'an.nguyen'),
    apiAs(stack.apiUrl, 'hai.do'),
    apiAs(stack.apiUrl, 'dung.pham'),
  ]);
});

describe('the rejection letter', () => {
  it('states the last day to appeal, the day the appeal window of the configuration ends', async () => {
    const { claimId, claimNumber } = await fileClaim(an, {
      ...ownAttributes(1),
      cause: 'collision',
      lossAt: hoursAgo(1_630),
      estimatedAmount: { amount: 36_400_000, currency: 'VND' },
    });
    await until(hai, claimId, parked());
    await uploadMissingDocuments(an, claimId, 47);
    let c = await getClaim(hai, claimId);
    const assigned = await hai.post(`/claims/${claimId}/assignment`, {
      expectedVersion: c.version,
      staffId: userIdOf('dung.pham'),
      reason: 'Đúng địa bàn',
    });
    expect(assigned.status).toBe(200);
    c = await until(dung, claimId, parked());
    const r = await dung.post(`/claims/${claimId}/decision`, {
      outcome: 'reject',
      expectedVersion: c.version,
      reasons: [
        { clause: 'Điều 12.3 Quy tắc bảo hiểm xe cơ giới', text: 'Lái xe không có giấy phép hợp lệ.' },
      ],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const rejected = await until(an, claimId, (x) => x.status === 'REJECTED');

    // The demo products keep the default window: 30 calendar days from the rejection.
    expect(DEFAULT_APPEAL_WINDOW).toMatchObject({ amount: 30, unit: 'calendar_days' });
    const lastDay = vietnamDayAfter(rejected.decision.decidedAt, 30);
    // The claim page offers the same day the letter names.
    expect(vietnamDayAfter(rejected.appealableUntil, 0)).toBe(lastDay);

    const letter = await eventually(async () =>
      (await emails()).find(
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
