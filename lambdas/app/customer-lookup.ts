import { customersInDirectory } from '../adapters/dynamo/customer-directory-repo.ts';
import { policiesByCustomer } from '../adapters/dynamo/policies-repo.ts';
import { customerProfile, type UserProfile } from '../adapters/dynamo/users-repo.ts';
import {
  candidateKinds,
  type DirectoryKind,
  MAX_CALLERS,
  normaliseDirectoryValue,
  recordsMatch,
} from '../core/customer-directory.ts';
import { type Policy, policySummary } from '../core/policy.ts';

/** A caller the call centre may be speaking to, with what to fill the claim form with. */
export interface CallerMatch {
  customerId: string;
  name: string;
  matchedBy: DirectoryKind | 'customerId';
  /** Where to reach them: the profile's own details first, else the policy's registered contact. */
  contact: { phone?: string; email?: string };
  policies: ReturnType<typeof policySummary>[];
}

type Records = { policies: Policy[]; profile?: UserProfile };

/**
 * Phone intake: who is calling, from what they can say (their customer id, phone, policy number,
 * plate, e-mail or full name). Each candidate is checked against the customer's current profile and
 * policies, so a directory entry left by an older policy version never names the wrong person.
 */
export async function findCallers(q: string): Promise<CallerMatch[]> {
  const term = q.trim();
  const out = new Map<string, CallerMatch>();
  // The policy system's customer id, as the caller may read it from their policy schedule.
  if (!/\s/.test(term)) {
    const direct = await callerRecords(term);
    if (direct.policies.length > 0 || direct.profile) out.set(term, caller(term, 'customerId', direct));
  }
  for (const kind of candidateKinds(term)) {
    const value = normaliseDirectoryValue(kind, term);
    if (value.length < 3) continue;
    for (const customerId of await customersInDirectory(kind, value, MAX_CALLERS)) {
      if (out.has(customerId) || out.size >= MAX_CALLERS) continue;
      const records = await callerRecords(customerId);
      if (recordsMatch(kind, value, records)) out.set(customerId, caller(customerId, kind, records));
    }
  }
  return [...out.values()];
}

async function callerRecords(customerId: string): Promise<Records> {
  const [policies, profile] = await Promise.all([
    policiesByCustomer(customerId),
    customerProfile(customerId),
  ]);
  return { policies, profile };
}

function caller(customerId: string, matchedBy: CallerMatch['matchedBy'], r: Records): CallerMatch {
  const contacts = r.policies.flatMap((p) => p.contacts);
  return {
    customerId,
    name: r.profile?.displayName ?? r.policies[0]?.holderName ?? customerId,
    matchedBy,
    contact: {
      phone: r.profile?.phone ?? contacts.find((c) => c.phone)?.phone,
      email: r.profile?.email ?? contacts.find((c) => c.email)?.email,
    },
    policies: r.policies.map(policySummary),
  };
}
