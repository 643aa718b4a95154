import type { ClaimFormState } from '../../shared/claim-form.ts';

/**
 * Claim drafts on the device (issue 10: "a reload never loses what was typed"; issue 11: "a draft
 * claim survives going offline"). localStorage, keyed per signed-in user, so a shared phone does not
 * show one person's draft to another, and it works with no network at all. The form being typed is
 * the `current` draft, saved on every change; "save as draft" files it in the list to come back to;
 * submitting the claim deletes it. Nothing here is sent anywhere: the payout account typed into a
 * draft stays on the device, as it would in the form itself.
 */
export interface Draft {
  draftId: string;
  savedAt: string;
  form: ClaimFormState;
}

/** Enough for anyone; a full device storage is not a reason to lose the current draft. */
export const MAX_DRAFTS = 10;

const listKey = (userId: string) => `vnclaims.customer.drafts.${userId}`;
const currentKey = (userId: string) => `vnclaims.customer.draft.current.${userId}`;

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

export const newDraftId = () => `d${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

export function listDrafts(userId: string): Draft[] {
  const all = read<Draft[]>(listKey(userId));
  return Array.isArray(all) ? all.filter((d) => d && typeof d.draftId === 'string' && d.form) : [];
}

export function currentDraft(userId: string): Draft | undefined {
  const d = read<Draft>(currentKey(userId));
  return d?.form ? d : undefined;
}

/** Called on every change of the form: the draft being typed. */
export function saveCurrent(userId: string, draft: Draft) {
  write(currentKey(userId), draft);
  // A draft already in the list stays in step with what is typed.
  const list = listDrafts(userId);
  if (list.some((d) => d.draftId === draft.draftId))
    write(
      listKey(userId),
      list.map((d) => (d.draftId === draft.draftId ? draft : d)),
    );
}

/** "Save as draft": files it in the list (newest first) and starts a fresh form. */
export function fileDraft(userId: string, draft: Draft) {
  const others = listDrafts(userId).filter((d) => d.draftId !== draft.draftId);
  write(listKey(userId), [draft, ...others].slice(0, MAX_DRAFTS));
  localStorage.removeItem(currentKey(userId));
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
  if (currentDraft(userId)?.draftId === draftId) localStorage.removeItem(currentKey(userId));
}
