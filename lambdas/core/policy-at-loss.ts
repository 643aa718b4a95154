import type { Cover, Policy } from './policy.ts';

/**
 * Which version of a policy a claim is judged on, and whether the policy changed in the
 * claimant's favour after the loss. A claim answers to the cover in force when the loss happened
 * (Law on Insurance Business 08/2022/QH15: the insured event falls within the period and scope of
 * cover), not to the version current when it is filed: otherwise an endorsement sent after the loss
 * (a poisoned feed, a compromised policy system, or a customer buying cover for a loss that already
 * happened) would be paid on.
 */

/** A stored version with when the import recorded it (absent on versions written before it was kept). */
export interface RecordedVersion {
  policy: Policy;
  recordedAt?: string;
}

/**
 * When a version takes effect: its endorsement's or cancellation's effective instant, else the
 * start of its period (new business, renewal, a version sent without a change date).
 */
export const effectiveInstant = (p: Policy): number => Date.parse(p.changeEffectiveAt ?? p.effectiveFrom);

/**
 * The version in force at the loss: the highest version whose effective instant is on or before
 * it. When none is (the loss precedes the policy), the first version, so the period check says the
 * policy was not in force. Undefined only when there are no versions.
 */
export function versionAtLoss<V extends RecordedVersion>(
  versions: readonly V[],
  lossAt: string,
): V | undefined {
  const loss = Date.parse(lossAt);
  const sorted = [...versions].sort((a, b) => a.policy.version - b.policy.version);
  let pick: V | undefined;
  for (const v of sorted) if (effectiveInstant(v.policy) <= loss) pick = v;
  return pick ?? sorted[0];
}

/**
 * Whether the version in force now is also the one in force at the loss, so the other versions
 * need not be read: it took effect on or before the loss and was recorded no later than it (versions
 * are recorded in order, so none recorded after the loss exists either). The common case: a claim
 * filed on a policy unchanged since before the loss.
 */
export function currentIsAtLoss(current: RecordedVersion | undefined, lossAt: string): boolean {
  if (!current) return false;
  const loss = Date.parse(lossAt);
  return (
    effectiveInstant(current.policy) <= loss &&
    (current.recordedAt === undefined || Date.parse(current.recordedAt) <= loss)
  );
}

const deductibleOf = (c: Cover) => c.deductible ?? { waivedOnTotalLoss: false };

/** What in a cover's deductible got cheaper for the insured (lower, removed, or waived on total loss). */
function deductibleLowered(before: Cover, after: Cover): boolean {
  const a = deductibleOf(before);
  const b = deductibleOf(after);
  const lower = (x: number | undefined, y: number | undefined) => (x ?? 0) > (y ?? 0);
  return (
    lower(a.fixed, b.fixed) ||
    lower(a.percentBps, b.percentBps) ||
    lower(a.minimum, b.minimum) ||
    (!a.waivedOnTotalLoss && b.waivedOnTotalLoss)
  );
}

/**
 * How `after` widens what `before` pays on, as short codes for a person to read (`cover:FLOOD`,
 * `causes:OD`, `sumInsured:OD`, `subLimit:OD`, `deductible:OD`, `effectiveFrom`, `effectiveTo`,
 * `status`, `insuredValue`, `insuredValue:CONTENTS`, `addOns`). `lossAt` decides whether a later period end matters: only
 * an end moved past the loss brings it into cover (a renewal's new period does not). Any change of
 * the insured value counts: it is both the market value a total loss is paid on and the
 * denominator of the average clause, so either direction can raise a payout.
 */
export function coverWidening(before: Policy, after: Policy, lossAt: string): string[] {
  const out: string[] = [];
  const loss = Date.parse(lossAt);
  const old = new Map(before.covers.map((c) => [c.code, c]));
  for (const c of after.covers) {
    const o = old.get(c.code);
    if (!o) {
      out.push(`cover:${c.code}`);
      continue;
    }
    if (c.causes.some((x) => !o.causes.includes(x))) out.push(`causes:${c.code}`);
    if (c.sumInsured > o.sumInsured) out.push(`sumInsured:${c.code}`);
    const limit = (x: Cover) => x.subLimit ?? x.sumInsured;
    if ((c.subLimit !== undefined || o.subLimit !== undefined) && limit(c) > limit(o))
      out.push(`subLimit:${c.code}`);
    if (deductibleLowered(o, c)) out.push(`deductible:${c.code}`);
    // A cover's own value, like the policy's: the average clause's denominator and a rule's market value.
    if (c.insuredValue !== o.insuredValue) out.push(`insuredValue:${c.code}`);
  }
  if (Date.parse(after.effectiveFrom) < Date.parse(before.effectiveFrom)) out.push('effectiveFrom');
  if (Date.parse(before.effectiveTo) < loss && Date.parse(after.effectiveTo) >= loss) out.push('effectiveTo');
  if (before.status !== 'in_force' && after.status === 'in_force') out.push('status');
  if (before.insuredValue !== after.insuredValue) out.push('insuredValue');
  if (after.addOns.some((a) => !before.addOns.includes(a))) out.push('addOns');
  return out;
}

/** A version recorded after the loss that a person must look at before the claim is paid. */
export interface ChangeAfterLoss {
  version: number;
  recordedAt: string;
  /** `new` when the policy itself was first recorded after the loss, else {@link coverWidening}'s codes. */
  changes: string[];
}

/**
 * The versions recorded after the loss that widen cover against the version before them, and the
 * first version when the policy itself was first recorded after the loss (new business imported
 * with a start dated back before it). Versions without a recording time (written before it was
 * kept, or demo data) are not judged. Empty when nothing changed in the claimant's favour after
 * the loss.
 */
export function changesAfterLoss(versions: readonly RecordedVersion[], lossAt: string): ChangeAfterLoss[] {
  const loss = Date.parse(lossAt);
  const sorted = [...versions].sort((a, b) => a.policy.version - b.policy.version);
  const out: ChangeAfterLoss[] = [];
  sorted.forEach((v, k) => {
    if (v.recordedAt === undefined || !(Date.parse(v.recordedAt) > loss)) return;
    const before = sorted[k - 1];
    const changes = before ? coverWidening(before.policy, v.policy, lossAt) : ['new'];
    if (changes.length > 0) out.push({ version: v.policy.version, recordedAt: v.recordedAt, changes });
  });
  return out;
}
