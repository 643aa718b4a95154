import { randomBytes, randomInt } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { putPolicy } from '../../lambdas/adapters/dynamo/policies-repo.ts';
import { createAccount } from '../helpers/accounts.ts';
import { makePolicy } from '../helpers/factories.ts';
import { apiAs, useStack } from '../helpers/stack.ts';

/**
 * Phone intake finds the caller by what they can say: phone, policy number, plate, e-mail or full
 * name, written any way, from the policy system's records and the customer's own profile, and never
 * through a value their current records no longer carry.
 */
const stack = useStack();
const run = randomBytes(3).toString('hex').toUpperCase();
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
const customerId = `CUS-L${run}`;
const policyNumber = `LOOK-${run}`;
const plate = `43A-${digits(3)}.${digits(2)}`;
const policyPhone = `09${digits(8)}`;
const profilePhone = `08${digits(8)}`;
/** Names have no digits: the run's tag spelled in letters. */
const tag = run.replace(/\d/g, (d) => 'GHIJKLMNOP'[Number(d)] ?? 'Q');
const name = `Hoàng Thị Lựu ${tag}`;

type Caller = {
  customerId: string;
  name: string;
  matchedBy: string;
  contact: { phone?: string; email?: string };
  policies: { policyNumber: string }[];
};

beforeAll(async () => {
  await putPolicy(
    makePolicy({
      policyNumber,
      customerId,
      holderName: name,
      insuredObject: { vehiclePlate: plate },
      contacts: [{ phone: policyPhone, email: `luu.${run.toLowerCase()}@policy.example.vn` }],
    }),
  );
  await createAccount({
    userId: `u-look-${run.toLowerCase()}`,
    username: `look.${run.toLowerCase()}`,
    displayName: name,
    email: `luu.${run.toLowerCase()}@example.vn`,
    phone: profilePhone,
    locale: 'vi',
    roles: ['customer'],
    customerId,
  });
});

describe('GET /customers (phone intake lookup)', () => {
  const find = async (q: string) => {
    const api = await apiAs(stack.apiUrl, 'dung.pham');
    const r = await api.get(`/customers?q=${encodeURIComponent(q)}`);
    expect(r.status).toBe(200);
    return r.body.items as Caller[];
  };

  it.each([
    [
      'the policy contact phone, international form',
      () => `+84 ${policyPhone.slice(1, 4)} ${policyPhone.slice(4)}`,
      'phone',
    ],
    ['the profile phone', () => profilePhone, 'phone'],
    [
      'the policy number, lower case without dashes',
      () => policyNumber.toLowerCase().replace('-', ''),
      'policy',
    ],
    ['the plate without punctuation', () => plate.replace(/[-.]/g, ' '), 'plate'],
    ['the full name without diacritics', () => `hoang thi luu ${tag.toLowerCase()}`, 'name'],
    ['the profile e-mail', () => `LUU.${run}@example.vn`, 'email'],
    ['the customer id', () => customerId, 'customerId'],
  ])('finds the caller by %s', async (_, q, kind) => {
    const items = await find(q());
    expect(items.map((i) => i.customerId)).toEqual([customerId]);
    expect(items[0]?.matchedBy).toBe(kind);
    expect(items[0]?.name).toBe(name);
    // What the form is filled with: the profile's own contact details and the current policies.
    expect(items[0]?.contact).toEqual({ phone: profilePhone, email: `luu.${run.toLowerCase()}@example.vn` });
    expect(items[0]?.policies.map((p) => p.policyNumber)).toEqual([policyNumber]);
  });

  it('never finds a caller through a phone their current policy no longer carries', async () => {
    const newPhone = `07${digits(8)}`;
    await putPolicy(
      makePolicy({
        policyNumber,
        version: 2,
        changeType: 'endorsement',
        customerId,
        holderName: name,
        insuredObject: { vehiclePlate: plate },
        contacts: [{ phone: newPhone }],
      }),
    );
    expect(await find(policyPhone)).toEqual([]);
    expect((await find(newPhone)).map((i) => i.customerId)).toEqual([customerId]);
  });

  it('answers nothing for an unknown value, 400 for a bad term, 403 for a customer', async () => {
    expect(await find(`09${digits(8)}`)).toEqual([]);
    const staff = await apiAs(stack.apiUrl, 'dung.pham');
    expect((await staff.get('/customers?q=ab')).status).toBe(400);
    expect((await staff.get(`/customers?q=${'x'.repeat(81)}`)).status).toBe(400);
    const customer = await apiAs(stack.apiUrl, 'an.nguyen');
    expect((await customer.get(`/customers?q=${profilePhone}`)).status).toBe(403);
  });
});
