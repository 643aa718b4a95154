import { type ChainVerdict, type ClaimEvent, GENESIS_HASH, hashEvent } from './events.ts';

/**
 * Anchors of the audit chains. The SHA-256 chain (core/events.ts) shows that events were edited
 * only to someone who cannot recompute it; anyone who can write the table can rewrite a chain and
 * its head consistently. An anchor is a MAC of a chain's head `(chain, seq, hash)` under a KMS HMAC
 * key that only the anchoring function may use to generate MACs, so a rewrite of anchored history
 * no longer matches the anchor, and a forged anchor fails KMS VerifyMac.
 *
 * One anchor per chain, moved forward as the chain grows: anchoring the head vouches for every
 * event before it, because each event's hash covers the one before.
 */

/** A chain: a claim's events (`claim/<claimId>`) or the administration chain. */
export type AuditChain = `claim/${string}` | 'admin';
export const ADMIN_AUDIT_CHAIN = 'admin' satisfies AuditChain;
export const claimAuditChain = (claimId: string): AuditChain => `claim/${claimId}`;

/** The point of a chain an anchor vouches for. */
export interface AnchorPoint {
  seq: number;
  hash: string;
}

/**
 * How long an event may stay unanchored before verification calls it `UNANCHORED`. Anchors are
 * written from the table stream, normally within seconds (the event-source mapping's batching
 * window is 5 s); a failing batch is retried five times with backoff and bisected first. Ten
 * minutes covers that and a KMS or DynamoDB throttling spell, and is short enough that deleting
 * anchors to hide a rewrite shows up on the same day's checks.
 */
export const AUDIT_ANCHOR_GRACE_MS = 10 * 60_000;

/** Counted when a chain's anchor may not move (the chain was rewritten, or its anchor forged or deleted); alarmed on. */
export const ANCHOR_REFUSED_METRIC = 'AuditAnchorRefused';

/**
 * The bytes the anchor's MAC covers: a version tag (a later format cannot be confused with this
 * one), the chain, the sequence and the hash. Well under KMS GenerateMac's 4 KiB message limit.
 */
export function anchorMessage(chain: AuditChain, point: AnchorPoint): string {
  return `claims-audit-anchor/v1\n${chain}\n${point.seq}\n${point.hash}`;
}

export type AnchorStep =
  /** Nothing after the anchor (a redelivered batch): nothing to do. */
  | { kind: 'current' }
  /** The new events extend the anchored head honestly: anchor `head`. */
  | { kind: 'extend'; head: AnchorPoint }
  /** Events between the anchor and those delivered are missing here: read `fromSeq`..`toSeq` and try again. */
  | { kind: 'gap'; fromSeq: number; toSeq: number }
  /** The events do not extend the anchored head: the chain was rewritten. Never anchored. */
  | { kind: 'refuse'; seq: number; reason: AnchorRefusal };

export type AnchorRefusal =
  | 'NO_ANCHOR_TO_EXTEND'
  | 'PREVIOUS_HASH_MISMATCH'
  | 'CONTENT_ALTERED'
  /** Events between the anchor and the new ones are missing from the table too. */
  | 'SEQUENCE_GAP'
  /** The stored anchor's MAC is not KMS's (checked by the anchorer before building on it). */
  | 'ANCHOR_INVALID';

/**
 * Decides how far a chain's anchor may move given new events (from the table stream, plus any
 * read to fill a gap). The events must continue the anchored head link by link, each hash
 * recomputed: so a chain rewritten in the table, then appended to (by the application itself,
 * which seals onto whatever head it finds), is never anchored and stays detectably broken.
 *
 * Without an anchor only a new chain (one whose event 1 is among `events`) is anchored: a chain
 * that has events but no anchor either predates anchoring or had its anchor deleted, and events
 * read from the table cannot tell those apart; an operator anchors such chains after verifying them.
 */
export function nextAnchor(anchored: AnchorPoint | undefined, events: readonly ClaimEvent[]): AnchorStep {
  const from = anchored?.seq ?? 0;
  const fresh = [...new Map(events.filter((e) => e.seq > from).map((e) => [e.seq, e])).values()].sort(
    (a, b) => a.seq - b.seq,
  );
  const first = fresh[0];
  if (!first) return { kind: 'current' };
  if (!anchored && first.seq !== 1) return { kind: 'refuse', seq: first.seq, reason: 'NO_ANCHOR_TO_EXTEND' };
  let prev: AnchorPoint = anchored ?? { seq: 0, hash: GENESIS_HASH };
  for (const e of fresh) {
    if (e.seq !== prev.seq + 1) return { kind: 'gap', fromSeq: prev.seq + 1, toSeq: e.seq - 1 };
    if (e.prevHash !== prev.hash) return { kind: 'refuse', seq: e.seq, reason: 'PREVIOUS_HASH_MISMATCH' };
    const { hash, ...body } = e;
    if (hashEvent(body) !== hash) return { kind: 'refuse', seq: e.seq, reason: 'CONTENT_ALTERED' };
    prev = { seq: e.seq, hash };
  }
  return { kind: 'extend', head: prev };
}

/** The stored anchor as verification found it: where it points and whether KMS accepted its MAC. */
export interface CheckedAnchor extends AnchorPoint {
  macValid: boolean;
}

export interface AnchoredVerdict {
  verdict: ChainVerdict;
  /** The last event an anchor vouches for (0: none). */
  anchoredSeq: number;
}

/**
 * Adds the anchor to a chain's verdict (from {@link verifyChain}):
 * - `ANCHOR_INVALID`: the stored anchor's MAC is not one KMS made (the anchor was forged or edited);
 * - `ANCHOR_MISMATCH`: the anchor is genuine but the event it vouches for is not the one in the
 *   table (the chain was rewritten, its hashes recomputed);
 * - `UNANCHORED`: an event after the anchor (or any, without one) is outside the grace period
 *   (anchors deleted, or anchoring has stopped; its `at` too far in the future counts too, or
 *   rewriting the times would hide it).
 * A broken SHA-256 chain is reported first: its first broken link is the more precise finding.
 */
export function judgeAnchor(
  events: readonly ClaimEvent[],
  chainVerdict: ChainVerdict,
  anchor: CheckedAnchor | undefined,
  now: Date,
  graceMs: number = AUDIT_ANCHOR_GRACE_MS,
): AnchoredVerdict {
  const anchoredSeq = anchor?.macValid ? anchor.seq : 0;
  if (!chainVerdict.ok) return { verdict: chainVerdict, anchoredSeq };
  if (anchor && !anchor.macValid)
    return { verdict: { ok: false, brokenAt: anchor.seq, reason: 'ANCHOR_INVALID' }, anchoredSeq: 0 };
  if (anchor && events[anchor.seq - 1]?.hash !== anchor.hash)
    return {
      verdict: { ok: false, brokenAt: Math.min(anchor.seq, events.length + 1), reason: 'ANCHOR_MISMATCH' },
      anchoredSeq: 0,
    };
  // `!(… <= grace)`: an unreadable time is no excuse either.
  const late = events.find(
    (e) => e.seq > anchoredSeq && !(Math.abs(now.getTime() - Date.parse(e.at)) <= graceMs),
  );
  if (late) return { verdict: { ok: false, brokenAt: late.seq, reason: 'UNANCHORED' }, anchoredSeq };
  return { verdict: chainVerdict, anchoredSeq };
}
