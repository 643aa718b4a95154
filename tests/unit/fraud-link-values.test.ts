import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { linkValues } from '../../lambdas/app/fraud.ts';
import type { Claim } from '../../lambdas/core/claim.ts';

/** The parts of a claim its shared-attribute values read. */
const claimWith = (email: string) =>
  ({
    report: {
      payoutAccount: {},
      contact: { phone: '0912345678', email },
      facts: { kind: 'health' },
    },
  }) as unknown as Claim;
const emailKey = (email: string) => linkValues(claimWith(email), []).find((l) => l.kind === 'EMAIL')?.value;

describe('shared-attribute links read the mailbox, not the spelling of the e-mail', () => {
  it('links a sub-address, Gmail dots and capitals to the same mailbox', () => {
    const ring = emailKey('ring@gmail.com');
    expect(ring).toBeDefined();
    for (const e of [
      'ring+2@gmail.com',
      'r.ing@gmail.com',
      ' R.I.N.G+claims@GoogleMail.com ',
      'RING@gmail.com',
    ])
      expect(emailKey(e), e).toBe(ring);
  });

  it('keeps different mailboxes apart, and dots count outside Gmail', () => {
    expect(emailKey('ring2@gmail.com')).not.toBe(emailKey('ring@gmail.com'));
    expect(emailKey('r.ing@example.vn')).not.toBe(emailKey('ring@example.vn'));
    expect(emailKey('ring+x@example.vn')).toBe(emailKey('ring@example.vn'));
  });
});

describe('shared-attribute links read the number, not how it is written', () => {
  const phoneKey = (phone: string) =>
    linkValues(
      {
        report: { payoutAccount: {}, contact: { phone, email: 'a@example.vn' }, facts: { kind: 'health' } },
      } as unknown as Claim,
      [],
    ).find((l) => l.kind === 'PHONE')?.value;

  it('links +84 and 0 to one number, and keeps the key links stored before had', () => {
    expect(phoneKey('+84912345678')).toBe(phoneKey('0912345678'));
    expect(phoneKey('0912345678')).toBe(createHash('sha256').update('phone:0912345678').digest('hex'));
    expect(phoneKey('0912345679')).not.toBe(phoneKey('0912345678'));
  });
});
