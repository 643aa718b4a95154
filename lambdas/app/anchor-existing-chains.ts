import { anchorMac } from '../adapters/audit-key.ts';
import { adminEvents, chainHead } from '../adapters/dynamo/admin-audit-repo.ts';
import {
  type ClaimChainHead,
  chainAnchor,
  claimHeadPages,
  moveChainAnchor,
} from '../adapters/dynamo/audit-anchors-repo.ts';
import { eventsOfClaim, getClaim } from '../adapters/dynamo/claims-repo.ts';
import { ADMIN_AUDIT_CHAIN, type AuditChain, claimAuditChain } from '../core/audit-anchor.ts';
import { type ClaimEvent, verifyChain } from '../core/events.ts';
import type { Clock } from '../core/time.ts';

/**
 * One-off: anchors the chains written before anchoring existed (the first deploy of the release
 * that brought it onto a table holding claims; docs/operations-runbook.md). The anchorer never
 * starts an anchor on a chain that already has events (it cannot tell an old chain from one whose
 * anchor was deleted), so an operator does it, once, right after the deploy: each chain without an
 * anchor whose SHA-256 chain and head verify is anchored at its newest event. What it vouches for
 * is the table as it is at that moment (trust on first use); a chain that does not verify is
 * reported and left unanchored, for an incident. Running it again changes nothing.
 */
export interface ExistingChainsReport {
  anchored: number;
  alreadyAnchored: number;
  /** Chains that do not verify: never anchored. */
  broken: { chain: AuditChain; brokenAt: number; reason: string }[];
}

export async function anchorExistingChains(
  clock: Clock,
  options: { claimIds?: readonly string[]; dryRun?: boolean } = {},
): Promise<ExistingChainsReport> {
  const report: ExistingChainsReport = { anchored: 0, alreadyAnchored: 0, broken: [] };
  const one = async (
    chain: AuditChain,
    head: { lastSeq: number; lastHash: string },
    events: ClaimEvent[],
  ) => {
    if (await chainAnchor(chain)) return void report.alreadyAnchored++;
    const verdict = verifyChain(events, head);
    if (!verdict.ok)
      return void report.broken.push({ chain, brokenAt: verdict.brokenAt, reason: verdict.reason });
    const last = events.at(-1);
    if (!last) return;
    const point = { seq: last.seq, hash: last.hash };
    if (options.dryRun) return void report.anchored++;
    const mac = await anchorMac(chain, point);
    // The anchorer may have got there meanwhile (a brand-new chain): then it is anchored already.
    if (await moveChainAnchor(chain, undefined, { ...point, mac, anchoredAt: clock.now().toISOString() }))
      report.anchored++;
    else report.alreadyAnchored++;
  };
  const claim = async (h: ClaimChainHead) =>
    one(claimAuditChain(h.claimId), h, await eventsOfClaim(h.claimId));

  if (options.claimIds) {
    for (const claimId of options.claimIds) {
      const c = await getClaim(claimId);
      if (c) await claim({ claimId, lastSeq: c.lastEventSeq, lastHash: c.lastEventHash });
    }
    return report;
  }
  // The head before the events, as verification reads them (events appended meanwhile are fine).
  const adminHead = await chainHead();
  await one(ADMIN_AUDIT_CHAIN, adminHead, await adminEvents());
  for await (const page of claimHeadPages()) for (const h of page) await claim(h);
  return report;
}
