import { describe, expect, it } from 'vitest';
import { SubmitClaimRequest } from '../../lambdas/core/claim.ts';
import { zodFieldIssues } from '../../lambdas/http/body.ts';
import { makeClaimRequest } from '../helpers/factories.ts';

const issues = (input: unknown) => {
  const r = SubmitClaimRequest.safeParse(input);
  return r.success ? [] : zodFieldIssues(r.error);
};

describe('the FNOL request schema', () => {
  it('accepts a complete motor report', () => expect(issues(makeClaimRequest())).toEqual([]));

  it('names missing fields as required', () => {
    const { contact: _c, ...rest } = makeClaimRequest();
    expect(issues(rest)).toEqual([expect.objectContaining({ path: 'contact', code: 'required' })]);
  });

  it('rejects unknown fields by name', () => {
    expect(issues({ ...makeClaimRequest(), isAdmin: true })).toEqual([
      expect.objectContaining({ path: 'isAdmin', code: 'unrecognized_keys' }),
    ]);
  });

  it('gives format codes the screens translate', () => {
    const bad = makeClaimRequest({
      contact: { phone: '12345', email: 'an@example.vn' },
      facts: { kind: 'motor', vehiclePlate: 'XYZ', policeAttended: false },
      payoutAccount: { bankName: 'VCB', accountNumber: '12ab', accountHolder: 'AN' },
    });
    expect(issues(bad).map((i) => [i.path, i.code])).toEqual([
      ['facts.vehiclePlate', 'plate'],
      ['contact.phone', 'phone'],
      ['payoutAccount.accountNumber', 'account_number'],
    ]);
  });

  it('refuses fractional money and negative amounts', () => {
    expect(issues(makeClaimRequest({ estimatedAmount: { amount: 1000.5, currency: 'VND' } }))[0]?.code).toBe(
      'not_integer',
    );
    expect(issues(makeClaimRequest({ estimatedAmount: { amount: -1, currency: 'VND' } }))[0]?.code).toBe(
      'too_small',
    );
  });

  it('requires an offset on the loss time, so it is never ambiguous', () => {
    expect(issues(makeClaimRequest({ lossAt: '2026-11-20T08:30:00' }))[0]?.path).toBe('lossAt');
  });
});
