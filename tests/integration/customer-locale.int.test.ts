import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hoursAgo } from '../helpers/claims.ts';
import { makeClaimRequest } from '../helpers/factories.ts';
import { apiAs, eventually, useStack } from '../helpers/stack.ts';

/**
 * The customer's language comes from their record: a claim filed for Lê Minh Chi (profile `en`) by
 * a call-centre agent working in Vietnamese is written to her in English, and her own app, signed
 * in, is told her language by /me.
 */
const stack = useStack();

interface Email {
  subject: string;
  destination: { to: string[] };
  body?: { text?: string };
}
const emails = async (): Promise<Email[]> =>
  ((await (await fetch(`${stack.mailUrl}/store`)).json()) as { emails: Email[] }).emails;

describe("the customer's language", () => {
  it('/me tells the app the language of the record', async () => {
    const chi = await apiAs(stack.apiUrl, 'chi.le');
    expect((await chi.get('/me')).body.locale).toBe('en');
  });

  it('a claim filed by phone for an English-speaking customer is acknowledged in English', async () => {
    const dung = await apiAs(stack.apiUrl, 'dung.pham');
    const r = await dung.post(
      '/staff/claims',
      {
        customerId: 'CUS-0003',
        report: makeClaimRequest({
          policyNumber: 'HLT-2026-0007',
          lossAt: hoursAgo(30),
          cause: 'illness',
          lossPlace: { address: '125 Nguyễn Chí Thanh, Láng Hạ', province: 'Hà Nội' },
          description: 'Sốt xuất huyết, nhập viện điều trị nội trú 4 ngày.',
          facts: {
            kind: 'health',
            patientName: 'Lê Minh Chi',
            hospital: 'Bệnh viện Bạch Mai',
            diagnosis: 'Sốt xuất huyết Dengue',
          },
          estimatedAmount: { amount: 12_400_000, currency: 'VND' },
          contact: { phone: '0901234567', email: 'chi.le@example.com' },
          payoutAccount: { bankName: 'ACB', accountNumber: '1234567890', accountHolder: 'LE MINH CHI' },
          locale: 'vi', // the agent's screen is in Vietnamese
        }),
      },
      { 'idempotency-key': randomUUID() },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const { claimId, claimNumber } = r.body as { claimId: string; claimNumber: string };
    const hai = await apiAs(stack.apiUrl, 'hai.do');
    expect((await hai.get(`/claims/${claimId}`)).body.locale).toBe('en');
    const ack = await eventually(async () =>
      (await emails()).find(
        (m) => m.subject.includes(claimNumber) && m.destination.to.includes('chi.le@example.com'),
      ),
    );
    // The English acknowledgement, not the Vietnamese one.
    expect(ack?.subject).toMatch(/claim/i);
    expect(ack?.subject).not.toMatch(/hồ sơ|bồi thường/i);
  });
});
