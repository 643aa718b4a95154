import type { ClaimFormState } from '../../shared/claim-form.ts';

/**
 * Claim drafts on the device (issue 10: "a reload never loses what was typed"; issue 11: "a draft
 * claim survives going offline"). localStorage, keyed per signed-in user, so a shared phone does not
 * show one person's draft to another, and it works with no network at all. The form being typed is
 * the `current` draft, saved on every change; "save as draft" files it in the list to come back to;
 * submitting the claim deletes it. Nothing here is sent anywhere.
 *
 * What stays on a phone is kept short (privacy audit; the privacy notice says so): the payout
 * account number is never written to a draft (it is typed again when the claim is sent), a draft
 * not touched for `DRAFT_MAX_AGE_MS` is dropped when next read, and signing out removes every draft
 * on the device (`forgetDrafts`).
 */
export interface Draft {
  draftId: string;
  savedAt: string;
  form: ClaimFormState;
}

/** Enough for anyone; a full device storage is not a reason to lose the current draft. */
export const MAX_DRAFTS = 10;

/** A draft left alone this long (since it was last saved) is gone: 7 days. */
export const DRAFT_MAX_AGE_MS = 7 * 24 * 3600_000;

const PREFIX = 'vnclaims.customer.draft';
const listKey = (userId: string) => `${PREFIX}s.${userId}`;
const currentKey = (userId: string) => `${PREFIX}.current.${userId}`;

function read<T>(key: string): T | undefined {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return undefined;
  }
}

function write(key: string, value: unknown) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled (private mode): the form still works, only without the safety net.
  }
}

function remove(key: string) {
  try {
    localStorage.removeItem(key);
  } catch {
    // Storage disabled: there is nothing to remove.
  }
}

/** The draft as it may be kept: without the account number (drafts saved before lose it too). */
const keepable = (d: Draft): Draft =>
  d.form.accountNumber === '' ? d : { ...d, form: { ...d.form, accountNumber: '' } };

/** A well-formed draft saved within the last `DRAFT_MAX_AGE_MS`. */
const fresh = (d: Draft | undefined, now: number): d is Draft =>
  Boolean(d && typeof d.draftId === 'string' && d.form) &&
  now - Date.parse((d as Draft).savedAt) <= DRAFT_MAX_AGE_MS;

export const newDraftId = () => `d${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/** The filed drafts, newest first; expired ones (and any account number) are removed on the way. */
export function listDrafts(userId: string, now = Date.now()): Draft[] {
  const all = read<Draft[]>(listKey(userId));
  if (!Array.isArray(all)) return [];
  const kept = all.filter((d) => fresh(d, now)).map(keepable);
  if (kept.length === 0) remove(listKey(userId));
  else if (kept.length !== all.length || kept.some((d, i) => d !== all[i])) write(listKey(userId), kept);
  return kept;
}

export function currentDraft(userId: string, now = Date.now()): Draft | undefined {
  const d = read<Draft>(currentKey(userId));
  if (!fresh(d, now)) {
    if (d !== undefined) remove(currentKey(userId));
    return undefined;
  }
  const kept = keepable(d);
  if (kept !== d) write(currentKey(userId), kept);
  return kept;
}

/** Called on every change of the form: the draft being typed. */
export function saveCurrent(userId: string, draft: Draft) {
  const kept = keepable(draft);
  write(currentKey(userId), kept);
  // A draft already in the list stays in step with what is typed.
  const list = listDrafts(userId);
  if (list.some((d) => d.draftId === kept.draftId))
    write(
      listKey(userId),
      list.map((d) => (d.draftId === kept.draftId ? kept : d)),
    );
}

/** "Save as draft": files it in the list (newest first) and starts a fresh form. */
export function fileDraft(userId: string, draft: Draft) {
  const others = listDrafts(userId).filter((d) => d.draftId !== draft.draftId);
  write(listKey(userId), [keepable(draft), ...others].slice(0, MAX_DRAFTS));
  remove(currentKey(userId));
}

/** Picks a draft from the list up again as the form being typed. */
export function resumeDraft(userId: string, draftId: string): boolean {
  const d = listDrafts(userId).find((x) => x.draftId === draftId);
  if (d) write(currentKey(userId), d);
  return Boolean(d);
}

/** The claim was filed (or the draft thrown away): it is gone from the device. */
export function deleteDraft(userId: string, draftId: string) {
  write(
    listKey(userId),
    listDrafts(userId).filter((d) => d.draftId !== draftId),
  );
  if (currentDraft(userId)?.draftId === draftId) remove(currentKey(userId));
}

/**
 * Sign-out: every claim draft on the device goes, whoever's it is. A draft left by someone whose
 * session simply ran out is no more for the next person on a shared phone to find than one's own.
 */
export function forgetDrafts() {
  try {
    const keys = Array.from({ length: localStorage.length }, (_, i) => localStorage.key(i));
    for (const k of keys) if (k?.startsWith(PREFIX)) localStorage.removeItem(k);
  } catch {
    // Storage disabled: nothing was kept.
  }
}
