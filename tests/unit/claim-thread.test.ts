import { describe, expect, it } from 'vitest';
import { threadPage } from '../../lambdas/core/claim-thread.ts';
import { type NewEvent, SYSTEM, sealEvents } from '../../lambdas/core/events.ts';

const staff = { kind: 'staff' as const, role: 'adjuster', id: 'u-1' };
const customer = { kind: 'customer' as const, id: 'u-2' };
const chain = (between: NewEvent[]) =>
  sealEvents(
    'c-1',
    0,
    '0'.repeat(64),
    [
      { type: 'ClaimSubmitted', actor: customer },
      { type: 'MessagePosted', actor: customer, data: { text: 'Xe tôi sửa ở đâu?' } },
      ...between,
      { type: 'MessagePosted', actor: staff, data: { text: 'Gara Toyota Láng Hạ.' } },
    ],
    new Date('2026-12-01T03:00:00.000Z'),
  );

describe("a customer's message thread", () => {
  it('numbers messages among themselves: no gap where a note or an SIU referral was', () => {
    const hidden = chain([
      { type: 'NoteAdded', actor: staff, data: { text: 'nghi vấn' } },
      { type: 'ClaimReferredToSiu', actor: SYSTEM, data: { reasons: ['RED_FLAGS'] } },
    ]);
    const page = threadPage(hidden, 'customer', 10);
    expect(page.items.map((m) => m.seq)).toEqual([2, 1]);
    expect(page).toEqual(threadPage(chain([]), 'customer', 10));
    // Staff see the chain's numbers.
    expect(threadPage(hidden, 'staff', 10).items.map((m) => m.seq)).toEqual([5, 2]);
  });

  it('pages by the same numbers', () => {
    const events = chain([{ type: 'NoteAdded', actor: staff }]);
    const first = threadPage(events, 'customer', 1);
    expect(first.items.map((m) => m.text)).toEqual(['Gara Toyota Láng Hạ.']);
    expect(first.next).toBe(2);
    const second = threadPage(events, 'customer', 1, first.next);
    expect(second.items.map((m) => m.text)).toEqual(['Xe tôi sửa ở đâu?']);
    expect(second.next).toBeUndefined();
  });
});
