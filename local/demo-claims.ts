import { randomUUID } from 'node:crypto';
import { PRIVACY_NOTICE_VERSION } from '../lambdas/core/privacy-notice.ts';
import type { SubmitClaimInput } from '../lambdas/core/requests.ts';
import { DEMO_USERS } from './demo-data.ts';

/**
 * A few claims filed on the first `npm start`, through the API as the demo customers would file
 * them (web channel, their own policies, contacts and accounts), so the staff console opens on a
 * queue with work in it: each runs the real intake workflow — checks, score, classification,
 * assignment, deadlines and the acknowledgement e-mail in the local mailbox. Never in the tests.
 */
interface DemoClaim {
  username: string;
  /** What the console line says the claim is. */
  label: string;
  report: (now: number) => SubmitClaimInput;
}

const HOUR = 3_600_000;
const demoUser = (username: string) => {
  const u = DEMO_USERS.find((x) => x.username === username);
  if (!u?.email || !u.phone) throw new Error(`demo user ${username} has no contact`);
  return { email: u.email, phone: u.phone };
};

export const DEMO_CLAIMS: readonly DemoClaim[] = [
  {
    username: 'an.nguyen',
    label: 'motor collision, Hà Nội',
    report: (now) => ({
      policyNumber: 'MOT-2026-0001',
      lossAt: new Date(now - 20 * HOUR).toISOString(),
      lossPlace: { address: '123 Láng Hạ, Đống Đa', province: 'Hà Nội' },
      cause: 'collision',
      description: 'Va chạm với xe máy ở ngã tư Láng Hạ – Thái Hà, vỡ đèn pha trái và móp cản trước.',
      facts: { kind: 'motor', vehiclePlate: '30A-123.45', policeAttended: false, fault: 'third_party' },
      estimatedAmount: { amount: 8_500_000, currency: 'VND' },
      contact: demoUser('an.nguyen'),
      payoutAccount: {
        bankName: 'Vietcombank',
        accountNumber: '0011004455667',
        accountHolder: 'NGUYEN VAN AN',
      },
      locale: 'vi',
    }),
  },
  {
    username: 'binh.tran',
    label: 'property flood, TP. Hồ Chí Minh',
    report: (now) => ({
      policyNumber: 'PRO-2026-0001',
      lossAt: new Date(now - 44 * HOUR).toISOString(),
      lossPlace: { address: '12 Nguyễn Huệ, Quận 1', province: 'TP. Hồ Chí Minh' },
      cause: 'flood',
      description: 'Mưa lớn làm nước tràn vào tầng trệt, ngập khoảng 40 cm, hư hỏng tủ lạnh và sàn gỗ.',
      facts: {
        kind: 'property',
        policeAttended: false,
        items: [
          { description: 'Tủ lạnh hai cánh', estimatedAmount: 18_000_000, purchasedYear: 2022 },
          { description: 'Sàn gỗ tầng trệt (30 m²)', estimatedAmount: 27_000_000 },
        ],
      },
      estimatedAmount: { amount: 45_000_000, currency: 'VND' },
      contact: demoUser('binh.tran'),
      payoutAccount: {
        bankName: 'Techcombank',
        accountNumber: '19034567890123',
        accountHolder: 'TRAN THI BINH',
      },
      locale: 'vi',
    }),
  },
  {
    username: 'chi.le',
    label: 'health, inpatient',
    report: (now) => ({
      policyNumber: 'HLT-2026-0007',
      lossAt: new Date(now - 70 * HOUR).toISOString(),
      lossPlace: { address: 'Bệnh viện Chợ Rẫy, 201B Nguyễn Chí Thanh, Quận 5', province: 'TP. Hồ Chí Minh' },
      cause: 'illness',
      description:
        'Nhập viện điều trị viêm phổi ba ngày, đã xuất viện; xin bồi thường chi phí điều trị nội trú.',
      facts: {
        kind: 'health',
        patientName: 'Lê Minh Chi',
        hospital: 'Bệnh viện Chợ Rẫy',
        diagnosis: 'Viêm phổi',
      },
      estimatedAmount: { amount: 12_400_000, currency: 'VND' },
      contact: demoUser('chi.le'),
      payoutAccount: { bankName: 'BIDV', accountNumber: '21510000123456', accountHolder: 'LE MINH CHI' },
      locale: 'vi',
    }),
  },
];

async function tokenFor(apiUrl: string, username: string): Promise<string> {
  const r = await fetch(`${apiUrl}/local/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username }),
  });
  if (!r.ok) throw new Error(`token for ${username}: ${r.status}`);
  return ((await r.json()) as { token: string }).token;
}

/**
 * Files the demo claims through the API; returns one line per claim for the start banner. A claim
 * the API refuses is reported by its error code and the others are still filed: the system runs
 * without them.
 */
export async function fileDemoClaims(apiUrl: string, now = Date.now()): Promise<string[]> {
  const lines: string[] = [];
  for (const demo of DEMO_CLAIMS) {
    try {
      const r = await fetch(`${apiUrl}/claims`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await tokenFor(apiUrl, demo.username)}`,
          'idempotency-key': randomUUID(),
        },
        // As the app sends it: the customer was shown the privacy notice on the new-claim page.
        body: JSON.stringify({ ...demo.report(now), privacyNotice: PRIVACY_NOTICE_VERSION }),
      });
      const body = (await r.json()) as { claimNumber?: string; error?: { code: string } };
      lines.push(
        r.status === 201
          ? `${body.claimNumber} (${demo.username}, ${demo.label})`
          : `not filed: ${demo.username}, ${demo.label}: ${body.error?.code ?? r.status}`,
      );
    } catch (e) {
      lines.push(`not filed: ${demo.username}, ${demo.label}: ${(e as Error).message}`);
    }
  }
  return lines;
}
