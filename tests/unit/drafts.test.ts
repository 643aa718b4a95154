import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { initialFormState } from '../../web/shared/claim-form.ts';
import {
  currentDraft,
  DRAFT_MAX_AGE_MS,
  type Draft,
  deleteDraft,
  fileDraft,
  forgetDrafts,
  listDrafts,
  resumeDraft,
  saveCurrent,
} from '../../web/customer/src/drafts.ts';

/** localStorage as a browser has it, for the pure functions of web/customer/src/drafts.ts. */
class MemoryStorage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  key(i: number) {
    return [...this.items.keys()][i] ?? null;
  }
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.items.set(k, String(v));
  }
  removeItem(k: string) {
    this.items.delete(k);
  }
  clear() {
    this.items.clear();
  }
  dump() {
    return Object.fromEntries(this.items);
  }
}

const ACCOUNT = '0011004455667';
const NOW = Date.parse('2026-12-05T03:00:00Z');
const DAY = 86_400_000;
let storage: MemoryStorage;

beforeEach(() => {
  storage = new MemoryStorage();
  vi.stubGlobal('localStorage', storage);
  // Saving reads the list too (and drops what is old by then): the clock is the test's.
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** A form as typed: with the account number, a diagnosis, the other party's phone. */
function draft(draftId: string, savedAt: number): Draft {
  const form = initialFormState(null);
  return {
    draftId,
    savedAt: new Date(savedAt).toISOString(),
    form: {
      ...form,
      bankName: 'Vietcombank',
      accountNumber: ACCOUNT,
      accountHolder: 'NGUYEN VAN AN',
      health: { ...form.health, diagnosis: 'Viêm ruột thừa cấp' },
    },
  };
}

describe('claim drafts on the device', () => {
  it('never keep the payout account number, in the form being typed or in a filed draft', () => {
    saveCurrent('u1', draft('d1', NOW));
    fileDraft('u1', draft('d2', NOW));
    saveCurrent('u1', draft('d2', NOW)); // a filed draft typed on again
    expect(JSON.stringify(storage.dump())).not.toContain(ACCOUNT);
    expect(listDrafts('u1', NOW)[0]?.form.bankName).toBe('Vietcombank');
    expect(currentDraft('u1', NOW)?.form.accountNumber).toBe('');
  });

  it('take the account number out of drafts saved before, as soon as they are read', () => {
    storage.setItem('vnclaims.customer.draft.current.u1', JSON.stringify(draft('d1', NOW)));
    storage.setItem('vnclaims.customer.drafts.u1', JSON.stringify([draft('d2', NOW)]));
    expect(currentDraft('u1', NOW)?.form.accountNumber).toBe('');
    expect(listDrafts('u1', NOW)[0]?.form.accountNumber).toBe('');
    expect(JSON.stringify(storage.dump())).not.toContain(ACCOUNT);
  });

  it('are dropped when read more than 7 days after they were last saved', () => {
    fileDraft('u1', draft('old', NOW - 8 * DAY));
    fileDraft('u1', draft('new', NOW - 6 * DAY));
    saveCurrent('u1', draft('cur', NOW - DRAFT_MAX_AGE_MS - 1));
    expect(listDrafts('u1', NOW).map((d) => d.draftId)).toEqual(['new']);
    expect(currentDraft('u1', NOW)).toBeUndefined();
    expect(storage.getItem('vnclaims.customer.draft.current.u1')).toBeNull();
    const stored = JSON.parse(storage.getItem('vnclaims.customer.drafts.u1') ?? '[]') as Draft[];
    expect(stored.map((d) => d.draftId)).toEqual(['new']);
    // And a resumed one is the one still fresh.
    expect(resumeDraft('u1', 'old')).toBe(false);
    listDrafts('u1', NOW + 2 * DAY);
    expect(storage.getItem('vnclaims.customer.drafts.u1')).toBeNull();
  });

  it('are all gone after sign-out, whoever typed them; other settings stay', () => {
    saveCurrent('u1', draft('d1', NOW));
    fileDraft('u2', draft('d2', NOW));
    storage.setItem('vnclaims.locale', 'en');
    forgetDrafts();
    expect(storage.dump()).toEqual({ 'vnclaims.locale': 'en' });
  });

  it('a submitted claim deletes its draft', () => {
    saveCurrent('u1', draft('d1', NOW));
    deleteDraft('u1', 'd1');
    expect(currentDraft('u1')).toBeUndefined();
  });
});
