import { anchorMac, anchorMacValid } from '../adapters/audit-key.ts';
import {
  chainAnchor,
  chainEventsBetween,
  moveChainAnchor,
  type StoredAnchor,
} from '../adapters/dynamo/audit-anchors-repo.ts';
import { countMetrics } from '../adapters/metrics.ts';
import {
  ANCHOR_REFUSED_METRIC,
  type AnchoredVerdict,
  type AuditChain,
  judgeAnchor,
  nextAnchor,
} from '../core/audit-anchor.ts';
import type { ChainVerdict, ClaimEvent } from '../core/events.ts';
import type { Clock } from '../core/time.ts';
import { logger } from '../runtime/logger.ts';

export type AnchorOutcome = 'anchored' | 'current' | 'refused';

/**
 * The anchors this execution environment wrote itself, newest per chain (bounded). A stored anchor
 * equal to one of them (same point, same MAC) is genuine without asking KMS: a busy claim's next
 * anchoring then costs one GenerateMac instead of a VerifyMac as well. Anything else is verified.
 */
const MADE_HERE_LIMIT = 5000;
const madeHere = new Map<AuditChain, StoredAnchor>();
const rememberMade = (chain: AuditChain, anchor: StoredAnchor) => {
  madeHere.delete(chain);
  madeHere.set(chain, anchor);
  if (madeHere.size > MADE_HERE_LIMIT) madeHere.delete(madeHere.keys().next().value as AuditChain);
};
const genuine = async (chain: AuditChain, stored: StoredAnchor) => {
  const mine = madeHere.get(chain);
  if (mine && mine.seq === stored.seq && mine.hash === stored.hash && mine.mac === stored.mac) return true;
  return anchorMacValid(chain, stored, stored.mac);
};

/**
 * Moves a chain's anchor over newly stored events (the table stream's, in order): the anchor is
 * extended only if the events continue the anchored head link by link (core/audit-anchor.ts
 * `nextAnchor`), and the stored anchor's own MAC is checked with KMS first, so a forged anchor is
 * never built on. Idempotent: events at or before the anchor are skipped, and the move is
 * conditional on the anchor read. A refusal is logged and counted (an alarm watches the count),
 * never retried: no retry can make a rewritten chain continue its anchor. AWS or DynamoDB errors
 * are thrown, for the stream to deliver the events again.
 */
export async function anchorChain(
  chain: AuditChain,
  events: readonly ClaimEvent[],
  clock: Clock,
): Promise<AnchorOutcome> {
  const stored = await chainAnchor(chain);
  let step = nextAnchor(stored, events);
  // Events the stream did not bring (dropped after their retries): the table fills the gap, and
  // is trusted only because both ends of the gap link up with the anchored head and the new events.
  if (step.kind === 'gap') {
    step = nextAnchor(stored, [...(await chainEventsBetween(chain, step.fromSeq, step.toSeq)), ...events]);
    if (step.kind === 'gap') step = { kind: 'refuse', seq: step.fromSeq, reason: 'SEQUENCE_GAP' };
  }
  if (step.kind === 'current') return 'current';
  if (step.kind === 'extend' && stored && !(await genuine(chain, stored)))
    step = { kind: 'refuse', seq: stored.seq, reason: 'ANCHOR_INVALID' };
  if (step.kind === 'refuse') {
    logger.error('audit chain not anchored: it does not continue its anchor', {
      chain,
      seq: step.seq,
      reason: step.reason,
      anchoredSeq: stored?.seq ?? 0,
    });
    countMetrics([ANCHOR_REFUSED_METRIC]);
    return 'refused';
  }
  if (step.kind !== 'extend') return 'current';
  const mac = await anchorMac(chain, step.head);
  const next = { ...step.head, mac, anchoredAt: clock.now().toISOString() };
  // Another delivery moved it meanwhile: thrown so the stream delivers again and we judge anew.
  if (!(await moveChainAnchor(chain, stored, next)))
    throw new Error(`The anchor of ${chain} moved while anchoring; retried`);
  rememberMade(chain, next);
  return 'anchored';
}

/** A chain event as the table stream delivered it. */
export interface ChainRecord {
  /** The stream record's sequence number (what a batch item failure names). */
  itemIdentifier: string;
  chain: AuditChain;
  event: ClaimEvent;
}

/**
 * Anchors every chain a stream batch touches, once each at its newest event (one GenerateMac per
 * chain per batch, however many of its events the batch holds). Returns the records to deliver
 * again: a chain that failed names its first record, and the event source mapping redelivers
 * from the lowest one named (chains anchored meanwhile find themselves `current`).
 */
export async function anchorChains(records: readonly ChainRecord[], clock: Clock): Promise<string[]> {
  const byChain = new Map<AuditChain, ChainRecord[]>();
  for (const r of records) byChain.set(r.chain, [...(byChain.get(r.chain) ?? []), r]);
  const failed: string[] = [];
  for (const [chain, of] of byChain) {
    try {
      await anchorChain(
        chain,
        of.map((r) => r.event),
        clock,
      );
    } catch (e) {
      logger.error('audit chain anchoring failed; delivered again', { chain, error: e as Error });
      failed.push(of[0]!.itemIdentifier);
    }
  }
  return failed;
}

/**
 * A chain's verdict with its anchor (core/audit-anchor.ts `judgeAnchor`): the anchor is read
 * before the events, so the event it vouches for is always among those read; its MAC is checked
 * with KMS (VerifyMac: verifiers cannot make anchors). `readEvents` reads them after the anchor.
 */
export async function verifyAnchored(
  chain: AuditChain,
  readEvents: () => Promise<{ events: ClaimEvent[]; verdict: ChainVerdict }>,
  clock: Clock,
): Promise<AnchoredVerdict & { events: ClaimEvent[] }> {
  const stored = await chainAnchor(chain);
  const { events, verdict } = await readEvents();
  const checked = stored && { ...stored, macValid: await anchorMacValid(chain, stored, stored.mac) };
  return { ...judgeAnchor(events, verdict, checked, clock.now()), events };
}
