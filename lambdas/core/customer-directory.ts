import { normaliseKey, normalisePhone, normalizeName } from './names.ts';
import type { Policy } from './policy.ts';

/**
 * The call centre's directory: staff find the caller by what the caller can tell them — a phone
 * number, a policy number, a vehicle plate, an e-mail address or their full name — in the policy
 * system's records (holder, registered contacts, insured object) and the customers' own profiles.
 *
 * Values are stored and compared in a normalised form (phones in national form; plates and policy
 * numbers upper case without spaces, dots or dashes; names without diacritics or case), so
 * `+84 987 654 321` finds `0987654321` and `tran thi binh` finds `Trần Thị Bình`. A directory entry
 * only points at a customer; what it says is checked against the customer's current records when
 * read, so an entry left behind by an older policy version never finds the wrong person.
 */
export const DIRECTORY_KINDS = ['phone', 'policy', 'plate', 'email', 'name'] as const;
export type DirectoryKind = (typeof DIRECTORY_KINDS)[number];

export interface DirectoryEntry {
  kind: DirectoryKind;
  value: string;
}

/** At most this many callers are offered for one term (a common full name matches several). */
export const MAX_CALLERS = 10;

export function normaliseDirectoryValue(kind: DirectoryKind, raw: string): string {
  switch (kind) {
    case 'phone':
      return normalisePhone(raw);
    case 'email':
      return raw.trim().toLowerCase();
    case 'name':
      return normalizeName(raw);
    default:
      return normaliseKey(raw);
  }
}

const entry = (kind: DirectoryKind, raw: string | undefined): DirectoryEntry[] => {
  if (!raw) return [];
  const value = normaliseDirectoryValue(kind, raw);
  return value.length >= 3 ? [{ kind, value }] : [];
};

/** Deduplicated entries (same kind and value once). */
function unique(entries: DirectoryEntry[]): DirectoryEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => {
    const k = `${e.kind}#${e.value}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** What a policy version lets the call centre find its holder by. */
export function policyDirectoryEntries(p: Policy): DirectoryEntry[] {
  return unique([
    ...entry('policy', p.policyNumber),
    ...entry('name', p.holderName),
    ...entry('plate', p.insuredObject.vehiclePlate),
    ...p.contacts.flatMap((c) => [...entry('phone', c.phone), ...entry('email', c.email)]),
  ]);
}

/** What a customer's own profile (the app's sign-up) lets the call centre find them by. */
export function profileDirectoryEntries(u: {
  displayName: string;
  email: string;
  phone?: string;
}): DirectoryEntry[] {
  return unique([...entry('name', u.displayName), ...entry('email', u.email), ...entry('phone', u.phone)]);
}

/**
 * The kinds a term could be, most specific first: an e-mail has an `@`; a phone is 9–11 digits
 * (with `+84`, spaces or dots); a name has letters and a space and no digit; anything else may be a
 * policy number or a plate (both are tried).
 */
export function candidateKinds(q: string): DirectoryKind[] {
  const t = q.trim();
  if (t.includes('@')) return ['email'];
  if (/^\+?[\d\s.()-]{9,16}$/.test(t) && /^(84|0)\d{8,10}$/.test(t.replace(/\D/g, ''))) return ['phone'];
  if (!/\d/.test(t) && /\s/.test(t.trim())) return ['name'];
  if (!/\d/.test(t)) return ['name', 'policy'];
  return ['policy', 'plate'];
}

/** Whether a customer's current records still say what the term says (entries can be stale). */
export function recordsMatch(
  kind: DirectoryKind,
  value: string,
  records: { policies: Policy[]; profile?: { displayName: string; email: string; phone?: string } },
): boolean {
  const current = [
    ...records.policies.flatMap(policyDirectoryEntries),
    ...(records.profile ? profileDirectoryEntries(records.profile) : []),
  ];
  return current.some((e) => e.kind === kind && e.value === value);
}
