import { describe, expect, it } from 'vitest';
import {
  candidateKinds,
  normaliseDirectoryValue,
  policyDirectoryEntries,
  profileDirectoryEntries,
  recordsMatch,
} from '../../lambdas/core/customer-directory.ts';
import { CustomerLookupQuery } from '../../lambdas/core/search.ts';
import { makePolicy } from '../helpers/factories.ts';

describe('call-centre directory', () => {
  const policy = makePolicy({
    policyNumber: 'MOT-2026-0042',
    holderName: 'Trần Thị Bình',
    insuredObject: { vehiclePlate: '51K-678.90' },
    contacts: [{ name: 'Bình', phone: '+84987654321', email: 'Binh.Tran@Example.vn' }],
  });

  it('indexes a policy by its number, holder name, plate and registered contacts, normalised', () => {
    expect(policyDirectoryEntries(policy)).toEqual([
      { kind: 'policy', value: 'MOT20260042' },
      { kind: 'name', value: 'TRAN THI BINH' },
      { kind: 'plate', value: '51K67890' },
      { kind: 'phone', value: '0987654321' },
      { kind: 'email', value: 'binh.tran@example.vn' },
    ]);
  });

  it('indexes a profile by name, e-mail and phone, each once', () => {
    expect(
      profileDirectoryEntries({ displayName: 'Lê Minh Chi', email: 'chi@example.vn', phone: '0901 234 567' }),
    ).toEqual([
      { kind: 'name', value: 'LE MINH CHI' },
      { kind: 'email', value: 'chi@example.vn' },
      { kind: 'phone', value: '0901234567' },
    ]);
  });

  it.each([
    ['0987 654 321', ['phone']],
    ['+84 987.654.321', ['phone']],
    ['binh.tran@example.vn', ['email']],
    ['tran thi binh', ['name']],
    ['Đỗ Hải', ['name']],
    ['MOTORPOLICY', ['name', 'policy']],
    ['51K-678.90', ['policy', 'plate']],
    ['MOT-2026-0042', ['policy', 'plate']],
  ])('reads %s as %j', (q, kinds) => {
    expect(candidateKinds(q)).toEqual(kinds);
  });

  it('finds the same caller however the value is written', () => {
    expect(normaliseDirectoryValue('phone', '+84 987 654 321')).toBe('0987654321');
    expect(normaliseDirectoryValue('name', 'TRẦN thị  bình')).toBe('TRAN THI BINH');
    expect(normaliseDirectoryValue('plate', '51k 678 90')).toBe('51K67890');
  });

  it('only trusts an entry the current records still carry', () => {
    expect(recordsMatch('phone', '0987654321', { policies: [policy] })).toBe(true);
    const moved = { ...policy, contacts: [{ phone: '0911111111' }] };
    expect(recordsMatch('phone', '0987654321', { policies: [moved] })).toBe(false);
    expect(
      recordsMatch('phone', '0987654321', {
        policies: [moved],
        profile: { displayName: 'Bình', email: 'b@example.vn', phone: '0987654321' },
      }),
    ).toBe(true);
  });

  it('bounds the search term', () => {
    expect(CustomerLookupQuery.safeParse({ q: 'ab' }).success).toBe(false);
    expect(CustomerLookupQuery.safeParse({ q: 'x'.repeat(81) }).success).toBe(false);
    expect(CustomerLookupQuery.safeParse({ q: '0987654321', extra: '1' }).success).toBe(false);
  });
});
